"""A small, fast text flow: runs of text (regular or bold, coloured) broken into lines.

Platypus would do this too, but a handout needs only greedy word wrap with a
per-line width (text flows beside a QR code, then under it), and doing just that
is several times faster.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import msgspec

from routinekit.render.pdf.fallback import itemize
from routinekit.render.pdf.fonts import BOLD, REGULAR, text_width, unit_width
from routinekit.render.pdf.styles import Color

#: One piece of a line: x offset, font name, colour (None: the painter's ink), text.
Segment = tuple[float, str, Color | None, str]
Line = list[Segment]
#: Where lines go: the first ``n`` lines at (offset, width) ``a``, the others at ``b``:
#: ``(n, offset_a, width_a, offset_b, width_b)``. A tuple, so wrapping can be cached.
Frame = tuple[int, float, float, float, float]


class Run(msgspec.Struct, frozen=True):
    """Text in one font and colour. Spaces inside and at the edges are kept as breaks."""

    text: str
    bold: bool = False
    color: Color | None = None

    @property
    def font(self) -> str:
        return BOLD if self.bold else REGULAR


#: A place a line may break without a space (dropped from the printed text).
BREAK = "\u200b"


#: A printed link may break after these (between the parts of its path, or of a list of
#: ids), never inside a word.
LINK_BREAKS = "/,"


def link_text(url: str) -> str:
    """A printed link that may break only just after a "/" or "," (never inside a word)."""
    for ch in LINK_BREAKS:
        url = url.replace(ch, ch + BREAK)
    return url.rstrip(BREAK)


def plain(text: str, *, bold: bool = False, color: Color | None = None) -> list[Run]:
    return [Run(text, bold, color)]


def labelled(label: str, text: str, color: Color | None = None) -> list[Run]:
    """``Label:`` in bold (optionally coloured), then the text."""
    return [Run(label, True, color), Run(" " + text)]


def joined(groups: Sequence[Sequence[Run]], sep: str = "\u2002") -> list[Run]:
    """Run-in groups of runs: one paragraph, a wider space (``sep`` + space) between them."""
    out: list[Run] = []
    for group in groups:
        if out and group:
            last = out[-1]
            out[-1] = Run(last.text + sep, last.bold, last.color)
            first = group[0]
            out += [Run(" " + first.text.lstrip(" "), first.bold, first.color), *group[1:]]
        else:
            out += group
    return out


def fixed(width: float, indent: float = 0.0) -> Frame:
    return (0, 0.0, 0.0, indent, width - indent)


def hanging(width: float, first: float, rest: float) -> Frame:
    """First line starts at ``first``, the others at ``rest``."""
    return (1, first, width - first, rest, width - rest)


def beside(narrow_lines: int, indent: float, narrow: float, wide: float) -> Frame:
    """The first ``narrow_lines`` lines ``narrow`` wide (beside a float), then ``wide``."""
    return (max(0, narrow_lines), indent, narrow - indent, indent, wide - indent)


Piece = tuple[str, str, Color | None]  # text, font, colour
#: Width of text at 1 pt in a font: cached (shared text) or not (a patient's).
Measure = Callable[[str, str], float]
#: A word: pieces with no break between them, and whether a space comes before it.
Word = tuple[list[Piece], bool]


def _words(runs: Sequence[Run]) -> list[Word]:
    """Split runs at spaces; text on both sides of a run boundary without a space is glued."""
    words: list[Word] = []
    pending = False
    glue = False
    for run in runs:
        font = run.font
        for i, chunk in enumerate(run.text.split(" ")):
            if i:
                pending = True
                glue = False
            for j, piece in enumerate(chunk.split(BREAK)):
                if j:
                    glue = False  # a break without a space
                if not piece:
                    continue
                # ASCII is all DejaVu; other text may need fallback faces (Arabic, CJK, ...)
                parts = (
                    [(piece, font, run.color)]
                    if piece.isascii()
                    else [(t, f, run.color) for t, f in itemize(piece, font)]
                )
                if glue and words and not pending:
                    words[-1][0].extend(parts)
                else:
                    words.append((parts, pending and bool(words)))
                pending = False
                glue = True
    return words


def _split_long(
    word: str, font: str, size: float, width: float, measure: Measure = unit_width
) -> list[str]:
    """Cut a word wider than a line (a long link) into pieces that fit."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and measure(current + ch, font) * size > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


#: Wrapped paragraphs kept per process. One handout has about 200 distinct ones (all
#: fitting attempts), so this holds several routines and styles while a batch worker's
#: memory stays flat.
WRAP_CACHE_SIZE = 1024


