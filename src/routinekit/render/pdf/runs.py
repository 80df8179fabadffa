"""Lines that need more than left-to-right drawing: bidi order, shaping, mirrored pages.

A wrapped line is a list of segments in logical order (:mod:`routinekit.render.pdf.textflow`).
Latin lines on a left-to-right page never come here. Others are cut into *atoms*
(characters of one segment at one bidi level), placed left to right in visual order
(:mod:`routinekit.render.pdf.bidi`), and each atom is drawn in its own direction.

Text extraction gets the logical string back: atoms are written in logical order, the
glyphs of a right-to-left atom from right to left, and every shaped or right-to-left atom
is wrapped in ``/Span << /ActualText (...) >> BDC ... EMC`` with its characters (a shaped
glyph may stand for several characters, or for a form that has no character).
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from routinekit.render.pdf import bidi
from routinekit.render.pdf.fallback import itemize, needs_fallback
from routinekit.render.pdf.fonts import BOLD, REGULAR, SHAPED, text_width
from routinekit.render.pdf.styles import Color

#: One piece of a line: x offset, font name, colour (None: the painter's ink), text.
Segment = tuple[float, str, Color | None, str]


_DEJAVU = (REGULAR, BOLD)


class Atom(NamedTuple):
    """Characters of one segment at one bidi level, with their place on the page."""

    x: float
    font: str
    color: Color | None
    text: str
    rtl: bool
    width: float


def needs_layout(line: list[Segment]) -> bool:
    """Does a line on a left-to-right page need fallback faces, bidi or shaping?

    Only text in a fallback face can, or text DejaVu lacks that was given to it directly
    (a label, a footer): DejaVu has no right-to-left letters, and its text is drawn
    unshaped. ASCII and Latin-1 text is checked in C, so Latin lines stay as fast.
    """
    return any(font not in _DEJAVU or needs_fallback(t) for _dx, font, _c, t in line)


def expand(line: list[Segment], size: float) -> list[Segment]:
    """``line`` with every DejaVu segment that needs other faces cut into their pieces."""
    out: list[Segment] = []
    for dx, font, color, text in line:
        if font not in _DEJAVU or not needs_fallback(text):
            out.append((dx, font, color, text))
            continue
        x = dx
        for piece, face in itemize(text, font):
            out.append((x, face, color, piece))
            x += text_width(piece, face) * size
    return out


def atom_width(text: str, font: str, size: float, rtl: bool) -> float:
    if font in SHAPED or rtl:
        from routinekit.render.pdf.shaping import width

        return width(text, font, rtl) * size
    return text_width(text, font) * size


def layout(
    line: list[Segment], x: float, size: float, rtl_page: bool, page_width: float
) -> list[Atom]:
    """The atoms of ``line`` in logical order, each with its x on the page.

    On a right-to-left page the line box is mirrored: it ends where the left-to-right
    line would have started, measured from the right edge of the page, and the line is
    ordered right to left if it holds any right-to-left letter.
    """
    if not line:
        return []
    chars: list[str] = []
    owner: list[int] = []
    for i, (dx, _font, _color, text) in enumerate(line):
        if i:
            prev_dx, prev_font, _c, prev_text = line[i - 1]
            end = prev_dx + text_width(prev_text, prev_font) * size
            if dx - end > 0.05 * size:  # a space between two segments
                chars.append(" ")
                owner.append(i)
        chars.extend(text)
        owner.extend([i] * len(text))
    text = "".join(chars)
    # A line with no right-to-left letter (a link, an English sentence) reads left to
    # right even on a right-to-left page; it is still aligned right.
    levels = bidi.levels(text, 1 if rtl_page and bidi.has_rtl(text) else 0)
    pieces: list[tuple[int, int, str]] = []  # segment, level, text
    for ch, seg, level in zip(chars, owner, levels, strict=True):
        if pieces and pieces[-1][0] == seg and pieces[-1][1] == level:
            pieces[-1] = (seg, level, pieces[-1][2] + ch)
        else:
            pieces.append((seg, level, ch))
    widths = [atom_width(text, line[seg][1], size, level % 2 == 1) for seg, level, text in pieces]
    total = sum(widths)
    start = x + line[0][0]
    left = page_width - start - total if rtl_page else start
    xs = [0.0] * len(pieces)
    for i in bidi.visual_order([lv for _s, lv, _t in pieces]):
        xs[i] = left
        left += widths[i]
    return [
        Atom(xs[i], line[seg][1], line[seg][2], text, level % 2 == 1, widths[i])
        for i, (seg, level, text) in enumerate(pieces)
    ]


def actual_text(text: str, codes: str) -> str | None:
    """The ``/ActualText`` of glyphs ``codes`` standing for ``text``, if they need one.

    Glyphs whose own characters say the same (Arabic presentation forms are compatibility
    forms of the letters: NFKC gives the letters back) need none, and readers place
    them better without one. Glyphs with private-use codes (a Devanagari conjunct, a
    ligature with no character) get the real text as a UTF-16BE hex string.
    """
    if unicodedata.normalize("NFKC", codes) == unicodedata.normalize("NFKC", text):
        return None
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"
