"""Checks on multi-phase programmes: every phase must name a strategy that exists.

Run by `validate` and `sequence` before the stages (a routine's later phases are not built,
but their strategies must be known)."""

from __future__ import annotations

import difflib

from routinekit.files.routine_file import RoutineFile
from routinekit.plugins.host import PluginHost


def check_phase_strategies(rf: RoutineFile, host: PluginHost) -> None:
    """Raise a located ValidationError for the first phase whose strategy is unknown."""
    known = sorted(host.strategies())
    for i, phase in enumerate(rf.routine.phases):
        if phase.strategy is None or phase.strategy in known:
            continue
        close = difflib.get_close_matches(phase.strategy, known, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"use one of: {', '.join(known)} (see `routinekit strategies`)"
        )
        raise rf.doc.error(
            ("phases", i, "strategy"),
            f"phase '{phase.name}' names unknown strategy '{phase.strategy}'",
            hint,
        )
