"""Boxed blocks: the red-flag panel (never split) and the tracking-log grid."""

from __future__ import annotations

from collections.abc import Sequence

from routinekit.render.pdf.blocks import Block
from routinekit.render.pdf.fonts import BOLD, REGULAR, unit_width
from routinekit.render.pdf.painter import Painter
from routinekit.render.pdf.styles import Style
from routinekit.render.pdf.textflow import Line, Run, fixed, wrap
from routinekit.render.words import Translate

BULLET = "\u2022"


class RedFlagPanel(Block):
    """A red box: a title, then the warning signs as bullets (two columns when short)."""

    def __init__(self, title: str, items: Sequence[str], style: Style) -> None:
        self.title = title
        self.items = tuple(items)
        self.style = style
        self.space_before = style.section_gap
        self._title: list[Line] = []
        self._columns: list[list[list[Line]]] = []
        self._col_w = 0.0
        self._height = 0.0

    def measure(self, width: float) -> float:
        s = self.style
        inner = width - 2 * s.box_pad - 4.0
        self._title = wrap([Run(self.title, True, s.alert)], s.subheading, fixed(inner))
        half = (inner - s.gutter) / 2
        bullet_w = s.body * 1.1
        wrapped = [wrap([Run(t)], s.body, fixed(half, bullet_w)) for t in self.items]
        if len(self.items) > 1 and all(len(w) <= 2 for w in wrapped):
            split = (len(wrapped) + 1) // 2
            self._columns = [wrapped[:split], wrapped[split:]]
            self._col_w = half + s.gutter
        else:
            self._columns = [[wrap([Run(t)], s.body, fixed(inner, bullet_w)) for t in self.items]]
            self._col_w = inner
        rows = max(sum(len(w) for w in col) for col in self._columns)
        self._height = len(self._title) * (s.subheading + 3) + rows * s.leading + 2 * s.box_pad + 2
        return self._height

    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        s = self.style
        h = self._height
        painter.rect(
            x + 0.6,
            top - h,
            width - 1.2,
            h,
            fill=s.alert_light,
            stroke=s.alert,
            width=1.2,
            radius=4.0,
        )
        inner_x = x + s.box_pad + 2.0
        y = painter.lines(self._title, inner_x, top - s.box_pad, s.subheading, s.subheading + 3)
        y -= 2.0
        for ci, col in enumerate(self._columns):
            cy = y
            cx = inner_x + ci * self._col_w
            for lines in col:
                painter.lines([[(0.0, BOLD, s.alert, BULLET)]], cx, cy, s.body, s.leading)
                cy = painter.lines(lines, cx, cy, s.body, s.leading)


class TrackingGrid(Block):
    """A box to tick for each session of each day, and a line for the day's pain (0-10).

    Days run down the page (sessions and pain as columns), or, when ``across`` (the
    compact layout), along it with sessions and pain as rows; a short how-to sits beside.
    """

    def __init__(
        self, days: int, sessions: int, pain: bool, style: Style, _: Translate, *, across: bool
    ) -> None:
        self.days = days
        self.sessions = sessions
        self.pain = pain
        self.style = style
        self.t = _
        self.across = across
        self.space_before = style.para_gap
        self.row_h = style.body + 4.0
        self._note: list[Line] = []
        self._grid_w = 0.0
        self._height = 0.0

    def _labels(self) -> tuple[list[str], list[str]]:
        """Column labels and row labels (the first column's header is the first label)."""
        _ = self.t
        days = [str(d) for d in range(1, self.days + 1)]
        tracks = [_("Session {n}").format(n=n) for n in range(1, self.sessions + 1)]
        if self.pain:
            tracks.append(_("Pain 0-10"))
        if self.across:
            return [_("Day"), *days], tracks
        return [_("Day"), *tracks], days

    def _widths(self) -> list[float]:
        s = self.style
        cols, _rows = self._labels()
        if self.across:
            first = max(unit_width(r, BOLD) for r in _rows) * (s.small + 0.5) + 10
            return [first] + [s.body * 3.0] * (len(cols) - 1)
        return [s.body * 3.6] + [
            max(unit_width(c, BOLD) * (s.small + 0.5) + 12, s.body * 4.5) for c in cols[1:]
        ]

    def measure(self, width: float) -> float:
        s, _ = self.style, self.t
        self._grid_w = sum(self._widths())
        note_w = width - self._grid_w - s.gutter * 1.5
        note = _("Tick a box each time you finish the routine.")
        if self.pain:
            note += " " + _(
                "At the end of each day, write down your pain from 0 (no pain) to 10 (the worst)."
            )
        self._note = wrap([Run(note, False, s.muted)], s.body, fixed(note_w)) if note_w > 90 else []
        _cols, rows = self._labels()
        self._height = max(self.row_h * (len(rows) + 1), len(self._note) * s.leading)
        return self._height

    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        s = self.style
        cols, rows = self._labels()
        widths = self._widths()
        rh = self.row_h
        label_size = s.small + 0.5
        painter.rect(x, top - rh, self._grid_w, rh, fill=s.accent_light)
        cx = x
        for label, w in zip(cols, widths, strict=True):
            painter.string(
                label, cx + w / 2, top - rh + 4.0, BOLD, label_size, s.accent, align="center"
            )
            cx += w
        box = s.body * 0.85
        for r, label in enumerate(rows, 1):
            row_top = top - rh * r
            base = row_top - rh + 4.0
            painter.rule(x, row_top - rh, x + self._grid_w, s.rule, 0.5)
            is_pain = self.pain and (label == rows[-1] if self.across else False)
            if self.across:
                painter.string(label, x + 4, base, BOLD, label_size, s.accent)
            else:
                painter.string(label, x + widths[0] / 2, base, REGULAR, s.body, align="center")
            cx = x + widths[0]
            for ci, w in enumerate(widths[1:], 1):
                pain_cell = is_pain or (self.pain and not self.across and ci == len(widths) - 1)
                if pain_cell:
                    painter.rule(cx + 6, base - 1.5, cx + w - 6, s.muted, 0.5)
                else:
                    painter.rect(
                        cx + (w - box) / 2,
                        row_top - rh + (rh - box) / 2,
                        box,
                        box,
                        stroke=s.muted,
                        width=0.7,
                    )
                cx += w
        if self._note:
            painter.lines(self._note, x + self._grid_w + s.gutter * 1.5, top, s.body, s.leading)
