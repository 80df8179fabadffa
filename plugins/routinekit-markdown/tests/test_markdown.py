"""Tests for the Markdown, text and SMS renderers."""

from __future__ import annotations

import msgspec
import pytest
import routinekit_markdown as plugin

from routinekit.contracts import RenderOptions
from routinekit.model import Patient
from routinekit.testing import check_renderer, make_host, sample_clinic, sample_handout
from routinekit.text import regimen_text


@pytest.mark.parametrize(
    "renderer", [plugin.MarkdownRenderer(), plugin.TextRenderer(), plugin.SmsRenderer()]
)
def test_renderers_keep_the_contract(renderer: object) -> None:
    check_renderer(renderer)  # type: ignore[arg-type]


def test_markdown_holds_the_whole_handout(routinekit_build, routinekit_patient) -> None:
    md = routinekit_build(plugin, format="markdown", patient=routinekit_patient).decode()
    assert md.startswith("# Sample Stretches\n")
    assert "- For: Zoë Łukasiewicz" in md
    assert "### 1. Child's Pose" in md
    assert "Hold 20-30 seconds" in md  # the patient's dose override
    assert "## Call your clinician today if you have any of these:" in md
    assert "Note: Start with this one." in md
    assert "- Date: January 15, 2026" in md
    assert md.index("## Why stretch?") < md.index("## Stretches & Exercises")


def test_markdown_speaks_the_handouts_language(routinekit_host) -> None:
    """The shared renderer helpers (routinekit.renderkit) word doses, dates and headings."""
    from routinekit.testing import sample_routine

    routine = sample_routine()
    host = routinekit_host(plugin)
    handout = sample_handout(host, routine=routine)
    spanish = msgspec.structs.replace(handout, language="es")
    md = plugin.MarkdownRenderer().render(spanish, RenderOptions()).decode()
    assert regimen_text(spanish.regimen, "es") in md and "About" not in md
    assert "enero de 2026" in md
    assert "Mantenga" in md  # "Hold ... seconds" in Spanish


def test_text_from_files_cannot_inject_markup() -> None:
    host = make_host(plugin)
    patient = Patient(name="<script>alert(1)</script>", notes="**bold** [x](javascript:y)")
    handout = sample_handout(host, patient=patient)
    md = plugin.MarkdownRenderer().render(handout, RenderOptions()).decode()
    assert "<script>" not in md and "\\<script\\>" in md
    assert "[x](javascript" not in md and "\\*\\*bold\\*\\*" in md


def test_text_has_no_markup_and_underlines_headings(routinekit_build) -> None:
    text = routinekit_build(plugin, format="text").decode()
    assert text.startswith("Sample Stretches\n================\n")
    assert "\n  1. " in text and "#" not in text


def test_sms_is_short_and_private(routinekit_build, routinekit_patient) -> None:
    clinic = sample_clinic()
    sms = routinekit_build(plugin, format="sms", patient=routinekit_patient, clinic=clinic).decode()
    assert len(sms.strip()) <= plugin.MAX_CHARS
    assert "Zoë" not in sms and "Walk for 5 minutes" not in sms  # no name, no notes
    assert sms.startswith("Sample Stretches: About") and "555-0100" in sms


def test_sms_counts_what_does_not_fit() -> None:
    handout = sample_handout(make_host(plugin))
    long_title = msgspec.structs.replace(handout, title="T" * 300)
    sms = plugin.SmsRenderer().render(long_title, RenderOptions()).decode()
    assert len(sms.strip()) <= plugin.MAX_CHARS and "more" in sms


def test_footer_is_printed(routinekit_host) -> None:
    handout = msgspec.structs.replace(sample_handout(routinekit_host(plugin)), footer="Open 8-6")
    md = plugin.MarkdownRenderer().render(handout, RenderOptions()).decode()
    assert md.endswith("---\n\nOpen 8-6\n")
