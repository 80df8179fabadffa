"""Scene to a reportlab ``Drawing`` (reportlab is imported only when this module is)."""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Polygon, PolyLine
from reportlab.lib.colors import Color

from routinekit.illustrations.fit import arrow_head, arrow_line, fit
from routinekit.illustrations.shapes import Pt, Scene


class CachedDrawing(Drawing):
    """A Drawing that records its PDF operators the first time it is drawn on a canvas
    (``drawOn`` or in a platypus story) and replays them after that: a cached picture
    costs a list copy per handout instead of a walk over every outline."""

    def draw(self, showBoundary: object = None) -> None:
        ops = self.__dict__.get("_rk_ops")
        if ops is None:
            ops = _record(self)
            object.__setattr__(self, "_rk_ops", ops)
        self.canv._code.extend(ops)


def _record(drawing: Drawing) -> list[str]:
    """The PDF operators that draw ``drawing`` at the current origin (no fonts or images)."""
    import io

    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    scratch = Canvas(io.BytesIO())
    start = len(scratch._code)
    renderPDF.draw(drawing, scratch, 0, 0)
    return list(scratch._code[start:])


def _grey(level: float | None) -> Color | None:
    return None if level is None else Color(level, level, level)


def _flat(points: list[Pt]) -> list[float]:
    """Coordinates rounded to 0.1 pt (invisible, and keeps the PDF stream short)."""
    return [round(v, 1) for p in points for v in p]


def to_drawing(scene: Scene, width_mm: float, height_mm: float | None = None) -> Drawing:
    """Draw ``scene`` ``width_mm`` wide (even strokes, black on white)."""
    f = fit(scene, width_mm, height_mm)
    d = CachedDrawing(f.width, f.height)
    for s in scene.shapes:
        stroke = _grey(s.stroke)
        fill = _grey(s.fill)
        width = f.line * s.width
        pts = [f.pt(p) for p in s.points]
        if s.kind == "poly":
            d.add(
                Polygon(
                    _flat(pts),
                    strokeColor=stroke,
                    fillColor=fill,
                    strokeWidth=width,
                    strokeLineJoin=1,
                )
            )
        elif s.kind == "circle":
            (cx, cy), r = pts[0], s.radius * f.scale
            d.add(Circle(cx, cy, r, strokeColor=stroke, fillColor=fill, strokeWidth=width))
        elif s.kind == "line":
            d.add(PolyLine(_flat(pts), strokeColor=stroke, strokeWidth=width, strokeLineCap=1))
        elif s.kind == "arrow":
            line = arrow_line(pts, s.heads, f.head)
            d.add(
                PolyLine(
                    _flat(line),
                    strokeColor=stroke,
                    strokeWidth=width,
                    strokeLineCap=1,
                    strokeLineJoin=1,
                )
            )
            heads = [arrow_head(pts[-1], pts[-2], f.head)]
            if s.heads == 2:
                heads.append(arrow_head(pts[0], pts[1], f.head))
            for tri in heads:
                d.add(Polygon(_flat(list(tri)), strokeColor=None, fillColor=stroke, strokeWidth=0))
    return d
