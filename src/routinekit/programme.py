"""Programme stages: where this patient is ("Days 1-3", "Weeks 1-2", ...), and what follows.

A routine's ``phases`` are the stages of a programme. A patient file or batch row names its
current stage (``stage: Weeks 1-2``, or its number, ``stage: 2``). Then the handout prints
that stage's exercises (its strategy, its ``exercises`` list), its self-care and title, and
marks it "You are here" with what comes next and when to move on. Text that belongs to one
stage (an acute title, "use ice") lives in that stage, so no other stage prints it.

Without a current stage the handout shows the whole programme: the routine's title, and each
stage's self-care under the stage's name.
"""

from __future__ import annotations

import msgspec

from routinekit.errors import Location, UserError
from routinekit.model import Handout
from routinekit.model.routine import ProgramPhase, Routine


def find_stage(routine: Routine, value: str | int | None, where: Location) -> int | None:
    """The 0-based index of the stage ``value`` names (its name, or its number from 1)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    phases = routine.phases
    names = [p.name for p in phases]
    if not phases:
        raise UserError(
            "this routine has no stages (phases), so a current stage cannot be set",
            location=where,
            hint="leave the stage out, or add phases to the routine",
        )
    text = str(value).strip()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(phases):
            return number - 1
    wanted = text.casefold()
    for i, p in enumerate(phases):
        spoken = [p.name] + [
            t.phases[i].name
            for t in routine.translations.values()
            if t.phases and i < len(t.phases) and t.phases[i].name
        ]
        if any(wanted == s.casefold() for s in spoken if s):
            return i
    listed = ", ".join(f"{i} ({n})" for i, n in enumerate(names, 1))
    raise UserError(
        "unknown stage: not a stage of this routine",
        location=where,
        hint=f"use a stage's number or name: {listed}",
    )


def stage_strategy(routine: Routine, index: int | None) -> str | None:
    """The strategy of the current stage, if it names one."""
    if index is None:
        return None
    return routine.phases[index].strategy


def stage_exercises(routine: Routine, index: int | None) -> frozenset[str] | None:
    """The exercise ids the current stage limits the handout to, or None for all."""
    if index is None or not routine.phases[index].exercises:
        return None
    return frozenset(routine.phases[index].exercises)


def focus(handout: Handout) -> Handout:
    """The handout's title and self-care for its stage (after it is put in its language).

    With a stage: that stage's title (if it has one) and the routine's self-care plus the
    stage's. Without: the routine's title, and every stage's self-care under its name.
    """
    phases: tuple[ProgramPhase, ...] = handout.phases
    if not phases:
        return handout
    if handout.stage is None:
        staged = tuple(f"{p.name}: {text}" for p in phases for text in p.self_care)
        return msgspec.structs.replace(handout, self_care=(*handout.self_care, *staged))
    current = phases[handout.stage - 1]
    return msgspec.structs.replace(
        handout,
        title=current.title or handout.title,
        self_care=(*handout.self_care, *current.self_care),
    )


def next_stage(handout: Handout) -> ProgramPhase | None:
    """The stage after the current one, if there is one."""
    if handout.stage is None or handout.stage >= len(handout.phases):
        return None
    return handout.phases[handout.stage]
