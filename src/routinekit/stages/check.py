"""Stage ``check``: clinical guard rails on what would be printed (see :mod:`routinekit.guards`)."""

from __future__ import annotations

from routinekit import guards
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
    return state.advance("check", warnings=(*state.warnings, *warnings))
