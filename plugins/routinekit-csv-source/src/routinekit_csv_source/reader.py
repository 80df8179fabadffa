"""Read a clinic's exercise list from a CSV export (Excel, LibreOffice, Google Sheets).

One row per exercise, a header row naming the columns. Errors name the file,
the spreadsheet row (the header is row 1) and the column.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from pathlib import Path
from typing import Any

import msgspec

from routinekit.errors import Location, ValidationError
from routinekit.model import Exercise
from routinekit.model.file_form import from_file

#: Column -> what it holds. Required columns first.
COLUMNS: dict[str, str] = {
    "id": "short id: lower-case letters, digits and hyphens, e.g. wall-slide",
    "name": "the exercise's name as the patient reads it",
    "objective": "one sentence: what it is for",
    "steps": "the steps, one per line in the cell, or separated by |",
    "position": "quadruped, supine, prone, side-lying, seated, kneeling or standing",
    "movements": "flexion, extension, rotation, side-bend, neutral, aerobic or breathing "
    "(several separated by , or |)",
    "difficulty": "1 (easiest) to 5; default 1",
    "phases": "acute, progression, prevention (several separated by , or |)",
    "aliases": "other names, separated by |",
    "tags": "free labels, separated by , or |",
    "cautions": "warnings, separated by | or one per line",
    "hold": "seconds to hold, a number or a range like 30-60",
    "reps": "repetitions, a number or a range like 8-10",
    "sets": "number of sets",
    "per_side": "yes if done on each side",
    "minutes": "minutes, for timed activities such as walking",
    "times_per_day": "times a day, a number or a range like 2-3",
    "video_url": "https:// link to a video of the exercise",
    "source": "where the exercise comes from",
    "licence": "the licence of its text or video",
}
REQUIRED = ("id", "name", "objective", "steps", "position", "movements")
DOSE_COLUMNS = ("hold", "reps", "sets", "per_side", "minutes", "times_per_day")
LIST_COLUMNS = ("movements", "phases", "tags")  # split on , or |
LINE_COLUMNS = ("steps", "cautions", "aliases")  # split on newlines or |
MAX_BYTES = 5_000_000

_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}


def _column_name(header: str) -> str:
    return re.sub(r"[\s-]+", "_", header.strip().lower())


def _split(value: str, pattern: str) -> list[str]:
    return [p.strip() for p in re.split(pattern, value) if p.strip()]


def _enum_value(value: str) -> str:
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def _error(
    path: Path, row: int | None, column: str | None, message: str, hint: str | None = None
) -> ValidationError:
    return ValidationError(
        message, location=Location(file=str(path), row=row, field=column), hint=hint
    )


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if not path.is_file():
        raise _error(path, None, None, "exercise list not found", "check ROUTINEKIT_CSV_EXERCISES")
    if path.stat().st_size > MAX_BYTES:
        raise _error(path, None, None, "exercise list is larger than 5 MB")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _error(
            path, None, None, "is not UTF-8 text", "export the sheet as 'CSV UTF-8'"
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        raise _error(path, 1, None, "is empty", "the first row must name the columns")
    headers = [_column_name(h) for h in rows[0]]
    for i, h in enumerate(headers):
        if not h or h.startswith("_"):
            continue  # unnamed or private columns are the clinic's own
        if h not in COLUMNS:
            close = difflib.get_close_matches(h, list(COLUMNS), n=1)
            hint = (
                f"did you mean '{close[0]}'?" if close else "start a column name with _ to keep it"
            )
            raise _error(
                path, 1, rows[0][i].strip(), f"unknown column '{rows[0][i].strip()}'", hint
            )
        if headers.index(h) != i:
            raise _error(path, 1, h, f"column '{h}' appears twice")
    for need in REQUIRED:
        if need not in headers:
            raise _error(path, 1, need, f"missing column '{need}'", COLUMNS[need])
    out: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
            raise _error(path, number, None, "has more cells than the header row has columns")
        record = {
            h: (cells[i] if i < len(cells) else "")
            for i, h in enumerate(headers)
            if h and not h.startswith("_")
        }
        out.append((number, record))
    return headers, out


def _to_data(path: Path, row: int, record: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    dose: dict[str, Any] = {}
    for column, raw in record.items():
        value = raw.strip()
        if column in DOSE_COLUMNS:
            if not value:
                continue
            if column == "per_side":
                low = value.lower()
                if low not in _YES | _NO:
                    raise _error(path, row, column, f"expected yes or no, got '{value}'")
                dose[column] = low in _YES
            elif column == "sets":
                if not value.isdigit():
                    raise _error(path, row, column, f"expected a whole number, got '{value}'")
                dose[column] = int(value)
            else:
                dose[column] = value
            continue
        if not value:
            if column in REQUIRED:
                raise _error(path, row, column, f"'{column}' is empty", COLUMNS[column])
            continue
        if column in LIST_COLUMNS:
            items = _split(value, r"[,|\n]")
            data[column] = [_enum_value(v) for v in items] if column != "tags" else items
        elif column in LINE_COLUMNS:
            data[column] = _split(value, r"\r?\n|\|")
        elif column == "position":
            data[column] = _enum_value(value)
        elif column == "difficulty":
            if not value.isdigit():
                raise _error(path, row, column, f"expected a whole number 1-5, got '{value}'")
            data[column] = int(value)
        else:
            data[column] = value
    if dose:
        data["dose"] = dose
    return data


_AT_RE = re.compile(r"\s*-\s*at `\$\.?(?P<path>[^`]*)`\s*$")


def _column_of(path_text: str) -> str:
    parts = re.findall(r"[A-Za-z_]+", path_text)
    if parts[:1] == ["dose"] and len(parts) > 1:
        return parts[1]
    return parts[0] if parts else ""


def read_exercises(path: Path | str) -> tuple[Exercise, ...]:
    """Read and validate every exercise in a CSV file; the first problem raises."""
    path = Path(path)
    _, rows = _read_rows(path)
    seen: dict[str, int] = {}
    out: list[Exercise] = []
    for row, record in rows:
        data = _to_data(path, row, record)
        try:
            ex = from_file(data, Exercise)
        except msgspec.ValidationError as exc:
            raw = str(exc)
            m = _AT_RE.search(raw)
            column = _column_of(m.group("path")) if m else None
            message = (raw[: m.start()] if m else raw).replace("`", "'")
            hint = COLUMNS.get(column or "")
            enum = re.match(r"Invalid enum value '([^']*)'", message)
            if enum:
                message = f"'{enum.group(1)}' is not a known {column}"
            elif "matching regex" in message and column:
                message = f"'{record.get(column, '').strip()}' is not a usable {column}"
            raise _error(path, row, column, message[:1].lower() + message[1:], hint) from None
        if ex.id in seen:
            raise _error(path, row, "id", f"id '{ex.id}' is also used in row {seen[ex.id]}")
        seen[ex.id] = row
        out.append(ex)
    return tuple(out)
