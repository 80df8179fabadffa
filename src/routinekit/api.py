"""The Python API: what the command line does, for scripts.

import routinekit
routinekit.build("templates/back-spasm-acute.yaml", "handout.pdf", patient="patient.yaml")
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from routinekit.contracts import RenderOptions
from routinekit.errors import Location, UnknownIdError, UserError
from routinekit.files.people_files import default_clinic_path, load_clinic_file, load_patient_file
from routinekit.files.routine_file import RoutineFile, load_routine_file
from routinekit.files.yaml_reader import with_line
from routinekit.model import ClinicProfile, Patient
from routinekit.pipeline import BuildResult, Overrides, render
from routinekit.pipeline import build_handout as _build_handout
from routinekit.plugins.host import PluginHost, get_host
from routinekit.redaction import redacting
from routinekit.strategies.phases import check_phase_strategies


def load_routine(routine: str | Path, *, host: PluginHost | None = None) -> RoutineFile:
    """Load a routine from a file path, or a template id such as ``back-spasm-acute``."""
    path = Path(routine)
    if not path.exists() and "/" not in str(routine) and not path.suffix:
        host = host or get_host()
        try:
            path = host.template(str(routine)).path
        except UnknownIdError as exc:
            raise UserError(
                f"no routine file or template named '{routine}'", hint=exc.hint
            ) from None
    return load_routine_file(path)


def load_patient(patient: str | Path | Patient | None) -> Patient | None:
    if patient is None or isinstance(patient, Patient):
        return patient
    return load_patient_file(patient)


def load_clinic(
    clinic: str | Path | ClinicProfile | None, *, use_default: bool = True
) -> ClinicProfile | None:
    """A clinic profile from a file; with none given, the default location if it exists."""
    if isinstance(clinic, ClinicProfile):
        return clinic
    if clinic is None:
        default = default_clinic_path() if use_default else None
        if default is None:
            return None
        clinic = default
    return load_clinic_file(clinic)


def build_handout(
    routine: str | Path | RoutineFile,
    *,
    patient: str | Path | Patient | None = None,
    clinic: str | Path | ClinicProfile | None = None,
    strategy: str | None = None,
    overrides: Overrides | None = None,
    date: dt.date | None = None,
    host: PluginHost | None = None,
) -> BuildResult:
    """Load, resolve, sequence and personalise: everything but drawing."""
    host = host or get_host()
    rf = routine if isinstance(routine, RoutineFile) else load_routine(routine, host=host)
    ov = overrides or Overrides()
    if strategy:
        ov = Overrides(
            strategy=strategy,
            minutes=ov.minutes,
            max_difficulty=ov.max_difficulty,
            phase=ov.phase,
            exclude=ov.exclude,
            guards=ov.guards,
            language=ov.language,
        )
    patient_source = str(patient) if isinstance(patient, str | Path) else None
    person = load_patient(patient)
    try:
        with redacting(person):  # a plugin's message may quote the patient
            return _build_handout(
                rf,
                host=host,
                patient=person,
                clinic=load_clinic(clinic),
                overrides=ov,
                date=date,
                patient_source=patient_source,
            )
    except UserError as exc:
        raise with_line(exc) from None


def build(
    routine: str | Path | RoutineFile,
    output: str | Path | None = None,
    *,
    patient: str | Path | Patient | None = None,
    clinic: str | Path | ClinicProfile | None = None,
    strategy: str | None = None,
    format: str = "pdf",
    options: RenderOptions | None = None,
    overrides: Overrides | None = None,
    date: dt.date | None = None,
    host: PluginHost | None = None,
) -> bytes:
    """Build one handout; write it to ``output`` (atomically) if given, and return its bytes."""
    from routinekit.output import write_atomic

    host = host or get_host()
    result = build_handout(
        routine,
        patient=patient,
        clinic=clinic,
        strategy=strategy,
        overrides=overrides,
        date=date,
        host=host,
    )
    data = render(
        result.handout, host=host, format=format, options=options, source=result.routine_file
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
) -> Report:
    """Check a routine fully without rendering; raise UserError on the first hard error.

    Plain-language lint runs in ``language`` (default: the routine's own).
    """
    host = host or get_host()
    rf = routine if isinstance(routine, RoutineFile) else load_routine(routine, host=host)
    check_phase_strategies(rf, host)
    clinic_profile = load_clinic(clinic)
    result = _build_handout(rf, host=host, clinic=clinic_profile, date=dt.date(2000, 1, 1))
    if "pdf" in host.renderers():
        # what build refuses while drawing (text the PDF cannot print), validate refuses too
        render(result.handout, host=host, format="pdf", source=rf)
    report = Report(routine=rf)
    report.findings.extend(Finding("warning", w) for w in result.warnings)
    r = rf.routine
    if not r.red_flags:
        report.findings.append(
            Finding(
                "warning", "no red flags: add when the patient should stop and call", f"{rf.source}"
            )
        )
    if not result.handout.video_url:
        report.findings.append(
            Finding(
                "info",
                "no video for the whole routine (no QR code at the top): set video_url, "
                "or a clinic profile with routine_video_url_pattern",
                rf.source,
            )
        )
    for item in result.handout.items:
        if not item.video_url:
            line = rf.entry_line(
                next(i for i, e in enumerate(r.exercises) if e.id == item.exercise.id)
            )
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
