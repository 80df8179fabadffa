"""Stage ``exclude``: leave out what this patient must not do (routine, patient, options)."""

from __future__ import annotations

from routinekit import programme, tailor
from routinekit.errors import Location, UserError, ValidationError
from routinekit.exclusions import Exclusions, parse_exclusions
from routinekit.library import Library, library_for
from routinekit.model import Patient
from routinekit.notes import check_note_ids
from routinekit.plugins.host import PluginHost
from routinekit.stages.state import BuildState


def located_exclusions(state: BuildState, host: PluginHost) -> Exclusions:
    """Parse the routine's, the patient's and the request's exclusions; errors say which."""
    rf = state.routine_file
    ids = [e.id for e in library_for(host)]
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
    return Exclusions.union(parts)


def exclude(state: BuildState, host: PluginHost) -> BuildState:
    """Leave out what breaks the patient's limits, swapping in an alternative that meets them
    all where there is one; keep to the patient's programme stage; apply the patient's doses
    (so the strategy counts time with what will print)."""
    state.need("resolve")
    exclusions = located_exclusions(state, host)
    routine = state.routine_file.routine
    patient = state.patient
    stage = programme.find_stage(
        routine,
        patient.stage if patient else None,
        Location(file=state.patient_source, field="stage"),
    )
    library = library_for(host)
    check_patient_ids(patient, library, state.patient_source)
    clinic = state.clinic
    prepared = tailor.prepare(
        state.candidates,
        exclusions,
        lambda i: library.get(i) if i in library else None,
        video_for=lambda ex: ex.video_url or (clinic.exercise_video(ex.id) if clinic else None),
        stage_ids=programme.stage_exercises(routine, stage),
        stage_name=routine.phases[stage].name if stage is not None else None,
        patient=patient,
    )
    return state.advance(
        "exclude",
        exclusions=exclusions,
        kept=prepared.kept,
        left_out=prepared.left_out,
        substitutions=prepared.substitutions,
        programme_stage=stage,
    )


def check_patient_ids(patient: Patient | None, library: Library, source: str | None) -> None:
    """A patient's doses and notes must name exercises that exist."""
    if patient is None:
        return
    for ident in patient.doses:
        if ident not in library:
            close = library.suggest(ident)
            raise ValidationError(
                f"dose override for unknown exercise '{ident}'",
                location=Location(file=source, field=f"doses.{ident}"),
                hint=f"did you mean '{close}'?" if close else None,
            )
    check_note_ids(patient.exercise_notes, {e.id for e in library}, source)
