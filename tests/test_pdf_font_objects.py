"""Font subsets made once for characters no patient's words print (render/pdf/font_objects).

The kept objects are reportlab's own, byte for byte; a letter that only a patient's name
prints goes into a subset of its own that is never kept; and a handout is the same PDF
whether its subsets came from the store or were made afresh.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pymupdf
import pytest
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from routinekit.contracts import RenderOptions
from routinekit.model import Patient
from routinekit.plugins.host import PluginHost
from routinekit.render.pdf import font_objects, render_pdf, reuse
from routinekit.render.pdf.fonts import FONT_DIR
from tests.test_pdf_reuse import fresh, handout

#: Letters no card of the routine prints (checked below), in a patient's name.
RARE = "ŴĞŦ"
NAME = f"{RARE[0]}ill {RARE[1]}ray-{RARE[2]}odd"


@pytest.fixture(autouse=True)
def _fresh_stores() -> Iterator[None]:
    reuse.set_enabled(True)
    reuse.FORMS.clear()
    font_objects.clear()
    yield
    reuse.FORMS.clear()
    font_objects.clear()


def _pdf(font_class: type, text: str) -> bytes:
    """A page of ``text`` in a font of ``font_class``, not registered (reportlab would map
    a second font of the same face to the first one)."""
    font = font_class("RK-Test-Objects", str(FONT_DIR / "DejaVuSans.ttf"))
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1, pageCompression=1)
    doc = canvas._doc
    for subset, chunk in font.splitString(text, doc):
        name = font.getSubsetInternalName(subset, doc)  # adds the font to the document
        canvas._code.append(f"BT {name} 12 Tf 72 720 Td <{chunk.hex()}> Tj ET")
    canvas.save()
    return buf.getvalue()


CYRILLIC = "".join(chr(c) for c in range(0x400, 0x4B0))  # more than one subset


@pytest.mark.parametrize("text", ["Plain ASCII", "Zoë Łukasiewicz · " + CYRILLIC])
def test_the_objects_are_reportlabs_own(text: str) -> None:
    """Guards the reportlab internals font_objects uses: any change shows up as a diff."""
    ours = _pdf(font_objects.SubsetTTFont, text)
    assert ours == _pdf(TTFont, text)
    assert b"AAAAAA+DejaVuSans" in ours and b"/ToUnicode" in ours
    assert (b"AAAAAB+DejaVuSans" in ours) == (text != "Plain ASCII")


def _kept_codes() -> set[int]:
    return {code for key in font_objects._STORE for code in key[2]}


def test_a_letter_only_a_patient_prints_is_never_kept(host: PluginHost) -> None:
    h = handout(host, Patient(name=NAME, date=dt.date(2026, 1, 5)))
    data = render_pdf(h, RenderOptions())
    assert font_objects.stored() >= 2  # the regular and bold subsets of the cards
    kept = _kept_codes()
    assert ord("a") in kept and not {ord(c) for c in RARE} & kept
    doc = pymupdf.open(stream=data, filetype="pdf")
    assert NAME in doc[0].get_text()  # printed, from a subset of its own
    fonts = {f[3] for page in doc for f in page.get_fonts()}
    assert {"AAAAAA+DejaVuSans", "AAAAAB+DejaVuSans"} <= fonts


def test_a_card_letter_in_a_name_uses_the_kept_subset(host: PluginHost) -> None:
    h = handout(host, Patient(name="Ann Lee", date=dt.date(2026, 1, 5)))
    data = render_pdf(h, RenderOptions())
    doc = pymupdf.open(stream=data, filetype="pdf")
    assert not any("AAAAAB" in f[3] for page in doc for f in page.get_fonts())
    size = font_objects.stored()
    render_pdf(handout(host, Patient(name="Lena Nolan", date=dt.date(2026, 1, 6))), RenderOptions())
    assert font_objects.stored() == size  # the second patient found them kept


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_kept_and_fresh_subsets_give_the_same_pdf(host: PluginHost, language: str) -> None:
    patients = [
        Patient(name=NAME, date=dt.date(2026, 1, 5)),
        Patient(name="Ann Lee", date=dt.date(2026, 1, 5)),
        Patient(name="Zoë Łukasiewicz", date=dt.date(2026, 1, 7)),
    ]
    hs = [handout(host, p, language=language) for p in patients]
    first = [render_pdf(h, RenderOptions()) for h in hs]
    assert font_objects.stored() > 0
    again = [render_pdf(h, RenderOptions()) for h in hs]  # from the store
    assert again == first == [fresh(h, RenderOptions()) for h in hs]


def test_the_store_is_bounded(host: PluginHost, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(font_objects, "SUBSETS_MAX", 1)
    for language in ("en", "es"):
        render_pdf(handout(host, Patient(name="Ann Lee"), language=language), RenderOptions())
    assert font_objects.stored() == 1


def test_shaped_text_is_never_kept(host: PluginHost) -> None:
    """Devanagari prints glyph codes (conjuncts), not characters: its subsets stay fresh."""
    import unicodedata

    name = "प्रिया शर्मा"
    data = render_pdf(handout(host, Patient(name=name, date=dt.date(2026, 1, 5))), RenderOptions())
    assert font_objects.stored() >= 2  # the Latin cards' subsets are kept
    assert not any("Devanagari" in str(key[0]) for key in font_objects._STORE)
    text = unicodedata.normalize("NFKC", pymupdf.open(stream=data, filetype="pdf")[0].get_text())
    assert unicodedata.normalize("NFKC", name) in text
