"""Patient files and clinic profiles."""

from __future__ import annotations

import os
import re
from pathlib import Path

import msgspec

from routinekit.errors import Location, ValidationError
from routinekit.files.decode import decode
from routinekit.files.yaml_reader import Document, PathKey, load_yaml_file
from routinekit.model import ClinicProfile, Dose, Patient
from routinekit.safety import check_image, check_url

_PATIENT_FIELDS = frozenset(Patient.__struct_fields__)
_DOSE_FIELDS = frozenset(Dose.__struct_fields__)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def patient_key_shown(path: PathKey, key: str) -> bool:
    """Whether a key of a patient file may be repeated in a message.

    Field names are; so are exercise ids under ``doses``. Any other key might be a
    person's name (a file keyed by patient), so messages give its position instead.
    """
    if not path:
        return key in _PATIENT_FIELDS
    if path[0] == "doses":
        return bool(_ID.match(key)) if len(path) == 1 else key in _DOSE_FIELDS
    return False


def load_patient_file(path: Path | str) -> Patient:
    """Read one patient's personalisation (YAML or JSON).

    A path that does not exist is not repeated in the message: people type a patient's
    name where the file name goes (``--patient "Anna Berg"``).
    """
    if not os.path.lexists(path):
        raise ValidationError(
            "patient file not found",
            hint="check the path (it is not shown here, in case it is a person's name)",
        )
    return parse_patient_doc(load_yaml_file(path, shown_keys=patient_key_shown))


def parse_patient_doc(doc: Document) -> Patient:
    """A patient from YAML already read (a file, or an upload on the web page)."""
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
    check_clinic_links(clinic, doc)
    if clinic.logo:
        where = Location(file=str(path), line=doc.line_of(("logo",)), field="logo")
        logo = check_image(clinic.logo, path.resolve().parent, where=where, what="logo")
        from routinekit.render.images import decoded

        decoded(str(logo), where=where, what="logo", name=clinic.logo)  # once, for every handout
        clinic = msgspec.structs.replace(clinic, logo=str(logo))
    return clinic


#: The longest exercise id (the model's limit): a clinic's video pattern must leave room
#: for it in a QR code.
LONGEST_ID = "x" * 80


def check_clinic_links(clinic: ClinicProfile, doc: Document) -> None:
    """The clinic's website and video patterns are checked here, against the clinic file.

    A pattern's links must be safe (no password, no invisible characters) and short
    enough, with a long exercise id, to print as a QR code a phone can scan; a mistake
    is reported on the clinic file's line, not on the routine that uses the pattern.
    """
    from routinekit.render.qr import check_fits_qr

    for name in ("website", "video_url_pattern", "routine_video_url_pattern"):
        value = getattr(clinic, name)
        if not value:
            continue
        where = Location(file=doc.source, line=doc.line_of((name,)), field=name)
        what = "website" if name == "website" else "video link pattern"
        check_url(value.replace("{id}", "id"), where=where, what=what)
        if name != "website":
            check_fits_qr(value.replace("{id}", LONGEST_ID), where=where, pattern=True)
