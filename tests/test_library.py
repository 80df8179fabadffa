"""The built-in exercise library: every exercise the seeds describe, valid, with seed doses."""

from __future__ import annotations

import pytest

from routinekit.errors import PluginError, UnknownIdError
from routinekit.library import BUILTIN_FILE, Library, library_for, load_exercise_file
from routinekit.model import Movement, Position
from routinekit.plugins.host import PluginHost
from routinekit.text import dose_text

REQUIRED = {
    "childs-pose": "Child's Pose",
    "childs-pose-chair": "Chair",
    "knees-to-chest": "Knees to Chest",
    "single-knee-to-chest": "Knee to Chest",
    "prone-on-elbows": "Prone on Elbows",
    "prone-press-up": "Press-Up",
    "back-extension": "Back Extension",
    "supine-spinal-rotation": "Rotation",
    "lying-trunk-rotation": "Lying Trunk Rotation",
    "side-lying-spinal-rotation": "Rotation",
    "single-leg-over": "Single Leg Over",
    "cat-cow": "Cat",
    "seated-hamstring-stretch": "Hamstring",
    "pigeon-stretch": "Pigeon",
    "seated-twist": "Seated Twist",
    "hip-lift": "Hip Lift",
    "deep-breathing": "Breathing",
    "walking": "Walking",
    "hip-hinge": "Hip Hinge",
    "ninety-ninety-rest": "90/90",
}


def test_builtin_library_has_every_seed_exercise() -> None:
    lib = {e.id: e for e in load_exercise_file(BUILTIN_FILE)}
    for ident, name_part in REQUIRED.items():
        assert ident in lib, ident
        assert name_part.lower() in lib[ident].name.lower(), (ident, lib[ident].name)


def test_builtin_exercises_are_complete_and_sourced() -> None:
    for ex in load_exercise_file(BUILTIN_FILE):
        assert len(ex.steps) >= 2, ex.id
        assert not ex.dose.is_empty, ex.id
        assert ex.source and ex.licence, ex.id
        assert ex.video_url is None, "no real video URL is known for the built-in library"


def test_seed_doses_and_positions() -> None:
    lib = {e.id: e for e in load_exercise_file(BUILTIN_FILE)}
    assert dose_text(lib["childs-pose"].dose).startswith("Hold 30-60 seconds")
    assert lib["prone-on-elbows"].position is Position.PRONE
    assert (
        lib["prone-on-elbows"].dose.hold is not None and lib["prone-on-elbows"].dose.hold.low == 10
    )
    assert dose_text(lib["single-knee-to-chest"].dose).startswith(
        "Hold 10 seconds, repeat 6-7 times"
    )
    assert lib["single-leg-over"].flexion_with_rotation
    assert Movement.AEROBIC in lib["walking"].movements


def test_misspelled_id_suggests_the_closest(host: PluginHost) -> None:
    lib = library_for(host)
    with pytest.raises(UnknownIdError) as err:
        lib.get("child-pse")
    assert "did you mean 'childs-pose'?" in err.value.one_line()
    assert lib.suggest("Lying Trunk Rotation") == "lying-trunk-rotation"
    assert lib.suggest("Supine Spinal Rotations") == "supine-spinal-rotation"


def test_duplicate_exercise_ids_name_both_plugins() -> None:
    ex = load_exercise_file(BUILTIN_FILE)[0]
    lib = Library([(ex, "builtin")])
    with pytest.raises(PluginError) as err:
        lib.add(ex, "clinic-list")
    assert "clinic-list" in str(err.value) and "builtin" in str(err.value)
