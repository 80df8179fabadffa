"""``acute``: the first days of a spasm — gentle, short and often (seeds 000, 001, 004).

Only exercises whose phases include ``acute`` (seed 000's "Immediate Stretches"); none that
bends and twists at once (seed 003: "bending and twisting are two of the worst things for
the spine"); each dose cut to the low end of its range; short sessions several times a day
(3-5 unless the routine says otherwise: the project's reading of seed 000's "stretch, move,
then stretch them out again" and seed 004's "several times throughout the day"); the red
flags and the self-care block (cold first, then heat; keep moving; no bed rest) come before
everything else on the handout. Within the session the order is the easy-to-rotational one
of :mod:`routinekit.strategies.progressive`.
"""

from __future__ import annotations

from routinekit.contracts import Strategy
from routinekit.model import (
    SECTIONS,
    Candidate,
    Omission,
    Phase,
    Placement,
    PlanGroup,
    Range,
    SequencePlan,
    SequenceRequest,
)
from routinekit.strategies.common import (
    N_,
    Screened,
    budget_note,
    fit_budget,
    grouped_by_position,
    in_routine_order,
    level_text,
    low_end,
    screen,
    stage_rank,
    stage_text,
)
from routinekit.strategies.sources import STOP_IF_WORSE, default, prints, rule, seed
from routinekit.text import dose_text, frequency_words

#: Frequent short sessions when the routine does not say how often.
DEFAULT_TIMES_PER_DAY = Range(3, 5)

#: Red flags first (when to stop and call), then self-care, then the default order.
FIRST = ("red_flags", "self_care")
SECTION_ORDER = (*FIRST, *(s for s in SECTIONS if s not in FIRST))

GROUP_TITLE = N_("For the first few days")
GROUP_INTRO = N_(
    "Do these gently. Start with the shorter hold or fewer repeats. Walk a little between "
    "sessions. Stop if your back hurts more afterwards."
)
BEND_AND_TWIST = (
    "bends and twists at the same time, which can make a fresh spasm worse; the acute "
    "strategy leaves it for later"
)


def placement_reason(c: Candidate) -> str:
    d = c.dose
    text = f"suits the first days of a spasm; {stage_text(c.exercise)}, {level_text(c.exercise)}"
    if any(r is not None and not r.is_single for r in (d.hold, d.reps, d.minutes)):
        text += f"; dose cut to the low end ({dose_text(low_end(d))}) to keep sessions short"
    return text


class Acute(Strategy):
    """Acute relief: acute-phase exercises only, low doses, short frequent sessions."""

    id = "acute"
    name = "Acute relief"
    description = (
        "Only exercises for the first days of a spasm, none that bends and twists at once, "
        "at the low end of each dose, in short sessions 3-5 times a day; red flags and "
        "self-care first."
    )
    rules = (
        rule(
            "only the exercises meant for the first days of a spasm (phase acute)",
            seed("000", "Immediate Stretches for an Acute Back Muscle Spasm"),
        ),
        rule(
            "leaves out exercises that bend and twist at the same time",
            seed("003", "bending and twisting are two of the worst things for the spine"),
        ),
        rule(
            "each dose at the low end of its range",
            seed("001", "dont force yourself to perform the full stretch right away"),
            default("short, easy sessions while the spasm is at its worst"),
        ),
        rule(
            "3-5 short sessions a day unless the routine says otherwise",
            seed("000", "Then stretch them out again."),
            seed("004", "several times throughout the day"),
            default("the seeds say often but give no number; 3-5 short sessions reads that"),
        ),
        rule(
            "the red flags and the self-care come first on the handout",
            default("in the first days the warning signs and the ice-then-heat advice matter most"),
        ),
        prints(GROUP_INTRO, seed("004", "walking for a few minutes several times"), STOP_IF_WORSE),
    )

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        opts = request.options
        screened = screen(request.candidates, max_difficulty=opts.max_difficulty, phase=Phase.ACUTE)
        twists = [
            Omission(exercise_id=c.exercise.id, reason=BEND_AND_TWIST)
            for c in screened.kept
            if c.exercise.flexion_with_rotation
        ]
        screened = Screened(
            kept=tuple(c for c in screened.kept if not c.exercise.flexion_with_rotation),
            omitted=(*screened.omitted, *twists),
        )
        ranked = [
            (
                c,
                Placement(
                    exercise_id=c.exercise.id, reason=placement_reason(c), dose=low_end(c.dose)
                ),
            )
            for c in grouped_by_position(screened.kept, stage_rank)
        ]
        fitted = fit_budget(ranked, opts.minutes)
        times = opts.times_per_day or DEFAULT_TIMES_PER_DAY
        notes: list[str] = []
        if opts.phase is not None and opts.phase is not Phase.ACUTE:
            notes.append(
                f"The acute strategy always uses exercises for the acute phase; "
                f"the {opts.phase.value} phase that was asked for does not change that."
            )
        notes.append(
            f"Short sessions {frequency_words(times)}, each exercise at the low end of its dose."
        )
        if opts.minutes is not None:
            notes.append(budget_note(fitted, opts.minutes))
        items = tuple(p for _, p in fitted.kept)
        groups = (
            (
                PlanGroup(
                    title=GROUP_TITLE,
                    intro=GROUP_INTRO,
                    items=items,
                ),
            )
            if items
            else ()
        )
        return SequencePlan(
            groups=groups,
            omitted=in_routine_order((*screened.omitted, *fitted.omitted), request.candidates),
            notes=tuple(notes),
            section_order=SECTION_ORDER,
            times_per_day=times,
        )
