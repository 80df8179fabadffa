"""The built-in sequencing strategies: the issue's "Done when" and each strategy's rules."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from routinekit import api
from routinekit.files.routine_file import load_routine_text
from routinekit.model import Movement, Phase, Range
from routinekit.pipeline import BuildResult
from routinekit.plugins.host import PluginHost
from routinekit.request import BuildOptions
from routinekit.strategies import builtin_strategies
from routinekit.strategies.common import BUDGET_SLACK_SECONDS, Stage, stage_of

BUILTIN_IDS = ("as-written", "progressive", "acute", "prevention", "spine-sparing")


def build(
    routine: Path | str, host: PluginHost, strategy: str | None = None, **overrides: object
) -> BuildResult:
    return api.build_handout(
        routine,
        strategy=strategy,
        options=BuildOptions(**overrides),  # type: ignore[arg-type]
        clinic=None,
        host=host,
    )


def ids(result: BuildResult) -> list[str]:
    return [i.exercise.id for i in result.handout.items]


def routine_text(*entries: str, strategy: str = "as-written", extra: str = "") -> str:
    lines = "\n".join(f"  - {e}" for e in entries)
    return (
        f"id: test-routine\ntitle: Test\nstrategy:\n  id: {strategy}\n{extra}"
        f"red_flags: [Burning pain down one leg]\nexercises:\n{lines}\n"
    )


def test_every_builtin_is_registered_through_the_hook(host: PluginHost) -> None:
    found = host.strategies()
    for ident in BUILTIN_IDS:
        assert ident in found
        assert found[ident].plugin == "strategies"
    assert {s.id for s in builtin_strategies()} == set(BUILTIN_IDS)


# -- Done when: progressive -------------------------------------------------------------------


def coarse_stage(movements: tuple[Movement, ...]) -> int:
    if Movement.ROTATION in movements:
        return 2
    if Movement.EXTENSION in movements:
        return 1
    return 0


def test_progressive_acute_template_relief_then_extension_then_rotation(
    host: PluginHost, acute_template: Path
) -> None:
    result = build(acute_template, host, "progressive")
    order = ids(result)
    stages = [coarse_stage(i.exercise.movements) for i in result.handout.items]
    assert stages == sorted(stages)
    relief = [order.index(x) for x in ("childs-pose", "knees-to-chest")]
    extension = [order.index(x) for x in ("prone-on-elbows", "prone-press-up")]
    rotation = [
        order.index(x)
        for x in ("supine-spinal-rotation", "side-lying-spinal-rotation", "single-leg-over")
    ]
    assert max(relief) < min(extension)
    assert max(extension) < min(rotation)
    assert len(order) == 8  # nothing of the template is lost


def test_progressive_groups_start_with_then_progress_to(
    host: PluginHost, acute_template: Path
) -> None:
    groups = build(acute_template, host, "progressive").handout.groups
    assert [g.title for g in groups] == ["Start with these", "When these feel easier"]
    assert all(stage_of(i.exercise) is Stage.ROTATION for i in groups[1].items)
    assert not any(stage_of(i.exercise) is Stage.ROTATION for i in groups[0].items)
    assert all(g.intro for g in groups)


def test_progressive_sorts_by_difficulty_within_a_stage(
    host: PluginHost, acute_template: Path
) -> None:
    items = build(acute_template, host, "progressive").handout.items
    for a, b in itertools.pairwise(items):
        if stage_of(a.exercise) == stage_of(b.exercise):
            assert a.exercise.difficulty <= b.exercise.difficulty


def test_cat_cow_counts_as_extension(host: PluginHost, acute_template: Path) -> None:
    items = build(acute_template, host, "progressive").handout.items
    cat_cow = next(i for i in items if i.exercise.id == "cat-cow")
    assert stage_of(cat_cow.exercise) is Stage.EXTENSION
    assert cat_cow.reason and "both ways" in cat_cow.reason
    order = [i.exercise.id for i in items]
    assert order.index("knees-to-chest") < order.index("cat-cow") < order.index("prone-press-up")


# -- Done when: spine-sparing -----------------------------------------------------------------


def test_spine_sparing_leaves_out_flexion_with_rotation_and_says_why(
    host: PluginHost, acute_template: Path
) -> None:
    result = build(acute_template, host, "spine-sparing")
    placed = ids(result)
    assert "side-lying-spinal-rotation" not in placed
    assert "single-leg-over" not in placed
    assert "supine-spinal-rotation" in placed  # twists without bending may stay
    reasons = {lo.exercise_id: lo.reason for lo in result.handout.left_out}
    for ident in ("side-lying-spinal-rotation", "single-leg-over"):
        assert "bends forward and twists at the same time" in reasons[ident]
    assert not any(i.exercise.flexion_with_rotation for i in result.handout.items)


def test_spine_sparing_puts_breathing_walking_and_neutral_work_first(host: PluginHost) -> None:
    text = routine_text(
        "childs-pose",
        "hip-hinge",
        "seated-twist",
        "walking",
        "cat-cow",
        "deep-breathing",
        strategy="spine-sparing",
    )
    result = build(load_routine_text(text), host)
    assert ids(result) == ["deep-breathing", "walking", "hip-hinge", "childs-pose", "cat-cow"]
    assert [g.title for g in result.handout.groups] == ["Relax and keep moving", "Gentle stretches"]
    assert [lo.exercise_id for lo in result.handout.left_out] == ["seated-twist"]
    assert not result.handout.strategy_notes  # it has the spine-sparing work, no hint needed


def test_spine_sparing_notes_when_the_routine_lacks_its_first_exercises(
    host: PluginHost, acute_template: Path
) -> None:
    notes = build(acute_template, host, "spine-sparing").handout.strategy_notes
    assert any("no breathing, walking or straight-spine" in n for n in notes)


# -- Done when: prevention --------------------------------------------------------------------


def low_seconds(result: BuildResult) -> float:
    return sum(i.dose.seconds("low") for i in result.handout.items)


def test_prevention_fits_the_five_minute_budget_and_says_how_it_counted(
    host: PluginHost, prevention_template: Path
) -> None:
    result = build(prevention_template, host)
    assert result.handout.strategy_id == "prevention"
    # seed 002's 7 stretches at its doses (Cat-Cow for 30 s) take 5.5 minutes of the 7
    assert len(result.handout.items) == 7
    assert low_seconds(result) <= 7 * 60 + BUDGET_SLACK_SECONDS
    note = result.handout.strategy_notes[0]
    assert note.startswith("7 exercises, about 6 minutes")
    assert "Child's Pose 30 s" in note and "low end of each dose" in note
    assert result.handout.regimen.times_per_day == Range(2, 3)


def test_prevention_defaults_to_five_minutes_when_nothing_says(host: PluginHost) -> None:
    entries = ("cat-cow", "seated-hamstring-stretch", "pigeon-stretch", "childs-pose")
    text = routine_text(*entries, "walking", strategy="prevention")
    result = build(load_routine_text(text), host)
    assert low_seconds(result) <= 5 * 60 + BUDGET_SLACK_SECONDS
    assert "walking" not in ids(result)  # 5 minutes of walking does not fit after the stretches
    reason = next(lo.reason for lo in result.handout.left_out if lo.exercise_id == "walking")
    assert "does not fit the 5-minute time budget" in reason
    assert "Budget: 5 minutes a session" in result.handout.strategy_notes[0]


def test_prevention_tight_budget_drops_stretches_with_reasons(
    host: PluginHost, prevention_template: Path
) -> None:
    result = build(prevention_template, host, minutes=2)
    assert low_seconds(result) <= 2 * 60 + BUDGET_SLACK_SECONDS
    dropped = [lo for lo in result.handout.left_out if "time budget" in lo.reason]
    assert dropped
    assert len(result.handout.items) + len(dropped) == 7


def test_prevention_chooses_hip_and_core_work_first(host: PluginHost) -> None:
    text = routine_text(
        "single-knee-to-chest",
        "seated-hamstring-stretch",
        "pigeon-stretch",
        "childs-pose",
        "hip-lift",
        "hip-hinge",
        strategy="prevention",
        extra="  minutes: 1.5\n",
    )
    result = build(load_routine_text(text), host)
    placed = ids(result)
    assert "hip-lift" in placed and "hip-hinge" in placed
    assert result.handout.groups[-1].title == "Hip and core strength"
    assert [i.exercise.id for i in result.handout.groups[-1].items] == ["hip-lift", "hip-hinge"]
    assert low_seconds(result) <= 1.5 * 60 + BUDGET_SLACK_SECONDS


def test_prevention_keeps_to_the_prevention_phase_unless_told(
    host: PluginHost, acute_template: Path
) -> None:
    result = build(acute_template, host, "prevention")
    assert all(Phase.PREVENTION in i.exercise.phases for i in result.handout.items)
    reasons = {lo.exercise_id: lo.reason for lo in result.handout.left_out}
    assert "not the prevention phase" in reasons["prone-press-up"]
    asked = build(acute_template, host, "prevention", phase=Phase.PROGRESSION)
    assert "prone-press-up" in ids(asked)


# -- acute ------------------------------------------------------------------------------------


def test_acute_only_acute_exercises_at_the_low_end(host: PluginHost, acute_template: Path) -> None:
    result = build(acute_template, host, "acute")
    handout = result.handout
    assert handout.items
    assert all(Phase.ACUTE in i.exercise.phases for i in handout.items)
    for item in handout.items:
        for field in ("hold", "reps", "minutes"):
            rng = getattr(item.dose, field)
            assert rng is None or rng.is_single
    by_id = {i.exercise.id: i for i in handout.items}
    assert by_id["childs-pose"].dose.hold == Range(30)
    assert by_id["prone-on-elbows"].dose.hold == Range(10)
    assert handout.section_order[:2] == ("red_flags", "self_care")
    assert handout.regimen.times_per_day == Range(3, 5)
    left = {lo.exercise_id for lo in handout.left_out}
    assert {"cat-cow", "prone-press-up", "single-leg-over"} <= left


def test_acute_frequency_comes_from_the_routine_when_set(host: PluginHost) -> None:
    text = routine_text("childs-pose", strategy="acute", extra="  times_per_day: 4-6\n")
    result = build(load_routine_text(text), host)
    assert result.handout.regimen.times_per_day == Range(4, 6)


# -- common to all: exclusions, ceiling, phase, budget ------------------------------------------


@pytest.mark.parametrize("strategy", BUILTIN_IDS)
def test_excluding_prone_removes_prone_stretches_from_every_strategy(
    host: PluginHost, acute_template: Path, strategy: str
) -> None:
    result = build(acute_template, host, strategy, exclude=("prone",))
    placed = ids(result)
    assert "prone-on-elbows" not in placed
    assert "prone-press-up" not in placed
    reasons = {lo.exercise_id: lo.reason for lo in result.handout.left_out}
    assert "no prone positions" in reasons["prone-on-elbows"]


@pytest.mark.parametrize("strategy", BUILTIN_IDS)
def test_difficulty_ceiling_applies_to_every_strategy(
    host: PluginHost, acute_template: Path, strategy: str
) -> None:
    result = build(acute_template, host, strategy, max_difficulty=2)
    assert result.handout.items
    assert all(i.exercise.difficulty <= 2 for i in result.handout.items)
    reasons = {lo.exercise_id: lo.reason for lo in result.handout.left_out}
    assert "limit of level 2" in reasons["single-leg-over"]


@pytest.mark.parametrize("strategy", BUILTIN_IDS)
def test_time_budget_applies_to_every_strategy(
    host: PluginHost, acute_template: Path, strategy: str
) -> None:
    result = build(acute_template, host, strategy, minutes=1)
    assert low_seconds(result) <= 60 + BUDGET_SLACK_SECONDS
    assert any("budget" in n.lower() for n in result.handout.strategy_notes)


def test_parameters_from_the_routine_file_and_the_patient(host: PluginHost, tmp_path: Path) -> None:
    text = routine_text(
        "childs-pose",
        "prone-on-elbows",
        "supine-spinal-rotation",
        "single-leg-over",
        strategy="progressive",
        extra="  max_difficulty: 3\n",
    )
    rf = load_routine_text(text)
    assert "single-leg-over" not in ids(build(rf, host))
    patient = tmp_path / "patient.yaml"
    patient.write_text("max_difficulty: 1\n", encoding="utf-8")
    result = api.build_handout(rf, patient=patient, clinic=None, host=host)
    assert ids(result) == ["childs-pose"]
    # the command line wins over the patient
    result = api.build_handout(
        rf, patient=patient, clinic=None, host=host, options=BuildOptions(max_difficulty=2)
    )
    assert ids(result) == ["childs-pose", "prone-on-elbows"]


def test_phase_parameter_filters_progressive(host: PluginHost, acute_template: Path) -> None:
    result = build(acute_template, host, "progressive", phase=Phase.ACUTE)
    assert all(Phase.ACUTE in i.exercise.phases for i in result.handout.items)
    assert "prone-press-up" not in ids(result)


def test_as_written_keeps_the_file_order(host: PluginHost, acute_template: Path) -> None:
    result = build(acute_template, host, "as-written")
    entries = [e.id for e in api.load_routine(acute_template).routine.exercises]
    assert ids(result) == entries
