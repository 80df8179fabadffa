"""Fit a scene into a box of points: scale, offset and the even stroke width."""

from __future__ import annotations

import math
from dataclasses import dataclass

from routinekit.illustrations.shapes import Pt, Scene

MM = 72.0 / 25.4
MARGIN_PT = 1.5
#: standard body line (points) at the reference width of 40 mm
LINE_PT_AT_40MM = 0.7
HEAD_PT_AT_40MM = 3.4


@dataclass(frozen=True)
class Fit:
    """How scene centimetres map to output points (y up)."""

    width: float
    height: float
    scale: float
    dx: float
    dy: float
    line: float
    head: float

    def pt(self, p: Pt) -> Pt:
        return (p[0] * self.scale + self.dx, p[1] * self.scale + self.dy)


def fit(scene: Scene, width_mm: float, height_mm: float | None = None) -> Fit:
    """Scale ``scene`` to ``width_mm`` wide; tall pictures are capped at ``height_mm``
    (default 0.75 of the width) and centred."""
    x0, y0, x1, y1 = scene.bounds()
    width = width_mm * MM
    max_height = (height_mm if height_mm is not None else width_mm * 0.75) * MM
    bw, bh = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
    inner_w = width - 2 * MARGIN_PT
    scale = inner_w / bw
    height = bh * scale + 2 * MARGIN_PT
    if height > max_height:
        height = max_height
        scale = (max_height - 2 * MARGIN_PT) / bh
    k = width_mm / 40.0
    dx = (width - bw * scale) / 2 - x0 * scale
    dy = (height - bh * scale) / 2 - y0 * scale
    return Fit(width, height, scale, dx, dy, LINE_PT_AT_40MM * k, HEAD_PT_AT_40MM * k)


def arrow_head(tip: Pt, tail: Pt, size: float) -> tuple[Pt, Pt, Pt]:
    """A filled triangular head at ``tip`` pointing away from ``tail`` (output points)."""
    ang = math.atan2(tip[1] - tail[1], tip[0] - tail[0])
    left = (tip[0] - size * math.cos(ang - 0.42), tip[1] - size * math.sin(ang - 0.42))
    right = (tip[0] - size * math.cos(ang + 0.42), tip[1] - size * math.sin(ang + 0.42))
    return (tip, left, right)


def arrow_line(points: list[Pt], heads: int, size: float) -> list[Pt]:
    """The arrow's line, shortened under its head(s) so the tip stays sharp."""
    pts = list(points)

    def pull(a: Pt, b: Pt) -> Pt:
        d = math.hypot(a[0] - b[0], a[1] - b[1]) or 1.0
        k = min(size * 0.7 / d, 0.9)
        return (a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k)

    pts[-1] = pull(pts[-1], pts[-2])
    if heads == 2:
        pts[0] = pull(pts[0], pts[1])
    return pts
