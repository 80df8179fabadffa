"""A handout in a right-to-left language is laid out right to left, in the PDF and the HTML."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pymupdf
import pytest

from routinekit.render.pdf import bidi
from routinekit.text.scripts import is_rtl_language

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_rtl_languages() -> None:
    assert is_rtl_language("ar") and is_rtl_language("he-IL") and is_rtl_language("fa_IR")
    assert not is_rtl_language("en") and not is_rtl_language("es") and not is_rtl_language(None)


def test_bidi_keeps_numbers_left_to_right_inside_arabic() -> None:
    text = "اثبت 30 ثانية"
    levels = bidi.levels(text, 1)
    digits = [levels[i] for i, ch in enumerate(text) if ch.isdigit()]
    assert digits == [2, 2] and levels[0] == 1
    # runs "اثبت ", "30", " ثانية": visual order right to left, the number kept whole
    assert bidi.visual_order([1, 2, 1]) == [2, 1, 0]
    # a Hebrew name inside an English sentence
    assert bidi.levels("Dr. דוד", 0) == [0, 0, 0, 0, 1, 1, 1]


@pytest.mark.parametrize("template", ["back-spasm-acute", "back-spasm-prevention"])
def test_arabic_pdf_is_mirrored(run_cli, tmp_path: Path, template: str) -> None:  # type: ignore[no-untyped-def]
    patient = tmp_path / "p.yaml"
    patient.write_text("name: محمد الأحمد\ndate: 2026-03-05\n", encoding="utf-8")
    out = tmp_path / "h.pdf"
    args = ["build", template, "--lang", "ar", "--patient", patient, "-o", out]
    r = run_cli(*args, "--clinic", EXAMPLES / "clinic.yaml")
    assert r.code == 0, r.err
    with pymupdf.open(out) as doc:
        page = doc[0]
        width = page.rect.width
        text = unicodedata.normalize("NFKC", page.get_text())
        blocks = page.get_text("dict")["blocks"]
        title = next(
            b
            for b in blocks
            if b["type"] == 0
            and any(
                "تمارين إطالة" in unicodedata.normalize("NFKC", s["text"])
                for line in b["lines"]
                for s in line["spans"]
            )
        )
        drawings = page.get_drawings()
    assert "محمد الأحمد" in text and "المريض" in text
    # the title ends at the right margin (36 pt), nowhere near the left
    assert width - title["bbox"][2] < 40 and title["bbox"][0] > 100
    if template == "back-spasm-acute":  # the routine's QR code (a clinic video link) is top left
        qr = [d["rect"] for d in drawings if d["rect"].height > 50 and d["rect"].y0 < 150]
        assert qr and all(r.x1 < width / 2 for r in qr)


def test_arabic_html_is_right_to_left(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "h.html"
    assert run_cli("build", "back-spasm-acute", "--lang", "ar", "-f", "html", "-o", out).code == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert "direction:ltr" in html  # links stay left to right
    en = tmp_path / "en.html"
    assert run_cli("build", "back-spasm-acute", "-f", "html", "-o", en).code == 0
    assert '<html lang="en" dir="ltr">' in en.read_text(encoding="utf-8")
