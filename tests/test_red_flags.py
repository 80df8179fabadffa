"""Red flags in levels: "go to the emergency department now" first, then "call your
clinician", then "stop the exercise"; in English and Spanish, PDF and HTML (issue #15.3)."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from routinekit import api
from routinekit.files.routine_file import load_routine_text
from routinekit.model import RedFlag, RedFlagLevel
from routinekit.model.routine import red_flags_of
from routinekit.plugins.host import PluginHost
from routinekit.request import BuildOptions
from tests.conftest import EXAMPLES

HEADINGS = {
    "en": (
        "EMERGENCY: go to the emergency department now",
        "Call your clinician today",
        "Stop the exercise and rest if",
    ),
    "es": (
        "EMERGENCIA: vaya ahora mismo a urgencias",
        "Llame hoy a su profesional de salud",
        "Deje el ejercicio y descanse si",
    ),
}
BLADDER = {"en": "Trouble controlling your bladder or bowels", "es": "controlar la orina"}
LEG = {"en": "Burning pain that runs down one leg", "es": "Dolor ardiente que baja por una pierna"}


def pdf_text(template: str, language: str, fmt: str = "pdf", strategy: str | None = None) -> str:
    data = api.build(
        template,
        clinic=EXAMPLES / "clinic.yaml",
        format=fmt,
        strategy=strategy,
        options=BuildOptions(language=language),
        host=PluginHost(entry_points=False),
    )
    if fmt == "html":
        return data.decode()
    return " ".join(" ".join(p.get_text().split()) for p in pymupdf.open(stream=data))


@pytest.mark.parametrize("strategy", [None, "acute"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_acute_handout_prints_the_emergency_first(language: str, strategy: str | None) -> None:
    text = pdf_text("back-spasm-acute", language, strategy=strategy)
    emergency, call, stop = (text.index(h) for h in HEADINGS[language])
    assert emergency < text.index(BLADDER[language]) < call < text.index(LEG[language]) < stop


@pytest.mark.parametrize("language", ["en", "es"])
def test_html_prints_the_emergency_first_and_marks_it(language: str) -> None:
    html = pdf_text("back-spasm-acute", language, fmt="html")
    first = html.index('class="red-flags emergency"')
    assert first < html.index('class="red-flags call"') < html.index('class="red-flags stop"')
    assert html.index(HEADINGS[language][0]) < html.index(BLADDER[language])


def test_the_seeds_other_warnings_and_the_stop_rule_are_printed() -> None:
    text = pdf_text("back-spasm-acute", "en")
    for sign in (
        "osteoporosis",  # seed 001
        "You have had cancer, or you have a fever",  # seed 004: tumours, infection
        "Your back hurts more after an exercise than before it",  # seed 004: stop rule
        "Numbness in your groin, buttocks or inner thighs",
        "Weakness in one or both legs that is quickly getting worse",
    ):
        assert sign in text, sign


def test_a_plain_string_is_a_call_flag_and_emergency_sorts_first() -> None:
    flags = red_flags_of(["Foot drop", RedFlag(text="Bladder", level=RedFlagLevel.EMERGENCY)])
    assert [(f.text, f.level) for f in flags] == [
        ("Bladder", RedFlagLevel.EMERGENCY),
        ("Foot drop", RedFlagLevel.CALL),
    ]
    # a translation of plain strings keeps the main list's levels by position
    es = red_flags_of(
        ["Pie caído", "Vejiga"], ["Foot drop", RedFlag(text="Bladder", level="emergency")]
    )  # type: ignore[arg-type]
    assert [f.text for f in es] == ["Vejiga", "Pie caído"]


def test_a_routine_file_writes_levels_in_yaml(host: PluginHost, tmp_path: Path) -> None:
    text = (
        "id: r\ntitle: R\nred_flags:\n  - Foot drop\n"
        "  - {level: emergency, text: Loss of bladder control}\n"
        "translations:\n  es:\n    red_flags: [Pie caído, Pérdida del control de la orina]\n"
        "exercises: [childs-pose]\n"
    )
    rf = load_routine_text(text)
    h = api.build_handout(rf, host=host, options=BuildOptions(language="es")).handout
    assert [(f.level.value, f.text) for f in h.red_flags] == [
        ("emergency", "Pérdida del control de la orina"),
        ("call", "Pie caído"),
    ]
    bad = "id: r\ntitle: R\nred_flags:\n  - {level: soon, text: X}\nexercises: [childs-pose]\n"
    with pytest.raises(Exception, match="red_flags"):
        load_routine_text(bad)
