"""The page's form as a model: the routine being edited and the patient it is for.

Everything the page knows travels in its one form, so the server keeps no patient data
between requests: :func:`read_form` turns the submitted fields into a :class:`Draft`,
:func:`draft_routine_bytes` turns the draft into the CLI's routine YAML, and
:func:`draft_of_routine` fills a draft from an opened routine file.

The routine the draft started from (a template or an opened file) rides along as base64 of
its exact bytes, so saving a routine that was not changed gives back the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import yaml

from routinekit.batch.cells import DOSE_SYNTAX, CellError, parse_dose
from routinekit.errors import Location, UserError, ValidationError
from routinekit.files.routine_file import RoutineFile, load_routine_text
from routinekit.model import Dose, Patient, Routine
from routinekit.model.dose import Range
from routinekit.model.file_form import to_file_builtins

EMPTY_ROUTINE = b"""routinekit: 1
id: my-routine
title: My Home Exercises
exercises: []
"""

#: Form field names (the templates use the same).
PATIENT_FIELDS = ("patient_name", "patient_date", "therapist", "language", "patient_notes")


@dataclass
class Entry:
    id: str
    dose_text: str = ""
    note: str = ""
    dose: Dose | None = None


@dataclass
class Draft:
    """What the form says. ``errors`` maps a form field name to its one-line message."""

    base: bytes = EMPTY_ROUTINE
    base_name: str = "my-routine.yaml"
    entries: list[Entry] = field(default_factory=list)
    strategy: str = ""
    minutes: float | None = None
    phase: str = ""
    exclude: tuple[str, ...] = ()
    patient_name: str = ""
    patient_date: dt.date | None = None
    therapist: str = ""
    language: str = ""
    patient_notes: str = ""
    large_print: bool = False
    page_size: str = "letter"
    patient_base: bytes = b""
    """The patient file the draft was opened with (for an exact round trip), if any."""
    errors: dict[str, str] = field(default_factory=dict)
    _base_parsed: tuple[bytes, str, RoutineFile | None] | None = field(
        default=None, repr=False, compare=False
    )
    """The base as parsed by :meth:`base_routine` (a draft lives for one request)."""

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    def base_routine(self) -> RoutineFile | None:
        """The routine the draft started from; None for a new, empty routine.

        Parsed once per draft: one preview asks for it several times (~3 ms a parse).
        """
        cached = self._base_parsed
        if cached is not None and cached[0] is self.base and cached[1] == self.base_name:
            return cached[2]
        rf = None
        if self.base != EMPTY_ROUTINE:
            rf = load_routine_text(text_of(self.base, self.base_name), source=self.base_name)
        self._base_parsed = (self.base, self.base_name, rf)
        return rf

    def patient(self) -> Patient | None:
        """The patient, or None when no personal field is filled in."""
        data: dict[str, Any] = {}
        if self.patient_name.strip():
            data["name"] = self.patient_name.strip()
        if self.patient_date:
            data["date"] = self.patient_date
        if self.therapist.strip():
            data["therapist"] = self.therapist.strip()
        if self.patient_notes.strip():
            data["notes"] = self.patient_notes.strip()
        if self.language:
            data["language"] = self.language
        if self.exclude:
            from routinekit.web.constraints import tokens

            data["exclude"] = list(tokens(self.exclude))
        extra = self._patient_extra()
        data.update(extra)
        if not data:
            return None
        try:
            return msgspec.convert(data, Patient)
        except msgspec.ValidationError as exc:
            raise UserError(
                str(exc).replace("`", "'"), location=Location(field="patient")
            ) from None

    def _patient_extra(self) -> dict[str, Any]:
        """Fields of an opened patient file the page has no box for (doses, minutes, ...)."""
        if not self.patient_base:
            return {}
        try:
            base = _patient_from_bytes(self.patient_base)
        except UserError:
            return {}
        out: dict[str, Any] = {}
        if base.doses:
            out["doses"] = base.doses
        if base.minutes is not None:
            out["minutes"] = base.minutes
        if base.max_difficulty is not None:
            out["max_difficulty"] = base.max_difficulty
        if base.clinic:
            out["clinic"] = base.clinic
        return out


def text_of(data: bytes, name: str) -> str:
    """An uploaded file's text (UTF-8, with or without a byte order mark)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(
            "is not UTF-8 text", location=Location(file=name), hint="save it as UTF-8"
        ) from None


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise UserError(f"the page sent a broken {what}", hint="reload the page") from None


