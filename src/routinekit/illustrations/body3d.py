"""The figure in three dimensions, seen three-quarter on (``view: three-quarter``).

The same joint angles as the side view (:mod:`routinekit.illustrations.body`), plus what
a profile cannot show: ``roll`` (the body turned about its length), ``twist`` (the pelvis
and legs turned further than the chest) and each limb's ``out`` (moved out to the side, or
across the body). The figure is built in centimetres with x to the right, y up and z
toward the viewer, rested on the floor (y = 0), then looked at from the front and
``elevation`` degrees above the floor (orthographic). Outlines are drawn far to near.
"""

from __future__ import annotations

import math
from itertools import pairwise

from routinekit.illustrations.body import (
    FOOT,
    FOREARM,
    HAND,
    HEAD_R,
    HIP_HALF,
    LUMBAR,
    NECK,
    SHIN,
    THIGH,
    THORACIC,
    TRUNK_FRONT,
    TRUNK_PROFILE,
    UPPER_ARM,
    Body,
)
from routinekit.illustrations.shapes import FAR_FILL, WHITE, Pt, Shape, along, capsule, tube
from routinekit.model.pose import Arm, Keyframe, Leg, Plane

V3 = tuple[float, float, float]

#: Default height of the eye above the floor, degrees (0 = a plain side view).
ELEVATION = 30.0
#: Shoulder joints either side of the middle, seen in three dimensions.
SHOULDER_HALF_3D = 14.0


def _add(a: V3, b: V3) -> V3:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _mul(a: V3, k: float) -> V3:
    return (a[0] * k, a[1] * k, a[2] * k)


def _lin(a: V3, ka: float, b: V3, kb: float) -> V3:
    return (a[0] * ka + b[0] * kb, a[1] * ka + b[1] * kb, a[2] * ka + b[2] * kb)


def _dot(a: V3, b: V3) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: V3, b: V3) -> V3:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _unit(a: V3) -> V3:
    n = math.sqrt(_dot(a, a)) or 1.0
    return _mul(a, 1.0 / n)


def _cs(deg: float) -> tuple[float, float]:
    r = math.radians(deg)
    return math.cos(r), math.sin(r)


def _rotate(v: V3, axis: V3, deg: float) -> V3:
    """``v`` turned ``deg`` about the unit ``axis`` (right-handed)."""
    c, s = _cs(deg)
    return _add(_lin(v, c, _cross(axis, v), s), _mul(axis, _dot(axis, v) * (1 - c)))


class Camera:
    """Looks at the figure from the front (+z), ``elevation`` degrees above the floor and
    ``azimuth`` degrees round toward the right end of the picture."""

    def __init__(self, elevation: float, azimuth: float = 0.0) -> None:
        self.cos, self.sin = _cs(elevation)
        self.ca, self.sa = _cs(azimuth)

    def _turn(self, p: V3) -> V3:
        return (p[0] * self.ca - p[2] * self.sa, p[1], p[0] * self.sa + p[2] * self.ca)

    def pt(self, p: V3) -> Pt:
        x, y, z = self._turn(p)
        return (x, y * self.cos - z * self.sin)

    def depth(self, p: V3) -> float:
        """Nearness to the viewer (larger is nearer, drawn later)."""
        _x, y, z = self._turn(p)
        return y * self.sin + z * self.cos

    def dir(self, v: V3) -> Pt:
        return self.pt(v)


def _interp(table: tuple[tuple[float, float], ...], t: float) -> float:
    for (t0, v0), (t1, v1) in pairwise(table):
        if t <= t1:
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0)
    return table[-1][1]


class _Figure:
    """3D segments (capsules), the trunk and the head, before they are projected."""

    def __init__(self) -> None:
        self.points: dict[str, V3] = {}
        self.bones: dict[str, tuple[V3, V3]] = {}
        # (a, radius a, b, radius b, fill)
        self.capsules: list[tuple[V3, float, V3, float, float]] = []

    def shift(self, d: V3) -> None:
        self.points = {k: _add(p, d) for k, p in self.points.items()}
        self.bones = {k: (_add(a, d), _add(b, d)) for k, (a, b) in self.bones.items()}
        self.capsules = [(_add(a, d), ra, _add(b, d), rb, f) for a, ra, b, rb, f in self.capsules]


def _limb_dirs(
    axis: V3, front: V3, angles: tuple[float, float, float], toward: V3, out: float
) -> tuple[V3, V3, V3]:
    """Directions of a limb's three segments: ``angles`` in the body's own profile (relative
    to ``axis``, the front at -90, as the side view's), then the limb turned ``out``
    degrees toward ``toward`` (its side)."""

    def v(a: float) -> V3:
        c, s = _cs(a)
        return _lin(axis, c, front, -s)

    d1, d2, d3 = (v(a) for a in angles)
    if out:
        k = _cross(d1, toward)
        n = math.sqrt(_dot(k, k))
        if n > 1e-6:
            k = _mul(k, 1.0 / n)
            d1, d2, d3 = (_rotate(d, k, out) for d in (d1, d2, d3))
    return d1, d2, d3


