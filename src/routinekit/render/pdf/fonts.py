"""The bundled DejaVu Sans fonts, registered once per process, and cached text widths.

DejaVu covers Latin with accents, Greek, Cyrillic, Armenian and Georgian; reportlab
embeds only the glyphs a document uses (a subset), which keeps a handout small. The
files are slimmed once, offline (``tools/slim_fonts.py``: no hinting, a short ``name``
table, no blocks a handout never prints), so reportlab's own subsets are small and
parsing a face takes a few milliseconds.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

REGULAR = "RK-DejaVuSans"
BOLD = "RK-DejaVuSans-Bold"
FONT_DIR = Path(__file__).resolve().parent.parent.parent / "fonts"


@functools.cache
def ensure_fonts() -> tuple[str, str]:
    """Register the two faces with reportlab (once) and return their names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
    return REGULAR, BOLD


def preload(doc: Any, chars: dict[str, set[str]]) -> None:
    """Give every character its subset code up front, in sorted order.

    reportlab numbers glyphs in the order text first uses them, so a patient's name
    near the top would reorder (and change) every subset. Sorted, a subset depends
    only on which characters the handout uses.
    """
    from reportlab.pdfbase.pdfmetrics import getFont

    for name in sorted(chars):
        text = "".join(sorted(chars[name]))
        if text:
            getFont(name).splitString(text, doc)


@functools.cache
def _char_widths(font: str) -> tuple[dict[int, float], float]:
    """Advance widths (per 1000 units of the em) by code point, and the default width."""
    from reportlab.pdfbase import pdfmetrics

    ensure_fonts()
    face = pdfmetrics.getFont(font).face
    return dict(face.charWidths), float(face.defaultWidth)


def text_width(text: str, font: str) -> float:
    """Width of ``text`` at 1 pt, not cached: for text that differs per patient."""
    widths, missing = _char_widths(font)
    return sum(widths.get(ord(ch), missing) for ch in text) / 1000.0


#: Words measured per process. A handout has about 1,700 distinct words and pieces over
#: all its fitting attempts; bounded, so a batch worker's memory stays flat.
WIDTH_CACHE_SIZE = 8192

#: Width of ``text`` at 1 pt (words repeat, so this is cached; see :func:`text_width`).
unit_width = functools.lru_cache(maxsize=WIDTH_CACHE_SIZE)(text_width)
