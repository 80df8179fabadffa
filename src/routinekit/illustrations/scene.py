"""Turn a :class:`~routinekit.model.pose.Pose` into a :class:`Scene`: place each
keyframe on the floor or a prop, lay keyframes out, add props, arrows and the floor."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from routinekit.errors import ValidationError
from routinekit.illustrations.body import Body, build_body
from routinekit.illustrations.props import PropPlace, PropShape, props
from routinekit.illustrations.shapes import (
    GHOST,
    INK,
    WHITE,
    Pt,
    Scene,
    Shape,
    add,
    along,
    angle_of,
    arc,
    bezier,
    dist,
    vec,
)
from routinekit.model.pose import Arrow, Keyframe, Layout, Plane, Pose, View

#: how far below a named point the body's surface is (cm), for props fitted under it
SURFACE_BELOW = {
    "pelvis": 10.5,
    "mid-back": 10.0,
    "shoulders": 9.5,
    "head": 10.0,
    "thigh": 6.3,
    "shin": 4.3,
    "knee": 5.0,
    "foot": 4.0,
    "hand": 3.0,
    "elbow": 3.8,
}
MAT_THICKNESS = 1.5
#: sitting, the hip joint is this far above the seat (the thighs and buttocks rest on it)
SIT_DEPTH = 7.5


class PoseError(ValidationError):
    """A pose that cannot be drawn as given (message names the keyframe and joint).

    ``exercise_id`` names the exercise, once known, so a build can blame the plugin
    that gave it."""

    def __init__(self, message: str, *, exercise_id: str | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.exercise_id = exercise_id


def _map(shape: Shape, fn: Callable[[Pt], Pt]) -> Shape:
    return replace(shape, points=tuple(fn(p) for p in shape.points))


def transform(body: Body, fn: Callable[[Pt], Pt]) -> None:
    """Apply a point function to every point, bone and outline of a body, in place."""
    body.points = {k: fn(p) for k, p in body.points.items()}
    body.bones = {k: (fn(a), fn(b)) for k, (a, b) in body.bones.items()}
    body.shapes = [_map(s, fn) for s in body.shapes]


def shift(body: Body, dx: float, dy: float) -> None:
    """Move a body by (dx, dy) cm, in place."""
    transform(body, lambda p: (p[0] + dx, p[1] + dy))


def lowest(body: Body) -> float:
    return min(p[1] - s.radius for s in body.shapes for p in s.points)


def _mirror(p: Pt) -> Pt:
    return (-p[0], p[1])


def span(shapes: list[Shape]) -> tuple[float, float]:
    xs = [x + d for s in shapes for (x, _y) in s.points for d in (-s.radius, s.radius)]
    return (min(xs), max(xs))


def plane_of(pose: Pose, kf: Keyframe) -> Plane:
    if kf.plane is not None:
        return kf.plane
    return Plane.FRONTAL if pose.view is View.TOP else Plane.SAGITTAL


def _surface_below(point: str) -> float:
    return SURFACE_BELOW.get(point.split("-")[0] if point != "mid-back" else point, 5.0)


Props = dict[str, PropShape]


def place_bodies(pose: Pose, known: Props | None = None) -> list[Body]:
    """Build every keyframe's body and put it where it belongs (floor, prop, layout).

    ``known``: the props by id (default: those of the process-wide plugin host)."""
    known = props() if known is None else known
    has_mat = any(p.kind == "mat" for p in pose.props)
    ground = MAT_THICKNESS if has_mat and pose.view is View.SIDE else 0.0
    bodies: list[Body] = []
    for i, kf in enumerate(pose.keyframes):
        body = build_body(kf, plane_of(pose, kf))
        if kf.mirror:
            transform(body, _mirror)
        if pose.view is View.SIDE:
            seat = next((p for p in pose.props if p.sit and p.frame == i), None)
            if kf.pelvis_height is not None:
                lift = kf.pelvis_height
            elif seat is not None:
                if seat.kind not in known:
                    raise PoseError(_unknown_prop(seat.kind, known))
                where = seat.under.value if seat.under else "pelvis"
                height = seat.size if seat.size is not None else known[seat.kind].size
                below = SIT_DEPTH if where == "pelvis" else _surface_below(where)
                lift = height + below - body.points[where][1]
            else:
                lift = ground - lowest(body)
            shift(body, 0.0, lift)
        bodies.append(body)

    if pose.layout is Layout.OVERLAY:
        anchor = pose.align.value
        x0 = bodies[0].points[anchor][0]
        for body in bodies[1:]:
            dx = x0 - body.points[anchor][0]
            shift(body, dx, 0.0)
    else:
        right = None
        for body in bodies:
            left, far = span(body.shapes)
            if right is not None:
                dx = right + pose.gap - left
                shift(body, dx, 0.0)
                far += dx
            right = far
    for body, kf in zip(bodies, pose.keyframes, strict=True):
        if kf.dx:
            shift(body, kf.dx, 0.0)
    return bodies


def _unknown_prop(kind: str, known: Props) -> str:
    return f"unknown prop '{kind}' (known: {', '.join(sorted(known))})"


def prop_shapes(pose: Pose, bodies: list[Body], known: Props | None = None) -> list[Shape]:
    known = props() if known is None else known
    everything = [s for b in bodies for s in b.shapes]
    left, right = span(everything)
    out: list[Shape] = []
    for prop in pose.props:
        drawer = known.get(prop.kind)
        if drawer is None:
            raise PoseError(_unknown_prop(prop.kind, known))
        if prop.frame >= len(bodies):
            raise PoseError(f"prop '{prop.kind}' names keyframe {prop.frame}, which does not exist")
        body = bodies[prop.frame]
        size = prop.size if prop.size is not None else drawer.size
        if prop.under is not None:
            point = body.points[prop.under.value]
            x = point[0]
            top = size if prop.sit else max(point[1] - _surface_below(prop.under.value), 0.0)
        else:
            x, top = (left + right) / 2, size
        place = PropPlace(
            x=x + prop.dx, top=top, side=prop.side, span=(left, right), view=pose.view.value
        )
        out += drawer.shapes(place)
    return out


def _curve(a: Pt, b: Pt, bend: float) -> list[Pt]:
    if abs(bend) < 1:
        return [a, b]
    chord = dist(a, b)
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    lift = chord / 2 * math.tan(math.radians(max(-170.0, min(170.0, bend))) / 2)
    control = along(mid, angle_of(a, b) + 90, lift)
    return bezier(a, control, b, 16)


def arrow_shape(arrow: Arrow, bodies: list[Body]) -> Shape:
    for frame in (arrow.frame, arrow.to_frame):
        if frame is not None and frame >= len(bodies):
            raise PoseError(f"arrow names keyframe {frame}, which does not exist")
    start = add(bodies[arrow.frame].points[arrow.at.value], arrow.offset)
    if arrow.turn is not None:
        ring = arc((0.0, 0.0), arrow.radius, arrow.start, arrow.start + arrow.turn, 32)
        points = [(start[0] + x, start[1] + y * arrow.flat) for x, y in ring]
    elif arrow.to is not None or arrow.to_frame is not None:
        frame = arrow.to_frame if arrow.to_frame is not None else arrow.frame
        target = (arrow.to or arrow.at).value
        end = add(bodies[frame].points[target], arrow.offset)
        points = _curve(start, end, arrow.bend)
    else:
        points = _curve(start, add(start, vec(arrow.direction, arrow.length)), arrow.bend)
    return Shape(
        "arrow", tuple(points), stroke=INK, fill=None, width=1.1, heads=2 if arrow.both else 1
    )


def build_scene(pose: Pose, label: str = "", known: Props | None = None) -> Scene:
    """The complete picture of a pose (validated: raises PoseError when it cannot be right).

    ``known``: the props by id (default: those of the process-wide plugin host)."""
    from routinekit.illustrations.validate import check_bodies

    known = props() if known is None else known
    bodies = place_bodies(pose, known)
    check_bodies(pose, bodies)
    scene = Scene(label=label)
    extra = prop_shapes(pose, bodies, known)
    everything = [s for b in bodies for s in b.shapes] + extra
    if pose.view is View.SIDE:
        left, right = span(everything)
        scene.shapes.append(Shape("line", ((left - 6, 0.0), (right + 6, 0.0)), width=1.4))
    else:
        xs = [p[0] for s in everything for p in s.points]
        ys = [p[1] for s in everything for p in s.points]
        m = 9.0
        mat = (
            (min(xs) - m, min(ys) - m),
            (max(xs) + m, min(ys) - m),
            (max(xs) + m, max(ys) + m),
            (min(xs) - m, max(ys) + m),
        )
        scene.shapes.append(Shape("poly", mat, fill=0.94, stroke=GHOST, width=0.8))
    for body, kf in zip(bodies, pose.keyframes, strict=True):
        if kf.ghost:
            scene.shapes += [replace(s, stroke=GHOST, fill=WHITE) for s in body.shapes]
    scene.shapes += extra
    for body, kf in zip(bodies, pose.keyframes, strict=True):
        if not kf.ghost:
            scene.shapes += body.shapes
    scene.shapes += [arrow_shape(a, bodies) for a in pose.arrows]
    return scene
