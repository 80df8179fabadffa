"""Parsing single cells of a patient list: dates, numbers, lists and the compact dose syntax.

Every parser raises :class:`CellError` with a message that never repeats the cell's
value for personal fields; the caller adds the row and column.

Dose overrides are written in a column named ``dose:<exercise-id>`` (for example
``dose:childs-pose``) with parts separated by ``;`` or ``,``::

    hold 30-60; reps 3; sets 2; per_day 2-3; each_side
    minutes 10
    hold=20, reps=5, per_side=no

Parts: ``hold`` (seconds), ``reps``, ``sets``, ``minutes``, ``per_day`` (also
``times_per_day``), and ``each_side`` / ``per_side`` (alone means yes; ``per_side no``
turns it off). Numbers may be ranges such as ``30-60``. Only what is written changes;
everything else keeps the routine's dose.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import msgspec

from routinekit.model import Dose
from routinekit.model.file_form import from_file

_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_PART_RE = re.compile(r"^([a-z_ ]+?)\s*(?:[=:]\s*|\s+|$)(.*)$")
_DOSE_KEYS = {
    "hold": "hold",
    "reps": "reps",
    "rep": "reps",
    "sets": "sets",
    "set": "sets",
    "minutes": "minutes",
    "min": "minutes",
    "per_day": "times_per_day",
    "times_per_day": "times_per_day",
    "daily": "times_per_day",
    "per_side": "per_side",
    "each_side": "per_side",
}
_YES = {"", "yes", "y", "true", "1", "on"}
_NO = {"no", "n", "false", "0", "off"}

DOSE_SYNTAX = "write e.g. 'hold 30-60; reps 3; per_day 2; each_side'"


class CellError(ValueError):
    """A cell that cannot be read; ``str()`` is the message (without the row or column)."""


def split_list(value: Any) -> tuple[str, ...]:
    """A list cell: ``prone, rotation`` or ``prone; rotation``, or an actual list."""
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else re.split(r"[;,]", str(value))
    return tuple(s for s in (str(i).strip() for i in items) if s)


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE_RE.match(str(value).strip())
    if m:
        try:
            return dt.date.fromisoformat(m.group(1))
        except ValueError:
            pass
    raise CellError("not a date; write it as YYYY-MM-DD, e.g. 2026-03-14")


def parse_number(value: Any, *, integer: bool = False) -> float | int:
    if isinstance(value, bool):
        raise CellError("expected a number, got true/false")
    if isinstance(value, int | float):
        number: float | int = value
    else:
        text = str(value).strip().replace(",", ".") if not integer else str(value).strip()
        try:
            number = int(text) if integer else float(text)
        except ValueError:
            raise CellError("expected a whole number" if integer else "expected a number") from None
    if integer and (not float(number).is_integer()):
        raise CellError("expected a whole number")
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError("expected a number")
    return int(number) if integer else float(number)


def _flag(text: str) -> bool:
    t = text.strip().lower()
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise CellError("per_side takes yes or no")


def _cleared(names: list[Any]) -> list[str]:
    """Dose fields named after ``clear`` (the one dose rule: a dose changes only what it names,
    and ``clear`` removes a field)."""
    out = []
    for name in names:
        field = _DOSE_KEYS.get(str(name).strip().lower())
        if field is None:
            raise CellError(f"cannot clear '{str(name)[:30]}'; {DOSE_SYNTAX}")
        out.append(field)
    return out


def parse_dose(value: Any) -> Dose:
    """A dose override from the compact syntax, or from a mapping (JSON/YAML rows)."""
    if isinstance(value, str):
        return _parse_dose_text(value)  # a clinic's list repeats a few doses many times
    return _parse_dose(value)


@functools.lru_cache(maxsize=1024)
def _parse_dose_text(value: str) -> Dose:
    return _parse_dose(value)  # a Dose is frozen: one parsed value serves every row


def _parse_dose(value: Any) -> Dose:
    if isinstance(value, dict):
        data: dict[str, Any] = {}
        for key, v in value.items():
            if str(key).strip().lower() == "clear":
                data["clear"] = _cleared(v if isinstance(v, list) else str(v).split())
                continue
            field = _DOSE_KEYS.get(str(key).strip().lower().replace(" ", "_"))
            if field is None:
                raise CellError(f"unknown dose part '{str(key)[:30]}'; {DOSE_SYNTAX}")
            data[field] = v
    else:
        data = {}
        for part in re.split(r"[;,]", str(value)):
            part = part.strip().lower()
            if not part:
                continue
            if part.startswith("clear "):  # "clear hold reps": remove those fields
                data["clear"] = _cleared(part.split()[1:])
                continue
            m = _PART_RE.match(part)
            key = m.group(1).strip().replace(" ", "_") if m else ""
            field = _DOSE_KEYS.get(key)
            if field is None:
                raise CellError(f"unknown dose part '{part[:30]}'; {DOSE_SYNTAX}")
            rest = m.group(2).strip() if m else ""
            if field == "per_side":
                data[field] = _flag(rest)
            elif not rest:
                raise CellError(f"'{key}' needs a number; {DOSE_SYNTAX}")
            else:
                data[field] = rest
    if not data:
        raise CellError(f"empty dose; {DOSE_SYNTAX}")
    if "sets" in data:
        data["sets"] = parse_number(data["sets"], integer=True)
    try:
        dose = from_file(data, Dose, strict=False)
    except msgspec.ValidationError as exc:
        from routinekit.files.decode import plain_message

        message = plain_message(str(exc).split(" - at ", 1)[0])
        message = re.sub(r", got '.*'$", "", message)  # the cell's text is not repeated
        raise CellError(f"{message}; {DOSE_SYNTAX}") from None
    return dose
