"""The figure: joint angles in, outlines of head, trunk and limbs out (forward kinematics).

Everything is in centimetres of an average adult, y up. The figure is built
around its pelvis at (0, 0); :mod:`routinekit.illustrations.scene` then puts it on
the floor or a prop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from routinekit.illustrations.shapes import (
    FAR_FILL,
    WHITE,
    Pt,
    Shape,
    along,
    bezier,
    capsule,
    tube,
)
from routinekit.model.pose import Arm, Keyframe, Leg, Plane

# segment lengths (cm)
LUMBAR = 22.0
THORACIC = 26.0
NECK = 11.0
HEAD_R = 10.0
UPPER_ARM = 28.0
FOREARM = 25.0
HAND = 8.0
THIGH = 43.0
SHIN = 42.0
FOOT = 20.0

# half thickness of the trunk along the spine (profile, face on)
TRUNK_PROFILE = ((0.0, 11.0), (0.35, 10.0), (0.7, 12.0), (1.0, 9.5))
TRUNK_FRONT = ((0.0, 14.0), (0.4, 12.0), (0.75, 15.0), (1.0, 15.5))
HIP_HALF = 8.0  # face on: hip joints either side of the middle
SHOULDER_HALF = 15.0


@dataclass
class Body:
    """One keyframe's figure: named points, bone segments and outlines in drawing order."""

    points: dict[str, Pt] = field(default_factory=dict)
    bones: dict[str, tuple[Pt, Pt]] = field(default_factory=dict)
    shapes: list[Shape] = field(default_factory=list)
    plane: Plane = Plane.SAGITTAL
    floor: tuple[Pt, ...] = ()
    """Three-quarter view: the corners of the floor under the body, as seen."""
    below_floor: float = 0.0
    """Three-quarter view: how far (cm) the body reaches below the floor."""
    pelvis_up: float = 0.0
    """Three-quarter view: the pelvis's height above the floor (cm)."""


def _interp(table: tuple[tuple[float, float], ...], t: float) -> float:
    for (t0, v0), (t1, v1) in pairwise(table):
        if t <= t1:
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0)
    return table[-1][1]


def _limb(
    body: Body,
    side: str,
    root: Pt,
    dirs: tuple[float, float, float],
    kind: str,
    fill: float,
    k: float = 1.0,
) -> list[Shape]:
    """Outlines of an arm or leg from its root joint along three absolute directions
    (``k`` shortens the two long bones of a limb seen end on)."""
    d1, d2, d3 = dirs
    if kind == "leg":
        mid = along(root, d1, THIGH * k)
        end = along(mid, d2, SHIN * k)
        body.points[f"knee-{side}"] = mid
        body.points[f"thigh-{side}"] = along(root, d1, THIGH * 0.55)
        body.points[f"shin-{side}"] = along(mid, d2, SHIN * 0.5)
        body.bones[f"thigh-{side}"] = (root, mid)
        body.bones[f"shin-{side}"] = (mid, end)
        if body.plane is Plane.SAGITTAL:
            heel = along(along(end, d2, 3.0), d3, -2.5)
            toe = along(heel, d3, FOOT)
        else:
            heel = along(end, d2, 2.0)
            toe = along(heel, d2 + (d3 - d2) * 0.0, 9.0)
        body.points[f"foot-{side}"] = along(heel, d3 if body.plane is Plane.SAGITTAL else d2, 6)
        body.bones[f"foot-{side}"] = (heel, toe)
        return [
            Shape("poly", capsule(heel, 3.8, toe, 2.6), fill=fill),
            Shape("poly", capsule(mid, 4.8, end, 3.6), fill=fill),
            Shape("poly", capsule(root, 7.5, mid, 5.2), fill=fill),
        ]
    mid = along(root, d1, UPPER_ARM * k)
    end = along(mid, d2, FOREARM * k)
    tip = along(end, d3, HAND)
    body.points[f"elbow-{side}"] = mid
    body.points[f"hand-{side}"] = along(end, d3, HAND * 0.5)
    body.bones[f"arm-{side}"] = (root, mid)
    body.bones[f"forearm-{side}"] = (mid, end)
    return [
        Shape("poly", capsule(root, 4.8, mid, 3.8), fill=fill),
        Shape("poly", capsule(mid, 3.8, end, 2.9), fill=fill),
        Shape("poly", capsule(end, 3.0, tip, 3.2, steps=6), fill=fill),
    ]


