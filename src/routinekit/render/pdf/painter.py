"""Drawing on a reportlab canvas: text gathered into one text object per page.

Shapes (boxes, rules, QR codes, pictures) go straight to the page; text goes into a
single text object drawn when the page ends, so it always sits above box fills and
costs one ``BT ... ET`` per page instead of one per line.
"""

from __future__ import annotations

from typing import Any

from routinekit.render.pdf import runs
from routinekit.render.pdf.fonts import SHAPED
from routinekit.render.pdf.styles import Color, Style
from routinekit.render.pdf.textflow import Line, render_width
from routinekit.render.qr import QrMatrix


def _escape_table() -> dict[int, str]:
    table = {i: f"\\{i:03o}" for i in range(256) if i < 32 or i > 126}
    table.update({ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)"})
    return table


#: Bytes of a subset-encoded string -> PDF literal string characters.
_ESCAPES = _escape_table()


def _get_font(name: str) -> Any:
    from reportlab.pdfbase.pdfmetrics import getFont

    return getFont(name)


def baseline_offset(size: float, leading: float) -> float:
    """Distance from the top of a line box to its baseline."""
    return size * 0.80 + (leading - size) * 0.5


class Painter:
    """One canvas, one style; knows the current font and colour of the page's text.

    ``rtl``: a right-to-left page. Everything is mirrored left to right (boxes, rules,
    QR codes, pictures' places, the order of words in a line); text itself is drawn in its
    own direction, so numbers and links stay left to right (see :mod:`.runs`).
    """

    def __init__(self, canvas: Any, style: Style, *, rtl: bool = False) -> None:
        self.canvas = canvas
        self.style = style
        self.rtl = rtl
        self.page_width = float(canvas._pagesize[0])
        self._doc = canvas._doc
        self._text_ops: list[str] = []
        self._fonts: dict[str, Any] = {}
        self._font: tuple[str, int, float] | None = None
        self._color: Color | None = None

    # ------------------------------------------------------------------ text
    def lines(
        self,
        lines: list[Line],
        x: float,
        top: float,
        size: float,
        leading: float,
        color: Color | None = None,
    ) -> float:
        """Draw wrapped lines from ``top`` down; return the y under the last line.

        Text operators are written directly (one ``Tm`` per segment, font subsets
        switched only when they change); reportlab's text object formats every
        number through a slow generic path, and text is most of a handout.
        """
        out = self._text_ops
        doc = self._doc
        base = top - baseline_offset(size, leading)
        ink = color or self.style.ink
        for line in lines:
            if self.rtl or runs.needs_layout(line):
                self._laid_out(line, x, base, size, ink)
                base -= leading
                continue
            for dx, font_name, seg_color, text in line:
                c = seg_color or ink
                if self._color != c:
                    out.append(f"{c[0]:.3f} {c[1]:.3f} {c[2]:.3f} rg")
                    self._color = c
                font = self._fonts.get(font_name)
                if font is None:
                    font = self._fonts[font_name] = _get_font(font_name)
                out.append(f"1 0 0 1 {x + dx:.2f} {base:.2f} Tm")
                for subset, chunk in font.splitString(text, doc):
                    key = (font_name, subset, size)
                    if self._font != key:
                        out.append(f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf")
                        self._font = key
                    out.append(f"({chunk.decode('latin-1').translate(_ESCAPES)}) Tj")
            base -= leading
        return top - leading * len(lines)

    def _font_obj(self, font_name: str) -> Any:
        font = self._fonts.get(font_name)
        if font is None:
            font = self._fonts[font_name] = _get_font(font_name)
        return font

    def _set_color(self, c: Color) -> None:
        if self._color != c:
            self._text_ops.append(f"{c[0]:.3f} {c[1]:.3f} {c[2]:.3f} rg")
            self._color = c

    def _plain(
        self, x: float, base: float, font_name: str, color: Color, text: str, size: float
    ) -> None:
        out = self._text_ops
        doc = self._doc
        self._set_color(color)
        font = self._font_obj(font_name)
        out.append(f"1 0 0 1 {x:.2f} {base:.2f} Tm")
        for subset, chunk in font.splitString(text, doc):
            key = (font_name, subset, size)
            if self._font != key:
                out.append(f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf")
                self._font = key
            out.append(f"({chunk.decode('latin-1').translate(_ESCAPES)}) Tj")

    def _laid_out(
        self, line: list[runs.Segment], x: float, base: float, size: float, ink: Color
    ) -> None:
        """A line with bidi, shaping or a mirrored page (see :mod:`.runs`)."""
        from routinekit.render.pdf.shaping import clusters, shape

        for atom in runs.layout(runs.expand(line, size), x, size, self.rtl, self.page_width):
            color = atom.color or ink
            if atom.font not in SHAPED and not atom.rtl:
                self._plain(atom.x, base, atom.font, color, atom.text, size)
                continue
            self._set_color(color)
            glyphs = shape(atom.text, atom.font, atom.rtl)
            places = []
            pen = atom.x
            for g in glyphs:
                places.append((pen + g.dx * size / 1000, base + g.dy * size / 1000))
                pen += g.advance * size / 1000
            for chars, idx in clusters(atom.text, glyphs):
                # right to left in the file too: readers take it as logical order
                placed = [(glyphs[i].code, *places[i]) for i in sorted(idx, reverse=atom.rtl)]
                codes = "".join(code for code, _x, _y in placed)
                self._glyphs(atom.font, placed, size, runs.actual_text(chars, codes))

    def _glyphs(
        self,
        font_name: str,
        placed: list[tuple[str, float, float]],
        size: float,
        actual: str | None,
    ) -> None:
        """Glyphs at their own places, marked with the characters they stand for if needed."""
        out = self._text_ops
        doc = self._doc
        font = self._font_obj(font_name)
        if actual:
            out.append(f"/Span <</ActualText {actual}>> BDC")
        codes = "".join(code for code, _x, _y in placed)
        i = 0
        for subset, chunk in font.splitString(codes, doc):
            key = (font_name, subset, size)
            if self._font != key:
                out.append(f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf")
                self._font = key
            for byte in chunk:
                _code, gx, gy = placed[i]
                i += 1
                out.append(f"1 0 0 1 {gx:.2f} {gy:.2f} Tm ({chr(byte).translate(_ESCAPES)}) Tj")
        if actual:
            out.append("EMC")

    def string(
        self,
        text: str,
        x: float,
        baseline: float,
        font: str,
        size: float,
        color: Color | None = None,
        align: str = "left",
    ) -> None:
        """One string at a baseline, aligned left, centre or right of ``x``."""
        if align != "left":
            w = render_width(text, font) * size  # footers name a patient: not cached
            x -= w if align == "right" else w / 2
        self.lines(
            [[(0.0, font, color, text)]], x, baseline + baseline_offset(size, size), size, size
        )

    def flush_text(self) -> None:
        """Write the text gathered so far as one text object (it then sits above the fills)."""
        if self._text_ops:
            self.canvas.addLiteral("BT " + "\n".join(self._text_ops) + " ET")
            self._text_ops = []
            self._font = None
            self._color = None

    def end_page(self) -> None:
        self.flush_text()
        self.canvas.showPage()

    def cut(self) -> None:
        """Where a block's drawing may be stored in two parts (what came before it is the
        same for many patients, what follows differs; see :mod:`.reuse`). Draws nothing."""
        return None

    # ---------------------------------------------------------------- shapes
    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: Color | None = None,
        stroke: Color | None = None,
        width: float = 0.8,
        radius: float = 0.0,
    ) -> None:
        c = self.canvas
        if self.rtl:
            x = self.page_width - x - w
        if fill is not None:
            c.setFillColorRGB(*fill)
        if stroke is not None:
            c.setStrokeColorRGB(*stroke)
            c.setLineWidth(width)
        if radius:
            c.roundRect(
                x, y, w, h, radius, stroke=int(stroke is not None), fill=int(fill is not None)
            )
        else:
            c.rect(x, y, w, h, stroke=int(stroke is not None), fill=int(fill is not None))

    def rule(self, x1: float, y: float, x2: float, color: Color, width: float = 0.6) -> None:
        c = self.canvas
        if self.rtl:
            x1, x2 = self.page_width - x1, self.page_width - x2
        c.setStrokeColorRGB(*color)
        c.setLineWidth(width)
        c.line(x1, y, x2, y)

    def circle(self, x: float, y: float, r: float, fill: Color) -> None:
        c = self.canvas
        if self.rtl:
            x = self.page_width - x
        c.setFillColorRGB(*fill)
        c.circle(x, y, r, stroke=0, fill=1)

    def qr(self, matrix: QrMatrix, x: float, y: float, size: float) -> None:
        """The symbol (without quiet zone) with its lower-left corner at (x, y).

        One path of run-length rectangles in module units, placed with one ``cm``;
        the operators are built once per URL (see :mod:`routinekit.render.qr`).
        """
        m = size / matrix.size
        if self.rtl:
            x = self.page_width - x - size
        self.canvas.addLiteral(f"q 0 g {m:.5f} 0 0 {m:.5f} {x:.3f} {y:.3f} cm {matrix.pdf_ops} Q")

    def image(self, path: str, x: float, y: float, w: float, h: float) -> None:
        from routinekit.render.images import decoded

        if self.rtl:
            x = self.page_width - x - w
        reader = decoded(path).reader  # decoded and scaled once per process, not per handout
        self.canvas.drawImage(reader, x, y, w, h, preserveAspectRatio=True, anchor="c", mask="auto")

    def drawing(self, drawing: Any, x: float, y: float, scale: float = 1.0) -> None:
        """A reportlab Drawing (an illustration) with its lower-left corner at (x, y).

        Drawn through ``drawOn`` so a drawing that caches its own operators (the
        illustrations do) replays them instead of walking its shapes again.
        """
        c = self.canvas
        if self.rtl:  # the picture's place is mirrored, not the picture
            x = self.page_width - x - float(drawing.width) * scale
        c.saveState()
        c.translate(x, y)
        c.scale(scale, scale)
        drawing.drawOn(c, 0, 0)
        c.restoreState()


class GlyphRecorder(Painter):
    """A painter that draws nothing and notes which characters each font will print.

    Run over the laid-out pages before drawing, it lets the document register every
    glyph in sorted order, so a font subset depends only on the set of characters,
    not on the order they appear in (see :func:`routinekit.render.pdf.reuse.paint`).
    """

    def __init__(self, style: Style) -> None:
        self.style = style
        self.chars: dict[str, set[str]] = {}

    def lines(
        self,
        lines: list[Line],
        x: float,
        top: float,
        size: float,
        leading: float,
        color: Color | None = None,
    ) -> float:
        for line in lines:
            if runs.needs_layout(line):
                line = runs.expand(line, size)
            for _dx, font, _c, text in line:
                if font in SHAPED:
                    from routinekit.render.pdf.bidi import has_rtl
                    from routinekit.render.pdf.shaping import shape

                    codes = (g.code for g in shape(text, font, has_rtl(text)))
                    self.chars.setdefault(font, set()).update(codes)
                else:
                    self.chars.setdefault(font, set()).update(text)
        return top - leading * len(lines)

    def end_page(self) -> None:
        return None

    def flush_text(self) -> None:
        return None

    def rect(self, *args: Any, **kwargs: Any) -> None:
        return None

    def rule(self, *args: Any, **kwargs: Any) -> None:
        return None

    def circle(self, *args: Any, **kwargs: Any) -> None:
        return None

    def qr(self, *args: Any, **kwargs: Any) -> None:
        return None

    def image(self, *args: Any, **kwargs: Any) -> None:
        return None

    def drawing(self, *args: Any, **kwargs: Any) -> None:
        return None
