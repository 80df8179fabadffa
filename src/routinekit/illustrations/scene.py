"""Turn a :class:`~routinekit.model.pose.Pose` into a :class:`Scene`: place each
keyframe on the floor or a prop, lay keyframes out, add props, arrows and the floor."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from typing import Any

from msgspec.structs import replace

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
    body.floor = tuple(fn(p) for p in body.floor)


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
    if pose.view is View.THREE_QUARTER:
        return Plane.SAGITTAL
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
    if pose.view is View.THREE_QUARTER and pose.props:
        raise PoseError("props are not drawn in a three-quarter view (the floor is drawn as a mat)")
    for i, kf in enumerate(pose.keyframes):
        if pose.view is View.THREE_QUARTER:
            from routinekit.illustrations.body3d import build_body_3d

            body = build_body_3d(kf, pose.elevation, pose.azimuth)
        else:
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


def prop_shapes(
    pose: Pose,
    bodies: list[Body],
    known: Props | None = None,
    frames: Collection[int] | None = None,
) -> list[Shape]:
    """The props' outlines; with ``frames``, only the props of those keyframes, fitted to
    those keyframes' bodies (a start frame has its own chair or mat)."""
    known = props() if known is None else known
    chosen = range(len(bodies)) if frames is None else frames
    everything = [s for i in chosen if i < len(bodies) for s in bodies[i].shapes]
    left, right = span(everything)
    out: list[Shape] = []
    for prop in pose.props:
        drawer = known.get(prop.kind)
        if drawer is None:
            raise PoseError(_unknown_prop(prop.kind, known))
        if prop.frame >= len(bodies):
            raise PoseError(f"prop '{prop.kind}' names keyframe {prop.frame}, which does not exist")
        if frames is not None and prop.frame not in frames:
            continue
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


def _ground(pose: Pose, everything: list[Shape], floor: list[Pt]) -> Shape:
    """The floor line (side view), the mat seen from above (top view) under ``everything``,
    or the floor under the bodies (``floor``: corners) seen three-quarter on."""
    if pose.view is View.SIDE:
        left, right = span(everything)
        return Shape("line", ((left - 6, 0.0), (right + 6, 0.0)), width=1.4)
    if pose.view is View.THREE_QUARTER and len(floor) == 4:
        return Shape("poly", tuple(floor), fill=0.9, stroke=None, width=0.8)
    if pose.view is View.THREE_QUARTER:
        xs = [p[0] for p in floor]
        ys = [p[1] for p in floor]
        mat = ((min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys)))
        return Shape("poly", mat, fill=0.9, stroke=None, width=0.8)
    xs = [p[0] for s in everything for p in s.points]
    ys = [p[1] for s in everything for p in s.points]
    m = 9.0
    mat = (
        (min(xs) - m, min(ys) - m),
        (max(xs) + m, min(ys) - m),
        (max(xs) + m, max(ys) + m),
        (min(xs) - m, max(ys) + m),
    )
    return Shape("poly", mat, fill=0.94, stroke=GHOST, width=0.8)


def _panel(pose: Pose, bodies: list[Body], frames: list[int], known: Props) -> list[Shape]:
    """One panel of the picture: floor, ghosts, props and figures of ``frames``."""
    extra = prop_shapes(pose, bodies, known, frames)
    everything = [s for i in frames for s in bodies[i].shapes] + extra
    out = [_ground(pose, everything, [p for i in frames for p in bodies[i].floor])]
    for i in frames:
        if pose.keyframes[i].ghost:
            out += [replace(s, stroke=GHOST, fill=WHITE) for s in bodies[i].shapes]
    out += extra
    for i in frames:
        if not pose.keyframes[i].ghost:
            out += bodies[i].shapes
    return out


