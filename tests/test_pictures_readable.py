"""Pictures a patient can read (issue 15, item 7): the start position in its own frame,
never drawn over the main figure; rotations seen from the side or three-quarter on."""

from __future__ import annotations

import math

import pytest

from routinekit.illustrations import (
    Keyframe,
    Leg,
    Pose,
    builtin_poses,
    clear_cache,
    scene_for_pose,
    stored,
)
from routinekit.illustrations.scene import place_bodies
from routinekit.illustrations.shapes import GHOST, Scene
from routinekit.library import BUILTIN_FILE, load_exercise_file
from routinekit.model.pose import View

EXERCISES = {ex.id: ex for ex in load_exercise_file(BUILTIN_FILE)}
WITH_START = sorted(i for i, p in builtin_poses().items() if any(k.start for k in p.keyframes))


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _scene(ident: str) -> Scene:
    return scene_for_pose(builtin_poses()[ident], EXERCISES[ident].name)


@pytest.mark.parametrize("ident", sorted(EXERCISES))
def test_no_builtin_picture_draws_a_grey_ghost_over_its_figure(ident: str) -> None:
    pose = builtin_poses()[ident]
    assert not any(k.ghost for k in pose.keyframes), f"{ident}: use start: true, not ghost"
    greys = [s for s in _scene(ident).shapes if s.kind != "arrow" and s.stroke == GHOST]
    main = _scene(ident).regions["main"]
    for s in greys:  # only the start frame's own box and the mat are drawn in grey
        inside_main = all(main[0] <= x <= main[2] and main[1] <= y <= main[3] for x, y in s.points)
        assert not (inside_main and s.kind == "poly" and s.fill is not None and s.fill > 0.99)


def test_the_exercises_that_begin_elsewhere_show_their_start() -> None:
    assert {"childs-pose", "childs-pose-chair", "hip-lift", "hip-hinge"} <= set(WITH_START)


@pytest.mark.parametrize("ident", WITH_START)
def test_the_start_frame_is_beside_the_main_figure_not_over_it(ident: str) -> None:
    scene = _scene(ident)
    start, main = scene.regions["start"], scene.regions["main"]
    assert not _overlap(start, main), f"{ident}: start frame {start} overlaps {main}"
    # small: the main figure is the one the patient reads first
    size = max(start[2] - start[0], start[3] - start[1])
    assert size < 0.75 * max(main[2] - main[0], main[3] - main[1])
    x0, y0, x1, y1 = scene.bounds()
    assert x0 <= start[0] and start[2] <= x1 and y0 <= start[1] and start[3] <= y1


def test_a_third_party_ghost_pose_still_draws_behind() -> None:
    pose = Pose(
        keyframes=(
            Keyframe(trunk=180, ghost=True, leg_near=Leg(hip=45, knee=90, ankle=45)),
            Keyframe(trunk=180, leg_near=Leg(hip=90, knee=90)),
        )
    )
    scene = scene_for_pose(pose)
    assert "start" not in scene.regions
    assert any(s.stroke == GHOST and s.kind == "poly" for s in scene.shapes)


def test_a_pose_of_only_start_frames_is_refused() -> None:
    from routinekit.illustrations.scene import PoseError

    with pytest.raises(PoseError, match="start"):
        scene_for_pose(Pose(keyframes=(Keyframe(start=True),)))


def test_the_picture_cache_key_covers_the_pose_model() -> None:
    assert stored.POSE_MODEL.is_file()
    assert stored.POSE_MODEL.name == "pose.py"


ROTATIONS = sorted(i for i, ex in EXERCISES.items() if "rotation" in ex.movements)


def test_every_rotation_is_known() -> None:
    assert {
        "supine-spinal-rotation",
        "lying-trunk-rotation",
        "side-lying-spinal-rotation",
        "single-leg-over",
    } <= set(ROTATIONS)


