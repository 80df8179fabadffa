"""Embedded font subsets lose their hinting and long name table, nothing else.

Both template handouts (Letter, the example clinic and patient) must stay within
60 KB with the fonts embedded; slim subsets must draw and extract exactly like
reportlab's own, accents (composite glyphs), Greek and Cyrillic included.
"""

from __future__ import annotations

import io
import itertools
import struct
from typing import Any

import pymupdf
import pytest

from routinekit import api
from routinekit.plugins.host import PluginHost
from routinekit.render.pdf.fonts import FONT_DIR
from routinekit.render.pdf.subset import HINTING_TABLES, read_tables, slim_subset
from tests.conftest import EXAMPLES

TEXT = "Zoë Łukasiewicz, José Schröder, Ñandú Ünal ½ — Παπαδοπούλου, Иван Петров (5-10 s)"

_FONT_IDS = itertools.count()


def _subset(file: str, text: str, slim: bool) -> tuple[bytes, bytes]:
    """reportlab's subset of ``text`` (codes in use order) and a PDF drawing it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    name = f"subset-test-{next(_FONT_IDS)}"
    font = TTFont(name, str(FONT_DIR / file))
    made: list[bytes] = []
    base = type(font.face)

    class Face(base):  # type: ignore[misc,valid-type]
        def makeSubset(self, subset: Any) -> bytes:
            data: bytes = base.makeSubset(self, subset)
            data = slim_subset(data) if slim else data
            made.append(data)
            return data

    font.face.__class__ = Face
    # reportlab shares one font object per face name: a unique one keeps this test's
    # faces apart from the renderer's (and from each other)
    font.face.name = font.face.name + f"-{name}".encode()
    pdfmetrics.registerFont(font)
    assert pdfmetrics.getFont(name) is font
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    for size, y in ((11, 700), (14, 650), (30, 550)):
        canvas.setFont(name, size)
        canvas.drawString(40, y, text)
    canvas.save()
    return made[0], buf.getvalue()


def _glyphs(font: bytes) -> list[bytes]:
    tables = read_tables(font)
    (long_offsets,) = struct.unpack_from(">h", tables["head"], 50)
    fmt, step, scale = (">%dL", 4, 1) if long_offsets else (">%dH", 2, 2)
    loca = struct.unpack(fmt % (len(tables["loca"]) // step), tables["loca"])
    glyf = tables["glyf"]
    return [glyf[a * scale : b * scale] for a, b in itertools.pairwise(loca)]


@pytest.mark.parametrize("file", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
def test_slim_subset_draws_and_extracts_the_same(file: str) -> None:
    raw, raw_pdf = _subset(file, TEXT, slim=False)
    slim, slim_pdf = _subset(file, TEXT, slim=True)
    assert len(slim) < 0.45 * len(raw)
    tables = read_tables(slim)
    assert not HINTING_TABLES & tables.keys()
    assert len(tables["name"]) < 1024
    assert b"D\0e\0j\0a\0V\0u" in tables["name"]  # family and PostScript names kept
    assert tables["cmap"] == read_tables(raw)["cmap"]
    assert tables["hmtx"] == read_tables(raw)["hmtx"]
    glyphs = _glyphs(slim)
    assert len(glyphs) == len(_glyphs(raw))
    composites = [g for g in glyphs if len(g) >= 10 and struct.unpack_from(">h", g)[0] < 0]
    assert composites, "the text should use accented (composite) glyphs"
    for glyph in glyphs:
        (contours,) = struct.unpack_from(">h", glyph) if glyph else (0,)
        if contours > 0:
            assert struct.unpack_from(">H", glyph, 10 + 2 * contours)[0] == 0
    before, after = pymupdf.open(stream=raw_pdf), pymupdf.open(stream=slim_pdf)
    assert after[0].get_text() == before[0].get_text()
    assert TEXT in after[0].get_text()
    for dpi in (72, 150):
        a = before[0].get_pixmap(dpi=dpi).samples
        b = after[0].get_pixmap(dpi=dpi).samples
        assert a == b


def test_slim_subset_is_idempotent() -> None:
    raw, _pdf = _subset("DejaVuSans.ttf", TEXT, slim=False)
    once = slim_subset(raw)
    assert slim_subset(once) == once


@pytest.mark.parametrize("template", ["back-spasm-acute", "back-spasm-prevention"])
def test_template_handout_is_at_most_60_kb(template: str) -> None:
    pdf = api.build(
        template,
        clinic=EXAMPLES / "clinic.yaml",
        patient=EXAMPLES / "patient.yaml",
        host=PluginHost(entry_points=False),
    )
    doc = pymupdf.open(stream=pdf)
    fonts = {font[3] for page in doc for font in page.get_fonts()}
    assert len(doc) == 2
    assert {f.split("+")[-1] for f in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert len(pdf) <= 60 * 1024, f"{template}: {len(pdf) / 1024:.1f} KB"
    assert "Zoë Łukasiewicz" in doc[0].get_text()
