"""``prevention``: a short daily regimen to keep spasms away (seeds 002 and 003).

Seed 002's programme: "The following stretching regimen can be done in 5 minutes and
should be done 2-3 times daily". To its stretches this adds hip and core strength work
(seed 003: "building strength in the core and hips is important for keeping the spine
and body as healthy as possible"): the routine's own (Hip Lift, Hip Hinge), or, when the
routine has none, those two from the library. It fits a time budget per session (default 5
minutes) done 2-3 times a day. Hip and core work is chosen first so it is never squeezed
out by the budget; then the stretches in the routine's own order. Each exercise counts for the low
end of its dose (``Dose.seconds("low")``), and the plan's note says how it counted.
On the handout the stretches come first, in the routine's order but with exercises of the
same position kept together (fewer times up and down), then hip and core work.
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
    grouped_by_position,
    in_routine_order,
    routine_order,
    screen,
    seconds_text,
)
from routinekit.strategies.sources import default, rule, seed

DEFAULT_MINUTES = 5.0
#: Hip and core work added from the library when the routine has none (seeds 001, 003).
ADDED = ("hip-lift", "hip-hinge")
DEFAULT_TIMES_PER_DAY = Range(2, 3)

STRETCH_TITLE = N_("Daily stretches")
STRENGTH_TITLE = N_("Hip and core strength")


def is_hip_core(ex: Exercise) -> bool:
    """Hip and core strength work: tagged ``core``, or both ``hip`` and ``strength``."""
    tags = {t.lower() for t in ex.tags}
    return "core" in tags or {"hip", "strength"} <= tags


def placement_reason(c: Candidate, added: bool = False) -> str:
    secs = seconds_text(c.dose.seconds("low"))
    if is_hip_core(c.exercise):
        text = (
            f"hip and core strength work, which takes strain off the back; chosen before "
            f"the stretches so it always fits (about {secs})"
        )
        if added:
            text += "; added from the library because the routine has no hip and core work"
        return text
    return f"daily stretch, number {c.position + 1} in the routine file (about {secs})"


class Prevention(Strategy):
    """A daily regimen of stretches and hip and core work, fitted to a time budget."""

    id = "prevention"
    name = "Daily prevention"
    description = (
        "A short daily routine (default 5 minutes, 2-3 times a day): stretches plus hip and "
        "core work (added from the library when the routine has none), fitted to the time "
        "budget from the doses."
    )
    rules = (
        rule(
            "a short routine, 5 minutes unless the routine says otherwise, 2-3 times a day",
            seed("002", "can be done in 5 minutes and should be done 2-3 times daily"),
        ),
        rule(
            "adds hip and core strength work (Hip Lift, Hip Hinge) when the routine has none, "
            "and fits it first",
            seed("003", "building strength in the core and hips is important"),
            seed("001", "Hip lifts."),
        ),
        rule(
            "the stretches keep the routine's order, then the hip and core work",
            seed("002", "Back Spasm Stretches & Exercises"),
            default("the routine's author chose the order of its stretches"),
        ),
        rule(
            "only exercises meant for preventing spasms (phase prevention)",
            seed("004", "To prevent back spasms, try stretching your back every day."),
        ),
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
        added: list[Candidate] = []
        if not any(is_hip_core(c.exercise) for c in ordered):
            offered = {c.exercise.id: c for c in request.library}
            for ident in ADDED:
                c = offered.get(ident)
                if c is None or not is_hip_core(c.exercise):
                    continue
                if opts.max_difficulty is not None and c.exercise.difficulty > opts.max_difficulty:
                    continue
                added.append(c)
        ordered = [*ordered, *added]
        extra = {c.exercise.id for c in added}
        ranked = [
            (
                c,
                Placement(
                    exercise_id=c.exercise.id, reason=placement_reason(c, c.exercise.id in extra)
                ),
            )
            for c in (
                *(c for c in ordered if is_hip_core(c.exercise)),
                *(c for c in ordered if not is_hip_core(c.exercise)),
            )
        ]
        fitted = fit_budget(ranked, minutes)
        chosen = {c.exercise.id for c, _ in fitted.kept}
        by_id = {p.exercise_id: p for _, p in fitted.kept}
        # printed in the routine's order, with the same position kept together
        stretches = tuple(
            by_id[c.exercise.id]
            for c in grouped_by_position(
                c for c in ordered if c.exercise.id in chosen and not is_hip_core(c.exercise)
            )
        )
        strength = tuple(
            by_id[c.exercise.id]
            for c in grouped_by_position(
                c for c in ordered if c.exercise.id in chosen and is_hip_core(c.exercise)
            )
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
        mine = {c.exercise.id for c in request.candidates}
        return SequencePlan(
            groups=groups,
            omitted=in_routine_order(
                [o for o in (*screened.omitted, *fitted.omitted) if o.exercise_id in mine],
                request.candidates,
            ),
            notes=(budget_note(in_shown_order, minutes),),
            times_per_day=opts.times_per_day or DEFAULT_TIMES_PER_DAY,
        )
