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
from collections.abc import Iterator
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
    found: set[str] = set()
    for value in (patient.name, patient.therapist, patient.clinic):
        if value and value.strip():
            found.add(value.strip())
            found.update(_WORD.findall(value))
    if patient.notes and patient.notes.strip():
        found.add(patient.notes.strip())
        words = _WORD.findall(patient.notes)
        found.update(w for w in words if len(w) >= _NOTES_WORD)
        found.update(" ".join(words[i : i + 3]) for i in range(len(words) - 2))
    if patient.date is not None:
        found.add(patient.date.isoformat())
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
    pattern = _pattern(secrets_of(patient))
    if pattern is None or not text:
        return text
    return pattern.sub(MARK, text)


@contextlib.contextmanager
def redacting(patient: Patient | None) -> Iterator[None]:
    """Any error leaving the block has the patient's personal text removed from it.

    routinekit's own errors are rebuilt with redacted parts; any other exception keeps
    its type and traceback (for ``--debug``) with its arguments redacted.
    """
    try:
        yield
    except Exception as exc:
        if patient is not None:
            scrub(exc, patient)
        raise


def scrub(exc: BaseException, patient: Patient) -> None:
    """Redact ``exc`` in place (its message, hint, location and arguments)."""
    from routinekit.errors import Location, PluginError, UserError

    if isinstance(exc, UserError):
        loc = exc.location
        location = Location(
            file=loc.file,
            line=loc.line,
            row=loc.row,
            field=redact(loc.field, patient) if loc.field else None,
        )
        hint = redact(exc.hint, patient) if exc.hint else None
        UserError.__init__(exc, redact(exc.message, patient), location=location, hint=hint)
    elif isinstance(exc, PluginError):
        PluginError.__init__(
            exc, exc.plugin, redact(exc.message, patient), distribution=exc.distribution
        )
    else:
        text = str(exc)
        cleaned = redact(text, patient)
        if cleaned != text:
            exc.args = (cleaned,)
    for linked in (exc.__cause__, exc.__context__):
        if linked is not None and linked is not exc and not getattr(linked, "_redacted", False):
            linked._redacted = True  # type: ignore[attr-defined]
            scrub(linked, patient)