def dose_text(dose: Dose | None) -> str:
    """A dose in the compact syntax the dose boxes take, e.g. ``hold 30-60; per_day 2-3``."""
    if dose is None:
        return ""
    parts: list[str] = []
    for name, key in (("hold", "hold"), ("reps", "reps"), ("minutes", "minutes")):
        value: Range | None = getattr(dose, name)
        if value is not None:
            parts.append(f"{key} {value.text()}")
    if dose.sets is not None:
        parts.append(f"sets {dose.sets}")
    if dose.times_per_day is not None:
        parts.append(f"per_day {dose.times_per_day.text()}")
    if dose.per_side:
        parts.append("each_side")
    if dose.clear:
        parts.append("clear " + " ".join(dose.clear))
    return "; ".join(parts)


def _float(value: str, name: str, errors: dict[str, str], *, high: float = 240) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        errors[name] = "must be a number of minutes, like 10"
        return None
    if not 0 < number <= high:
        errors[name] = f"must be above 0 and at most {high:g}"
        return None
    return number


def read_form(form: Any, *, constraint_words: Iterable[str]) -> Draft:
    """The draft a submitted form describes; bad fields are in ``draft.errors``, not raised."""
    d = Draft()
    errors = d.errors
    if form.get("base"):
        d.base = _unb64(str(form.get("base")), "routine")
    d.base_name = str(form.get("base_name") or d.base_name)[:200]
    if form.get("patient_base"):
        d.patient_base = _unb64(str(form.get("patient_base")), "patient file")
    seen: set[str] = set()
    for raw in form.getlist("ex"):
        ident = str(raw).strip()
        if not ident or ident in seen:
            continue
        seen.add(ident)
        entry = Entry(
            id=ident,
            dose_text=str(form.get(f"dose-{ident}") or "").strip(),
            note=str(form.get(f"note-{ident}") or "").strip(),
        )
        if entry.dose_text:
            try:
                entry.dose = parse_dose(entry.dose_text)
            except CellError as exc:
                errors[f"dose-{ident}"] = str(exc)
        d.entries.append(entry)
    d.strategy = str(form.get("strategy") or "").strip()
    d.minutes = _float(str(form.get("minutes") or ""), "minutes", errors)
    d.phase = str(form.get("phase") or "").strip()
    known = set(constraint_words)
    d.exclude = tuple(w for w in (str(v) for v in form.getlist("exclude")) if w in known)
    d.patient_name = str(form.get("patient_name") or "")[:300]
    date = str(form.get("patient_date") or "").strip()
    if date:
        try:
            d.patient_date = dt.date.fromisoformat(date)
        except ValueError:
            errors["patient_date"] = "write the date as YYYY-MM-DD, e.g. 2026-11-23"
    d.therapist = str(form.get("therapist") or "")[:300]
    d.language = str(form.get("language") or "").strip()
    d.patient_notes = str(form.get("patient_notes") or "")[:2000]
    d.large_print = form.get("large_print") in {"on", "1", "true"}
    d.page_size = "a4" if form.get("page_size") == "a4" else "letter"
    return d


# -- routine files -------------------------------------------------------------------------


def _routine_data(routine: Routine) -> dict[str, Any]:
    data: dict[str, Any] = to_file_builtins(routine)
    data = {"routinekit": data.pop("routinekit", 1), **data}
    data["exercises"] = [e["id"] if set(e) == {"id"} else e for e in data.get("exercises", [])]
    strategy = data.get("strategy")
    if isinstance(strategy, dict) and set(strategy) == {"id"}:
        data["strategy"] = strategy["id"]
    return data


def draft_routine(d: Draft) -> Routine:
    """The routine the draft describes: the base routine with the draft's choices."""
    rf = d.base_routine()
    base = rf.routine if rf is not None else None
    old = {e.id: e for e in base.exercises} if base is not None else {}
    entries = []
    for e in d.entries:
        before = old.get(e.id)
        dose = e.dose if e.dose is not None else None
        if dose is None and before is not None and before.dose is not None and e.dose_text:
            dose = before.dose
        video = before.video_url if before is not None else None
        entries.append(
            msgspec.structs.replace(
                before or _entry(e.id), dose=dose, note=e.note or None, video_url=video
            )
        )
    if base is None:
        base = Routine(id="my-routine", title="My Home Exercises", exercises=tuple(entries))
    strategy = base.strategy
    changes: dict[str, Any] = {}
    if d.strategy and d.strategy != strategy.id:
        changes["id"] = d.strategy
    if d.minutes != strategy.minutes:
        changes["minutes"] = d.minutes
    phase = d.phase or None
    if phase != (strategy.phase.value if strategy.phase else None):
        changes["phase"] = phase
    if changes:
        data = msgspec.to_builtins(strategy)
        data.update(changes)
        data = {k: v for k, v in data.items() if v is not None}
        strategy = msgspec.convert(data, type(strategy))
    return msgspec.structs.replace(base, exercises=tuple(entries), strategy=strategy)