def wrap(runs: Sequence[Run], size: float, frame: Frame, *, cache: bool = True) -> list[Line]:
    """Break runs into lines; each segment is placed at its x offset within the frame.

    Results are cached (the same step text at the same width recurs in every handout
    and in every fitting attempt); callers must not change the lines they get. Pass
    ``cache=False`` for text that differs per patient (name, date, notes): it would
    only crowd out the shared text, and a patient's details must not linger in a
    worker's memory after their handout is written.
    """
    if not cache:
        memo = _SCRATCH[-1] if _SCRATCH else None
        if memo is None:
            return _wrap_lines(tuple(runs), size, frame, text_width)
        key = (tuple(runs), size, frame)
        found = memo.lines.get(key)
        if found is None:
            found = memo.lines[key] = _wrap_lines(key[0], size, frame, memo.width)
        return found
    return _wrap(tuple(runs), size, frame)


class _Scratch:
    """A patient's text measured within one render: its wraps, and its words' widths (the
    same in every fitting attempt, whose frames differ); forgotten when the render ends."""

    __slots__ = ("lines", "widths")

    def __init__(self) -> None:
        self.lines: dict[Any, list[Line]] = {}
        self.widths: dict[tuple[str, str], float] = {}

    def width(self, text: str, font: str) -> float:
        key = (text, font)
        found = self.widths.get(key)
        if found is None:
            found = self.widths[key] = text_width(text, font)
        return found


def render_width(text: str, font: str) -> float:
    """Width of ``text`` at 1 pt that may be a patient's: kept for this render only."""
    return _SCRATCH[-1].width(text, font) if _SCRATCH else text_width(text, font)


#: Uncached wraps remembered for the length of one render only (see :func:`one_render`).
_SCRATCH: list[_Scratch] = []


@contextlib.contextmanager
def one_render() -> Iterator[None]:
    """Within one render, a patient's text wrapped again (every fitting attempt measures
    the header) reuses what was measured; all of it is forgotten when the render ends."""
    scratch = _Scratch()
    _SCRATCH.append(scratch)
    try:
        yield
    finally:
        _SCRATCH.pop()
        scratch.lines.clear()
        scratch.widths.clear()


def _wrap_lines(
    runs: tuple[Run, ...], size: float, frame: Frame, measure: Measure = unit_width
) -> list[Line]:
    lines: list[Line] = []
    line: Line = []
    n_a, off_a, w_a, off_b, w_b = frame

    def at(i: int) -> tuple[float, float]:
        return (off_a, w_a) if i < n_a else (off_b, w_b)

    offset, avail = at(0)
    x = 0.0
    # The segment being extended: its font, colour, text and start x.
    seg_font, seg_color, seg_text, seg_x = "", None, "", 0.0

    def close_segment() -> None:
        nonlocal seg_text
        if seg_text:
            line.append((offset + seg_x, seg_font, seg_color, seg_text))
        seg_text = ""

    def new_line() -> None:
        nonlocal line, offset, avail, x
        close_segment()
        lines.append(line)
        line = []
        offset, avail = at(len(lines))
        x = 0.0

    queue = _words(runs)
    i = 0
    while i < len(queue):
        pieces, space = queue[i]
        w = sum(measure(t, f) for t, f, _c in pieces) * size
        gap = measure(" ", pieces[0][1]) * size if (space and x > 0) else 0.0
        if x > 0 and x + gap + w > avail:
            new_line()
            continue
        if x == 0 and w > avail and len(pieces) == 1:
            text, font, color = pieces[0]
            parts = _split_long(text, font, size, avail, measure)
            queue[i : i + 1] = [([(p, font, color)], j == 0 and space) for j, p in enumerate(parts)]
            continue
        for k, (text, font, color) in enumerate(pieces):
            g = gap if k == 0 else 0.0
            if seg_text and font == seg_font and color == seg_color:
                seg_text += (" " if g else "") + text
            else:
                close_segment()
                seg_font, seg_color, seg_x = font, color, x + g
                seg_text = text
            x += g + measure(text, font) * size
        i += 1
    close_segment()
    if line or not lines:
        lines.append(line)
    return lines


_wrap = functools.lru_cache(maxsize=WRAP_CACHE_SIZE)(_wrap_lines)


def wrap_at(
    text: str, font: str, size: float, width: float, breaks: str = LINK_BREAKS
) -> list[str]:
    """Break a link into lines of ``width`` after any of ``breaks`` (or anywhere if needed:
    check the widths when that matters)."""
    lines: list[str] = []
    current = ""
    last_break = -1
    for ch in text:
        candidate = current + ch
        if current and unit_width(candidate, font) * size > width:
            if last_break >= 0:
                lines.append(current[: last_break + 1])
                current = current[last_break + 1 :] + ch
            else:
                lines.append(current)
                current = ch
            last_break = -1
            for j, c in enumerate(current):
                if c in breaks:
                    last_break = j
        else:
            current = candidate
            if ch in breaks:
                last_break = len(current) - 1
    if current:
        lines.append(current)
    return lines


def line_width(line: Line, size: float) -> float:
    """Right edge of a wrapped line (offset of the last segment plus its width)."""
    if not line:
        return 0.0
    x, font, _color, text = line[-1]
    return x + unit_width(text, font) * size
