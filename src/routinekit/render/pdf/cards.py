"""An exercise card: number, name, objective, steps, dose, cautions, alternatives, note.

The name (with the video link at the right end of its line when it fits there, else
under the text) and the objective run across the card's full width. Below them, on the
right, a float holds the picture (where there is one) and the exercise's QR code side
by side; the steps run beside the float and then under it at full width, so the
picture sits beside the steps it shows. A card that does not fit the rest of a page
splits between its steps (``Card.split``): the name, objective, first steps and the
picture stay together, the rest follows on the next page under "Name (continued)".
"""

from __future__ import annotations

import copy
import math
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

import msgspec

from routinekit.model import HandoutItem, Regimen

# POSITION_WORDS is re-exported: the message catalog (routinekit.text.messages) reads it here.
from routinekit.render.content import POSITION_WORDS as POSITION_WORDS
from routinekit.render.content import (
    alternative_label,
    card_dose_text,
    card_notes,
    item_texts,
)
from routinekit.render.pdf.blocks import Block
from routinekit.render.pdf.fonts import BOLD, REGULAR, unit_width
from routinekit.render.pdf.painter import Painter
from routinekit.render.pdf.pictures import Picture
from routinekit.render.pdf.styles import MM, Color, Style
from routinekit.render.pdf.textflow import (
    Frame,
    Line,
    Run,
    beside,
    fixed,
    joined,
    labelled,
    line_width,
    link_text,
    wrap,
)
from routinekit.render.qr import QUIET_ZONE, QrMatrix, short_url

Translate = Callable[[str], str]


class _Piece(msgspec.Struct):
    """A wrapped paragraph inside the card, at a y offset from the card's top."""

    y: float
    lines: list[Line]
    size: float
    leading: float
    color: Color | None = None
    label: str | None = None
    """A hanging label (a step number) drawn at the paragraph's left."""
    runs: tuple[Run, ...] = ()
    indent: float = 0.0
    gap: float = 0.0
    """The space above it (included in ``y``)."""
    breaks_before: bool = False
    """A split may start the card's second part here (a step after the first, the
    dose and what follows)."""

    @property
    def bottom(self) -> float:
        return self.y + self.leading * len(self.lines)


#: The second part of a split card holds at least this many lines (the link not counted):
#: a lone dose line under "(continued)" would read as a card of its own.
MIN_REST_LINES = 3


def _enough(rest: Sequence[_Piece]) -> bool:
    return sum(len(p.lines) for p in rest if p.breaks_before or p.label) >= MIN_REST_LINES


def _draw_pieces(painter: Painter, pieces: list[_Piece], tx: float, top: float) -> None:
    for p in pieces:
        if p.label:
            painter.lines(
                [[(0.0, REGULAR, None, p.label)]], tx, top - p.y, p.size, p.leading, p.color
            )
        painter.lines(p.lines, tx, top - p.y, p.size, p.leading, p.color)


def _frame_at(
    wide: float,
    float_w: float,
    float_top: float,
    float_h: float,
    y0: float,
    leading: float,
    indent: float,
) -> Frame:
    """Where a card's paragraph at ``y0`` goes: beside the float while it lasts, then wide."""
    if not float_w or y0 < float_top:
        return beside(0, indent, wide, wide)
    narrow_lines = math.ceil((float_top + float_h - y0 - 0.01) / leading)
    return beside(narrow_lines, indent, wide - float_w, wide)


class _Flow:
    """Paragraphs of a card laid out top-down beside its float (the QR code and picture)."""

    def __init__(
        self, wide: float, float_w: float, float_h: float, *, y: float = 0.0, float_top: float = 0.0
    ) -> None:
        self.wide, self.float_w, self.float_h = wide, float_w, float_h
        self.y = y
        self.float_top = float_top
        self.pieces: list[_Piece] = []

    def add(
        self,
        runs: list[Run],
        size: float,
        leading: float,
        *,
        indent: float = 0.0,
        label: str | None = None,
        color: Color | None = None,
        gap: float = 0.0,
        breaks_before: bool = False,
    ) -> None:
        self.y += gap
        frame = _frame_at(
            self.wide, self.float_w, self.float_top, self.float_h, self.y, leading, indent
        )
        lines = wrap(runs, size, frame)
        piece = _Piece(self.y, lines, size, leading, color, label, tuple(runs), indent, gap)
        piece.breaks_before = breaks_before
        self.pieces.append(piece)
        self.y += leading * len(lines)


