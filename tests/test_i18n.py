"""Translations: catalogs agree and are complete, Spanish handouts have no English left,
scripts print or are refused clearly, large print is 18 pt, PDF language and title set."""

from __future__ import annotations

import datetime as dt
import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest

from routinekit import api
from routinekit.i18n import (
    LOCALE_DIR,
    format_number,
    has_translation,
    translator,
    untranslated,
)
from routinekit.library import BUILTIN_FILE, load_exercise_file
from routinekit.model import Dose, Range, Regimen
from routinekit.render.words import long_date
from routinekit.text.dose_words import dose_text, regimen_text

ROOT = Path(__file__).resolve().parent.parent
PO = LOCALE_DIR / "es" / "LC_MESSAGES" / "routinekit.po"

#: Words that are only English: none may appear in a Spanish handout.
ENGLISH = {
    "the",
    "and",
    "your",
    "you",
    "with",
    "hold",
    "each",
    "side",
    "times",
    "minutes",
    "seconds",
    "stretch",
    "stretches",
    "back",
    "what",
    "how",
    "this",
    "that",
    "when",
    "stop",
    "call",
    "about",
    "days",
    "weeks",
    "after",
    "pain",
    "page",
    "of",
    "date",
    "patient",
    "therapist",
    "objective",
    "take",
    "care",
    "note",
    "day",
    "session",
    "repeat",
    "twice",
    "once",
    "these",
    "start",
    "prepared",
    "for",
    "knees",
    "lie",
    "keep",
    "slowly",
    "track",
}
#: Proper names allowed to stay as they are.
PROPER = {"routinekit", "Ζωή", "Éloïse"}


def _pdf_words(data: bytes) -> list[str]:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        text = " ".join(page.get_text() for page in doc)
    return re.findall(r"[^\W\d_]+", text)


def test_po_and_mo_agree() -> None:
    from babel.messages.pofile import read_po

    with open(PO, "rb") as f:
        po = read_po(f)
    with open(PO.with_suffix(".mo"), "rb") as f:
        mo = gettext.GNUTranslations(f)
    for m in po:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            assert mo.ngettext(m.id[0], m.id[1], 1) == m.string[0], m.id
            assert mo.ngettext(m.id[0], m.id[1], 5) == m.string[1], m.id
        else:
            assert mo.gettext(m.id) == m.string, m.id
    assert len(mo._catalog) - 1 == sum(  # type: ignore[attr-defined]
        (2 if isinstance(m.id, tuple) else 1) for m in po if m.id
    )


def test_every_printed_message_has_spanish() -> None:
    """Literal _() calls, renderer word tables and every strategy's group titles."""
    r = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n_catalog.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_missing_translation_falls_back_to_english() -> None:
    _ = translator("es")
    assert _("Objective:") == "Objetivo:"
    assert _("Not in any catalog") == "Not in any catalog"
    assert translator("es-MX")("Objective:") == "Objetivo:"
    assert translator("en")("Objective:") == "Objective:"
    assert not has_translation("es", "Not in any catalog")
    assert untranslated("es", ["Objective:", "Not in any catalog"]) == ["Not in any catalog"]


DOSES = [
    Dose(hold=Range(30, 60), per_side=True, times_per_day=Range(2, 3)),
    Dose(hold=Range(1), reps=Range(6, 7), sets=2),
    Dose(reps=Range(1)),
    Dose(reps=Range(10, 15), per_side=True, times_per_day=Range(1)),
    Dose(minutes=Range(1), times_per_day=Range(2)),
    Dose(minutes=Range(2.5, 5)),
]


ENGLISH = [
    "Hold 30-60 seconds, each side, 2-3 times a day",
    "Hold 1 second, repeat 6-7 times, 2 sets",
    "Do 1 time",
    "Do 10-15 times, each side, once a day",
    "1 minute, twice a day",
    "2.5-5 minutes",
]


@pytest.mark.parametrize(("dose", "words"), list(zip(DOSES, ENGLISH, strict=True)))
def test_english_dose_words(dose: Dose, words: str) -> None:
    assert dose_text(dose) == dose_text(dose, "en") == words
    if dose.times_per_day is not None:
        assert dose_text(dose, include_frequency=False) == words.rsplit(", ", 1)[0]


