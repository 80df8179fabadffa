"""``progressive``: from the easiest relief stretches to the twisting ones (seed 000).

Relief and forward-bending stretches first (Child's Pose, Knees to Chest), then
backward-bending ones (Prone on Elbows, Press-Ups), then the twists (spinal rotations,
Single Leg Over); by difficulty within each stage. The handout gets two groups: the
stages before the last one under "Start with these", the last stage under "When these
feel easier". Two groups (not one per stage) keep the handout short; the split at the
twists follows the seed's advice to "progress from the easier ones to the rotational ones".
"""

from __future__ import annotations

from collections.abc import Sequence

from routinekit.contracts import Strategy
from routinekit.model import Candidate, Placement, PlanGroup, SequencePlan, SequenceRequest
from routinekit.strategies.common import (
    N_,
    Stage,
    budget_note,
    fit_budget,
    in_routine_order,
    level_text,
    screen,
    stage_key,
    stage_of,
    stage_text,
)

START_TITLE = N_("Start with these")
PROGRESS_TITLE = N_("When these feel easier")

_START_INTRO = N_(
    "Begin with the easiest one. Stretch gently but firmly into the tight spot, "
    "and go a little further each time."
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
    Stage.RELIEF: "the relief stretches come first because they are the easiest",
    Stage.EXTENSION: "bending backward comes after the relief stretches and before the twists",
    Stage.ROTATION: "the twists come last: work up to them as the easier stretches get better",
}


def placement_reason(c: Candidate) -> str:
    ex = c.exercise
    return f"{stage_text(ex)}, {level_text(ex)}; {_STAGE_WHY[stage_of(ex)]}"


def stage_groups(
    placed: Sequence[tuple[Candidate, Placement]],
    *,
    start_title: str = START_TITLE,
    progress_title: str = PROGRESS_TITLE,
) -> tuple[PlanGroup, ...]:
    """Split placements (already in stage order) into "start with" and "progress to"."""
    if not placed:
        return ()
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
        "Relief and forward-bending stretches first, then backward-bending, then twists; "
        "easiest first within each stage."
    )

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        opts = request.options
        screened = screen(request.candidates, max_difficulty=opts.max_difficulty, phase=opts.phase)
        ranked = [
            (c, Placement(exercise_id=c.exercise.id, reason=placement_reason(c)))
            for c in sorted(screened.kept, key=stage_key)
        ]
        fitted = fit_budget(ranked, opts.minutes)
        notes = (budget_note(fitted, opts.minutes),) if opts.minutes is not None else ()
        return SequencePlan(
            groups=stage_groups(fitted.kept),
            omitted=in_routine_order((*screened.omitted, *fitted.omitted), request.candidates),
            notes=notes,
            times_per_day=opts.times_per_day,
        )
