"""Patient files and clinic profiles."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

from routinekit.errors import Location
from routinekit.files.decode import decode
from routinekit.files.yaml_reader import load_yaml_file
from routinekit.model import ClinicProfile, Patient
from routinekit.safety import check_image


def load_patient_file(path: Path | str) -> Patient:
    """Read one patient's personalisation (YAML or JSON)."""
    doc = load_yaml_file(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), "must be a mapping of fields (name, date, exclude, ...)")
    data = dict(doc.data)
    if isinstance(data.get("exclude"), str):
        data["exclude"] = [p.strip() for p in data["exclude"].split(",") if p.strip()]
    return decode(doc, Patient, data=data)


def default_clinic_path() -> Path | None:
    """``$ROUTINEKIT_CLINIC``, else ``~/.config/routinekit/clinic.yaml`` if it exists."""
    env = os.environ.get("ROUTINEKIT_CLINIC")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    path = base / "routinekit" / "clinic.yaml"
    return path if path.is_file() else None


def load_clinic_file(path: Path | str) -> ClinicProfile:
    """Read a clinic profile; a relative logo path is resolved against the file's folder."""
    path = Path(path)
    doc = load_yaml_file(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), "must be a mapping of fields (name, phone, website, ...)")
    clinic = decode(doc, ClinicProfile)
    if clinic.logo:
        where = Location(file=str(path), line=doc.line_of(("logo",)), field="logo")
        logo = check_image(clinic.logo, path.resolve().parent, where=where, what="logo")
        clinic = msgspec.structs.replace(clinic, logo=str(logo))
    return clinic
