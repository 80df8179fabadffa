"""Positions and needs as data: the library's tags are true, limits parse in a therapist's
words, and the substitution of an alternative is a pure, safe choice."""

from __future__ import annotations

from functools import cache

import msgspec
import pytest

from routinekit.constraints import LIMITS, known_words, parse_exclusions, substitute
from routinekit.errors import UserError
from routinekit.illustrations import builtin_poses
from routinekit.library import BUILTIN_FILE, load_exercise_file
from routinekit.model import Exercise, Need, Position
from routinekit.tag_check import tag_problems
from routinekit.vocabulary import FLOOR_POSITIONS


@cache
def library() -> dict[str, Exercise]:
    return {e.id: e for e in load_exercise_file(BUILTIN_FILE)}


@pytest.mark.parametrize("ident", sorted(library()))
def test_every_library_exercise_is_tagged_truthfully(ident: str) -> None:
    ex = library()[ident]
    assert tag_problems(ex, builtin_poses().get(ident), library()) == []
    assert Position.SEATED not in ex.body_positions  # chair or floor, always said
    pose = builtin_poses()[ident]
    assert all(k.position is not None for k in pose.keyframes), "each keyframe names its position"


def test_the_tag_check_catches_a_floor_stretch_tagged_as_a_chair_one() -> None:
    ex = library()["seated-hamstring-stretch"]
    wrong = msgspec.structs.replace(ex, position=Position.CHAIR_SITTING)
    problems = tag_problems(wrong, builtin_poses()[ex.id], library())
    assert any("Sit on the floor" in p for p in problems)
    assert any("keyframe 0 shows floor-sitting" in p for p in problems)


def test_the_library_tells_a_chair_from_the_floor_and_knees_from_feet() -> None:
    lib = library()
    assert lib["seated-hamstring-stretch"].position is Position.FLOOR_SITTING
    assert lib["seated-twist"].position is Position.CHAIR_SITTING
    assert Need.CHAIR in lib["seated-twist"].all_needs
    for kneels in ("childs-pose", "cat-cow", "pigeon-stretch"):
        assert parse_exclusions(["kneeling"], lib).reason(lib[kneels]), kneels
    assert Need.FLOOR_SPACE in lib["knees-to-chest"].all_needs
    assert Need.FLOOR_SPACE not in lib["walking"].all_needs


@pytest.mark.parametrize(
    ("word", "kept"),
    [
        (
            "floor",
            {
                "childs-pose-chair",
                "seated-twist",
                "hamstring-stretch-chair",
                "walking",
                "hip-hinge",
            },
        ),
        ("chair-only", {"childs-pose-chair", "seated-twist", "hamstring-stretch-chair"}),
        ("standing", None),
        ("lying", None),
        ("no-chair", None),
    ],
)
def test_each_limit_leaves_out_what_it_says(word: str, kept: set[str] | None) -> None:
    lib = library()
    exclusions = parse_exclusions([word], lib)
    allowed = {i for i, e in lib.items() if exclusions.reason(e) is None}
    if kept is not None:
        assert allowed == kept
    for ident in allowed:
        ex = lib[ident]
        if word == "standing":
            assert Position.STANDING not in ex.body_positions
        if word == "lying":
            assert not {Position.SUPINE, Position.PRONE, Position.SIDE_LYING} & set(
                ex.body_positions
            )
        if word == "no-chair":
            assert Need.CHAIR not in ex.all_needs
    if word == "floor":
        assert all(not set(lib[i].body_positions) & FLOOR_POSITIONS for i in allowed)


@pytest.mark.parametrize(
    ("written", "word"),
    [
        ("Kneel", "kneeling"),
        ("hands and knees", "quadruped"),
        ("no chair", "no-chair"),
        ("without band", "no-band"),
        ("band", "no-band"),
        ("side lying", "side-lying"),
        ("wheelchair", "chair-only"),
        ("twisting", "rotation"),
    ],
)
def test_limits_can_be_written_the_way_a_therapist_says_them(written: str, word: str) -> None:
    assert parse_exclusions([written], library()).tokens == (word,)


def test_an_unknown_word_lists_the_known_ones_and_suggests_the_closest() -> None:
    with pytest.raises(UserError) as info:
        parse_exclusions(["kneelng"], library())
    line = info.value.one_line()
    assert "\n" not in line
    assert "did you mean 'kneeling'?" in line
    for word in ("floor", "kneeling", "prone", "supine", "side-lying", "lying", "standing"):
        assert word in known_words() and word in line
    assert "no-chair" in line and "exercise id" in line
    assert set(LIMITS) <= set(known_words())


def test_substitution_takes_the_alternative_only_when_it_meets_every_limit() -> None:
    lib = library()
    child = lib["childs-pose"]
    kneeling = parse_exclusions(["kneeling"], lib)
    sub = substitute(child, kneeling, lib)
    assert sub is not None and sub.replacement.id == "childs-pose-chair"
    assert "cannot kneel" in sub.reason and "Child's Pose in a Chair" in sub.explanation
    assert substitute(child, parse_exclusions(["kneeling", "no-chair"], lib), lib) is None
    assert substitute(child, parse_exclusions(["childs-pose"], lib), lib) is None  # by id
    assert substitute(child, parse_exclusions(["prone"], lib), lib) is None  # not excluded
    assert substitute(child, kneeling, lib, taken={"childs-pose-chair"}) is None