def build_body(kf: Keyframe, plane: Plane) -> Body:
    """The figure of one keyframe, pelvis at the origin, before mirroring and placing."""
    body = Body(plane=plane)
    lower = kf.trunk
    upper = kf.trunk - kf.spine
    pelvis: Pt = (0.0, 0.0)
    mid = along(pelvis, lower, LUMBAR)
    shoulders = along(mid, upper, THORACIC)
    body.points.update({"pelvis": pelvis, "mid-back": mid, "shoulders": shoulders})
    body.bones["lumbar"] = (pelvis, mid)
    body.bones["thoracic"] = (mid, shoulders)
    spine = bezier(pelvis, mid, shoulders, 10)
    profile = TRUNK_PROFILE if plane is Plane.SAGITTAL else TRUNK_FRONT
    radii = [_interp(profile, i / (len(spine) - 1)) for i in range(len(spine))]
    trunk = Shape("poly", tube(spine, radii))

    head_dir = upper - kf.neck if plane is Plane.SAGITTAL else upper + kf.neck
    head = along(shoulders, head_dir, NECK + HEAD_R)
    body.points["head"] = head
    body.bones["neck"] = (shoulders, along(shoulders, head_dir, NECK))
    neck = Shape("poly", capsule(shoulders, 5.0, along(shoulders, head_dir, NECK + 2), 4.5))
    head_shapes: list[Shape] = []
    if plane is Plane.SAGITTAL:
        front = head_dir - 90
        nose = (
            along(head, front - 5, HEAD_R * 0.95),
            along(head, front - 20, HEAD_R * 1.28),
            along(head, front - 38, HEAD_R * 0.95),
        )
        head_shapes.append(Shape("poly", nose))
    head_shapes.append(Shape("circle", (head,), radius=HEAD_R))

    limbs: dict[str, list[Shape]] = {}
    for side in ("near", "far"):
        leg: Leg = kf.leg_near if side == "near" or kf.leg_far is None else kf.leg_far
        arm: Arm = kf.arm_near if side == "near" or kf.arm_far is None else kf.arm_far
        if plane is Plane.SAGITTAL:
            fill = WHITE if side == "near" else FAR_FILL
            thigh = lower + 180 + leg.hip
            shin = thigh - leg.knee
            foot = shin + 90 - leg.ankle
            upper_arm = upper + 180 + arm.shoulder
            forearm = upper_arm + arm.elbow
            hand = forearm + arm.wrist
            hip_at, shoulder_at = pelvis, shoulders
        else:
            fill = WHITE
            out = -1.0 if side == "near" else 1.0  # near side is below the spine
            thigh = lower + 180 + out * leg.hip
            shin = thigh - out * leg.knee
            foot = shin
            upper_arm = upper + 180 + out * arm.shoulder
            forearm = upper_arm - out * arm.elbow
            hand = forearm - out * arm.wrist
            hip_at = along(pelvis, lower - out * 90, HIP_HALF)
            shoulder_at = along(shoulders, upper - out * 90, SHOULDER_HALF)
        limbs[f"leg-{side}"] = _limb(
            body, side, hip_at, (thigh, shin, foot), "leg", fill, leg.length
        )
        limbs[f"arm-{side}"] = _limb(
            body, side, shoulder_at, (upper_arm, forearm, hand), "arm", fill, arm.length
        )

    top, under = ("near", "far") if kf.on_top == "near" else ("far", "near")
    order: list[Shape] = []
    if plane is Plane.SAGITTAL:
        order += limbs[f"arm-{under}"] + limbs[f"leg-{under}"]
        if kf.trunk_in_front:
            order += [*limbs[f"leg-{top}"], neck, trunk, *head_shapes]
        else:
            order += [neck, trunk, *head_shapes, *limbs[f"leg-{top}"]]
        order += limbs[f"arm-{top}"]
    else:
        order += limbs[f"leg-{under}"] + limbs[f"leg-{top}"]
        order += [neck, trunk, *head_shapes]
        order += limbs[f"arm-{under}"] + limbs[f"arm-{top}"]
    body.shapes = order
    return body
