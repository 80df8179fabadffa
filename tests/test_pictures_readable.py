"""Pictures a patient can read (issue 15, item 7): the start position in its own frame,
never drawn over the main figure; rotations seen from the side or three-quarter on."""

from __future__ import annotations

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
from routinekit.illustrations.shapes import GHOST, Scene
from routinekit.library import BUILTIN_FILE, load_exercise_file

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
