"""Built-in plugin: sequencing strategies."""

from __future__ import annotations

from collections.abc import Callable

from routinekit.contracts import Strategy
from routinekit.hookspecs import hookimpl
from routinekit.model import PlanGroup, Placement, SequencePlan, SequenceRequest


class AsWritten(Strategy):
    """Keep the routine's own order: the therapist has already sequenced it."""

    id = "as-written"
    name = "As written"
    description = "Keeps the exercises in the order the routine file lists them."

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        items = tuple(
            Placement(
                exercise_id=c.exercise.id,
                reason=f"number {i + 1} in the routine file, which this strategy keeps as written",
            )
            for i, c in enumerate(sorted(request.candidates, key=lambda c: c.position))
        )
        return SequencePlan(groups=(PlanGroup(items=items),))


@hookimpl
def register_strategies(register: Callable[[Strategy], None]) -> None:
    register(AsWritten())
