"""The footer on every page: clinic contact, "Prepared for ...", "Page X of Y".

It takes one line when everything fits (dropping the clinic's later contact details
first), else two or more: the contact beside the page number, then "Prepared for ..."
wrapped to the text width (large print needs that). The text column ends above it.
"""

from __future__ import annotations

from routinekit.model import Handout
from routinekit.render.pdf.fonts import REGULAR, text_width, unit_width
from routinekit.render.pdf.painter import Painter
from routinekit.render.pdf.styles import Style
from routinekit.render.pdf.textflow import render_width
from routinekit.render.words import Translate, contact_parts, prepared_for

SEP = "  ·  "
GAP = 18.0


class Footer:
    def __init__(self, h: Handout, style: Style, _: Translate, width: float) -> None:
        self.style = style
        self.t = _
        self.width = width
        parts = ([h.clinic.name] if h.clinic else []) + contact_parts(h)[:2]
        self.prepared = prepared_for(h, _) or ""
        size = style.small
        page_w = unit_width(self.page_text(88, 88), REGULAR) * size
        # "Prepared for NAME ..." names the patient: never in the shared width cache
        prep_w = render_width(self.prepared, REGULAR) * size
        self.one_line = False
        self.left = ""
        self.prepared_lines: list[str] = []
        widths = [unit_width(SEP.join(parts[:n]), REGULAR) * size for n in range(len(parts) + 1)]
        # one line if the clinic's name (and then its phone, website) fits beside the rest
        for n in range(len(parts), 0 if parts else -1, -1):
            if self._fits(widths[n], prep_w, page_w):
                self.left, self.one_line = SEP.join(parts[:n]), True
                break
        if not self.one_line:
            # two lines: the contact beside the page number, "Prepared for ..." under it
            n = len(parts)
            while n and widths[n] + GAP + page_w > width:
                n -= 1
            self.left = SEP.join(parts[:n])
            if self.prepared:
                self.prepared_lines = _word_wrap(self.prepared, size, width)

    def _fits(self, left_w: float, prep_w: float, page_w: float) -> bool:
        if not self.prepared:
            return left_w + GAP + page_w <= self.width
        centre = self.width / 2
        return (
            left_w + GAP <= centre - prep_w / 2 and centre + prep_w / 2 + GAP <= self.width - page_w
        )

    def page_text(self, number: int, total: int) -> str:
        _ = self.t  # the name the message extractor looks for
        return _("Page {number} of {total}").format(number=number, total=total)

    @property
    def lines(self) -> int:
        return 1 if self.one_line or not self.prepared else 1 + len(self.prepared_lines)

    def content_bottom(self) -> float:
        """The lowest y the text column may use on a page with this footer."""
        s = self.style
        return s.footer_y + self.lines * s.small_leading + 8.0

    def draw(self, painter: Painter, number: int, total: int) -> None:
        s = self.style
        x = s.margin_x
        size = s.small
        y = s.footer_y + (self.lines - 1) * s.small_leading
        painter.rule(x, y + s.small_leading, x + self.width, s.rule, 0.5)
        painter.string(
            self.page_text(number, total), x + self.width, y, REGULAR, size, s.muted, align="right"
        )
        if self.left:
            painter.string(self.left, x, y, REGULAR, size, s.muted)
        if self.prepared:
            if self.one_line:
                painter.string(
                    self.prepared, x + self.width / 2, y, REGULAR, size, s.muted, align="center"
                )
            else:
                for k, line in enumerate(self.prepared_lines, 1):
                    painter.string(line, x, y - k * s.small_leading, REGULAR, size, s.muted)


def _word_wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy word wrap of one line of plain text (a word longer than the width stands alone).

    Measured uncached: the text is the patient's "Prepared for ..." line.
    """
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(trial, REGULAR) * size <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines
