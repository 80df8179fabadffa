"""Helpers every built-in strategy shares: screening, stages, time budgets, doses, reasons.

All of these are pure functions of their input, so the strategies built on them are
deterministic: the same request always gives the same plan, whatever order the
candidates arrive in (ties are broken by the exercise's place in the routine file,
then by its id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import IntEnum
from itertools import groupby
from typing import Any

import msgspec

from routinekit.i18n import N_ as N_  # re-exported: the built-in strategies mark words with it
from routinekit.model import (
    Candidate,
    Dose,
    Exercise,
    Movement,
    Omission,
    Phase,
    Placement,
    Range,
)
from routinekit.model.dose import SECONDS_PER_REP

#: A session may run this many seconds over the budget: the handout gives session
#: length to the nearest minute ("About 5 minutes"), and the times are estimates.
BUDGET_SLACK_SECONDS = 30


def routine_order(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates in the order of the routine file (id breaks ties, for stability)."""
    return sorted(candidates, key=lambda c: (c.position, c.exercise.id))


def grouped_by_position(
    candidates: Iterable[Candidate], rank: Callable[[Candidate], Any] | None = None
) -> list[Candidate]:
    """Candidates by ``rank``; among those ranked equal, the same position kept together.

    Within a run of equal rank, positions come in the order they first appear in the
    routine, except that the position the previous exercise ended in goes first, and a
    position the next run starts with goes last. So a run with ``k`` different positions
    changes position ``k - 1`` times (the fewest it can), and no change is spent where the
    rank allows none. ``rank`` None ranks all equal. Ties keep the routine's order.
    """
    key = rank or (lambda c: 0)
    ordered = sorted(routine_order(candidates), key=key)  # sorted() is stable
    runs: list[dict[str, list[Candidate]]] = []
    for _rank, run in groupby(ordered, key=key):
        by_position: dict[str, list[Candidate]] = {}
        for c in run:
            by_position.setdefault(c.exercise.position.value, []).append(c)
        runs.append(by_position)
    out: list[Candidate] = []
    for i, by_position in enumerate(runs):
        groups = dict(by_position)
        first = None
        if out:
            ends = (out[-1].exercise.body_positions[-1].value, out[-1].exercise.position.value)
            first = next((p for p in ends if p in groups), None)
        head = [groups.pop(first)] if first is not None else []
        tail = []
        if i + 1 < len(runs) and len(groups) > 1:
            last = next((p for p in runs[i + 1] if p in groups), None)
            if last is not None:
                tail = [groups.pop(last)]
        for group in (*head, *groups.values(), *tail):
            out.extend(group)
    return out


def in_routine_order(
    omitted: Iterable[Omission], candidates: Iterable[Candidate]
) -> tuple[Omission, ...]:
    """Omissions sorted by where their exercise sits in the routine file."""
    where = {c.exercise.id: (c.position, c.exercise.id) for c in candidates}
    return tuple(sorted(omitted, key=lambda o: where.get(o.exercise_id, (-1, o.exercise_id))))


# -- screening: the difficulty ceiling and the recovery phase ------------------------------------


class Screened(msgspec.Struct, frozen=True):
    """What is left after screening, and what was left out (with reasons)."""

    kept: tuple[Candidate, ...]
    omitted: tuple[Omission, ...]


def phase_reason(ex: Exercise, phase: Phase) -> str | None:
    """Why an exercise does not suit ``phase``, or None if it does.

    An exercise that names no phases at all is taken to suit every phase.
    """
    if not ex.phases or phase in ex.phases:
        return None
    suits = " and ".join(p.value for p in ex.phases)
    noun = "phase" if len(ex.phases) == 1 else "phases"
    return f"meant for the {suits} {noun}, not the {phase.value} phase"


def difficulty_reason(ex: Exercise, max_difficulty: int) -> str | None:
    """Why an exercise is too hard for the ceiling, or None if it is not."""
    if ex.difficulty <= max_difficulty:
        return None
    return f"harder (level {ex.difficulty} of 5) than the limit of level {max_difficulty}"


def screen(
    candidates: Iterable[Candidate],
    *,
    max_difficulty: int | None = None,
    phase: Phase | None = None,
) -> Screened:
    """Keep the candidates that pass the difficulty ceiling and suit the phase."""
    kept: list[Candidate] = []
    omitted: list[Omission] = []
    for c in routine_order(candidates):
        why = None
        if max_difficulty is not None:
            why = difficulty_reason(c.exercise, max_difficulty)
        if why is None and phase is not None:
            why = phase_reason(c.exercise, phase)
        if why is None:
            kept.append(c)
        else:
            omitted.append(Omission(exercise_id=c.exercise.id, reason=why))
    return Screened(kept=tuple(kept), omitted=tuple(omitted))


# -- stages of the easy-to-rotational progression -------------------------------------------------


class Stage(IntEnum):
    """The three stages of seed 000's progression, easiest first."""

    RELIEF = 0
    """Positions of relief and forward-bending (flexion) stretches, and anything else gentle."""
    EXTENSION = 1
    """Backward-bending (extension) stretches."""
    ROTATION = 2
    """Twisting (rotation) stretches."""


def stage_of(ex: Exercise) -> Stage:
    """Rotation if the exercise twists at all, else extension if it bends backward, else relief.

    An exercise that moves into both flexion and extension (Cat-Cow) counts as extension:
    it takes the back into extension, and seed 000 lists it with the progressions, after
    the relief stretches.
    """
    if Movement.ROTATION in ex.movements:
        return Stage.ROTATION
    if Movement.EXTENSION in ex.movements:
        return Stage.EXTENSION
    return Stage.RELIEF


def stage_key(c: Candidate) -> tuple[int, int, int, str]:
    """Sort key: stage, then difficulty, then the routine's order."""
    return (stage_of(c.exercise), c.exercise.difficulty, c.position, c.exercise.id)


def stage_rank(c: Candidate) -> tuple[int, int]:
    """Rank: stage, then difficulty (equal ranks are grouped by position)."""
    return (stage_of(c.exercise), c.exercise.difficulty)


def stage_text(ex: Exercise) -> str:
    """A plain description of the exercise's stage, for reasons."""
    stage = stage_of(ex)
    if stage is Stage.ROTATION:
        if ex.flexion_with_rotation:
            return "a twisting stretch (it bends and twists)"
        return "a twisting stretch"
    if stage is Stage.EXTENSION:
        if Movement.FLEXION in ex.movements:
            return "a stretch that bends both ways, counted with the backward-bending ones"
        return "a backward-bending stretch"
    if Movement.FLEXION in ex.movements:
        if "relief" in ex.tags:
            return "a relief stretch that bends the back forward"
        return "a forward-bending stretch"
    return "a gentle relief exercise"


def level_text(ex: Exercise) -> str:
    return f"level {ex.difficulty} of 5"


# -- doses and the time budget -------------------------------------------------------------------


def low_end(dose: Dose) -> Dose:
    """The dose with every range cut to its low end; how often a day is left to the plan."""

    def low(r: Range | None) -> Range | None:
        return None if r is None else Range(r.low)

    return msgspec.structs.replace(
        dose,
        hold=low(dose.hold),
        reps=low(dose.reps),
        minutes=low(dose.minutes),
        times_per_day=None,
    )


def printed_dose(placement: Placement, candidate: Candidate) -> Dose:
    """The dose the handout will print for a placement (before any patient override)."""
    return placement.dose if placement.dose is not None else candidate.dose


def seconds_text(seconds: float) -> str:
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    minutes, rest = divmod(s, 60)
    return f"{minutes} min" if rest == 0 else f"{minutes} min {rest} s"


def about_minutes(seconds: float) -> str:
    """``about 5 minutes``: the same rounding the handout's regimen line uses."""
    if seconds < 30:
        return "under a minute"
    m = max(1, round(seconds / 60))
    return f"about {m} minute" if m == 1 else f"about {m} minutes"


def budget_limit(minutes: float) -> float:
    """The most seconds a session may take under a budget of ``minutes``."""
    return minutes * 60 + BUDGET_SLACK_SECONDS


def budget_text(minutes: float) -> str:
    """``5-minute``, as in "the 5-minute time budget"."""
    return f"{minutes:g}-minute"


def minutes_text(minutes: float) -> str:
    value = f"{minutes:g}"
    return f"{value} minute" if value == "1" else f"{value} minutes"


class Fitted(msgspec.Struct, frozen=True):
    """The placements that fit the budget, those that did not, and the seconds used."""

    kept: tuple[tuple[Candidate, Placement], ...]
    omitted: tuple[Omission, ...]
    seconds: float


def fit_budget(ranked: Sequence[tuple[Candidate, Placement]], minutes: float | None) -> Fitted:
    """Take placements in ``ranked`` order while they fit the budget; skip those that do not.

    Each exercise counts for the low end of its dose (``Dose.seconds("low")``). A skipped
    exercise does not stop the search: a shorter one further down may still fit.
    """
    kept: list[tuple[Candidate, Placement]] = []
    omitted: list[Omission] = []
    used = 0.0
    limit = budget_limit(minutes) if minutes is not None else None
    for c, p in ranked:
        secs = printed_dose(p, c).seconds("low")
        if limit is not None and used + secs > limit:
            omitted.append(
                Omission(
                    exercise_id=c.exercise.id,
                    reason=(
                        f"does not fit the {budget_text(minutes or 0)} time budget "
                        f"(it takes about {seconds_text(secs)}, and the session already "
                        f"had about {seconds_text(used)})"
                    ),
                )
            )
            continue
        used += secs
        kept.append((c, p))
    return Fitted(kept=tuple(kept), omitted=tuple(omitted), seconds=used)


def budget_note(fitted: Fitted, minutes: float | None) -> str:
    """How the session length was counted, e.g. ``7 exercises, about 5 minutes: ...``."""
    n = len(fitted.kept)
    head = f"{n} exercise" if n == 1 else f"{n} exercises"
    parts = ", ".join(
        f"{c.exercise.name} {seconds_text(printed_dose(p, c).seconds('low'))}"
        for c, p in fitted.kept
    )
    text = f"{head}, {about_minutes(fitted.seconds)}"
    if round(fitted.seconds) % 60 or fitted.seconds < 60:
        text += f" ({seconds_text(fitted.seconds)})"
    if parts:
        text += f": {parts}"
    text += (
        ". Counted at the low end of each dose: each hold times its repeats and sides, "
        f"about {SECONDS_PER_REP} seconds a repetition, timed activities by their minutes; "
        "the handout's estimate also adds the time to change position"
    )
    if minutes is not None:
        text += f". Budget: {minutes_text(minutes)} a session, to the nearest minute."
    else:
        text += "."
    return text
