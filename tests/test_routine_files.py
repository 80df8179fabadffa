"""Routine files: located errors, suggestions for misspelled ids, the published schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from routinekit import api
from routinekit.errors import UserError
from routinekit.files.routine_file import load_routine_file, load_routine_text
from routinekit.files.schema import routine_schema


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "routine.yaml"
    p.write_text(text, encoding="utf-8")
    return p


GOOD = """\
routinekit: 1
id: my-routine
title: My routine
strategy: as-written
exercises:
  - childs-pose
  - id: cat-cow
    dose: {reps: 10-20}
    note: Slowly.
"""


def test_shorthands_and_full_forms_load(tmp_path: Path) -> None:
    rf = load_routine_file(write(tmp_path, GOOD))
    assert [e.id for e in rf.routine.exercises] == ["childs-pose", "cat-cow"]
    assert rf.routine.strategy.id == "as-written"
    assert rf.entry_line(1) == 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("reps: 10-20", "reps: lots"), "line 8, field 'exercises[1].dose.reps'"),
        (GOOD.replace("title: My routine\n", ""), "missing required field 'title'"),
        (GOOD.replace("note:", "notes:"), "unknown field 'notes'; did you mean 'note'?"),
        (GOOD + "title: again\n", "line 10, field 'title': duplicate key 'title'"),
        (GOOD.replace("  - childs-pose", "  - childs-pose\n - bad"), "is not valid YAML"),
        (GOOD.replace("routinekit: 1", "routinekit: 7"), "format version 7 is not supported"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
def test_broken_routines_name_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(UserError) as err:
        load_routine_file(write(tmp_path, text))
    message = err.value.one_line()
    assert expected in message
    assert "\n" not in message
    assert str(tmp_path / "routine.yaml") in message


def test_misspelled_exercise_id_gets_line_and_suggestion(tmp_path: Path, host: object) -> None:
    path = write(tmp_path, GOOD.replace("  - childs-pose", "  - child-pse"))
    with pytest.raises(UserError) as err:
        api.validate(path, host=host)  # type: ignore[arg-type]
    assert "line 6" in err.value.one_line()
    assert "unknown exercise 'child-pse'" in err.value.one_line()
    assert "did you mean 'childs-pose'?" in err.value.one_line()


def test_invalid_utf8_is_a_located_user_error(tmp_path: Path) -> None:
    p = tmp_path / "routine.yaml"
    p.write_bytes(b"id: x\ntitle: caf\xe9\n")
    with pytest.raises(UserError) as err:
        load_routine_file(p)
    assert "line 2" in str(err.value) and "UTF-8" in str(err.value)


def test_schema_describes_the_file_format() -> None:
    schema = routine_schema()
    text = json.dumps(schema)
    routine = schema["$defs"]["Routine"]
    assert set(routine["required"]) == {"id", "title", "exercises"}
    assert "red_flags" in routine["properties"]
    assert "30-60" in text  # doses document the range syntax


def test_templates_validate_against_schema_with_jsonschema() -> None:
    import jsonschema
    import yaml

    schema = routine_schema()
    for path in Path(__file__).resolve().parent.parent.joinpath("templates").glob("*.yaml"):
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)


def test_text_loader_for_scripts() -> None:
    rf = load_routine_text(GOOD, source="inline")
    assert rf.source == "inline"
