"""Stage ``load``: read the routine, the patient and the clinic a request names."""

from __future__ import annotations

from pathlib import Path

from routinekit.errors import UnknownIdError, UserError
from routinekit.files.people_files import default_clinic_path, load_clinic_file, load_patient_file
from routinekit.files.routine_file import RoutineFile, load_routine_file, load_routine_text
from routinekit.model import ClinicProfile, Patient
from routinekit.plugins.host import PluginHost
from routinekit.request import BuildRequest
from routinekit.stages.state import BuildState


def load_routine(ref: str, host: PluginHost, *, text: str | None = None) -> RoutineFile:
    """A routine file's path or a template id (``back-spasm-acute``); or YAML ``text``."""
    if text is not None:
        return load_routine_text(text, source=ref)
    path = Path(ref)
    if not path.exists() and "/" not in ref and not path.suffix:
        try:
            path = host.template(ref).path
        except UnknownIdError as exc:
            raise UserError(f"no routine file or template named '{ref}'", hint=exc.hint) from None
        from routinekit.files.stored_routine import load_template_file

        return load_template_file(path)  # a shipped file: parsed once, then from the cache
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


def load(
    request: BuildRequest, host: PluginHost, *, routine_file: RoutineFile | None = None
) -> BuildState:
    """Read what ``request`` names. ``routine_file``: one already loaded (a batch's)."""
    rf = routine_file or load_routine(request.routine, host, text=request.routine_text)
    source = request.patient_source
    if source is None and isinstance(request.patient, str):
        source = request.patient
    return BuildState(
        request=request,
        routine_file=rf,
        patient=load_patient(request.patient),
        patient_source=source,
        clinic=load_clinic(request.clinic, use_default=request.default_clinic),
        done=("load",),
    )
