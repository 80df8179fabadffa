"""The pose description an exercise can carry: typed, frozen, plain data (no drawing code).

A pose is one or more keyframes of a simple human figure. Each keyframe gives
joint angles in degrees; the figure is then placed on the floor (or on a
prop). See ``docs/illustrations.md`` for the angle conventions and examples.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec
from msgspec import Meta

from routinekit.vocabulary import Position

Angle = Annotated[float, Meta(ge=-360, le=360)]
Length = Annotated[float, Meta(ge=-500, le=500)]


class View(StrEnum):
    """Where the picture is seen from."""

    SIDE = "side"
    """From the side: a floor line, gravity; the figure rests on the floor or a prop."""
    TOP = "top"
    """From above, lying on a mat (a flat plan: hard to read for twists; prefer three-quarter)."""
    THREE_QUARTER = "three-quarter"
    """From the front and a little above (``Pose.elevation``), in depth: the floor is seen as
    a mat, and a twist (``Keyframe.twist``, ``roll``, a limb's ``out``) shows as it looks."""


class Plane(StrEnum):
    """Which body plane lies flat on the page."""

    SAGITTAL = "sagittal"
    """Profile: arms and legs swing forward and back (near and far side overlap)."""
    FRONTAL = "frontal"
    """Face on: arms and legs spread out to the sides."""


class Point(StrEnum):
    """Named points of the figure, for arrows, props and alignment."""

    PELVIS = "pelvis"
    MID_BACK = "mid-back"
    SHOULDERS = "shoulders"
    HEAD = "head"
    KNEE_NEAR = "knee-near"
    KNEE_FAR = "knee-far"
    FOOT_NEAR = "foot-near"
    FOOT_FAR = "foot-far"
    HAND_NEAR = "hand-near"
    HAND_FAR = "hand-far"
    ELBOW_NEAR = "elbow-near"
    ELBOW_FAR = "elbow-far"
    SHIN_NEAR = "shin-near"
    SHIN_FAR = "shin-far"
    THIGH_NEAR = "thigh-near"
    THIGH_FAR = "thigh-far"


class Leg(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """Joint angles of one leg (degrees).

    Side view: ``hip`` flexion (+ thigh forward), ``knee`` flexion (0 = straight),
    ``ankle`` plantar flexion (+ toes pointed). Top view (frontal plane): ``hip``
    abduction (+ away from the middle), ``knee`` bend (+ toward the middle).
    """

    hip: Angle = 0
    knee: Angle = 0
    ankle: Angle = 0
    length: Annotated[float, Meta(ge=0.3, le=1)] = 1.0
    """Apparent length (thigh and shin) when the leg points toward or away from the viewer."""
    out: Angle = 0
    """Three-quarter view: the leg moved out to its side (+, abduction) or across the body
    toward the other side (-, adduction), after ``hip``."""


class Arm(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """Joint angles of one arm (degrees).

    Side view: ``shoulder`` flexion (0 = hanging by the side, 90 = forward,
    180 = overhead), ``elbow`` flexion, ``wrist`` (+ turns the hand toward the
    front of the body). Top view: ``shoulder`` abduction, ``elbow`` bend toward
    the middle.
    """

    shoulder: Angle = 0
    elbow: Angle = 0
    wrist: Angle = 0
    length: Annotated[float, Meta(ge=0.3, le=1)] = 1.0
    """Apparent length (upper arm and forearm) when the arm points toward or away from you."""
    out: Angle = 0
    """Three-quarter view: the arm raised out to its side (+, 90 = straight out, e.g. lying
    with the arms out to the sides) or across the chest (-), after ``shoulder``."""


class Keyframe(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """One position of the body.

    ``trunk`` is the direction from the pelvis to the mid-back, in degrees
    counter-clockwise from "pointing right": 90 = upright, 0 = lying with the
    head to the right, 180 = lying with the head to the left. In the side view
    the front of the body is 90 degrees clockwise from ``trunk`` (so upright faces
    right, head-left lying is on the back, head-right lying is face down); set
    ``mirror`` to flip the whole figure left to right.
    """

    trunk: Angle = 90
    spine: Angle = 0
    """Flexion (+, rounding forward) or extension (-) of the upper back on the lower back."""
    neck: Angle = 0
    """Flexion (+, chin down) or extension (-) of the head on the upper back."""
    leg_near: Leg = Leg()
    leg_far: Leg | None = None
    """Defaults to the near leg (the legs overlap in a side view)."""
    arm_near: Arm = Arm()
    arm_far: Arm | None = None
    """Defaults to the near arm."""
    plane: Plane | None = None
    """Defaults to sagittal in a side view and frontal in a top view."""
    roll: Angle = 0
    """Three-quarter view: the whole body turned about its length, + its front toward you
    (90 = lying on the near side, facing you)."""
    twist: Angle = 0
    """Three-quarter view: the pelvis and legs turned further than the chest about the spine,
    + toward you (knees falling toward you while the shoulders stay flat)."""
    mirror: bool = False
    on_top: Annotated[str, Meta(pattern=r"^(near|far)$")] = "near"
    """Which side's limbs are drawn over the other's."""
    trunk_in_front: bool = False
    """Draw the trunk over the near leg (folded positions where the chest lies on the thighs)."""
    ghost: bool = False
    """Draw in light grey behind the main one (prefer ``start``: a ghost lies over the figure)."""
    start: bool = False
    """The start position: drawn small in its own frame beside the main picture, never over it."""
    pelvis_height: Length | None = None
    """Height of the pelvis above the floor in cm; default: the lowest point touches the floor."""
    dx: Length = 0
    """Extra horizontal shift in cm (after alignment or placement in a row)."""
    position: Position | None = None
    """The body position this keyframe shows (one of its exercise's ``positions``)."""


class Prop(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """A prop drawn with the figure: ``chair``, ``wall``, ``pillow``, ``mat`` or a plugin's.

    ``under`` names a body point the prop supports (in keyframe ``frame``).
    With ``sit`` the body is lifted to rest on the prop (sitting on a chair);
    otherwise the prop is fitted to the body (a chair under the lower legs).
    """

    kind: Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]
    under: Point | None = None
    frame: Annotated[int, Meta(ge=0, le=5)] = 0
    sit: bool = False
    side: Annotated[str, Meta(pattern=r"^(left|right)$")] = "left"
    """Chair: the side of the picture its backrest is on. Wall: the side it stands."""
    dx: Length = 0
    size: Length | None = None
    """The prop's size in cm (e.g. a chair's seat height), where it has one."""


class Arrow(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """A movement arrow.

    Three shapes: from ``at`` in keyframe ``frame`` to ``to`` in keyframe
    ``to_frame`` (a path between two positions); a straight or bent arrow
    starting near ``at`` heading ``direction`` for ``length`` cm; or, with
    ``turn``, a round arrow about ``at`` sweeping ``turn`` degrees.
    """

    at: Point
    frame: Annotated[int, Meta(ge=0, le=5)] = 0
    to: Point | None = None
    to_frame: Annotated[int, Meta(ge=0, le=5)] | None = None
    offset: tuple[Length, Length] = (0.0, 0.0)
    direction: Angle = 90
    length: Annotated[float, Meta(gt=0, le=200)] = 20
    bend: Annotated[float, Meta(ge=-180, le=180)] = 0
    """Degrees of arc; + bows the arrow out to the left of its direction of travel."""
    turn: Annotated[float, Meta(ge=-330, le=330)] | None = None
    radius: Annotated[float, Meta(gt=0, le=100)] = 15
    start: Angle = 0
    """For a round arrow: where it starts, degrees counter-clockwise from the right."""
    flat: Annotated[float, Meta(gt=0, le=1)] = 1.0
    """For a round arrow: height over width (below 1: an ellipse, e.g. a twist seen side on)."""
    both: bool = False
    """Heads at both ends (a back-and-forth movement)."""


class Layout(StrEnum):
    OVERLAY = "overlay"
    """All keyframes in one place (ghosted ones behind)."""
    ROW = "row"
    """Keyframes side by side, left to right."""


class Pose(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """How to draw an exercise: keyframes, props and arrows."""

    keyframes: Annotated[tuple[Keyframe, ...], Meta(min_length=1, max_length=4)]
    view: View = View.SIDE
    layout: Layout = Layout.OVERLAY
    align: Point = Point.PELVIS
    """In an overlay, keyframes are shifted so this point lines up with keyframe 0's."""
    props: tuple[Prop, ...] = ()
    arrows: tuple[Arrow, ...] = ()
    gap: Annotated[float, Meta(ge=0, le=200)] = 25
    """Space between keyframes in a row, cm."""
    elevation: Annotated[float, Meta(ge=0, le=80)] = 30
    """Three-quarter view: how far above the floor you look from, degrees (0: level)."""
    azimuth: Annotated[float, Meta(ge=-80, le=80)] = 0
    """Three-quarter view: how far round you look from, degrees: + from nearer the right end
    of the picture (e.g. the feet of a figure lying head left), - the left end."""


class PoseFile(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The layout of a pose file: ``format: 1`` and poses by exercise id."""

    poses: dict[str, Pose]
    format: int = 1
