"""Stage ``personalise``: the handout for this patient — final doses, regimen, language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import msgspec

from routinekit import programme, tailor
from routinekit.errors import Location
from routinekit.model import SECTIONS, Handout, HandoutGroup, HandoutItem, Range, Regimen
from routinekit.model.routine import red_flags_of
from routinekit.plugins.host import PluginHost
from routinekit.printed_set import top_video
from routinekit.stages.resolve import check_video_url
from routinekit.stages.state import BuildState
from routinekit.text.localise import localise_handout, with_plan_text


def regimen_of(items: Iterable[HandoutItem], times_per_day: Range | None) -> Regimen:
    """How long one session takes (from the printed doses) and how often a day."""
    items = list(items)
    low = sum(i.dose.seconds("low") for i in items) / 60
    high = sum(i.dose.seconds("high") for i in items) / 60
    if times_per_day is None:
        freqs = {i.dose.times_per_day for i in items if i.dose.times_per_day is not None}
        if len(freqs) == 1:
            times_per_day = freqs.pop()
    return Regimen(minutes_low=low, minutes_high=high, times_per_day=times_per_day)


def language_of(state: BuildState) -> str:
    """The request's language, else the patient's, else the routine's."""
    patient = state.patient
    return (
        state.request.options.language
        or (patient.language if patient and patient.language else None)
        or state.routine_file.routine.language
    )


def date_of(state: BuildState) -> dt.date:
    """The patient's date, else the request's, else today."""
    patient = state.patient
    return (
        (patient.date if patient and patient.date else None)
        or state.request.options.date
        or dt.date.today()
    )


def personalise(state: BuildState, host: PluginHost) -> BuildState:
    state.need("sequence")
    assert state.plan is not None
    rf = state.routine_file
    routine = rf.routine
    patient = state.patient
    patient_doses = patient.doses if patient else {}  # checked by the exclude stage
    by_id = {c.exercise.id: c for c in (*state.kept, *state.added)}
    groups: list[HandoutGroup] = []
    number = 0
    for g in state.plan.groups:
        items: list[HandoutItem] = []
        for p in g.items:
            c = by_id[p.exercise_id]
            number += 1
            # one rule: the strategy's, then the patient's dose change only what they name
            dose = c.dose.merged(p.dose).merged(patient_doses.get(c.exercise.id))
            items.append(
                HandoutItem(
                    number=number,
                    exercise=c.exercise,
                    dose=dose,
                    note=c.note,
                    video_url=c.video_url,
                    reason=p.reason,
                )
            )
        if items:
            groups.append(HandoutGroup(title=g.title, intro=g.intro, items=tuple(items)))
    clinic = state.clinic
    video = routine.video_url or (clinic.routine_video(routine.id) if clinic else None)
    if video:
        line = rf.doc.line_of(("video_url",)) if routine.video_url else None
        where = Location(file=rf.source, line=line, field="video_url")
        check_video_url(video, where=where, routine=True)
    all_items = [i for g in groups for i in g.items]
    video, video_note = top_video(
        video,
        routine.id,
        [e.id for e in routine.exercises],
        [i.exercise.id for i in all_items],
        clinic,
    )
    if video and video_note:
        check_video_url(video, where=Location(field="set_video_url_pattern"), routine=True)
    session = tailor.frequency_of(
        all_items, routine.strategy.times_per_day, state.plan.times_per_day, patient
    )
    entry_doses = {e.id: e.dose for e in routine.exercises}
    groups = [
        msgspec.structs.replace(
            g,
            items=tuple(
                tailor.finish_item(
                    i,
                    exclusions=state.exclusions,
                    substitutions=state.substitutions,
                    patient=patient,
                    entry_dose=entry_doses.get(i.exercise.id),
                    session=session,
                )
                for i in g.items
            ),
        )
        for g in groups
    ]
    all_items = [i for g in groups for i in g.items]
    handout = Handout(
        routine_id=routine.id,
        title=routine.title,
        condition=routine.condition,
        language=language_of(state),
        groups=tuple(groups),
        regimen=tailor.regimen(all_items, session),
        stage=state.programme_stage + 1 if state.programme_stage is not None else None,
        date=date_of(state),
        strategy_id=state.strategy_id or routine.strategy.id,
        strategy_name=state.strategy_name or "",
        clinic=clinic,
        patient=patient,
        video_url=video,
        education=routine.education,
        self_care=routine.self_care,
        red_flags=red_flags_of(routine.red_flags),
        phases=routine.phases,
        tracking_log=routine.tracking_log,
        left_out=state.left_out,
        strategy_notes=state.plan.notes,
        section_order=state.plan.section_order or SECTIONS,
        base_dir=str(rf.base_dir),
    )
    exercises = {c.exercise.id: c.exercise for c in state.candidates}
    handout = localise_handout(handout, routine, exercises)
    handout = with_plan_text(handout, state.plan)
    handout = msgspec.structs.replace(
        handout,
        self_care=tailor.keep_self_care(handout.self_care, routine.self_care, state.exclusions),
    )
    handout = programme.focus(handout)
    notices = (*state.notices, video_note) if video_note else state.notices
    return state.advance("personalise", handout=handout, notices=notices)
