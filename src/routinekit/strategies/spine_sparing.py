"""``spine-sparing``: keep the spine straight during a spasm (seed 003).

The opposing view to stretching into the pain: bending forward and twisting at the same
time loads the back most, so exercises that combine flexion and rotation are left out
(with that reason). Breathing to relax the muscles comes first, then walking, then
straight-spine (neutral) work such as Hip Lift, Hip Hinge or the 90/90 rest position;
the remaining single-direction stretches follow, easiest first.
"""

from __future__ import annotations

from enum import IntEnum

from routinekit.contracts import Strategy
from routinekit.model import (
    Candidate,
    Exercise,
    Movement,
    Omission,
    Placement,
    PlanGroup,
    SequencePlan,
    SequenceRequest,
)
from routinekit.strategies.common import (
    N_,
    budget_note,
    fit_budget,
    in_routine_order,
    level_text,
    screen,
    stage_key,
    stage_text,
)

SPARING_TITLE = N_("Relax and keep moving")
STRETCH_TITLE = N_("Gentle stretches")

LEFT_OUT_REASON = (
    "bends forward and twists at the same time; the spine-sparing approach leaves this out "
    "during a spasm, because bending and twisting together put the most strain on the back"
)

_BENDS = {Movement.FLEXION, Movement.EXTENSION, Movement.ROTATION, Movement.SIDE_BEND}


class Kind(IntEnum):
    BREATHING = 0
    WALKING = 1
    NEUTRAL = 2
    STRETCH = 3


def kind_of(ex: Exercise) -> Kind:
    if Movement.BREATHING in ex.movements:
        return Kind.BREATHING
    if Movement.AEROBIC in ex.movements:
        return Kind.WALKING
    if not (_BENDS & set(ex.movements)):
        return Kind.NEUTRAL
    return Kind.STRETCH


_WHY = {
    Kind.BREATHING: "slow breathing relaxes the tight muscles, so it comes first",
    Kind.WALKING: "walking keeps the back moving without bending or twisting",
    Kind.NEUTRAL: "keeps the spine straight (neutral) while the hips and trunk work",
}


def placement_reason(c: Candidate) -> str:
    kind = kind_of(c.exercise)
    if kind is Kind.STRETCH:
        return (
            f"{stage_text(c.exercise)}, {level_text(c.exercise)}; it does not bend and twist "
            "at the same time, so it can stay; after the straight-spine work, easiest first"
        )
    return _WHY[kind]


def sort_key(c: Candidate) -> tuple[int, tuple[int, int, int, str]]:
    return (kind_of(c.exercise), stage_key(c))


class SpineSparing(Strategy):
    """No combined bending and twisting; breathing, walking and neutral-spine work first."""

    id = "spine-sparing"
    name = "Spine-sparing"
    description = (
        "Leaves out stretches that bend and twist together; breathing, walking and "
        "straight-spine work come first."
    )

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        opts = request.options
        screened = screen(request.candidates, max_difficulty=opts.max_difficulty, phase=opts.phase)
        spared: list[Omission] = []
        usable: list[Candidate] = []
        for c in screened.kept:
            if c.exercise.flexion_with_rotation:
                spared.append(Omission(exercise_id=c.exercise.id, reason=LEFT_OUT_REASON))
            else:
                usable.append(c)
        ranked = [
            (c, Placement(exercise_id=c.exercise.id, reason=placement_reason(c)))
            for c in sorted(usable, key=sort_key)
        ]
        fitted = fit_budget(ranked, opts.minutes)
        first = tuple(p for c, p in fitted.kept if kind_of(c.exercise) is not Kind.STRETCH)
        then = tuple(p for c, p in fitted.kept if kind_of(c.exercise) is Kind.STRETCH)
        groups = tuple(
            PlanGroup(title=title, items=items)
            for title, items in ((SPARING_TITLE, first), (STRETCH_TITLE, then))
            if items
        )
        notes: list[str] = []
        if not any(kind_of(c.exercise) is not Kind.STRETCH for c in request.candidates):
            notes.append(
                "This routine has no breathing, walking or straight-spine exercises, "
                "which the spine-sparing approach puts first."
            )
        if opts.minutes is not None:
            notes.append(budget_note(fitted, opts.minutes))
        return SequencePlan(
            groups=groups,
            omitted=in_routine_order(
                (*screened.omitted, *spared, *fitted.omitted), request.candidates
            ),
            notes=tuple(notes),
            times_per_day=opts.times_per_day,
        )
