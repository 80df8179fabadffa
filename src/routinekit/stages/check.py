"""Stage ``check``: clinical guard rails on what would be printed (see :mod:`routinekit.guards`)."""

from __future__ import annotations

from routinekit import guards, tailor
from routinekit.errors import ValidationError
from routinekit.plugins.host import PluginHost
from routinekit.stages.state import BuildState


def check(state: BuildState, host: PluginHost) -> BuildState:
    """Errors raise (per the guard mode); warnings are kept on the state."""
    state.need("personalise")
    assert state.handout is not None
    findings = guards.check_handout(
        state.handout,
        state.routine_file,
        exclusions=state.exclusions,
        phase=state.strategy_options.phase if state.strategy_options else None,
        patient_source=state.patient_source,
    )
    warnings = guards.apply(findings, guards.guard_mode(state.request.options.guards))
    handout = state.handout
    warnings += tailor.check(
        handout.items,
        offered=len(state.candidates),
        budget=state.strategy_options.minutes if state.strategy_options else None,
        reg=handout.regimen,
        language=handout.language,
        patient=state.patient,
        left_out=handout.left_out,
    )
    if state.request.options.strict and warnings:
        more = f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""
        raise ValidationError(warnings[0] + more, hint="leave out --strict to print it anyway")
    return state.advance("check", warnings=(*state.warnings, *warnings))
