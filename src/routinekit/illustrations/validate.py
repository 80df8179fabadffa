"""Checks that a pose is one a person can take: joint limits, floor, no leg through the trunk."""

from __future__ import annotations

from routinekit.illustrations.body import Body
from routinekit.illustrations.shapes import Pt, along, angle_of, dist, segments_cross
from routinekit.model.pose import Keyframe, Plane, Pose, View

#: (low, high) degrees for each joint, by body plane
LIMITS: dict[Plane, dict[str, tuple[float, float]]] = {
    Plane.SAGITTAL: {
        "spine": (-60, 75),
        "neck": (-60, 75),
        "hip": (-40, 165),
        "knee": (0, 160),
        "ankle": (-40, 80),
        "shoulder": (-90, 200),
        "elbow": (0, 160),
        "wrist": (-100, 100),
    },
    Plane.FRONTAL: {
        "spine": (-60, 60),
        "neck": (-60, 60),
        "hip": (-100, 110),
        "knee": (-160, 160),
        "ankle": (-60, 60),
        "shoulder": (-40, 190),
        "elbow": (-160, 160),
        "wrist": (-90, 90),
    },
}
#: three-quarter view: the pelvis turned against the chest, limbs out to the side or across
THREE_QUARTER_LIMITS = {
    "twist": (-100.0, 100.0),
    "leg out": (-60.0, 80.0),
    "arm out": (-60.0, 180.0),
}
#: seen from above, an arm can swing back along the floor (e.g. opening the chest when on one side)
TOP_SAGITTAL_SHOULDER = (-140.0, 200.0)
FLOOR_TOLERANCE = 1.0
LIMBS = ("thigh", "shin", "arm", "forearm")
CORE = ("lumbar", "thoracic", "neck")


def joint_values(kf: Keyframe) -> list[tuple[str, float]]:
    values = [("spine", kf.spine), ("neck", kf.neck)]
    for side in ("near", "far"):
        leg = kf.leg_near if side == "near" or kf.leg_far is None else kf.leg_far
        arm = kf.arm_near if side == "near" or kf.arm_far is None else kf.arm_far
        values += [("hip", leg.hip), ("knee", leg.knee), ("ankle", leg.ankle)]
        values += [("shoulder", arm.shoulder), ("elbow", arm.elbow), ("wrist", arm.wrist)]
    return values


def _sides(kf: Keyframe) -> list[str]:
    return ["", ""] + [" (near)"] * 6 + [" (far)"] * 6


def joint_problems(pose: Pose, index: int, kf: Keyframe, plane: Plane) -> list[str]:
    limits = dict(LIMITS[plane])
    if pose.view is View.TOP and plane is Plane.SAGITTAL:
        limits["shoulder"] = TOP_SAGITTAL_SHOULDER
    values = list(zip(joint_values(kf), _sides(kf), strict=True))
    if pose.view is View.THREE_QUARTER:
        limits |= THREE_QUARTER_LIMITS
        values += [(("twist", kf.twist), "")]
        for side in ("near", "far"):
            leg = kf.leg_near if side == "near" or kf.leg_far is None else kf.leg_far
            arm = kf.arm_near if side == "near" or kf.arm_far is None else kf.arm_far
            values += [(("leg out", leg.out), f" ({side})"), (("arm out", arm.out), f" ({side})")]
    out = []
    if pose.view is not View.THREE_QUARTER:
        for (joint, value), side in _three_quarter_only(kf):
            out.append(
                f"keyframe {index}: {joint}{side} {value:g} is drawn only in a three-quarter view "
                f"(set view: three-quarter, or leave it 0)"
            )
    for (joint, value), side in values:
        low, high = limits[joint]
        if not low <= value <= high:
            out.append(
                f"keyframe {index}: {joint}{side} angle {value:g} is outside what a body can do "
                f"({low:g} to {high:g} degrees)"
            )
    return out


def _three_quarter_only(kf: Keyframe) -> list[tuple[tuple[str, float], str]]:
    """Angles a flat view cannot draw: each must be 0 there (limits of 0 to 0)."""
    found = [(("roll", kf.roll), ""), (("twist", kf.twist), "")]
    for side in ("near", "far"):
        leg = kf.leg_near if side == "near" or kf.leg_far is None else kf.leg_far
        arm = kf.arm_near if side == "near" or kf.arm_far is None else kf.arm_far
        found += [(("leg out", leg.out), f" ({side})"), (("arm out", arm.out), f" ({side})")]
    return [item for item in found if item[0][1] != 0]


def _trimmed(a: Pt, b: Pt, start: float) -> tuple[Pt, Pt]:
    """The segment a-b without its first ``start`` cm (where a limb joins the trunk)."""
    length = dist(a, b)
    return (along(a, angle_of(a, b), min(start, length * 0.5)), b)


def crossing_problems(index: int, body: Body) -> list[str]:
    """Legs drawn through the trunk or neck, arms through the neck (side view only).

    Arms lie beside the chest, so in profile they may cross the trunk's line."""
    out = []
    for side in ("near", "far"):
        for limb in LIMBS:
            bone = body.bones.get(f"{limb}-{side}")
            if bone is None:
                continue
            a, b = _trimmed(*bone, 6.0) if limb in ("thigh", "arm") else bone
            for core in CORE if limb in ("thigh", "shin") else ("neck",):
                c, d = body.bones[core]
                if segments_cross(a, b, c, d):
                    out.append(f"keyframe {index}: the {side} {limb} passes through the {core}")
    return out


def floor_problems(index: int, body: Body, ground: float) -> list[str]:
    low = min(p[1] - s.radius for s in body.shapes for p in s.points)
    if low < ground - FLOOR_TOLERANCE:
        return [f"keyframe {index}: the body goes {ground - low:.0f} cm below the floor"]
    return []


def pose_problems(pose: Pose, bodies: list[Body]) -> list[str]:
    """Everything wrong with a placed pose, as plain sentences (empty when it is fine)."""
    out: list[str] = []
    ground = 0.0
    for i, (kf, body) in enumerate(zip(pose.keyframes, bodies, strict=True)):
        out += joint_problems(pose, i, kf, body.plane)
        if body.plane is Plane.SAGITTAL and pose.view is not View.THREE_QUARTER:
            out += crossing_problems(i, body)
        if pose.view is View.SIDE:
            out += floor_problems(i, body, ground)
        elif body.below_floor > FLOOR_TOLERANCE:
            out.append(f"keyframe {i}: the body goes {body.below_floor:.0f} cm below the floor")
    return out


def check_bodies(pose: Pose, bodies: list[Body]) -> None:
    """Raise :class:`~routinekit.illustrations.scene.PoseError` listing every problem."""
    from routinekit.illustrations.scene import PoseError

    problems = pose_problems(pose, bodies)
    if problems:
        raise PoseError("; ".join(problems))
