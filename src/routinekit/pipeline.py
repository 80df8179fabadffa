"""The build pipeline: load → resolve → sequence → personalise → adjust → render.

Each step is a plain function so scripts, the CLI and batch jobs share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import msgspec

from routinekit import guards, safety
from routinekit.contracts import RenderOptions
from routinekit.errors import Location, PluginError, UserError, ValidationError
from routinekit.exclusions import Exclusions, parse_exclusions
from routinekit.files.routine_file import RoutineFile
from routinekit.library import Library
from routinekit.model import (
    SECTIONS,
    Candidate,
    ClinicProfile,
    Dose,
    Handout,
    HandoutGroup,
    HandoutItem,
    LeftOut,
    Patient,
    Phase,
    Range,
    Regimen,
    SequencePlan,
    SequenceRequest,
    StrategyOptions,
)
from routinekit.plugins.host import PluginHost
from routinekit.redaction import redacting
from routinekit.text.localise import localise_handout


@dataclass(frozen=True)
class Overrides:
    """Command-line choices that win over the routine file and the patient."""

    strategy: str | None = None
    minutes: float | None = None
    max_difficulty: int | None = None
    phase: Phase | None = None
    exclude: tuple[str, ...] = ()
    guards: str | None = None
    """Clinical guard rails: standard, strict, warn or off (see routinekit.guards)."""
    language: str | None = None
    """Handout language (``--lang``), over the patient's and the routine's."""


@dataclass(frozen=True)
class BuildResult:
    handout: Handout
    plan: SequencePlan
    candidates: tuple[Candidate, ...]
    exclusions: Exclusions
    warnings: list[str] = field(default_factory=list)
    routine_file: RoutineFile | None = None
    """The routine read, so that checks made while rendering can name its file and line."""


def check_url(url: str, *, where: Location, routine: bool = False) -> str:
    """A video link must be http(s), with a host, no password, no spaces (see safety.check_url),
    and short enough to print as a QR code in every layout (so validate refuses it too)."""
    from routinekit.render.qr import check_fits_qr, smallest_qr_mm

    safety.check_url(url, where=where)
    check_fits_qr(url, maximum_mm=smallest_qr_mm(routine=routine), where=where)
    return url


def resolve(
    rf: RoutineFile, library: Library, clinic: ClinicProfile | None = None
) -> tuple[Candidate, ...]:
    """Look up every entry in the library; unknown ids name the line and suggest the right one."""
    out: list[Candidate] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(rf.routine.exercises):
        where = Location(file=rf.source, line=rf.entry_line(i), field=f"exercises[{i}].id")
        ex = library.get(entry.id, location=where)
        if entry.id in seen:
            raise ValidationError(
                f"exercise '{entry.id}' is listed twice (also entry {seen[entry.id] + 1})",
                location=where,
                hint="list each exercise once",
            )
        seen[entry.id] = i
        dose = entry.dose if entry.dose is not None and not entry.dose.is_empty else ex.dose
        video = (
            entry.video_url or ex.video_url or (clinic.exercise_video(ex.id) if clinic else None)
        )
        if video:
            if entry.video_url:
                line = rf.doc.line_of(("exercises", i, "video_url"))
                where = Location(file=rf.source, line=line, field=f"exercises[{i}].video_url")
            check_url(video, where=where)
        out.append(Candidate(exercise=ex, dose=dose, note=entry.note, video_url=video, position=i))
    return tuple(out)


def strategy_options(
    rf: RoutineFile, patient: Patient | None, overrides: Overrides, exclusions: Exclusions
) -> StrategyOptions:
    s = rf.routine.strategy

    def pick(name: str) -> Any:
        for layer in (overrides, patient, s):
            value = getattr(layer, name, None) if layer is not None else None
            if value is not None:
                return value
        return None

    return StrategyOptions(
        minutes=pick("minutes"),
        max_difficulty=pick("max_difficulty"),
        phase=pick("phase"),
        times_per_day=s.times_per_day,
        exclude=exclusions.tokens,
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
    from routinekit.model.dose import dec_hook, enc_hook

    try:
        again = msgspec.convert(
            msgspec.to_builtins(dose, enc_hook=enc_hook), Dose, dec_hook=dec_hook
        )
    except (msgspec.ValidationError, TypeError, ValueError):
        return False
    return bool(again == dose)


def regimen_of(items: Iterable[HandoutItem], times_per_day: Range | None) -> Regimen:
    items = list(items)
    low = sum(i.dose.seconds("low") for i in items) / 60
    high = sum(i.dose.seconds("high") for i in items) / 60
    if times_per_day is None:
        freqs = {i.dose.times_per_day for i in items if i.dose.times_per_day is not None}
        if len(freqs) == 1:
            times_per_day = freqs.pop()
    return Regimen(minutes_low=low, minutes_high=high, times_per_day=times_per_day)


def build_handout(
    rf: RoutineFile,
    *,
    host: PluginHost,
    patient: Patient | None = None,
    clinic: ClinicProfile | None = None,
    overrides: Overrides | None = None,
    date: dt.date | None = None,
    patient_source: str | None = None,
) -> BuildResult:
    """Run the pipeline up to (not including) rendering.

    ``patient_source`` names the patient file (or batch row) in error messages.
    """
    overrides = overrides or Overrides()
    guard_mode = guards.guard_mode(overrides.guards)
    routine = rf.routine
    library = host.library()
    candidates = resolve(rf, library, clinic)

    exclusions = located_exclusions(rf, patient, overrides, library, patient_source)
    left_out: list[LeftOut] = []
    kept: list[Candidate] = []
    for c in candidates:
        why = exclusions.reason(c.exercise)
        if why:
            left_out.append(LeftOut(exercise_id=c.exercise.id, name=c.exercise.name, reason=why))
        else:
            kept.append(c)

    strategy_id = overrides.strategy or routine.strategy.id
    try:
        strategy = host.strategy(strategy_id)
    except UserError as exc:
        if overrides.strategy:
            raise exc.at(field="--strategy") from None
        line = rf.doc.line_of(("strategy", "id"))
        raise exc.at(file=rf.source, line=line, field="strategy.id") from None
    plugin = host.strategies()[strategy_id].plugin
    request = SequenceRequest(
        candidates=tuple(kept),
        routine_id=routine.id,
        options=strategy_options(rf, patient, overrides, exclusions),
    )
    try:
        plan = strategy.sequence(request)
    except (ValidationError, PluginError):
        raise
    except Exception as exc:
        raise PluginError(
            plugin, f"strategy '{strategy_id}' raised {type(exc).__name__}: {exc}"
        ) from exc
    plan = validate_plan(plan, strategy_id, plugin, kept)

    by_id = {c.exercise.id: c for c in kept}
    patient_doses = patient.doses if patient else {}
    for ident in patient_doses:
        if ident not in library:
            close = library.suggest(ident)
            raise ValidationError(
                f"dose override for unknown exercise '{ident}'",
                location=Location(file=patient_source, field=f"doses.{ident}"),
                hint=f"did you mean '{close}'?" if close else None,
            )
    groups: list[HandoutGroup] = []
    number = 0
    for g in plan.groups:
        items: list[HandoutItem] = []
        for p in g.items:
            c = by_id[p.exercise_id]
            number += 1
            dose = (p.dose or c.dose).merged(patient_doses.get(c.exercise.id))
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
    placed = {p.exercise_id for p in plan.placements}
    reasons = {o.exercise_id: o.reason for o in plan.omitted}
    for c in kept:
        if c.exercise.id not in placed:
            left_out.append(
                LeftOut(
                    exercise_id=c.exercise.id,
                    name=c.exercise.name,
                    reason=reasons.get(c.exercise.id, f"not chosen by strategy '{strategy_id}'"),
                )
            )

    video = routine.video_url or (clinic.routine_video(routine.id) if clinic else None)
    if video:
        line = rf.doc.line_of(("video_url",)) if routine.video_url else None
        check_url(video, where=Location(file=rf.source, line=line, field="video_url"), routine=True)
    all_items = [i for g in groups for i in g.items]
    handout = Handout(
        routine_id=routine.id,
        title=routine.title,
        condition=routine.condition,
        language=(
            overrides.language
            or (patient.language if patient and patient.language else routine.language)
        ),
        groups=tuple(groups),
        regimen=regimen_of(all_items, plan.times_per_day or routine.strategy.times_per_day),
        date=(patient.date if patient and patient.date else None) or date or dt.date.today(),
        strategy_id=strategy_id,
        strategy_name=strategy.name,
        clinic=clinic,
        patient=patient,
        video_url=video,
        education=routine.education,
        self_care=routine.self_care,
        red_flags=routine.red_flags,
        phases=routine.phases,
        tracking_log=routine.tracking_log,
        left_out=tuple(left_out),
        strategy_notes=plan.notes,
        section_order=plan.section_order or SECTIONS,
        base_dir=str(rf.base_dir),
    )
    handout = localise_handout(handout, routine, {c.exercise.id: c.exercise for c in candidates})
    handout = adjust(handout, host)
    findings = guards.check_handout(
        handout,
        rf,
        exclusions=exclusions,
        phase=request.options.phase,
        patient_source=patient_source,
    )
    warnings = guards.apply(findings, guard_mode)
    return BuildResult(
        handout=handout,
        plan=plan,
        candidates=candidates,
        exclusions=exclusions,
        warnings=warnings,
        routine_file=rf,
    )


def located_exclusions(
    rf: RoutineFile,
    patient: Patient | None,
    overrides: Overrides,
    library: Library,
    patient_source: str | None = None,
) -> Exclusions:
    """Parse the routine's, the patient's and the command line's exclusions; errors say which."""
    ids = [e.id for e in library]
    layers = [
        (
            rf.routine.strategy.exclude,
            Location(
                file=rf.source,
                line=rf.doc.line_of(("strategy", "exclude")),
                field="strategy.exclude",
            ),
        ),
        (patient.exclude if patient else (), Location(file=patient_source, field="exclude")),
        (overrides.exclude, Location(field="--exclude")),
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


def adjust(handout: Handout, host: PluginHost) -> Handout:
    """Let every ``adjust_handout`` plugin change the handout, in turn."""
    hook = host.pm.hook.adjust_handout
    for impl in hook.get_hookimpls():  # registration order: built-ins first
        host.trace_call("adjust_handout", impl.plugin_name)
        try:
            result = impl.function(handout=handout)
        except Exception as exc:
            raise host.error_for(
                impl.plugin_name, f"raised in adjust_handout: {type(exc).__name__}: {exc}"
            ) from exc
        if result is None:
            continue
        if not isinstance(result, Handout):
            raise host.error_for(
                impl.plugin_name, f"adjust_handout returned {type(result).__name__}, not Handout"
            )
        handout = result
    return handout


def render(
    handout: Handout,
    *,
    host: PluginHost,
    format: str = "pdf",
    options: RenderOptions | None = None,
    source: RoutineFile | None = None,
) -> bytes:
    """Render with the renderer registered as ``format``; its output is checked.

    :param source: the routine file, so that a check made while rendering (a title the
        PDF cannot print) names its file and line.
    """
    renderer = host.renderer(format)
    plugin = host.renderers()[format].plugin
    try:
        with redacting(handout.patient):
            data = renderer.render(handout, options or RenderOptions())
    except UserError as exc:
        raise (source.locate(exc) if source is not None else exc) from None
    except PluginError:
        raise
    except Exception as exc:
        info = host.infos.get(plugin)
        if info is not None and info.builtin:
            raise
        raise PluginError(
            plugin, f"renderer '{format}' raised {type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(data, bytes | bytearray) or not data:
        raise PluginError(plugin, f"renderer '{format}' returned no bytes")
    return bytes(data)


def with_patient_defaults(patient: Patient | None, **changes: Any) -> Patient | None:
    if patient is None:
        return None
    return msgspec.structs.replace(patient, **changes)
