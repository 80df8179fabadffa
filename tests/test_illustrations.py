"""Illustrations: every built-in exercise has a valid pose that matches its text and renders."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import msgspec
import pytest

from routinekit.illustrations import (
    Keyframe,
    Leg,
    Pose,
    Prop,
    builtin_poses,
    clear_cache,
    drawing_for,
    pose_for,
    scene_for_pose,
    svg_for,
)
from routinekit.illustrations.scene import PoseError, place_bodies
from routinekit.library import BUILTIN_FILE, load_exercise_file
from routinekit.model import Exercise, Position
from routinekit.model.pose import Plane, View

EXERCISES = {ex.id: ex for ex in load_exercise_file(BUILTIN_FILE)}
MM = 72 / 25.4


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()


def _exercise(pose: Pose | None = None, ident: str = "my-stretch") -> Exercise:
    return Exercise(
        id=ident,
        name="My Stretch",
        objective="Stretch.",
        steps=("Do it.",),
        position=Position.SUPINE,
        movements=("flexion",),  # type: ignore[arg-type]
        pose=pose,
    )


def test_every_builtin_exercise_has_a_pose_and_no_pose_is_orphaned() -> None:
    assert set(builtin_poses()) == set(EXERCISES)


@pytest.mark.parametrize("ident", sorted(EXERCISES))
def test_every_builtin_pose_renders_as_drawing_pdf_and_svg(ident: str) -> None:
    from reportlab.graphics import renderPDF

    ex = EXERCISES[ident]
    drawing = drawing_for(ex, 40)
    assert drawing is not None
    assert drawing.width == pytest.approx(40 * MM)
    assert 8 * MM < drawing.height <= 30 * MM + 0.01
    assert renderPDF.drawToString(drawing).startswith(b"%PDF")
    svg = svg_for(ex, 40)
    assert svg is not None
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == "40.0mm"
    assert root.get("aria-label") == ex.name
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 10


def _front(kf: Keyframe) -> tuple[float, float]:
    """Unit vector of where the belly faces in a side view."""
    x, y = math.cos(math.radians(kf.trunk - 90)), math.sin(math.radians(kf.trunk - 90))
    return (-x if kf.mirror else x, y)


def _main(pose: Pose) -> list[Keyframe]:
    return [k for k in pose.keyframes if not k.ghost] or list(pose.keyframes)


def _knees(kf: Keyframe) -> list[float]:
    legs = [kf.leg_near] + ([kf.leg_far] if kf.leg_far else [])
    return [abs(leg.knee) for leg in legs]


@pytest.mark.parametrize("ident", sorted(EXERCISES))
def test_the_pose_matches_the_words(ident: str) -> None:
    """Prone where it says prone, knees bent where it says bent, the chair where it says chair."""
    ex = EXERCISES[ident]
    pose = builtin_poses()[ident]
    words = " ".join(ex.steps).lower()
    frames = list(pose.keyframes)
    if ex.position is Position.PRONE:
        assert all(_front(k)[1] < -0.3 for k in frames if k.trunk < 45), "face down"
        assert any(k.trunk <= 40 for k in frames)
    if ex.position is Position.SUPINE and pose.view is View.SIDE:
        assert all(_front(k)[1] > 0.7 for k in frames), "on the back"
    if ex.position is Position.SUPINE and pose.view is View.TOP:
        assert all((k.plane or Plane.FRONTAL) is Plane.FRONTAL for k in frames)
    if ex.position is Position.SUPINE and pose.view is View.THREE_QUARTER:
        assert all(abs(k.roll) < 30 and abs(_front(k)[1]) > 0.7 for k in frames), "on the back"
    if ex.position is Position.SIDE_LYING:
        assert pose.view is View.THREE_QUARTER
        assert any(abs(k.roll + k.twist) >= 80 for k in frames), "on one side"
    if ex.position is Position.STANDING:
        assert any(abs(k.trunk - 90) < 5 for k in frames), "stands up straight"
    if ex.position is Position.QUADRUPED:
        assert any(max(_knees(k)) >= 80 and k.arm_near.shoulder >= 60 for k in frames), (
            "hands and knees"
        )
    if "knees bent" in words or "knee bent" in words or "knees a little bent" in words:
        assert all(max(_knees(k)) >= 5 for k in _main(pose)), "knees bent"
    if "knees bent and" in words or "hips and knees bent" in words:
        assert any(max(_knees(k)) >= 60 for k in frames)
    if "legs straight" in words:
        assert _knees(pose.keyframes[0]) == [0, 0] or pose.keyframes[0].leg_far is None
    if "chair" in words:
        assert any(p.kind == "chair" for p in pose.props), "the chair where it says chair"
    if ex.position is Position.SEATED and "chair" in words:
        assert any(p.kind == "chair" and p.sit for p in pose.props)


@pytest.mark.parametrize("ident", sorted(EXERCISES))
def test_bodies_rest_on_the_floor_or_the_chair(ident: str) -> None:
    pose = builtin_poses()[ident]
    if pose.view is not View.SIDE:
        return
    for body in place_bodies(pose):
        low = min(p[1] - s.radius for s in body.shapes for p in s.points)
        assert abs(low) < 1.0, f"{ident}: keyframe floats or sinks ({low:.1f} cm)"
        if any(p.sit for p in pose.props):
            assert body.points["pelvis"][1] > 40  # on the seat, not on the floor


def test_a_body_below_the_floor_is_rejected() -> None:
    pose = Pose(keyframes=(Keyframe(pelvis_height=30),))  # legs are 85 cm long
    with pytest.raises(PoseError, match="below the floor"):
        scene_for_pose(pose)


@pytest.mark.parametrize(
    ("leg", "joint"),
    [(Leg(knee=-40), "knee"), (Leg(knee=200), "knee"), (Leg(hip=-90), "hip")],
)
def test_an_impossible_joint_angle_is_rejected(leg: Leg, joint: str) -> None:
    pose = Pose(keyframes=(Keyframe(trunk=180, leg_near=leg),))
    with pytest.raises(PoseError, match=rf"{joint} \(near\) angle .* outside what a body can do"):
        scene_for_pose(pose)


def test_a_leg_through_the_head_is_rejected() -> None:
    pose = Pose(keyframes=(Keyframe(trunk=0, spine=40, leg_near=Leg(hip=155)),))
    with pytest.raises(PoseError, match="near shin passes through the neck"):
        scene_for_pose(pose)


def test_an_unknown_prop_is_rejected_with_the_known_ones() -> None:
    pose = Pose(keyframes=(Keyframe(),), props=(Prop(kind="trampoline"),))
    with pytest.raises(PoseError, match=r"unknown prop 'trampoline'.*chair"):
        scene_for_pose(pose)


def test_a_bad_pose_names_the_exercise_in_one_line() -> None:
    bad = Pose(keyframes=(Keyframe(leg_near=Leg(knee=-40)),))
    with pytest.raises(PoseError) as info:
        drawing_for(_exercise(bad))
    assert "exercise 'my-stretch'" in info.value.one_line()
    assert "\n" not in info.value.one_line()


def test_a_source_can_supply_a_pose_and_its_own_pose_wins() -> None:
    own = Pose(keyframes=(Keyframe(trunk=180),))
    assert svg_for(_exercise(None)) is None
    assert drawing_for(_exercise(None)) is None
    assert pose_for(_exercise(own)) is own
    assert svg_for(_exercise(own)) is not None
    walking = EXERCISES["walking"]
    replaced = msgspec.structs.replace(walking, pose=own)
    assert pose_for(walking) is builtin_poses()["walking"]
    assert pose_for(replaced) is own
    assert svg_for(replaced) != svg_for(walking)


def test_a_pose_decodes_from_plain_exercise_data() -> None:
    data = msgspec.to_builtins(_exercise())
    data["pose"] = {
        "keyframes": [{"trunk": 180, "leg_near": {"hip": 45, "knee": 90}}],
        "props": [{"kind": "pillow", "under": "head"}],
    }
    ex = msgspec.convert(data, Exercise)
    assert ex.pose is not None and ex.pose.keyframes[0].leg_near.knee == 90
    with pytest.raises(msgspec.ValidationError, match="knee"):
        data["pose"]["keyframes"][0]["leg_near"] = {"knee": "bent"}
        msgspec.convert(data, Exercise)


def test_mirror_flips_the_picture() -> None:
    plain = place_bodies(Pose(keyframes=(Keyframe(trunk=0),)))[0]
    flipped = place_bodies(Pose(keyframes=(Keyframe(trunk=0, mirror=True),)))[0]
    assert plain.points["head"][0] == pytest.approx(-flipped.points["head"][0])
    assert plain.points["head"][1] == pytest.approx(flipped.points["head"][1])


def test_each_picture_is_built_once_per_process() -> None:
    ex = EXERCISES["cat-cow"]
    first = drawing_for(ex, 40)
    assert drawing_for(ex, 40) is first
    assert svg_for(ex, 40) is svg_for(ex, 40)
    assert drawing_for(ex, 60) is not first


def test_importing_the_package_does_not_import_reportlab() -> None:
    import subprocess
    import sys

    code = (
        "import sys, routinekit.illustrations, routinekit.model; print('reportlab' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_draws_one_exercise_as_svg_pdf_and_png(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    svg = tmp_path / "cat.svg"
    result = run_cli("exercises", "show", "cat-cow", "--picture", svg)
    assert result.code == 0, result.err
    assert "Cat-Cow" in result.out
    ET.fromstring(svg.read_text(encoding="utf-8"))
    pdf = tmp_path / "cat.pdf"
    assert run_cli("exercises", "show", "cat-cow", "--picture", pdf).code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    png = tmp_path / "cat.png"
    result = run_cli("exercises", "show", "cat-cow", "--picture", png)
    if result.code == 0:
        assert png.read_bytes().startswith(b"\x89PNG")
    else:  # no rasteriser installed: a clear one-line error, nothing written
        assert "cannot make a PNG" in result.err and not png.exists()


def test_cli_refuses_an_unknown_picture_format(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("exercises", "show", "walking", "--picture", tmp_path / "w.gif")
    assert result.code == 2
    assert "name the file .svg, .png or .pdf" in result.err