#: A card's name, objective and steps laid out: (pieces, y below them, the float's top,
#: whether the link fits on the name line).
_Head = tuple[tuple["_Piece", ...], float, float, bool]
#: Laid-out heads kept per process, by style, width, float and the exercise's own words
#: (the text the shared wrap cache keeps too; never a patient's). A handout has about
#: 8 cards in up to 8 fits; bounded, so a worker's memory stays flat.
HEAD_CACHE_SIZE = 512
_HEADS: OrderedDict[Hashable, _Head] = OrderedDict()


class Card(Block):
    def __init__(
        self,
        item: HandoutItem,
        style: Style,
        _: Translate,
        *,
        language: str,
        regimen: Regimen,
        qr: tuple[QrMatrix, float] | None,
        picture: Picture | None,
        show_reason: bool = False,
        rule_above: bool = True,
        cautions: tuple[str, ...] | None = None,
        compact: bool = False,
        dose: str | None = None,
    ) -> None:
        """``dose``: the card's dose as printed (``card_dose_text``), when the caller made it
        already (once per render: every fitting attempt prints the same)."""
        self.item = item
        self.style = style
        self.t = _
        self.language = language
        self.regimen = regimen
        self.qr = qr
        self.picture = picture
        self.show_reason = show_reason
        self.rule_above = rule_above
        self.cautions = cautions
        self.compact = compact
        self.dose = dose
        self.space_before = style.card_gap
        self._pieces: list[_Piece] = []
        self._height = 0.0
        self._qr_top = 0.0
        self._float_top = 0.0
        self._float_h = 0.0
        self._link = ""
        self._link_x = -1.0
        self._float_bottom = 0.0
        self._upto: int | None = None
        """The pieces this card prints, when it is the first part of a split card."""
        self._heads = 0
        """How many of the pieces are the name, objective and steps (the rest: the dose,
        cautions, other ways, notes and the link, which differ more from card to card)."""

    # ---------------------------------------------------------------- layout
    def _float_box(self) -> tuple[float, float, float]:
        """Width of the right float (with its gap), its height, and the QR's quiet zone."""
        s = self.style
        width = height = qz = 0.0
        if self.qr is not None:
            matrix, size = self.qr
            qz = size / matrix.size * QUIET_ZONE
            width = size + 2 * qz + max(s.gutter - qz, 2.0)
            # the code's quiet zone may reach into the space above the float
            self._qr_top = max(0.0, qz - s.para_gap)
            height = self._qr_top + size + qz
        if self.picture is not None:
            pw = s.picture_mm * MM
            width += pw + s.gutter
            height = max(height, self._picture_height())
        return width, height, qz

    def _picture_height(self) -> float:
        assert self.picture is not None
        pw = self.style.picture_mm * MM
        return min(pw * self.picture.aspect, pw * 1.1)

    def measure(self, width: float) -> float:
        s, _ = self.style, self.t
        float_w, float_h, _qz = self._float_box()
        text_x = s.number_col
        flow = _Flow(width - text_x, float_w, float_h)  # its y and float from the head, below

        name, objective, steps, cautions, alts = item_texts(self.item, self.language)
        self._link = short_url(self.qr[0].url) if self.qr is not None else ""
        # The name, objective and steps: the exercise's own words, laid out alike on every
        # card of this exercise at this style and width (whatever its dose, cautions or
        # notes), so kept; the rest of the card is laid out below them afresh.
        said = _("Objective:")
        head_key: Hashable = (s, width, float_w, float_h, self.compact, self.qr is None, said)
        head_key = (head_key, self._link, name, objective, steps)
        head = _HEADS.get(head_key)
        if head is None:
            head = self._head(width, float_w, float_h, name, objective, steps)
            _HEADS[head_key] = head
            if len(_HEADS) > HEAD_CACHE_SIZE:
                del _HEADS[next(iter(_HEADS))]
        else:
            _HEADS.move_to_end(head_key)
        head_pieces, flow.y, flow.float_top, link_on_name = head
        flow.pieces += head_pieces
        self._heads = len(head_pieces)
        self._link_x = width - s.number_col - self._link_width() if link_on_name else -1.0
        extras: list[list[Run]] = []
        dose = self.dose
        if dose is None:
            dose = card_dose_text(self.item, self.regimen, self.language)
        if dose:
            extras.append([Run(_("How much:"), True, s.accent), Run(" " + dose, True, s.accent)])
        if self.cautions is not None:
            cautions = self.cautions  # the rest are printed above the cards
        if cautions:
            extras.append(labelled(_("Take care:"), " ".join(cautions), s.alert))
        for position, text in alts:
            extras.append(labelled(alternative_label(self.item, position, _), text))
        for label, text in card_notes(self.item, _):
            extras.append(labelled(label, text))
        if self.show_reason and self.item.reason:
            extras.append(labelled(_("Why it is here:"), self.item.reason, s.muted))
        if self.compact and extras:
            extras = [joined(extras)]
        for k, runs in enumerate(extras):
            flow.add(runs, s.body, s.leading, gap=s.para_gap if k == 0 else 0.0, breaks_before=True)
        if self.qr is not None and not link_on_name:
            link = [Run(link_text(self._link), False, s.muted)]
            flow.add(link, s.small, s.small_leading, gap=1.0)
        float_top, pieces, y = flow.float_top, flow.pieces, flow.y
        self._float_top = float_top
        self._float_h = float_h
        self._float_bottom = float_top + float_h if float_w else 0.0
        if self._upto is not None:
            pieces = pieces[: self._upto]
            y = pieces[-1].bottom
        self._pieces = pieces
        self._height = max(y, self._float_bottom) + s.card_pad
        return self._height

    def _head(
        self,
        width: float,
        float_w: float,
        float_h: float,
        name: str,
        objective: str,
        steps: tuple[str, ...],
    ) -> _Head:
        """The card's name, objective and steps laid out (see :meth:`measure`)."""
        s, _ = self.style, self.t
        text_x = s.number_col
        # the float starts below the name and objective
        flow = _Flow(width - text_x, float_w, float_h, y=s.card_pad, float_top=math.inf)
        add, pieces = flow.add, flow.pieces
        add([Run(name, True, s.accent)], s.card_name, s.card_name_leading)
        link_on_name = False
        if self.qr is not None:
            # The video link goes at the right of the name line when it fits there.
            name_lines = pieces[0].lines
            room = width - text_x
            used = line_width(name_lines[0], s.card_name) + s.gutter * 2
            link_on_name = len(name_lines) == 1 and used + self._link_width() <= room
        add(labelled(_("Objective:"), objective), s.body, s.leading, color=s.muted)
        flow.float_top = flow.y + s.para_gap
        if self.compact:
            runs: list[Run] = []
            for n, step in enumerate(steps, 1):
                runs += [Run(f"{n}.", True, s.accent), Run(f"\u00a0{step} ")]
            add(runs, s.body, s.leading, gap=s.para_gap)
        else:
            for n, step in enumerate(steps, 1):
                add(
                    [Run(step)],
                    s.body,
                    s.leading,
                    indent=s.step_indent,
                    label=f"{n}.",
                    gap=s.para_gap if n == 1 else 0.0,
                    breaks_before=n > 1,
                )
        return tuple(pieces), flow.y, flow.float_top, link_on_name

    def split(self, room: float) -> tuple[Block, Block] | None:
        """Between two steps (or before the dose, a caution, another way, a note), below
        at least the name, the objective and the first step, with the picture beside.

        The second part prints the rest at full width under the name and "(continued)".
        The link alone never makes a second part.
        """
        pieces = self._pieces
        pad = self.style.card_pad
        for m in range(len(pieces) - 1, 0, -1):
            if not pieces[m].breaks_before or not _enough(pieces[m:]):
                continue
            if max(pieces[m - 1].bottom, self._float_bottom) + pad <= room:
                head = copy.copy(self)
                head._upto = m
                return head, CardRest(self, pieces[m:])
        return None

    def _link_width(self) -> float:
        return unit_width(self._link, REGULAR) * self.style.small

    # ------------------------------------------------------------------ draw
    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        s = self.style
        if self.rule_above:
            painter.rule(x, top, x + width, s.rule, 0.6)
        # number badge
        r = min(s.card_name * 0.78, s.card_name_leading / 2 + s.card_pad)  # inside the card
        cy = top - s.card_pad - s.card_name_leading / 2
        painter.circle(x + r, cy, r, s.accent)
        painter.string(
            str(self.item.number),
            x + r,
            cy - s.card_name * 0.33,
            BOLD,
            s.card_name * 0.82,
            (1.0, 1.0, 1.0),
            align="center",
        )
        tx = x + s.number_col
        if self._link_x >= 0:
            baseline = (
                top
                - s.card_pad
                - s.card_name_leading
                + (s.card_name_leading - s.card_name) / 2
                + 2.5
            )
            painter.string(self._link, tx + self._link_x, baseline, REGULAR, s.small, s.muted)
        # The exercise's own words and pictures first, then what differs more between
        # patients (the dose above all): a stored card is two parts, and a new dose makes a
        # new second part only (the same marks either way: the float holds no text)
        heads = min(self._heads, len(self._pieces))
        _draw_pieces(painter, self._pieces[:heads], tx, top)
        self._draw_float(painter, x, top, width)
        painter.cut()
        _draw_pieces(painter, self._pieces[heads:], tx, top)

    def _draw_float(self, painter: Painter, x: float, top: float, width: float) -> None:
        s = self.style
        right = x + width
        y_top = top - self._float_top
        if self.qr is not None:
            matrix, size = self.qr
            qz = size / matrix.size * QUIET_ZONE
            box_w = size + 2 * qz
            left = right - box_w
            q_top = y_top - self._qr_top
            painter.qr(matrix, left + qz, q_top - size, size)
            right = left - max(s.gutter - qz, 2.0)
        if self.picture is not None:
            pw = s.picture_mm * MM
            ph = self._picture_height()
            px = right - pw
            y_top -= (self._float_h - ph) / 2  # a flat picture sits level with the code's middle
            if self.picture.path:
                painter.image(self.picture.path, px, y_top - ph, pw, ph)
            elif self.picture.drawing is not None:
                d = self.picture.drawing
                scale = min(pw / d.width, ph / d.height)
                # a drawing narrower than its box sits in the box's middle
                dx = (pw - d.width * scale) / 2
                painter.drawing(d, px + dx, y_top - d.height * scale, scale)


