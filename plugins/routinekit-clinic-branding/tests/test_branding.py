"""Tests for the clinic-branding adjust_handout plugin."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
import routinekit_clinic_branding as plugin

from routinekit.errors import PluginError
from routinekit.testing import sample_handout

BRANDING = """\
advice:
  - Bring this sheet to your next visit.
  - Keep moving. Take short walks during the day.
red_flags:
  - A fever together with back pain
footer: Example Physical Therapy · Open Mon-Fri 8-6
"""


@pytest.fixture
def branding_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "branding.yaml"
    path.write_text(BRANDING, encoding="utf-8")
    monkeypatch.setenv(plugin.ENV_VAR, str(path))
    return path


def test_adds_advice_red_flags_and_footer(branding_file: Path, routinekit_host) -> None:
    handout = sample_handout(routinekit_host(plugin))
    assert handout.self_care == (
        "Keep moving. Take short walks during the day.",
        "Bring this sheet to your next visit.",  # the routine's own line is not repeated
    )
    assert handout.red_flags[-1].text == "A fever together with back pain"
    assert handout.footer == "Example Physical Therapy · Open Mon-Fri 8-6"


def test_footer_reaches_the_rendered_json(branding_file: Path, routinekit_build) -> None:
    assert b"Open Mon-Fri 8-6" in routinekit_build(plugin, format="json")


def test_no_op_unless_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, routinekit_host
) -> None:
    monkeypatch.delenv(plugin.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    plain = sample_handout(routinekit_host())
    assert sample_handout(routinekit_host(plugin)) == plain
    assert plugin.adjust_handout(handout=plain) is None


def test_a_typo_in_the_file_names_the_line_and_the_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, routinekit_host
) -> None:
    path = tmp_path / "b.yaml"
    path.write_text("footer: ok\nadivce:\n  - x\n", encoding="utf-8")
    monkeypatch.setenv(plugin.ENV_VAR, str(path))
    with pytest.raises(PluginError) as info:
        sample_handout(routinekit_host(plugin))
    assert "b.yaml, line " in str(info.value) and "did you mean 'advice'" in str(info.value)


def test_apply_is_idempotent() -> None:
    branding = plugin.Branding(advice=("A.",), footer="F")
    handout = msgspec.structs.replace(sample_handout(), self_care=())
    once = plugin.apply_branding(handout, branding)
    assert plugin.apply_branding(once, branding) == once
