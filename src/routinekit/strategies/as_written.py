"""``as-written``: the therapist has already put the routine in order; keep it."""

from __future__ import annotations

from routinekit.contracts import Strategy
from routinekit.model import Placement, PlanGroup, SequencePlan, SequenceRequest
from routinekit.strategies.common import budget_note, fit_budget, in_routine_order, screen
from routinekit.strategies.sources import default, rule


class AsWritten(Strategy):
    """Keep the routine's own order: the therapist has already sequenced it.

    The common parameters still apply: the difficulty ceiling, the phase and the time
    budget leave exercises out (with the reason), but never change the order.
    """

    id = "as-written"
    name = "As written"
    description = "Keeps the exercises in the order the routine file lists them."
    rules = (
        rule(
            "keeps the routine's own order, the routine's education and its self-care",
            default("the therapist who wrote the routine has already sequenced it"),
        ),
    )

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        opts = request.options
        screened = screen(request.candidates, max_difficulty=opts.max_difficulty, phase=opts.phase)
        ranked = [
            (
                c,
                Placement(
                    exercise_id=c.exercise.id,
                    reason=(
                        f"number {c.position + 1} in the routine file, "
                        "which this strategy keeps as written"
                    ),
                ),
            )
            for c in screened.kept
        ]
        fitted = fit_budget(ranked, opts.minutes)
        items = tuple(p for _, p in fitted.kept)
        return SequencePlan(
            groups=(PlanGroup(items=items),) if items else (),
            omitted=in_routine_order((*screened.omitted, *fitted.omitted), request.candidates),
            notes=(budget_note(fitted, opts.minutes),) if opts.minutes is not None else (),
            times_per_day=opts.times_per_day,
        )