def _leg(fig: _Figure, side: str, hip: V3, dirs: tuple[V3, V3, V3], leg: Leg, fill: float) -> None:
    d1, d2, d3 = dirs
    k = leg.length
    knee = _add(hip, _mul(d1, THIGH * k))
    ankle = _add(knee, _mul(d2, SHIN * k))
    heel = _add(_add(ankle, _mul(d2, 3.0)), _mul(d3, -2.5))
    toe = _add(heel, _mul(d3, FOOT))
    fig.points[f"knee-{side}"] = knee
    fig.points[f"thigh-{side}"] = _add(hip, _mul(d1, THIGH * 0.55))
    fig.points[f"shin-{side}"] = _add(knee, _mul(d2, SHIN * 0.5))
    fig.points[f"foot-{side}"] = _add(heel, _mul(d3, 6.0))
    fig.bones[f"thigh-{side}"] = (hip, knee)
    fig.bones[f"shin-{side}"] = (knee, ankle)
    fig.bones[f"foot-{side}"] = (heel, toe)
    fig.capsules += [
        (hip, 7.5, knee, 5.2, fill),
        (knee, 4.8, ankle, 3.6, fill),
        (heel, 3.8, toe, 2.6, fill),
    ]


def _arm(fig: _Figure, side: str, root: V3, dirs: tuple[V3, V3, V3], arm: Arm, fill: float) -> None:
    d1, d2, d3 = dirs
    k = arm.length
    elbow = _add(root, _mul(d1, UPPER_ARM * k))
    wrist = _add(elbow, _mul(d2, FOREARM * k))
    tip = _add(wrist, _mul(d3, HAND))
    fig.points[f"elbow-{side}"] = elbow
    fig.points[f"hand-{side}"] = _add(wrist, _mul(d3, HAND * 0.5))
    fig.bones[f"arm-{side}"] = (root, elbow)
    fig.bones[f"forearm-{side}"] = (elbow, wrist)
    fig.capsules += [
        (root, 4.8, elbow, 3.8, fill),
        (elbow, 3.8, wrist, 2.9, fill),
        (wrist, 3.0, tip, 3.2, fill),
    ]