def test_spanish_doses_regimens_dates_numbers() -> None:
    assert dose_text(DOSES[0], "es") == "Mantenga 30-60 segundos, en cada lado, 2-3 veces al día"
    assert dose_text(DOSES[1], "es") == "Mantenga 1 segundo, repita 6-7 veces, 2 series"
    assert dose_text(DOSES[2], "es") == "Hágalo 1 vez"
    assert dose_text(DOSES[4], "es") == "1 minuto, dos veces al día"
    assert dose_text(DOSES[5], "es") == "2,5-5 minutos"
    reg = Regimen(minutes_low=4.6, minutes_high=7.2, times_per_day=Range(2, 3))
    assert regimen_text(reg, "es") == "Alrededor de 5-7 minutos, 2-3 veces al día"
    assert regimen_text(reg) == "About 5-7 minutes, 2-3 times a day"
    assert long_date(dt.date(2026, 3, 5), translator("es")) == "5 de marzo de 2026"
    assert long_date(dt.date(2026, 3, 5), translator("en")) == "March 5, 2026"
    assert format_number(2.5, "es") == "2,5" and format_number(2.5, "en") == "2.5"


def test_library_is_fully_translated_to_spanish() -> None:
    for ex in load_exercise_file(BUILTIN_FILE):
        es = ex.translations["es"]
        assert es.name and es.objective and es.steps, ex.id
        assert len(es.steps) == len(ex.steps), ex.id
        assert len(es.cautions or ()) == len(ex.cautions), ex.id
        assert len(es.alternatives or ()) == len(ex.alternatives), ex.id


@pytest.mark.parametrize("template", ["back-spasm-acute", "back-spasm-prevention"])
def test_spanish_json_handout_is_localised(template: str) -> None:
    h = api.build_handout(template, options=_lang("es"), date=dt.date(2026, 3, 5)).handout
    assert h.language == "es"
    assert h.title.startswith("Estiramientos")
    assert all(i.exercise.name == i.exercise.translations["es"].name for i in h.items)
    assert all(g.title is None or g.title == translator("es")(g.title) for g in h.groups)


def _lang(code: str):  # type: ignore[no-untyped-def]
    from routinekit.request import BuildOptions

    return BuildOptions(language=code)


@pytest.mark.parametrize("template", ["back-spasm-acute", "back-spasm-prevention"])
def test_spanish_pdf_has_no_english_left(run_cli, tmp_path: Path, template: str) -> None:  # type: ignore[no-untyped-def]
    patient = tmp_path / "patient.yaml"
    patient.write_text(
        "name: Ζωή Éloïse\ntherapist: Ζωή Éloïse\ndate: 2026-03-05\nnotes: Ζωή Éloïse\n",
        encoding="utf-8",
    )
    out = tmp_path / "h.pdf"
    r = run_cli("build", template, "--lang", "es", "--patient", patient, "-o", out)
    assert r.code == 0, r.err
    words = [w for w in _pdf_words(out.read_bytes()) if w not in PROPER]
    english = sorted({w for w in words if w.lower() in ENGLISH})
    assert english == [], english
    assert "marzo" in words and "Paciente" in words


def test_unknown_language_is_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("build", "back-spasm-acute", "--lang", "fr", "-f", "json", "-o", "/dev/null")
    assert r.code == 2 and "no translation for 'fr'" in r.err and "en, es" in r.err


def test_pdf_language_and_title_are_set(tmp_path: Path) -> None:
    import pymupdf

    data = api.build("back-spasm-acute", options=_lang("es"), date=dt.date(2026, 3, 5))
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert doc.metadata["title"] == "Estiramientos para un espasmo de espalda repentino"
        catalog = doc.xref_object(doc.pdf_catalog())
        assert re.search(r"/Lang\s*\(es\)", catalog), catalog
        assert doc[0].get_text().strip(), "text must be real text, not a picture"


def test_large_print_is_18pt_everywhere(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pymupdf

    for template in ("back-spasm-acute", "back-spasm-prevention"):
        out = tmp_path / f"{template}.pdf"
        r = run_cli("build", template, "--large-print", "-o", out, "--date", "2026-03-05")
        assert r.code == 0, r.err
        with pymupdf.open(out) as doc:
            sizes = [
                span["size"]
                for page in doc
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", ())
                for span in line["spans"]
                if span["text"].strip()
            ]
        assert sizes and min(sizes) >= 17.95, min(sizes)


def test_greek_cyrillic_accents_print(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    patient = tmp_path / "p.yaml"
    patient.write_text(
        "name: Ζωή Παπαδοπούλου Жанна Éloïse Nguyễn\nnotes: Начните медленно.\n", encoding="utf-8"
    )
    out = tmp_path / "h.pdf"
    assert run_cli("build", "back-spasm-acute", "--patient", patient, "-o", out).code == 0
    import pymupdf

    with pymupdf.open(out) as doc:
        text = doc[0].get_text()
    assert "Ζωή Παπαδοπούλου Жанна Éloïse Nguyễn" in text and "Начните медленно." in text
