"""The bundled DejaVu Sans fonts, registered once per process, and cached text widths.

DejaVu covers Latin with accents, Greek and Cyrillic; reportlab embeds only the
glyphs a document uses (a subset), which keeps a handout small.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

REGULAR = "RK-DejaVuSans"
BOLD = "RK-DejaVuSans-Bold"
FONT_DIR = Path(__file__).resolve().parent.parent.parent / "fonts"


#: Font subsets kept per process (their bytes and compressed bytes), by glyph list.
SUBSET_CACHE_SIZE = 32


@functools.cache
def ensure_fonts() -> tuple[str, str]:
    """Register the two faces with reportlab (once) and return their names."""
    from reportlab.pdfbase import pdfmetrics

    from routinekit.render.pdf.face_cache import load_font

    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        font = load_font(name, FONT_DIR / file)  # parsed once, then from the disk cache
        font.face = _cached_face(font.face)
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
    return REGULAR, BOLD


def preload(doc: Any, chars: dict[str, set[str]]) -> None:
    """Give every character its subset code up front, in sorted order.

    reportlab numbers glyphs in the order text first uses them, so a patient's name
    near the top would reorder (and change) every subset. Sorted, a subset depends
    only on which characters the handout uses, and repeats across a batch, where
    :func:`_cached_face` then reuses its bytes and its compression.
    """
    from reportlab.pdfbase.pdfmetrics import getFont

    for name in sorted(chars):
        text = "".join(sorted(chars[name]))
        if text:
            getFont(name).splitString(text, doc)


class _LruBytes:
    """A small bounded cache of bytes by key (oldest entry dropped first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: dict[Any, bytes] = {}

    def get(self, key: Any, make: Any) -> bytes:
        hit = self.data.get(key)
        if hit is None:
            if len(self.data) >= self.size:
                self.data.pop(next(iter(self.data)))
            hit = self.data[key] = make()
        return hit


def _cached_face(face: Any) -> Any:
    """The same face, with slim subsets (and their compressed streams) cached per glyph list.

    Subsets lose their hinting and most of their ``name`` table (see
    :mod:`routinekit.render.pdf.subset`): a third of the size, the same outlines.

    The face's class is swapped for a subclass that overrides two methods; reportlab
    builds the face inside ``TTFont`` so it cannot be handed a subclass directly.
    """
    import zlib

    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import TTFontFace

    from routinekit.render.pdf.subset import slim_subset

    subsets = _LruBytes(SUBSET_CACHE_SIZE)
    compressed = _LruBytes(SUBSET_CACHE_SIZE)

    class Flate(pdfdoc.PDFStreamFilterZCompress):
        def encode(self, text: Any) -> bytes:
            data = text.encode("utf8") if isinstance(text, str) else bytes(text)
            return compressed.get(data, lambda: zlib.compress(data))

    flate = Flate()

    class CachedFace(type(face)):  # type: ignore[misc]
        def makeSubset(self, subset: Any) -> bytes:
            def make() -> bytes:
                return slim_subset(super(CachedFace, self).makeSubset(subset))

            return subsets.get(tuple(subset), make)

        def addSubsetObjects(self, doc: Any, fontname: str, subset: Any) -> Any:
            ref = super().addSubsetObjects(doc, fontname, subset)
            stream = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
            if stream is not None and stream.filters:
                stream.filters = [flate]
            return ref

    assert isinstance(face, TTFontFace)
    face.__class__ = CachedFace
    return face


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