def build_body_3d(kf: Keyframe, elevation: float = ELEVATION, azimuth: float = 0.0) -> Body:
    """The figure of one keyframe, resting on the floor, projected for a three-quarter view
    (before mirroring and horizontal placement). ``Body.floor`` is the floor under it, for
    the mat."""
    # the chest's frame: along the lower back, its front, its near side (toward you)
    cu, su = _cs(kf.trunk)
    cf, sf = _cs(kf.trunk - 90)
    u: V3 = (cu, su, 0.0)
    f0: V3 = (cf, sf, 0.0)
    s0: V3 = (0.0, 0.0, 1.0)
    cr, sr = _cs(kf.roll)
    front = _lin(f0, cr, s0, sr)  # roll: the front turns toward you
    near = _lin(s0, cr, f0, -sr)
    ct, st = _cs(kf.twist)
    p_front = _lin(front, ct, near, st)  # twist: the pelvis turns further toward you
    p_near = _lin(near, ct, front, -st)
    cs_, ss_ = _cs(kf.spine)
    u2 = _lin(u, cs_, front, ss_)  # spine flexion: the upper back rounds forward
    c_front = _lin(front, cs_, u, -ss_)

    fig = _Figure()
    pelvis: V3 = (0.0, 0.0, 0.0)
    mid = _mul(u, LUMBAR)
    shoulders = _add(mid, _mul(u2, THORACIC))
    cn, sn = _cs(kf.neck)
    head_dir = _lin(u2, cn, c_front, sn)
    face = _lin(c_front, cn, u2, -sn)
    head = _add(shoulders, _mul(head_dir, NECK + HEAD_R))
    fig.points.update({"pelvis": pelvis, "mid-back": mid, "shoulders": shoulders, "head": head})
    fig.bones["lumbar"] = (pelvis, mid)
    fig.bones["thoracic"] = (mid, shoulders)
    fig.bones["neck"] = (shoulders, _add(shoulders, _mul(head_dir, NECK)))
    fig.capsules.append((shoulders, 5.0, _add(shoulders, _mul(head_dir, NECK + 2)), 4.5, WHITE))

    for side, sign in (("near", 1.0), ("far", -1.0)):
        leg = kf.leg_near if side == "near" or kf.leg_far is None else kf.leg_far
        arm = kf.arm_near if side == "near" or kf.arm_far is None else kf.arm_far
        fill = WHITE if side == "near" else FAR_FILL
        thigh = 180 + leg.hip
        shin = thigh - leg.knee
        dirs = _limb_dirs(
            u, p_front, (thigh, shin, shin + 90 - leg.ankle), _mul(p_near, sign), leg.out
        )
        _leg(fig, side, _add(pelvis, _mul(p_near, sign * HIP_HALF)), dirs, leg, fill)
        upper = 180 + arm.shoulder
        fore = upper + arm.elbow
        adirs = _limb_dirs(u2, c_front, (upper, fore, fore + arm.wrist), _mul(near, sign), arm.out)
        root = _add(shoulders, _mul(near, sign * SHOULDER_HALF_3D))
        _arm(fig, side, root, adirs, arm, fill)

    # the trunk: a tube whose cross-section turns from the pelvis's to the chest's
    spine3 = _bezier3(pelvis, mid, shoulders, 10)
    n = len(spine3)
    sections: list[tuple[V3, float, V3, float]] = []  # (front axis, radius, side axis, radius)
    for i in range(n):
        t = i / (n - 1)
        tangent = _unit(_lin(spine3[min(i + 1, n - 1)], 1, spine3[max(i - 1, 0)], -1))
        side_ax = _lin(p_near, 1 - t, near, t)
        side_ax = _unit(_lin(side_ax, 1, tangent, -_dot(side_ax, tangent)))
        front_ax = _cross(side_ax, tangent)
        sections.append(
            (front_ax, _interp(TRUNK_PROFILE, t), side_ax, _interp(TRUNK_FRONT, t) * 0.85)
        )

    # rest on the floor: the lowest point of any part touches y = 0
    lows = [a[1] - ra for a, ra, _b, _rb, _f in fig.capsules]
    lows += [b[1] - rb for _a, _ra, b, rb, _f in fig.capsules]
    lows.append(head[1] - HEAD_R)
    for p, (fa, rf, sa, rs) in zip(spine3, sections, strict=True):
        lows.append(p[1] - math.hypot(rf * fa[1], rs * sa[1]))
    lift = kf.pelvis_height if kf.pelvis_height is not None else -min(lows)
    fig.shift((0.0, lift, 0.0))
    spine3 = [_add(p, (0.0, lift, 0.0)) for p in spine3]
    head = fig.points["head"]

    cam = Camera(elevation, azimuth)
    body = Body(plane=Plane.SAGITTAL)
    body.points = {k: cam.pt(p) for k, p in fig.points.items()}
    body.bones = {k: (cam.pt(a), cam.pt(b)) for k, (a, b) in fig.bones.items()}
    body.below_floor = max(0.0, -(min(lows) + lift))
    body.pelvis_up = fig.points["pelvis"][1]

    layered: list[tuple[float, Shape]] = []
    for a, ra, b, rb, fill in fig.capsules:
        shape = Shape("poly", capsule(cam.pt(a), ra, cam.pt(b), rb), fill=fill)
        layered.append(((cam.depth(a) + cam.depth(b)) / 2, shape))
    spine2 = [cam.pt(p) for p in spine3]
    radii = []
    for i, (fa, rf, sa, rs) in enumerate(sections):
        a2, b2 = spine2[max(i - 1, 0)], spine2[min(i + 1, n - 1)]
        heading = math.atan2(b2[1] - a2[1], b2[0] - a2[0])
        nx, ny = -math.sin(heading), math.cos(heading)
        fx, fy = cam.dir(fa)
        sx, sy = cam.dir(sa)
        radii.append(math.hypot(rf * (fx * nx + fy * ny), rs * (sx * nx + sy * ny)))
    trunk_depth = sum(cam.depth(p) for p in spine3) / n
    layered.append((trunk_depth, Shape("poly", tube(spine2, radii))))
    head2 = cam.pt(head)
    head_shapes = []
    fx, fy = cam.dir(face)
    seen = math.hypot(fx, fy)
    if seen > 0.3:
        front_deg = math.degrees(math.atan2(fy, fx))
        tip = HEAD_R * (1 + 0.28 * seen)
        nose = (
            along(head2, front_deg + 15, HEAD_R * 0.95),
            along(head2, front_deg, tip),
            along(head2, front_deg - 15, HEAD_R * 0.95),
        )
        head_shapes.append(Shape("poly", nose))
    head_shapes.append(Shape("circle", (head2,), radius=HEAD_R))
    depth = cam.depth(head)
    layered += [(depth + 0.01 * i, s) for i, s in enumerate(head_shapes)]
    layered.sort(key=lambda item: item[0])
    body.shapes = [s for _d, s in layered]

    xs = [p[0] for p in fig.points.values()] + [p[0] for p in spine3]
    zs = [p[2] for p in fig.points.values()] + [p[2] for p in spine3]
    body.floor = mat_corners((min(xs), max(xs), min(zs), max(zs)), cam)
    return body


def _bezier3(p0: V3, p1: V3, p2: V3, steps: int) -> list[V3]:
    out = []
    for i in range(steps + 1):
        t = i / steps
        w0, w1, w2 = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        out.append(_add(_add(_mul(p0, w0), _mul(p1, w1)), _mul(p2, w2)))
    return out


def mat_corners(footprint: tuple[float, float, float, float], cam: Camera) -> tuple[Pt, ...]:
    """The floor under ``footprint`` (x0, x1, z0, z1, with a margin), as the viewer sees it."""
    x0, x1, z0, z1 = footprint
    m = 12.0
    return tuple(
        cam.pt(p)
        for p in (
            (x0 - m, 0.0, z1 + m),
            (x1 + m, 0.0, z1 + m),
            (x1 + m, 0.0, z0 - m),
            (x0 - m, 0.0, z0 - m),
        )
    )