class CardRest(Block):
    """The second part of a split card: its name and "(continued)", then the rest of its
    text at full width (the picture and code stay with the first part)."""

    def __init__(self, card: Card, pieces: Sequence[_Piece]) -> None:
        self.card = card
        self.style = card.style
        self.sources = tuple(pieces)
        self.space_before = 0.0
        self._pieces: list[_Piece] = []
        self._height = 0.0

    def measure(self, width: float) -> float:
        s, _ = self.style, self.card.t
        text_w = width - s.number_col
        name = item_texts(self.card.item, self.card.language)[0]
        runs = [
            Run(f"{self.card.item.number}. {name}", True, s.accent),
            Run(" " + _("(continued)"), False, s.muted),
        ]
        y = s.card_pad
        label = wrap(runs, s.body, fixed(text_w))
        pieces = [_Piece(y, label, s.body, s.leading, s.muted)]
        y += s.leading * len(label)
        for k, src in enumerate(self.sources):
            y += s.para_gap if k == 0 else src.gap
            lines = wrap(src.runs, src.size, fixed(text_w, src.indent))
            pieces.append(
                _Piece(
                    y,
                    lines,
                    src.size,
                    src.leading,
                    src.color,
                    src.label,
                    src.runs,
                    src.indent,
                    src.gap,
                    src.breaks_before,
                )
            )
            y += src.leading * len(lines)
        self._pieces = pieces
        self._height = y + s.card_pad
        return self._height

    def split(self, room: float) -> tuple[Block, Block] | None:
        pieces = self._pieces
        for m in range(len(pieces) - 1, 1, -1):
            if not pieces[m].breaks_before or not _enough(pieces[m:]):
                continue
            if pieces[m - 1].bottom + self.style.card_pad <= room:
                return CardRest(self.card, self.sources[: m - 1]), CardRest(
                    self.card, self.sources[m - 1 :]
                )
        return None

    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        _draw_pieces(painter, self._pieces, x + self.style.number_col, top)
