"""``progressive``: seed 000's immediate stretches, then its progressions, easy to rotational.

Seed 000 (a clinic handout for an acute back spasm) gives two stages: "Immediate Stretches
for an Acute Back Muscle Spasm" (Child's Pose, Knees to Chest, Prone on Elbows, the supine
and side-lying rotations) and "Progressing the Stretches" (Cat-Cow, Prone Press-Ups,
Spinal Rotation Stretches), and within them: "Slowly progress from the easier ones (like
Childs Pose) to the rotational ones". So the immediate stretches (those meant for the acute
phase) come first under "Start with these" and the progressions under "When these feel
easier"; within each stage relief and forward bends come first, then backward bends, then
twists, easiest first. A routine with one stage only splits at its last movement stage.
Every intro carries the stop rule of seed 004: "stop if they aggravate your back".
"""

from __future__ import annotations

from collections.abc import Sequence

from routinekit.contracts import Strategy
from routinekit.model import (
    Candidate,
    Exercise,
    Phase,
    Placement,
    PlanGroup,
    SequencePlan,
    SequenceRequest,
)
from routinekit.strategies.common import (
    N_,
    Stage,
    budget_note,
    fit_budget,
    grouped_by_position,
    in_routine_order,
    level_text,
    screen,
    stage_key,
    stage_of,
    stage_rank,
    stage_text,
)
from routinekit.strategies.sources import STOP_IF_WORSE, default, prints, rule, seed

START_TITLE = N_("Start with these")
PROGRESS_TITLE = N_("When these feel easier")

_START_INTRO = N_(
    "Begin with the easiest one. Stretch gently into the tight spot and go a little further "
    "each time. A stretch may feel tight or sore, but stop if your back hurts more afterwards."
)
_LATER_INTRO = N_(
    "Add these once the first ones feel easier. They go further, so move slowly and only as "
    "far as you can."
)
_PROGRESS_INTRO = {
    Stage.ROTATION: N_(
        "Add these twisting stretches once the first ones feel easier. "
        "Go slowly and only as far as you can."
    ),
    Stage.EXTENSION: N_(
        "Add these backward-bending stretches once the first ones feel easier. "
        "Go slowly and only as far as you can."
    ),
    Stage.RELIEF: N_("Add these once the first ones feel easier."),
}
_STAGE_WHY = {
    Stage.RELIEF: "relief positions and forward bends come first because they are the easiest",
    Stage.EXTENSION: "bending backward comes after the relief stretches and before the twists",
    Stage.ROTATION: "the twists come last: work up to them as the easier stretches get better",
}


def seed_stage(ex: Exercise) -> int:
    """0 for seed 000's immediate stretches (meant for the acute phase), 1 for progressions."""
    return 0 if not ex.phases or Phase.ACUTE in ex.phases else 1


def progressive_key(c: Candidate) -> tuple[int, tuple[int, int, int, str]]:
    return (seed_stage(c.exercise), stage_key(c))


def progressive_rank(c: Candidate) -> tuple[int, int, int]:
    """The order's rank without the routine's order: equal ranks are grouped by position."""
    return (seed_stage(c.exercise), *stage_rank(c))


def placement_reason(c: Candidate, two_stages: bool = False) -> str:
    ex = c.exercise
    text = f"{stage_text(ex)}, {level_text(ex)}; {_STAGE_WHY[stage_of(ex)]}"
    if two_stages:
        where = "an immediate stretch" if seed_stage(ex) == 0 else "a progression"
        text = f"{where} in seed 000's order; {text}"
    return text


def stage_groups(
    placed: Sequence[tuple[Candidate, Placement]],
    *,
    start_title: str = START_TITLE,
    progress_title: str = PROGRESS_TITLE,
) -> tuple[PlanGroup, ...]:
    """Split placements (already in stage order) into "start with" and "progress to".

    With both of seed 000's stages present the split is between them; else at the last
    movement stage (the twists, when there are any).
    """
    if not placed:
        return ()
    if len({seed_stage(c.exercise) for c, _ in placed}) == 2:
        return (
            PlanGroup(
                title=start_title,
                intro=_START_INTRO,
                items=tuple(p for c, p in placed if seed_stage(c.exercise) == 0),
            ),
            PlanGroup(
                title=progress_title,
                intro=_LATER_INTRO,
                items=tuple(p for c, p in placed if seed_stage(c.exercise) == 1),
            ),
        )
    last = max(stage_of(c.exercise) for c, _ in placed)
    first = tuple(p for c, p in placed if stage_of(c.exercise) < last)
    later = tuple(p for c, p in placed if stage_of(c.exercise) == last)
    if not first:
        return (PlanGroup(title=start_title, intro=_START_INTRO, items=later),)
    return (
        PlanGroup(title=start_title, intro=_START_INTRO, items=first),
        PlanGroup(title=progress_title, intro=_PROGRESS_INTRO[Stage(last)], items=later),
    )


class Progressive(Strategy):
    """Easy to rotational: relief and flexion, then extension, then rotation."""

    id = "progressive"
    name = "Easy to rotational"
    description = (
        "Seed 000's immediate stretches, then its progressions; within each, relief and "
        "forward bends, then backward bends, then twists, easiest first."
    )
    rules = (
        rule(
            "seed 000's immediate stretches (for the acute phase) come before its progressions",
            seed("000", "Immediate Stretches for an Acute Back Muscle Spasm"),
            seed("000", "Progressing the Stretches for an Acute Back Muscle Spasm"),
        ),
        rule(
            "within each stage: relief and forward bends, then backward bends, then twists, "
            "easiest first",
            seed(
                "000",
                "Slowly progress from the easier ones (like Childs Pose) to the rotational ones",
            ),
        ),
        prints(
            _START_INTRO,
            seed("000", "gently but firmly begin stretching into the pain"),
            STOP_IF_WORSE,
            default("seed 000 says to stretch through the pain; the stop rule keeps that safe"),
        ),
        prints(_LATER_INTRO, seed("000", "progressively pushing further and further")),
        prints(
            _PROGRESS_INTRO[Stage.ROTATION],
            seed("001", "dont force yourself to perform the full stretch right away"),
        ),
    )

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        opts = request.options
        screened = screen(request.candidates, max_difficulty=opts.max_difficulty, phase=opts.phase)
        two = len({seed_stage(c.exercise) for c in screened.kept}) == 2
        ranked = [
            (c, Placement(exercise_id=c.exercise.id, reason=placement_reason(c, two)))
            for c in grouped_by_position(screened.kept, progressive_rank)
        ]
        fitted = fit_budget(ranked, opts.minutes)
        notes = (budget_note(fitted, opts.minutes),) if opts.minutes is not None else ()
        return SequencePlan(
            groups=stage_groups(fitted.kept),
            omitted=in_routine_order((*screened.omitted, *fitted.omitted), request.candidates),
            notes=notes,
            times_per_day=opts.times_per_day,
        )
