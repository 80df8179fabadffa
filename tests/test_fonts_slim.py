"""The bundled fonts are slimmed offline (tools/slim_fonts.py) and committed that way.

No hinting programs, no glyph names, a ``name`` table of the few records PDF tools read:
reportlab's subsets of these files are small without any run-time rewriting.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from routinekit.render.pdf.fonts import FONT_DIR

FONTS = sorted(FONT_DIR.glob("*.ttf"))
HINTING = {"cvt ", "fpgm", "prep"}


def tables(data: bytes) -> dict[str, bytes]:
    (count,) = struct.unpack_from(">H", data, 4)
    out = {}
    for i in range(count):
        tag, _sum, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * i)
        out[tag.decode("latin-1")] = data[offset : offset + length]
    return out


def test_fonts_are_bundled() -> None:
    names = {p.name for p in FONTS}
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"} <= names
    assert {"NotoSansArabic-Regular.ttf", "NotoSansHebrew-Bold.ttf"} <= names


@pytest.mark.parametrize("path", FONTS, ids=lambda p: p.name)
def test_font_is_slim_truetype(path: Path) -> None:
    t = tables(path.read_bytes())
    assert "glyf" in t and "CFF " not in t  # reportlab embeds TrueType outlines only
    assert not HINTING & t.keys()
    (post_format,) = struct.unpack_from(">L", t["post"], 0)
    assert post_format == 0x00030000  # no glyph names
    (_fmt, records, _strings) = struct.unpack_from(">HHH", t["name"], 0)
    assert records <= 7


def test_dejavu_leaves_right_to_left_letters_to_noto() -> None:
    from reportlab.pdfbase.ttfonts import TTFontFile

    face = TTFontFile(str(FONT_DIR / "DejaVuSans.ttf"))
    assert ord("Ł") in face.charToGlyph and ord("Ж") in face.charToGlyph
    assert ord("ש") not in face.charToGlyph and ord("م") not in face.charToGlyph
