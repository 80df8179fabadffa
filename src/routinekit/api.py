"""The Python API: what the command line does, for scripts.

import routinekit
routinekit.build("templates/back-spasm-acute.yaml", "handout.pdf", patient="patient.yaml")
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from routinekit.contracts import RenderOptions
from routinekit.errors import Location
from routinekit.files.routine_file import RoutineFile
from routinekit.frequency import conflict
from routinekit.model import ClinicProfile, Patient
from routinekit.pipeline import BuildResult, check_request, prepare
from routinekit.plugins.host import PluginHost, get_host
from routinekit.request import BuildOptions, BuildRequest
from routinekit.stages import render
from routinekit.stages.load import load_clinic, load_patient
from routinekit.stages.load import load_routine as _load_routine
from routinekit.stages.phases import check_phase_strategies

__all__ = [
    "BuildOptions",
    "BuildRequest",
    "BuildResult",
    "RenderOptions",
    "build",
    "build_handout",
    "load_clinic",
    "load_patient",
    "load_routine",
    "make_request",
    "render",
    "validate",
]


def load_routine(routine: str | Path, *, host: PluginHost | None = None) -> RoutineFile:
    """Load a routine from a file path, or a template id such as ``back-spasm-acute``."""
    return _load_routine(str(routine), host or get_host())


def make_request(
    routine: str | Path | RoutineFile,
    *,
    patient: str | Path | Patient | None = None,
    clinic: str | Path | ClinicProfile | None = None,
    strategy: str | None = None,
    options: BuildOptions | None = None,
    date: dt.date | None = None,
    format: str = "pdf",
    render: RenderOptions | None = None,
) -> BuildRequest:
    """The :class:`BuildRequest` for these arguments (``strategy`` and ``date`` are short
    for the same fields of ``options``)."""
    opts = options or BuildOptions()
    if strategy:
        opts = msgspec.structs.replace(opts, strategy=strategy)
    if date:
        opts = msgspec.structs.replace(opts, date=date)
    ref = routine.source if isinstance(routine, RoutineFile) else str(routine)
    return BuildRequest(
        routine=ref,
        patient=str(patient) if isinstance(patient, Path) else patient,
        clinic=str(clinic) if isinstance(clinic, Path) else clinic,
        options=opts,
        render=render or RenderOptions(),
        format=format,
    )


def build_handout(
    routine: str | Path | RoutineFile,
    *,
    patient: str | Path | Patient | None = None,
    clinic: str | Path | ClinicProfile | None = None,
    strategy: str | None = None,
    options: BuildOptions | None = None,
    date: dt.date | None = None,
    host: PluginHost | None = None,
    request: BuildRequest | None = None,
) -> BuildResult:
    """Load, resolve, sequence and personalise: everything but drawing.

    Give either the pieces (a routine and keyword arguments) or a whole ``request``.
    """
    host = host or get_host()
    if request is None:
        request = make_request(
            routine, patient=patient, clinic=clinic, strategy=strategy, options=options, date=date
        )
    rf = routine if isinstance(routine, RoutineFile) else None
    return prepare(request, host, routine_file=rf)


def build(
    routine: str | Path | RoutineFile,
    output: str | Path | None = None,
    *,
    patient: str | Path | Patient | None = None,
    clinic: str | Path | ClinicProfile | None = None,
    strategy: str | None = None,
    format: str = "pdf",
    render_options: RenderOptions | None = None,
    options: BuildOptions | None = None,
    date: dt.date | None = None,
    host: PluginHost | None = None,
    request: BuildRequest | None = None,
) -> bytes:
    """Build one handout; write it to ``output`` (atomically) if given, and return its bytes."""
    from routinekit.output import write_atomic

    host = host or get_host()
    if request is None:
        request = make_request(
            routine,
            patient=patient,
            clinic=clinic,
            strategy=strategy,
            options=options,
            date=date,
            format=format,
            render=render_options,
        )
    check_request(request, host)
    rf = routine if isinstance(routine, RoutineFile) else None
    result = prepare(request, host, routine_file=rf)
    data = render(
        result.handout,
        host,
        format=request.format,
        options=request.render,
        source=result.routine_file,
    )
    if output is not None:
        inputs = [p for p in (routine, patient, clinic) if isinstance(p, str | Path)]
        if result.handout.clinic and result.handout.clinic.logo:
            inputs.append(result.handout.clinic.logo)
        write_atomic(Path(output), data, private=result.handout.patient is not None, inputs=inputs)
    return data


@dataclass
class Finding:
    level: str  # "error", "warning" or "info"
    message: str
    where: str = ""

    def line(self) -> str:
        return f"{self.level}: {self.where + ': ' if self.where else ''}{self.message}"


@dataclass
class Report:
    routine: RoutineFile
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.level == "error" for f in self.findings)


def validate(
    routine: str | Path | RoutineFile,
    *,
    clinic: str | Path | ClinicProfile | None = None,
    host: PluginHost | None = None,
    language: str | None = None,
    patient: str | Path | Patient | None = None,
    options: BuildOptions | None = None,
) -> Report:
    """Check a routine fully without rendering; raise UserError on the first hard error.

    Plain-language lint runs in ``language`` (default: the routine's own). With a
    ``patient`` (or ``options`` such as exclusions) the check is of that patient's handout.
    """
    host = host or get_host()
    rf = routine if isinstance(routine, RoutineFile) else load_routine(routine, host=host)
    check_phase_strategies(rf, host)
    request = make_request(
        rf, patient=patient, clinic=clinic, options=options, date=dt.date(2000, 1, 1)
    )
    check_request(request, host)
    result = prepare(request, host, routine_file=rf)
    if "pdf" in host.renderers():
        # what build refuses while drawing (text the PDF cannot print), validate refuses too
        render(result.handout, host, format="pdf", source=rf)
    report = Report(routine=rf)
    report.findings.extend(Finding("warning", w) for w in result.warnings)
    report.findings.extend(Finding("info", n, rf.source) for n in result.notices)
    for i, entry in enumerate(rf.routine.exercises):
        clash = conflict(entry.dose, rf.routine.strategy.times_per_day)
        if clash:
            clash_at = Location(
                file=rf.source,
                line=rf.doc.line_of(("exercises", i, "dose", "times_per_day")),
                field=f"exercises[{i}].dose.times_per_day",
            )
            report.findings.append(Finding("warning", f"'{entry.id}' {clash}", str(clash_at)))
    r = rf.routine
    if not r.red_flags:
        report.findings.append(
            Finding(
                "warning", "no red flags: add when the patient should stop and call", f"{rf.source}"
            )
        )
    if not result.handout.video_url and not result.notices:
        report.findings.append(
            Finding(
                "info",
                "no video for the whole routine (no QR code at the top): set video_url, "
                "or a clinic profile with routine_video_url_pattern",
                rf.source,
            )
        )
    entries = {e.id: i for i, e in enumerate(r.exercises)}
    for item in result.handout.items:
        if not item.video_url:
            where = item.exercise.id in entries  # else the strategy added it from the library
            line = rf.entry_line(entries[item.exercise.id]) if where else None
            report.findings.append(
                Finding(
                    "info",
                    f"exercise '{item.exercise.id}' has no video link (no QR code on its card)",
                    str(Location(file=rf.source, line=line)),
                )
            )
    for lo in result.handout.left_out:
        report.findings.append(
            Finding("info", f"'{lo.exercise_id}' is left out: {lo.reason}", rf.source)
        )
    from routinekit.lint.routine_lint import lint_routine

    exercises = {c.exercise.id: c.exercise for c in result.candidates}
    for lf in lint_routine(rf, result.handout, language, exercises):
        report.findings.append(Finding(lf.level, lf.message, lf.where))
    return report
