"""Stage ``exclude``: leave out what this patient must not do (routine, patient, options)."""

from __future__ import annotations

from routinekit.errors import Location, UserError
from routinekit.exclusions import Exclusions, parse_exclusions
from routinekit.model import Candidate, LeftOut
from routinekit.plugins.host import PluginHost
from routinekit.stages.state import BuildState


def located_exclusions(state: BuildState, host: PluginHost) -> Exclusions:
    """Parse the routine's, the patient's and the request's exclusions; errors say which."""
    rf = state.routine_file
    ids = [e.id for e in host.library()]
    layers = [
        (
            rf.routine.strategy.exclude,
            Location(
                file=rf.source,
                line=rf.doc.line_of(("strategy", "exclude")),
                field="strategy.exclude",
            ),
        ),
        (
            state.patient.exclude if state.patient else (),
            Location(file=state.patient_source, field="exclude"),
        ),
        (state.request.options.exclude, Location(field="--exclude")),
    ]
    parts: list[Exclusions] = []
    for tokens, where in layers:
        try:
            parts.append(parse_exclusions(tokens, ids))
        except UserError as exc:
            raise exc.at(file=where.file, line=where.line, field=where.field) from None
    return Exclusions(
        positions=frozenset().union(*(p.positions for p in parts)),
        movements=frozenset().union(*(p.movements for p in parts)),
        ids=frozenset().union(*(p.ids for p in parts)),
    )


def exclude(state: BuildState, host: PluginHost) -> BuildState:
    state.need("resolve")
    exclusions = located_exclusions(state, host)
    kept: list[Candidate] = []
    left_out: list[LeftOut] = []
    for c in state.candidates:
        why = exclusions.reason(c.exercise)
        if why:
            left_out.append(LeftOut(exercise_id=c.exercise.id, name=c.exercise.name, reason=why))
        else:
            kept.append(c)
    return state.advance(
        "exclude", exclusions=exclusions, kept=tuple(kept), left_out=tuple(left_out)
    )