@pytest.mark.parametrize("ident", ROTATIONS)
def test_every_rotation_is_seen_from_the_side_or_three_quarter_on(ident: str) -> None:
    pose = builtin_poses()[ident]
    assert pose.view in (View.SIDE, View.THREE_QUARTER), f"{ident}: a top view is hard to read"
    if EXERCISES[ident].position.value in ("supine", "side-lying", "prone"):
        x0, y0, x1, y1 = _scene(ident).regions["main"]
        assert x1 - x0 > y1 - y0, f"{ident}: a lying body is wider than tall"


LYING_ROTATIONS = [i for i in ROTATIONS if builtin_poses()[i].view is View.THREE_QUARTER]


@pytest.mark.parametrize("ident", LYING_ROTATIONS)
def test_a_lying_rotation_rests_on_the_floor_and_turns(ident: str) -> None:
    pose = builtin_poses()[ident]
    bodies = place_bodies(pose)
    for body in bodies:
        assert body.below_floor < 1.0
        # lying on the floor: the pelvis no higher than a lying trunk is thick
        assert 5 < body.pelvis_up < 20, f"{ident}: pelvis {body.pelvis_up:.0f} cm up"
    main = [k for k in pose.keyframes if not k.start]
    assert all(abs(k.twist) >= 40 for k in main), f"{ident}: the main picture shows the turn"


def _hand_to_knee(ident: str) -> float:
    pose = builtin_poses()[ident]
    body = place_bodies(pose)[-1]
    return math.dist(body.points["hand-near"], body.points["knee-far"])


def test_lying_trunk_rotation_matches_its_card() -> None:
    """Seed 002: one leg straight, the other knee bent and guided across toward the floor
    by the opposite hand, shoulders flat."""
    pose = builtin_poses()["lying-trunk-rotation"]
    start, main = pose.keyframes
    assert start.start and start.leg_near.knee == 0 and start.leg_far is not None
    assert start.leg_far.knee >= 60  # the other knee bent
    assert main.leg_near.knee == 0 and main.leg_far is not None and main.leg_far.knee >= 60
    assert main.leg_far.out < 0  # across the body
    assert main.roll == 0 and main.twist > 40  # shoulders flat, the pelvis turned
    assert _hand_to_knee("lying-trunk-rotation") < 15, "the opposite hand guides the knee"
    words = " ".join(EXERCISES["lying-trunk-rotation"].steps).lower()
    assert "one leg straight" in words and "across your body" in words and "shoulders flat" in words


def test_single_leg_over_matches_its_card() -> None:
    """Legs straight and arms out, then one bent knee across to the floor: not a leg swing."""
    pose = builtin_poses()["single-leg-over"]
    start, main = pose.keyframes
    assert start.leg_far is None and start.leg_near.knee == 0 and start.arm_near.out >= 60
    assert main.leg_far is not None and main.leg_far.knee >= 60 and main.leg_far.out < 0
    assert main.leg_near.knee == 0 and main.arm_near.out >= 60 and main.twist > 40
    words = " ".join(EXERCISES["single-leg-over"].steps).lower()
    assert "bend one knee" in words and "arms out" in words


@pytest.mark.parametrize("ident", sorted(EXERCISES))
def test_every_builtin_exercise_draws_in_both_renderers(ident: str) -> None:
    from routinekit.illustrations import drawing_for, pdf_picture_for, svg_for

    ex = EXERCISES[ident]
    assert drawing_for(ex, 34, 25.5) is not None
    assert svg_for(ex, 34) is not None
    assert pdf_picture_for(ex, 34, 25.5) is not None


def test_three_quarter_angles_are_refused_in_a_flat_view() -> None:
    from routinekit.illustrations.scene import PoseError

    with pytest.raises(PoseError, match="three-quarter"):
        scene_for_pose(Pose(keyframes=(Keyframe(trunk=180, twist=30),)))


def test_props_are_refused_in_a_three_quarter_view() -> None:
    from routinekit.illustrations import Prop
    from routinekit.illustrations.scene import PoseError

    pose = Pose(view=View.THREE_QUARTER, keyframes=(Keyframe(),), props=(Prop(kind="chair"),))
    with pytest.raises(PoseError, match="three-quarter"):
        scene_for_pose(pose)
