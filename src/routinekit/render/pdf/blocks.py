"""Blocks: the pieces a page is built from. Each measures itself once, then draws.

A block that does not fit the rest of a page may ``split`` in two there: a long
paragraph between its lines, an exercise card between its steps. The others (the
red-flag panels, the tracking log, a heading) never split; ``keep_with_next`` ties a
heading to what follows it (to the first part of a split block).
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Sequence

from routinekit.render.pdf.painter import Painter
from routinekit.render.pdf.styles import Color, Style
from routinekit.render.pdf.textflow import Line, Run, fixed, wrap


class Block(ABC):
    """Something drawn in the text column: ``measure`` first, then ``draw``."""

    keep_with_next = False
    space_before = 0.0
    #: Whether it prints a patient's own words: such a block is drawn on the page each time,
    #: never recorded to be kept (:mod:`.reuse`). Unknown (False): reuse looks at its words.
    personal = False

    @abstractmethod
    def measure(self, width: float) -> float:
        """Lay out for ``width`` and return the height (pt)."""

    @abstractmethod
    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        """Draw at ``x``, ``top`` (the block's top edge), in ``width``."""

    def split(self, room: float) -> tuple[Block, Block] | None:
        """This block as two, across a page break: the first at most ``room`` tall.

        Called after ``measure``; the caller measures both parts (at the same width)
        before drawing them. ``None`` (the default): the block stays whole.
        """
        return None


class Para(Block):
    """A paragraph of runs, optionally indented or with a hanging label (a bullet)."""

    def __init__(
        self,
        runs: Sequence[Run],
        size: float,
        leading: float,
        *,
        color: Color | None = None,
        indent: float = 0.0,
        bullet: str | None = None,
        bullet_color: Color | None = None,
        bullet_width: float = 12.0,
        space_before: float = 0.0,
        keep_with_next: bool = False,
    ) -> None:
        self.runs = runs
        self.size = size
        self.leading = leading
        self.color = color
        self.indent = indent
        self.bullet = bullet
        self.bullet_color = bullet_color
        self.bullet_width = bullet_width
        self.space_before = space_before
        self.keep_with_next = keep_with_next
        self._lines: list[Line] = []
        self._part: tuple[int, int] | None = None
        """The lines this block prints, when it is part of a split paragraph."""

    #: A split leaves at least this many lines on each side of the page break.
    MIN_LINES = 2

    def measure(self, width: float) -> float:
        start = self.indent + (self.bullet_width if self.bullet else 0.0)
        lines = wrap(self.runs, self.size, fixed(width, start))
        if self._part is not None:
            lines = lines[self._part[0] : self._part[1]]
        self._lines = lines
        return self.leading * len(self._lines)

    def split(self, room: float) -> tuple[Block, Block] | None:
        n = len(self._lines)
        keep = min(int((room + 0.01) // self.leading), n - self.MIN_LINES)
        if self.keep_with_next or keep < self.MIN_LINES:
            return None
        first, _end = self._part or (0, n)
        head, tail = copy.copy(self), copy.copy(self)
        head._part = (first, first + keep)
        tail._part = (first + keep, first + n)
        tail.space_before = 0.0
        return head, tail

    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        if self.bullet and (self._part is None or self._part[0] == 0):  # on the first line
            from routinekit.render.pdf.fonts import BOLD

            bullet_line: Line = [(self.indent, BOLD, self.bullet_color, self.bullet)]
            painter.lines([bullet_line], x, top, self.size, self.leading, self.color)
        painter.lines(self._lines, x, top, self.size, self.leading, self.color)


class Heading(Block):
    """A section heading with a thin accent rule under it."""

    keep_with_next = True

    def __init__(self, text: str, style: Style, *, space_before: float | None = None) -> None:
        self.text = text
        self.style = style
        self.space_before = style.section_gap if space_before is None else space_before
        self._lines: list[Line] = []

    def measure(self, width: float) -> float:
        s = self.style
        self._lines = wrap([Run(self.text, True, s.accent)], s.heading, fixed(width))
        return s.heading_leading * len(self._lines) + 2.0 + s.heading_gap

    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        s = self.style
        y = painter.lines(self._lines, x, top, s.heading, s.heading_leading)
        painter.rule(x, y - 0.5, x + width, s.accent, 0.9)
