"""The bundled DejaVu Sans fonts, registered once per process, and cached text widths.

DejaVu covers Latin with accents, Greek, Cyrillic, Armenian and Georgian; reportlab
embeds only the glyphs a document uses (a subset), which keeps a handout small. The
files are slimmed once, offline (``tools/slim_fonts.py``: no hinting, a short ``name``
table, no blocks a handout never prints), so reportlab's own subsets are small and
parsing a face takes a few milliseconds.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path


def import_reportlab() -> None:
    """Import reportlab's TrueType module without letting it import uharfbuzz.

    reportlab imports uharfbuzz, if installed, when it is first imported (10-20 ms of a
    cold build) for a shaping path routinekit does not use: routinekit shapes the runs
    that need it itself (:mod:`.shaping`), importing uharfbuzz on the first such run.
    So a Latin handout never pays for it. Done by ``import``'s documented rule that a
    ``None`` in ``sys.modules`` makes that import fail, for the duration of this one
    import; ``tests/test_reportlab_api.py`` checks reportlab still treats it as optional.
    """
    if "reportlab.pdfbase.ttfonts" in sys.modules:
        return
    hide = "uharfbuzz" not in sys.modules
    if hide:
        sys.modules["uharfbuzz"] = None  # type: ignore[assignment]
    try:
        import reportlab.pdfbase.ttfonts  # noqa: F401
    finally:
        if hide and sys.modules.get("uharfbuzz", 0) is None:
            del sys.modules["uharfbuzz"]


REGULAR = "RK-DejaVuSans"
BOLD = "RK-DejaVuSans-Bold"
FONT_DIR = Path(__file__).resolve().parent.parent.parent / "fonts"
_DEJAVU = (REGULAR, BOLD)
#: Registered fallback fonts whose text is shaped with HarfBuzz (filled by ``fallback``).
SHAPED: set[str] = set()


@functools.cache
def ensure_fonts() -> tuple[str, str]:
    """Register the two faces with reportlab (once) and return their names."""
    import_reportlab()
    from reportlab.pdfbase import pdfmetrics

    from routinekit.render.pdf.font_objects import SubsetTTFont

    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        pdfmetrics.registerFont(SubsetTTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
    return REGULAR, BOLD


@functools.cache
def _char_widths(font: str) -> tuple[dict[int, float], float]:
    """Advance widths (per 1000 units of the em) by code point, and the default width."""
    from reportlab.pdfbase import pdfmetrics

    ensure_fonts()
    face = pdfmetrics.getFont(font).face
    return dict(face.charWidths), float(face.defaultWidth)


def text_width(text: str, font: str) -> float:
    """Width of ``text`` at 1 pt, not cached: for text that differs per patient."""
    if font in _DEJAVU and not text.isascii():
        from routinekit.render.pdf.fallback import itemize, needs_fallback

        if needs_fallback(text):  # e.g. a footer naming a patient in Arabic
            return sum(text_width(t, f) for t, f in itemize(text, font))
    if font in SHAPED:
        from routinekit.render.pdf.bidi import has_rtl
        from routinekit.render.pdf.shaping import width

        return width(text, font, has_rtl(text))
    widths, missing = _char_widths(font)
    return sum(widths.get(ord(ch), missing) for ch in text) / 1000.0


#: Words measured per process. A handout has about 1,700 distinct words and pieces over
#: all its fitting attempts; bounded, so a batch worker's memory stays flat.
WIDTH_CACHE_SIZE = 8192

#: Width of ``text`` at 1 pt (words repeat, so this is cached; see :func:`text_width`).
unit_width = functools.lru_cache(maxsize=WIDTH_CACHE_SIZE)(text_width)
