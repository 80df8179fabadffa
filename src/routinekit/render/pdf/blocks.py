"""Blocks: the pieces a page is built from. Each measures itself once, then draws.

A block never splits across pages (a card, the red-flag panel, a paragraph);
``keep_with_next`` ties a heading to what follows it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from routinekit.render.pdf.painter import Painter
from routinekit.render.pdf.styles import Color, Style
from routinekit.render.pdf.textflow import Line, Run, fixed, wrap


class Block(ABC):
    """Something drawn in the text column: ``measure`` first, then ``draw``."""

    keep_with_next = False
    space_before = 0.0

    @abstractmethod
    def measure(self, width: float) -> float:
        """Lay out for ``width`` and return the height (pt)."""

    @abstractmethod
    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        """Draw at ``x``, ``top`` (the block's top edge), in ``width``."""


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

    def measure(self, width: float) -> float:
        start = self.indent + (self.bullet_width if self.bullet else 0.0)
        self._lines = wrap(self.runs, self.size, fixed(width, start))
        return self.leading * len(self._lines)

    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        if self.bullet:
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