#: The start frame's figure, as a fraction of the main figure's size.
START_SCALE = 0.45
#: Space inside the start frame around its figure, and between it and the main figure (cm).
START_PAD = 5.0
START_GAP = 16.0
#: A card's picture box, height over width (what :func:`routinekit.illustrations.fit.fit`
#: fills by default): the start frame goes where it shrinks the main figure least.
BOX_ASPECT = 0.75


def _bounds(shapes: list[Shape]) -> tuple[float, float, float, float]:
    return Scene(shapes=shapes).bounds()


def _start_frame(
    pose: Pose,
    bodies: list[Body],
    starts: list[int],
    main_box: tuple[float, float, float, float],
    known: Props,
) -> tuple[list[Shape], tuple[float, float, float, float]]:
    """The start position(s), small, in a thin frame beside (or above) the main figure.

    Moves the start keyframes' bodies too, so arrows that name them stay on them."""
    shapes = _panel(pose, bodies, starts, known)
    sx0, sy0, sx1, sy1 = _bounds(shapes)
    k = START_SCALE
    w = (sx1 - sx0) * k + 2 * START_PAD
    h = (sy1 - sy0) * k + 2 * START_PAD
    mx0, my0, mx1, my1 = main_box

    def drawn_size(box: tuple[float, float, float, float]) -> float:
        x0, y0 = min(box[0], mx0), min(box[1], my0)
        x1, y1 = max(box[2], mx1), max(box[3], my1)
        return min(1.0 / (x1 - x0), BOX_ASPECT / (y1 - y0))

    beside = (mx0 - START_GAP - w, my0, mx0 - START_GAP, my0 + h)
    above = (mx0, my1 + START_GAP * 0.5, mx0 + w, my1 + START_GAP * 0.5 + h)
    box = beside if drawn_size(beside) >= drawn_size(above) * 0.98 else above
    dx = box[0] + START_PAD - sx0 * k
    dy = box[1] + START_PAD - sy0 * k

    def move(p: Pt) -> Pt:
        return (p[0] * k + dx, p[1] * k + dy)

    for i in starts:
        transform(bodies[i], move)
    out = [replace(_map(s, move), radius=s.radius * k, width=s.width * 0.8) for s in shapes]
    x0, y0, x1, y1 = box
    frame = Shape("poly", ((x0, y0), (x1, y0), (x1, y1), (x0, y1)), stroke=GHOST, fill=None)
    out.insert(0, replace(frame, width=0.8))
    if box is beside:
        y = (y0 + y1) / 2
        tip = (mx0 - START_GAP * 0.2, y)
        out.append(Shape("arrow", ((x1 + START_GAP * 0.2, y), tip), stroke=GHOST, width=1.1))
    else:
        y = (y0 + y1) / 2
        out.append(
            Shape(
                "arrow",
                tuple(_curve((x1 + START_GAP * 0.2, y), (x1 + START_GAP, y0 - 1), -50)),
                stroke=GHOST,
                width=1.1,
            )
        )
    return out, box


def build_scene(pose: Pose, label: str = "", known: Props | None = None) -> Scene:
    """The complete picture of a pose (validated: raises PoseError when it cannot be right).

    Keyframes marked ``start`` are drawn small in their own frame beside the others.
    ``known``: the props by id (default: those of the process-wide plugin host)."""
    from routinekit.illustrations.validate import check_bodies

    known = props() if known is None else known
    bodies = place_bodies(pose, known)
    check_bodies(pose, bodies)
    starts = [i for i, kf in enumerate(pose.keyframes) if kf.start]
    main = [i for i, kf in enumerate(pose.keyframes) if not kf.start]
    if not main:
        raise PoseError("every keyframe is a start position: at least one must be the main one")
    scene = Scene(label=label)
    shapes = _panel(pose, bodies, main, known)
    scene.regions["main"] = _bounds(shapes)
    if starts:
        framed, box = _start_frame(pose, bodies, starts, scene.regions["main"], known)
        scene.regions["start"] = box
        shapes = framed + shapes
    scene.shapes = shapes + [arrow_shape(a, bodies) for a in pose.arrows]
    return scene
