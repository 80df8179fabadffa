"""The bundled DejaVu Sans fonts, registered once per process, and cached text widths.

DejaVu covers Latin with accents, Greek and Cyrillic; reportlab embeds only the
glyphs a document uses (a subset), which keeps a handout small.
"""

from __future__ import annotations

import functools
from pathlib import Path

REGULAR = "RK-DejaVuSans"
BOLD = "RK-DejaVuSans-Bold"
FONT_DIR = Path(__file__).resolve().parent.parent.parent / "fonts"


@functools.cache
def ensure_fonts() -> tuple[str, str]:
    """Register the two faces with reportlab (once) and return their names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
    return REGULAR, BOLD


@functools.cache
def _char_widths(font: str) -> tuple[dict[int, float], float]:
    """Advance widths (per 1000 units of the em) by code point, and the default width."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font).face
    return dict(face.charWidths), float(face.defaultWidth)


@functools.lru_cache(maxsize=32768)
def unit_width(text: str, font: str) -> float:
    """Width of ``text`` at 1 pt (words repeat, so this is cached)."""
    widths, missing = _char_widths(font)
    return sum(widths.get(ord(ch), missing) for ch in text) / 1000.0
