"""A strategy's own settings: from the routine's strategy block over the clinic's plugins block."""

from __future__ import annotations

from typing import Annotated

import msgspec
import pytest

from routinekit.errors import ValidationError
from routinekit.files.routine_file import load_routine_text
from routinekit.files.yaml_reader import load_yaml_text
from routinekit.plugin_settings import check_settings_type, resolve_settings


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    standing: bool = True
    limit: Annotated[int, msgspec.Meta(ge=1, le=50)] | None = None


ROUTINE = """\
id: knee
title: Knee
strategy:
  id: knee-oa-graded
  minutes: 10
  standing: {standing}
exercises: [cat-cow]
"""


def routine(standing: str = "false"):  # type: ignore[no-untyped-def]
    return load_routine_text(ROUTINE.format(standing=standing), source="knee.yaml")


def test_extra_keys_of_the_strategy_block_are_the_strategys_settings() -> None:
    rf = routine()
    assert rf.routine.strategy.minutes == 10
    assert rf.routine.strategy.settings == {"standing": False}
    got = resolve_settings(
        Settings,
        strategy_id="knee-oa-graded",
        plugin="knee-oa",
        routine_settings=rf.routine.strategy.settings,
        routine_doc=rf.doc,
        clinic_settings={"limit": 4, "standing": True},
    )
    assert got == Settings(standing=False, limit=4)  # the routine wins, field by field


def test_a_bad_setting_names_the_file_line_and_field() -> None:
    rf = routine(standing="maybe")
    with pytest.raises(ValidationError) as err:
        resolve_settings(
            Settings,
            strategy_id="knee-oa-graded",
            plugin="knee-oa",
            routine_settings=rf.routine.strategy.settings,
            routine_doc=rf.doc,
        )
    assert err.value.one_line().startswith(
        "knee.yaml, line 6, field 'strategy.standing': expected true or false"
    )


def test_a_bad_clinic_setting_names_the_clinic_file() -> None:
    doc = load_yaml_text("name: Clinic\nplugins:\n  knee-oa:\n    limit: 0\n", source="c.yaml")
    with pytest.raises(ValidationError, match=r"c.yaml, line 4, field 'plugins.knee-oa.limit'"):
        resolve_settings(
            Settings,
            strategy_id="knee-oa-graded",
            plugin="knee-oa",
            routine_settings={},
            clinic_settings=doc.data["plugins"]["knee-oa"],
            clinic_doc=doc,
        )
    with pytest.raises(ValidationError, match=r"unknown field 'standnig'; did you mean 'standing'"):
        resolve_settings(
            Settings,
            strategy_id="knee-oa-graded",
            plugin="knee-oa",
            routine_settings={"standnig": True},
        )


def test_a_strategy_without_settings_refuses_extra_keys_with_a_suggestion() -> None:
    rf = load_routine_text(
        "id: r\ntitle: R\nstrategy: {id: progressive, minuts: 5}\nexercises: [cat-cow]\n",
        source="r.yaml",
    )
    with pytest.raises(ValidationError) as err:
        resolve_settings(
            None,
            strategy_id="progressive",
            plugin="strategies",
            routine_settings=rf.routine.strategy.settings,
            routine_doc=rf.doc,
        )
    assert err.value.one_line() == (
        "r.yaml, line 3, field 'strategy.minuts': unknown field 'minuts'; did you mean 'minutes'?"
    )
    assert resolve_settings(None, strategy_id="x", plugin="p", routine_settings={}) is None


def test_a_settings_type_must_be_a_struct_with_defaults() -> None:
    class NoDefault(msgspec.Struct):
        limit: int

    with pytest.raises(TypeError, match="needs a default"):
        check_settings_type(NoDefault, "strategy 'x'")
    with pytest.raises(TypeError, match=r"must be a msgspec\.Struct"):
        check_settings_type(dict, "strategy 'x'")
    assert check_settings_type(Settings, "strategy 'x'") is Settings
