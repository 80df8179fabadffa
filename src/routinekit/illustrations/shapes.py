"""Drawing primitives in body units (cm, y up) and the geometry that makes them.

A :class:`Scene` is what both renderers (reportlab, SVG) receive: outlines,
lines, circles and arrows with a grey level each. Stroke widths are given in
output points at the reference width, so limbs keep an even line at any size.
"""

from __future__ import annotations

import math

import msgspec

Pt = tuple[float, float]

INK = 0.0
GHOST = 0.68
FAR_FILL = 0.93
WHITE = 1.0


class Shape(msgspec.Struct, frozen=True):
    """One primitive: ``poly`` (closed outline), ``line``, ``circle`` or ``arrow``."""

    kind: str
    points: tuple[Pt, ...] = ()
    radius: float = 0.0
    stroke: float | None = INK
    """Grey level of the outline (0 black, 1 white), None for no outline."""
    fill: float | None = WHITE
    """Grey level of the fill, None for no fill."""
    width: float = 1.0
    """Stroke width relative to the standard body line."""
    heads: int = 1
    """For arrows: 1 head at the end, 2 heads at both ends."""


class Scene(msgspec.Struct):
    """Everything one exercise's picture contains, in drawing order."""

    shapes: list[Shape] = msgspec.field(default_factory=list)
    label: str = ""
    regions: dict[str, tuple[float, float, float, float]] = msgspec.field(default_factory=dict)
    """Boxes (x0, y0, x1, y1) of the picture's parts: ``main`` (the main figure, its
    props and floor) and, where drawn, ``start`` (the start position's own frame)."""

    def bounds(self) -> tuple[float, float, float, float]:
        xs: list[float] = []
        ys: list[float] = []
        for s in self.shapes:
            for x, y in s.points:
                xs += [x - s.radius, x + s.radius]
                ys += [y - s.radius, y + s.radius]
        if not xs:
            return (0.0, 0.0, 1.0, 1.0)
        return (min(xs), min(ys), max(xs), max(ys))


def vec(deg: float, length: float = 1.0) -> Pt:
    rad = math.radians(deg)
    return (math.cos(rad) * length, math.sin(rad) * length)


def add(a: Pt, b: Pt) -> Pt:
    return (a[0] + b[0], a[1] + b[1])


def sub(a: Pt, b: Pt) -> Pt:
    return (a[0] - b[0], a[1] - b[1])


def scale(a: Pt, k: float) -> Pt:
    return (a[0] * k, a[1] * k)


def along(p: Pt, deg: float, length: float) -> Pt:
    return add(p, vec(deg, length))


def angle_of(a: Pt, b: Pt) -> float:
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def dist(a: Pt, b: Pt) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def arc(center: Pt, r: float, start: float, end: float, steps: int = 10) -> list[Pt]:
    return [along(center, start + (end - start) * i / steps, r) for i in range(steps + 1)]


def capsule(a: Pt, ra: float, b: Pt, rb: float, steps: int = 6) -> tuple[Pt, ...]:
    """Outline of a tapered capsule: round ends of radius ``ra`` at ``a`` and ``rb`` at ``b``."""
    d = max(dist(a, b), 1e-6)
    heading = angle_of(a, b)
    # tangent angle offset for circles of different radii
    phi = math.degrees(math.acos(max(-1.0, min(1.0, (ra - rb) / d))))
    pts = arc(b, rb, heading - phi, heading + phi, steps)
    pts += arc(a, ra, heading + phi, heading + 360 - phi, steps + 2)
    return tuple(pts)


def bezier(p0: Pt, p1: Pt, p2: Pt, steps: int = 12) -> list[Pt]:
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        out.append(
            (
                u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0],
                u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1],
            )
        )
    return out


def tube(spine: list[Pt], radii: list[float]) -> tuple[Pt, ...]:
    """Outline of a thick curved body along ``spine`` with a radius per point, round ends."""
    n = len(spine)
    left: list[Pt] = []
    right: list[Pt] = []
    for i, p in enumerate(spine):
        a = spine[max(i - 1, 0)]
        b = spine[min(i + 1, n - 1)]
        heading = angle_of(a, b)
        left.append(along(p, heading + 90, radii[i]))
        right.append(along(p, heading - 90, radii[i]))
    h_end = angle_of(spine[-2], spine[-1])
    h_start = angle_of(spine[1], spine[0])
    end_cap = arc(spine[-1], radii[-1], h_end - 90, h_end + 90, 6)[1:-1]
    start_cap = arc(spine[0], radii[0], h_start - 90, h_start + 90, 6)[1:-1]
    return tuple(right + end_cap + left[::-1] + start_cap)


def segments_cross(p1: Pt, p2: Pt, q1: Pt, q2: Pt) -> bool:
    """Whether two segments properly intersect (touching ends do not count)."""

    def orient(a: Pt, b: Pt, c: Pt) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1 = orient(q1, q2, p1)
    d2 = orient(q1, q2, p2)
    d3 = orient(p1, p2, q1)
    d4 = orient(p1, p2, q2)
    return (d1 * d2 < 0) and (d3 * d4 < 0)
