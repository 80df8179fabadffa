"""Scene to raw PDF path operators, for drawing on a reportlab canvas without
``reportlab.graphics`` (importing that costs a cold ``routinekit build`` ~100 ms).

The operators are the ones :mod:`routinekit.illustrations.render_rl` gets from
reportlab's ``renderPDF`` for the same scene (same colours, widths, caps, joins,
even-odd fills and circle curves), so both look identical; this module imports
nothing from reportlab at all.
"""

from __future__ import annotations

from routinekit.illustrations.fit import arrow_head, arrow_line, fit
from routinekit.illustrations.pdf_ops import PdfPicture
from routinekit.illustrations.pdf_ops import num as _num
from routinekit.illustrations.shapes import Pt, Scene

#: Bezier control distance for a quarter circle, as a fraction of the radius.
_KAPPA = 0.5522847498

__all__ = ["PdfPicture", "to_pdf_picture"]


def _grey(level: float, op: str) -> str:
    g = _num(level)
    return f"{g} {g} {g} {op}"


def _poly(points: list[Pt], closed: bool) -> str:
    pts = [(round(x, 1), round(y, 1)) for x, y in points]
    out = [f"n {_num(pts[0][0])} {_num(pts[0][1])} m"]
    out += [f"{_num(x)} {_num(y)} l" for x, y in pts[1:]]
    if closed:
        out.append("h")
    return " ".join(out)


def _circle(cx: float, cy: float, r: float) -> str:
    k = r * _KAPPA
    quarter = [
        ((cx + r, cy + k), (cx + k, cy + r), (cx, cy + r)),
        ((cx - k, cy + r), (cx - r, cy + k), (cx - r, cy)),
        ((cx - r, cy - k), (cx - k, cy - r), (cx, cy - r)),
        ((cx + k, cy - r), (cx + r, cy - k), (cx + r, cy)),
    ]
    out = [f"n {_num(cx + r)} {_num(cy)} m"]
    for pts in quarter:
        out.append(" ".join(f"{_num(x)} {_num(y)}" for x, y in pts) + " c")
    return "\n".join(out)


def _shape(
    path: str,
    *,
    stroke: float | None,
    fill: float | None,
    width: float,
    cap: int = 0,
    join: int = 0,
) -> str:
    """One shape in its own graphics state, painted as renderPDF paints it."""
    state = ["q"]
    if fill is not None:
        state.append(_grey(fill, "rg"))
    if stroke is not None:
        state.append(_grey(stroke, "RG"))
    state.append(f"{_num(width)} w {cap} J {join} j [] 0 d")
    if fill is not None and stroke is not None:
        paint = "B*"
    elif fill is not None:
        paint = "f*"
    elif stroke is not None:
        paint = "S"
    else:
        paint = "n"
    return "\n".join([*state, path, paint, "Q"])


def to_pdf_picture(scene: Scene, width_mm: float, height_mm: float | None = None) -> PdfPicture:
    """Draw ``scene`` ``width_mm`` wide (even strokes, black on white) as PDF operators."""
    f = fit(scene, width_mm, height_mm)
    ops: list[str] = []
    for s in scene.shapes:
        width = f.line * s.width
        pts = [f.pt(p) for p in s.points]
        if s.kind == "poly":
            ops.append(_shape(_poly(pts, True), stroke=s.stroke, fill=s.fill, width=width, join=1))
        elif s.kind == "circle":
            (cx, cy), r = pts[0], s.radius * f.scale
            ops.append(_shape(_circle(cx, cy, r), stroke=s.stroke, fill=s.fill, width=width))
        elif s.kind == "line":
            ops.append(_shape(_poly(pts, False), stroke=s.stroke, fill=None, width=width, cap=1))
        elif s.kind == "arrow":
            line = arrow_line(pts, s.heads, f.head)
            ops.append(
                _shape(_poly(line, False), stroke=s.stroke, fill=None, width=width, cap=1, join=1)
            )
            heads = [arrow_head(pts[-1], pts[-2], f.head)]
            if s.heads == 2:
                heads.append(arrow_head(pts[0], pts[1], f.head))
            for tri in heads:
                ops.append(_shape(_poly(list(tri), True), stroke=None, fill=s.stroke, width=0))
    return PdfPicture(width=f.width, height=f.height, ops="\n".join(ops))
