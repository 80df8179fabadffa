"""Keeping a patient's personal text out of messages: one helper, used everywhere.

routinekit's own messages never repeat a patient's values (they name rows, fields and
positions). But a message may quote text it did not write: a plugin's exception, a
library's error about a value. :func:`redact` is the last line of defence, and
:func:`redacting` applies it to any error that leaves a block of code that knew the
patient (building a handout, a batch row).

What is removed, case-insensitively and only as whole words (so ``Ann`` is removed but
``Annual`` is not):

* the whole of each personal field: name, therapist, clinic, notes;
* every word of the name, therapist and clinic fields, however short (``Bo``, ``Li``);
* every run of three words of the notes, and each notes word of five letters or
  more (short notes words are everyday words: ``with``, ``the``, ``walk``);
* the patient's date, as ``YYYY-MM-DD``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from routinekit.model import Patient

MARK = "[patient data]"
_WORD = re.compile(r"\w+", re.UNICODE)
_NOTES_WORD = 5


def secrets_of(patient: Patient | None) -> list[str]:
    """The texts :func:`redact` removes for ``patient``, longest first."""
    if patient is None:
        return []
    date = patient.date.isoformat() if patient.date is not None else None
    return _secrets(
        names=(patient.name, patient.therapist, patient.clinic), notes=patient.notes, date=date
    )


def secrets_of_row(values: Mapping[str, object]) -> list[str]:
    """The same for a raw row of a patient list (before it is a Patient): every personal
    column by its canonical name, whatever its value."""
    from routinekit.batch.convert import PERSONAL, column_key

    names: list[str] = []
    notes: list[str] = []
    dates: list[str] = []
    for key, value in values.items():
        column = column_key(str(key))
        text = value if isinstance(value, str) else None
        if text is None:
            continue
        if column == "notes":
            notes.append(text)
        elif column == "date":
            dates.append(text.strip())
        elif column in PERSONAL:
            names.append(text)
    found = _secrets(names=names, notes=" ".join(notes) or None, date=None)
    return sorted({*found, *(d for d in dates if d)}, key=len, reverse=True)


def _secrets(*, names: Iterable[str | None], notes: str | None, date: str | None) -> list[str]:
    found: set[str] = set()
    for value in names:
        if value and value.strip():
            found.add(value.strip())
            found.update(_WORD.findall(value))
    if notes and notes.strip():
        found.add(notes.strip())
        words = _WORD.findall(notes)
        found.update(w for w in words if len(w) >= _NOTES_WORD)
        found.update(" ".join(words[i : i + 3]) for i in range(len(words) - 2))
    if date:
        found.add(date)
    return sorted(found, key=len, reverse=True)


def _pattern(secrets: list[str]) -> re.Pattern[str] | None:
    if not secrets:
        return None
    parts = []
    for secret in secrets:
        # words of a secret may be split by any run of spaces or punctuation in the message
        words = [re.escape(w) for w in _WORD.findall(secret)]
        body = r"\W+".join(words) if words else re.escape(secret)
        parts.append(rf"(?<!\w){body}(?!\w)")
    return re.compile("|".join(parts), re.IGNORECASE | re.UNICODE)


def redact(text: str, patient: Patient | None) -> str:
    """``text`` with the patient's personal text replaced by ``[patient data]``."""
    return redact_secrets(text, secrets_of(patient))


def redact_secrets(text: str, secrets: list[str]) -> str:
    """``text`` with each of ``secrets`` (see :func:`secrets_of`) replaced."""
    pattern = _pattern(secrets)
    if pattern is None or not text:
        return text
    return pattern.sub(MARK, text)


@contextlib.contextmanager
def redacting(
    patient: Patient | None, *, row: Mapping[str, object] | None = None
) -> Iterator[None]:
    """Any error leaving the block has the patient's personal text removed from it.

    routinekit's own errors are rebuilt with redacted parts; any other exception keeps
    its type and traceback (for ``--debug``) with its arguments redacted.
    """
    try:
        yield
    except Exception as exc:
        secrets = secrets_of(patient) if row is None else secrets_of_row(row)
        if secrets:
            scrub(exc, secrets)
        raise


def scrub(exc: BaseException, patient: Patient | list[str]) -> None:
    """Redact ``exc`` in place (its message, hint, location and arguments)."""
    from routinekit.errors import Location, PluginError, UserError

    secrets = patient if isinstance(patient, list) else secrets_of(patient)

    if isinstance(exc, UserError):
        loc = exc.location
        location = Location(
            file=loc.file,
            line=loc.line,
            row=loc.row,
            field=redact_secrets(loc.field, secrets) if loc.field else None,
        )
        hint = redact_secrets(exc.hint, secrets) if exc.hint else None
        UserError.__init__(exc, redact_secrets(exc.message, secrets), location=location, hint=hint)
    elif isinstance(exc, PluginError):
        PluginError.__init__(
            exc, exc.plugin, redact_secrets(exc.message, secrets), distribution=exc.distribution
        )
    else:
        text = str(exc)
        cleaned = redact_secrets(text, secrets)
        if cleaned != text:
            exc.args = (cleaned,)
    for linked in (exc.__cause__, exc.__context__):
        if linked is not None and linked is not exc and not getattr(linked, "_redacted", False):
            linked._redacted = True  # type: ignore[attr-defined]
            scrub(linked, secrets)
