"""``prevention``: a short daily regimen to keep spasms away (seeds 002 and 003).

The routine's stretches, plus hip and core strength work when the routine offers it
(Hip Lift, Hip Hinge), fitted to a time budget per session (default 5 minutes) done
2-3 times a day. Hip and core work is chosen first so it is never squeezed out by the
budget; then the stretches in the routine's own order. Each exercise counts for the low
end of its dose (``Dose.seconds("low")``), and the plan's note says how it counted.
On the handout the stretches come first, in the routine's order, then hip and core work.
"""

from __future__ import annotations

from routinekit.contracts import Strategy
from routinekit.model import (
    Candidate,
    Exercise,
    Phase,
    Placement,
    PlanGroup,
    Range,
    SequencePlan,
    SequenceRequest,
)
from routinekit.strategies.common import (
    N_,
    Fitted,
    budget_note,
    fit_budget,
    in_routine_order,
    routine_order,
    screen,
    seconds_text,
)

DEFAULT_MINUTES = 5.0
DEFAULT_TIMES_PER_DAY = Range(2, 3)

STRETCH_TITLE = N_("Daily stretches")
STRENGTH_TITLE = N_("Hip and core strength")


def is_hip_core(ex: Exercise) -> bool:
    """Hip and core strength work: tagged ``core``, or both ``hip`` and ``strength``."""
    tags = {t.lower() for t in ex.tags}
    return "core" in tags or {"hip", "strength"} <= tags


def placement_reason(c: Candidate) -> str:
    secs = seconds_text(c.dose.seconds("low"))
    if is_hip_core(c.exercise):
        return (
            f"hip and core strength work, which takes strain off the back; chosen before "
            f"the stretches so it always fits (about {secs})"
        )
    return f"daily stretch, number {c.position + 1} in the routine file (about {secs})"


class Prevention(Strategy):
    """A daily regimen of stretches and hip and core work, fitted to a time budget."""

    id = "prevention"
    name = "Daily prevention"
    description = (
        "A short daily routine (default 5 minutes, 2-3 times a day): stretches plus hip and "
        "core work, fitted to the time budget from the doses."
    )

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        opts = request.options
        minutes = opts.minutes if opts.minutes is not None else DEFAULT_MINUTES
        screened = screen(
            request.candidates,
            max_difficulty=opts.max_difficulty,
            phase=opts.phase or Phase.PREVENTION,
        )
        ordered = routine_order(screened.kept)
        ranked = [
            (c, Placement(exercise_id=c.exercise.id, reason=placement_reason(c)))
            for c in (
                *(c for c in ordered if is_hip_core(c.exercise)),
                *(c for c in ordered if not is_hip_core(c.exercise)),
            )
        ]
        fitted = fit_budget(ranked, minutes)
        chosen = {c.exercise.id for c, _ in fitted.kept}
        by_id = {p.exercise_id: p for _, p in fitted.kept}
        stretches = tuple(
            by_id[c.exercise.id]
            for c in ordered
            if c.exercise.id in chosen and not is_hip_core(c.exercise)
        )
        strength = tuple(
            by_id[c.exercise.id]
            for c in ordered
            if c.exercise.id in chosen and is_hip_core(c.exercise)
        )
        groups = tuple(
            PlanGroup(title=title, items=items)
            for title, items in ((STRETCH_TITLE, stretches), (STRENGTH_TITLE, strength))
            if items
        )
        # the note lists the exercises in the order the handout shows them
        shown = {p.exercise_id: i for i, p in enumerate((*stretches, *strength))}
        in_shown_order = Fitted(
            kept=tuple(sorted(fitted.kept, key=lambda cp: shown[cp[1].exercise_id])),
            omitted=fitted.omitted,
            seconds=fitted.seconds,
        )
        return SequencePlan(
            groups=groups,
            omitted=in_routine_order((*screened.omitted, *fitted.omitted), request.candidates),
            notes=(budget_note(in_shown_order, minutes),),
            times_per_day=opts.times_per_day or DEFAULT_TIMES_PER_DAY,
        )
