"""Stage ``sequence``: the strategy orders the kept exercises, groups them and says why."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec

from routinekit import programme, tailor
from routinekit.errors import Location, PluginError, UserError
from routinekit.library import library_for
from routinekit.model import (
    SECTIONS,
    Candidate,
    Dose,
    LeftOut,
    SequencePlan,
    SequenceRequest,
    StrategyOptions,
)
from routinekit.plugins.host import PluginHost
from routinekit.stages.personalise import language_of
from routinekit.stages.resolve import check_video_url
from routinekit.stages.state import BuildState


def strategy_options(state: BuildState) -> StrategyOptions:
    """Request options win over the patient's, which win over the routine's strategy block."""
    s = state.routine_file.routine.strategy
    options = state.request.options

    def pick(name: str) -> Any:
        for layer in (options, state.patient, s):
            value = getattr(layer, name, None) if layer is not None else None
            if value is not None:
                return value
        return None

    return StrategyOptions(
        minutes=pick("minutes"),
        max_difficulty=pick("max_difficulty"),
        phase=pick("phase"),
        times_per_day=s.times_per_day,
        exclude=state.exclusions.tokens,
    )


def strategy_id_of(state: BuildState) -> str:
    """The request's strategy, else the patient's stage's, else the routine's."""
    routine = state.routine_file.routine
    return (
        state.request.options.strategy
        or programme.stage_strategy(routine, state.programme_stage)
        or routine.strategy.id
    )


def find_strategy(state: BuildState, host: PluginHost) -> Any:
    """The strategy the request or routine names; an unknown id is located where it was set."""
    rf = state.routine_file
    ident = strategy_id_of(state)
    try:
        return host.strategy(ident)
    except UserError as exc:
        if state.request.options.strategy:
            raise exc.at(field="--strategy") from None
        line = rf.doc.line_of(("strategy", "id"))
        raise exc.at(file=rf.source, line=line, field="strategy.id") from None


def strategy_settings(state: BuildState, strategy: Any, plugin: str) -> Any:
    """The strategy's own settings: the clinic's ``plugins.PLUGIN`` block under the routine's
    ``strategy:`` block (only when the routine's strategy is the one used)."""
    from routinekit.plugin_settings import clinic_document, resolve_settings

    rf = state.routine_file
    routine_named_it = state.request.options.strategy in (None, rf.routine.strategy.id)
    clinic_block = state.clinic.plugins.get(plugin) if state.clinic is not None else None
    return resolve_settings(
        getattr(strategy, "settings_type", None),
        strategy_id=strategy_id_of(state),
        plugin=plugin,
        routine_settings=rf.routine.strategy.settings if routine_named_it else {},
        routine_doc=rf.doc,
        clinic_settings=clinic_block,
        clinic_doc=clinic_document(state.request.clinic) if clinic_block else None,
    )


def sequence(state: BuildState, host: PluginHost) -> BuildState:
    state.need("exclude")
    ident = strategy_id_of(state)
    strategy = find_strategy(state, host)
    plugin = host.strategies()[ident].plugin
    options = strategy_options(state)
    pool = library_pool(state, host)
    request = SequenceRequest(
        candidates=state.kept,
        routine_id=state.routine_file.routine.id,
        options=options,
        library=pool,
        language=language_of(state),
        settings=strategy_settings(state, strategy, plugin),
    )
    with host.guard(plugin, f"strategy '{ident}'"):
        plan = strategy.sequence(request)
    plan = validate_plan(plan, ident, plugin, (*state.kept, *pool))
    placed_ids = {p.exercise_id for p in plan.placements}
    added = tuple(c for c in pool if c.exercise.id in placed_ids)
    for c in added:
        if c.video_url:
            check_video_url(c.video_url, where=Location(field=f"video of '{c.exercise.id}'"))
    placed = {p.exercise_id for p in plan.placements}
    reasons = {o.exercise_id: o.reason for o in plan.omitted}
    left_out = list(state.left_out)
    for c in state.kept:
        if c.exercise.id not in placed:
            reason = reasons.get(c.exercise.id, f"not chosen by strategy '{ident}'")
            left_out.append(LeftOut(exercise_id=c.exercise.id, name=c.exercise.name, reason=reason))
    left_out = tailor.settle(left_out, state.substitutions, placed)
    return state.advance(
        "sequence",
        strategy_id=ident,
        strategy_name=strategy.name,
        strategy_plugin=plugin,
        strategy_options=options,
        plan=plan,
        added=added,
        left_out=tuple(left_out),
    )


def library_pool(state: BuildState, host: PluginHost) -> tuple[Candidate, ...]:
    """The library's exercises outside the routine that pass this patient's exclusions."""
    in_routine = {c.exercise.id for c in (*state.candidates, *state.kept)}  # swaps too
    clinic = state.clinic
    start = len(state.candidates)
    pool = [
        ex
        for ex in library_for(host)
        if ex.id not in in_routine and not state.exclusions.reason(ex)
    ]
    return tuple(
        Candidate(
            exercise=ex,
            dose=ex.dose,
            video_url=ex.video_url or (clinic.exercise_video(ex.id) if clinic else None),
            position=start + i,
        )
        for i, ex in enumerate(pool)
    )


def validate_plan(
    plan: Any, strategy_id: str, plugin: str, candidates: Iterable[Candidate]
) -> SequencePlan:
    """A strategy's output must be a SequencePlan that only uses what it was given, once."""
    if not isinstance(plan, SequencePlan):
        raise PluginError(
            plugin, f"strategy '{strategy_id}' returned {type(plan).__name__}, not SequencePlan"
        )
    given = {c.exercise.id for c in candidates}
    seen: set[str] = set()
    for p in plan.placements:
        if p.exercise_id not in given:
            raise PluginError(
                plugin, f"strategy '{strategy_id}' placed '{p.exercise_id}', which it was not given"
            )
        if p.exercise_id in seen:
            raise PluginError(plugin, f"strategy '{strategy_id}' placed '{p.exercise_id}' twice")
        if p.dose is not None and not isinstance(p.dose, Dose):
            raise PluginError(
                plugin, f"strategy '{strategy_id}' gave '{p.exercise_id}' a dose that is not a Dose"
            )
        if p.dose is not None and not _valid_dose(p.dose):
            raise PluginError(
                plugin, f"strategy '{strategy_id}' gave '{p.exercise_id}' an invalid dose"
            )
        seen.add(p.exercise_id)
    if plan.section_order is not None and (set(plan.section_order) - set(SECTIONS)):
        raise PluginError(
            plugin, f"strategy '{strategy_id}' named unknown sections in section_order"
        )
    return plan


def _valid_dose(dose: Dose) -> bool:
    """A Dose built in code skips validation: it must survive a round trip unchanged."""
    from routinekit.model.file_form import from_file, to_file_builtins

    try:
        again = from_file(to_file_builtins(dose), Dose)
    except (msgspec.ValidationError, TypeError, ValueError):
        return False
    return bool(again == dose)
