"""Drawing is part of a source's contract (issue 17): a pose that cannot be drawn, or a
prop no plugin registers, fails ``check_source`` and ``--strict-plugins``, and at build
time it is the plugin's fault (exit 3, naming the plugin and the exercise), not the user's.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from pathlib import Path

import msgspec
import pytest

from routinekit.contracts import ExerciseSource
from routinekit.illustrations import Keyframe, Leg, Point, Pose, Prop
from routinekit.model import Exercise
from routinekit.plugins.sandbox import install_packages, run_cli
from routinekit.testing import ContractError, check_source

PLUGIN = Path(__file__).parent / "plugins" / "routinekit-badpose"


def _bad_module():  # the test plugin's module, imported from its folder (no install)
    sys.path.insert(0, str(PLUGIN))
    try:
        return importlib.import_module("routinekit_badpose")
    finally:
        sys.path.remove(str(PLUGIN))


class _One(ExerciseSource):
    id = "one"
    description = "one exercise"

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise

    def exercises(self) -> Iterable[Exercise]:
        return (self.exercise,)


def _exercise(pose: Pose) -> Exercise:
    base = next(iter(_bad_module().BadPoseSource().exercises()))
    return msgspec.structs.replace(base, id="t-one", pose=pose)


def test_check_source_draws_every_pose_and_names_the_exercise() -> None:
    with pytest.raises(
        ContractError,
        match=r"source 'badpose': exercise 'bp-deep-squat': its pose cannot be drawn: .*knee",
    ):
        check_source(_bad_module().BadPoseSource())


def test_check_source_refuses_a_prop_kind_no_plugin_registers() -> None:
    pose = Pose(
        keyframes=(Keyframe(trunk=90, leg_near=Leg(hip=10, knee=10)),),
        props=(Prop(kind="trampoline", under=Point.FOOT_NEAR),),
    )
    with pytest.raises(
        ContractError, match=r"exercise 't-one': its pose cannot be drawn: .*trampoline"
    ):
        check_source(_One(_exercise(pose)))


def test_a_drawable_pose_passes() -> None:
    pose = Pose(keyframes=(Keyframe(trunk=90, leg_near=Leg(hip=10, knee=40)),))
    assert [e.id for e in check_source(_One(_exercise(pose)))] == ["t-one"]


@pytest.mark.hook("register_sources")
def test_strict_plugins_and_build_blame_the_plugin(tmp_path: Path) -> None:
    plugins = install_packages(PLUGIN, target=tmp_path / "site", cache=False)
    strict = run_cli("--strict-plugins", "plugins", plugins=[plugins])
    assert strict.returncode != 0, strict.stdout
    assert "plugin 'badpose'" in strict.stderr and "bp-deep-squat" in strict.stderr, strict.stderr
    assert "Traceback" not in strict.stderr

    loose = run_cli("plugins", plugins=[plugins])  # without --strict-plugins a listing still works
    assert loose.returncode == 0, loose.stderr

    routine = tmp_path / "r.yaml"
    routine.write_text("id: r\ntitle: Squats\nexercises: [bp-deep-squat]\n", encoding="utf-8")
    out = tmp_path / "r.pdf"
    built = run_cli("build", str(routine), "-o", str(out), "--no-exercise-qr", plugins=[plugins])
    assert built.returncode == 3, built.stderr
    line = built.stderr.strip().splitlines()[-1]
    assert line.startswith("Error: plugin 'badpose'"), built.stderr
    assert "exercise 'bp-deep-squat'" in line and "cannot be drawn" in line
    assert not out.exists()