def _entry(ident: str) -> Any:
    from routinekit.model.routine import RoutineEntry

    return RoutineEntry(id=ident)


def routine_yaml(routine: Routine, *, fast: bool = False) -> bytes:
    """The routine as YAML. ``fast``: with libyaml's emitter (~6x faster than PyYAML's,
    ~12 ms a routine); it reads back to the same values, and gives the same text for
    ordinary notes, but escapes some characters the saved file keeps as they are (emoji)."""
    dumper = getattr(yaml, "CSafeDumper", None) if fast else None
    text = yaml.dump(
        _routine_data(routine),
        Dumper=dumper or yaml.SafeDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return text.encode("utf-8")


def _draft_routine_bytes(d: Draft, *, fast: bool) -> tuple[bytes, RoutineFile | None]:
    """The routine's bytes, and the base routine when they are the base's own bytes."""
    if not d.entries:
        raise ValidationError(
            "the routine has no exercises yet",
            location=Location(field="exercises"),
            hint="add at least one exercise",
        )
    routine = draft_routine(d)
    try:
        rf = d.base_routine()
    except UserError:
        rf = None
    base = rf.routine if rf is not None else None
    if base is not None and _routine_data(base) == _routine_data(routine):
        return d.base, rf
    return routine_yaml(routine, fast=fast), None


def draft_routine_bytes(d: Draft) -> bytes:
    """The routine file to save: the exact bytes opened when nothing changed."""
    return _draft_routine_bytes(d, fast=False)[0]


def draft_routine_text(d: Draft) -> tuple[str, RoutineFile | None]:
    """The routine's YAML a build reads, and that text loaded when it is the base's own
    (so it is not parsed again). The text is the saved file's values, written by libyaml
    (:func:`routine_yaml` ``fast``)."""
    data, rf = _draft_routine_bytes(d, fast=True)
    return text_of(data, d.base_name), rf


def draft_routine_file(d: Draft) -> RoutineFile:
    """The routine as a checked RoutineFile (errors name the line of the saved YAML)."""
    data = draft_routine_bytes(d)
    return load_routine_text(text_of(data, d.base_name), source=d.base_name)


def draft_of_routine(data: bytes, name: str) -> Draft:
    """A draft from an opened routine file (raises the CLI's UserError when it is broken)."""
    rf = load_routine_text(text_of(data, name), source=name)
    r = rf.routine
    d = Draft(base=data, base_name=name)
    d.entries = [
        Entry(id=e.id, dose_text=dose_text(e.dose), note=e.note or "", dose=e.dose)
        for e in r.exercises
    ]
    d.strategy = r.strategy.id
    d.minutes = r.strategy.minutes
    d.phase = r.strategy.phase.value if r.strategy.phase else ""
    return d


# -- patient files ------------------------------------------------------------------------


def _patient_from_bytes(data: bytes, name: str = "patient.yaml") -> Patient:
    from routinekit.files.people_files import parse_patient_doc, patient_key_shown
    from routinekit.files.yaml_reader import load_yaml_text

    text = text_of(data, name)
    return parse_patient_doc(load_yaml_text(text, source=name, shown_keys=patient_key_shown))


def apply_patient_file(d: Draft, data: bytes, name: str, constraint_words: Iterable[str]) -> None:
    """Fill the patient fields from an opened patient file (raises UserError when broken)."""
    p = _patient_from_bytes(data, name)
    d.patient_base = data
    d.patient_name = p.name or ""
    d.patient_date = p.date
    d.therapist = p.therapist or ""
    d.patient_notes = p.notes or ""
    d.language = p.language or ""
    known = set(constraint_words)
    d.exclude = tuple(t for t in p.exclude if t in known)


def patient_bytes(d: Draft) -> bytes:
    """The patient file to save: the exact bytes opened when nothing changed."""
    patient = d.patient() or Patient()
    if d.patient_base:
        try:
            before = _patient_from_bytes(d.patient_base)
        except UserError:
            before = None
        if before == patient:
            return d.patient_base
    data = to_file_builtins(patient)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


__all__ = [
    "DOSE_SYNTAX",
    "EMPTY_ROUTINE",
    "Draft",
    "Entry",
    "apply_patient_file",
    "b64",
    "dose_text",
    "draft_of_routine",
    "draft_routine",
    "draft_routine_bytes",
    "draft_routine_file",
    "draft_routine_text",
    "patient_bytes",
    "read_form",
    "routine_yaml",
]
