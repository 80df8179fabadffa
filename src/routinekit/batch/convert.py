"""From a raw row of a patient list to a :class:`~routinekit.model.Patient` and a routine.

Columns (header names are matched without regard to case, spaces or hyphens):

``id``             the clinic's reference for the patient (file names only, never printed)
``name``           printed on the handout; or ``first_name`` and ``last_name``
``date``           YYYY-MM-DD (else ``--date``, else today)
``therapist``, ``clinic``, ``language`` (e.g. ``es``), ``notes``
``exclude``        positions, movements or exercise ids, separated by ``,`` or ``;``
``minutes``, ``max_difficulty``
``routine``        a routine file (relative to the list's folder) or a template id
``dose:<id>``      a dose override, see :mod:`routinekit.batch.cells`
``note:<id>``      the therapist's note for one exercise (JSON/YAML: ``exercise_notes``)
``stage``          the programme stage the patient is in (its name or number)
``times_per_day``  how often a day (also ``per_day``), over the routine's and the strategy's

Errors name the row and the column, never the patient.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from routinekit.batch.cells import CellError, parse_date, parse_dose, parse_number, split_list
from routinekit.batch.rows import RawRow, list_kind
from routinekit.errors import Location, UserError, ValidationError
from routinekit.files.decode import plain_message
from routinekit.model import Dose, Patient
from routinekit.model.file_form import from_file
from routinekit.redaction import redacting

COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "first_name",
    "last_name",
    "date",
    "therapist",
    "clinic",
    "language",
    "notes",
    "exclude",
    "minutes",
    "max_difficulty",
    "routine",
    "stage",
    "times_per_day",
)
DOSE_PREFIX = "dose:"
NOTE_PREFIX = "note:"
#: Columns whose values are never repeated in messages.
PERSONAL = frozenset(
    {"id", "name", "first_name", "last_name", "therapist", "notes", "clinic", "exercise_notes"}
)
_ALIASES = {
    "exclusions": "exclude",
    "excludes": "exclude",
    "firstname": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "given_name": "first_name",
    "family_name": "last_name",
    "lang": "language",
    "note": "notes",
    "per_day": "times_per_day",
    "times_a_day": "times_per_day",
}


def column_key(raw: str) -> str:
    """The canonical name of a column as written in a header (``First Name`` -> ``first_name``)."""
    text = str(raw).strip()
    for prefix in (DOSE_PREFIX, NOTE_PREFIX):
        if text[: len(prefix)].lower() == prefix:
            return prefix + text[len(prefix) :].strip().lower()
    key = "_".join(text.casefold().replace("-", " ").split())
    return _ALIASES.get(key, key)


_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def column_shown(key: str) -> bool:
    """Whether a column name (canonical) may be repeated in a message.

    Known columns are, and ``dose:<id>`` columns whose id looks like an exercise id.
    Anything else is shown by its position: a list without a header line has a
    patient where the header goes, and a list keyed by name has names as keys.
    """
    if key in COLUMNS or key in ("doses", "exercise_notes"):
        return True
    return any(
        key.startswith(prefix) and bool(_ID.match(key[len(prefix) :]))
        for prefix in (DOSE_PREFIX, NOTE_PREFIX)
    )


def row_key_shown(path: tuple[str | int, ...], key: str) -> bool:
    """For the YAML reader: keys of a patient list that messages may repeat."""
    if not path or path == ("patients",):
        return key == "patients"
    if len(path) == 1 or (path[0] == "patients" and len(path) == 2):
        return column_shown(column_key(key))
    if path[-1] in ("doses", "exercise_notes"):
        return bool(_ID.match(key))
    return key in _DOSE_PARTS


_DOSE_PARTS = frozenset({"hold", "reps", "sets", "minutes", "per_side", "times_per_day"})


def known_columns_text() -> str:
    return f"known columns: {', '.join(COLUMNS)}, dose:<exercise-id>, note:<exercise-id>"


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A row ready to build: the patient, the routine (None: the batch's) and naming fields."""

    row: int
    line: int | None
    patient: Patient
    routine: str | None
    fields: dict[str, Any]
    """Values for the name pattern (see :data:`routinekit.batch.names.FIELDS`)."""


class RowConverter:
    """Converts raw rows; knows the batch's defaults and the exercise ids for early checks.

    :param source: the list's path, for error locations and relative routine paths.
    :param known_ids: exercise ids in the library (dose columns and exclusions are checked).
    :param date: the date for rows without one.
    :param routine_id: the id of the batch's routine (for ``{routine}`` in names).
    """

    def __init__(
        self,
        source: Path,
        *,
        known_ids: Iterable[str],
        date: dt.date,
        routine_id: str,
    ) -> None:
        self.source = source
        self.base_dir = source.resolve().parent
        self.known_ids = frozenset(known_ids)
        self.date = date
        self.routine_id = routine_id
        #: how a row's cells are named in messages: by column (CSV) or key (JSON, YAML)
        self.cell_word = "column" if list_kind(source) == "csv" else "key"

    def check_header(self, columns: Iterable[str]) -> None:
        """Unknown or repeated columns are one error for the whole list (a CSV header).

        Header cells are named by position (``column 3``), never by their text, which
        is a patient's data when the list has no header line.
        """
        where = Location(file=str(self.source), line=1)
        seen: dict[str, int] = {}
        unknown: list[tuple[int, str | None]] = []
        named = 0
        for position, raw in enumerate(columns, start=1):
            if not str(raw).strip():
                continue
            key = column_key(raw)
            if key in seen:
                same = f" ('{key}')" if column_shown(key) else ""
                raise UserError(
                    f"columns {seen[key]} and {position} are the same column{same}",
                    location=where,
                    hint="keep one of them",
                )
            seen[key] = position
            if self._column_problem(key) is not None:
                unknown.append((position, self._suggestion(key)))
            else:
                named += 1
        if not unknown:
            return
        if not named:
            raise UserError(
                "the first line names no known column (is the header line missing?)",
                location=where,
                hint=f"the first line must name the columns, e.g. name,date,notes; "
                f"{known_columns_text()}",
            )
        numbers = ", ".join(str(p) for p, _ in unknown)
        tips = "; ".join(f"column {p}: did you mean '{s}'?" for p, s in unknown if s)
        raise UserError(
            f"unknown column{'s' if len(unknown) > 1 else ''} {numbers} in the header"
            + (f" ({tips})" if tips else ""),
            location=where,
            hint=known_columns_text(),
        )

    def _suggestion(self, key: str) -> str | None:
        """The known column (or ``dose:<id>``) closest to ``key``, if any is close."""
        for prefix in (DOSE_PREFIX, NOTE_PREFIX):
            if key.startswith(prefix):
                ident = key[len(prefix) :]
                close = difflib.get_close_matches(ident, sorted(self.known_ids), n=1)
                return f"{prefix}{close[0]}" if close else None
        close = difflib.get_close_matches(key, COLUMNS, n=1)
        return close[0] if close else None

    def _column_problem(self, key: str) -> str | None:
        """Why ``key`` is not a column (naming it only if it may be shown), or None."""
        for prefix in (DOSE_PREFIX, NOTE_PREFIX):
            if not key.startswith(prefix):
                continue
            ident = key[len(prefix) :]
            if ident in self.known_ids:
                return None
            close = self._suggestion(key)
            tip = f"; did you mean '{close}'?" if close else ""
            if column_shown(key):
                return f"'{key}' (no exercise '{ident}'{tip})"
            kind = "dose" if prefix == DOSE_PREFIX else "note"
            return f"(a {kind} column for no known exercise{tip})"
        if key in COLUMNS or key in ("doses", "exercise_notes"):
            return None
        close = self._suggestion(key)
        return f"(did you mean '{close}'?)" if close else ""

    def _error(
        self, raw: RawRow, column: str | None, message: str, hint: str | None = None
    ) -> ValidationError:
        return ValidationError(
            message,
            location=Location(file=str(self.source), line=raw.line, row=raw.row, field=column),
            hint=hint,
        )

    def convert(self, raw: RawRow) -> RowSpec:
        """The row as a RowSpec; raise a ValidationError naming the row and column.

        The error never holds the row's personal values (see :mod:`routinekit.redaction`).
        """
        if raw.values is None:
            raise self._error(raw, None, f"this row {raw.problem}")
        with redacting(None, row=raw.values):
            return self._convert(raw, raw.values)

    def _convert(self, raw: RawRow, row: dict[str, Any]) -> RowSpec:
        values: dict[str, Any] = {}
        doses: dict[str, Dose] = {}
        notes: dict[str, str] = {}
        for position, (name, value) in enumerate(row.items(), start=1):
            if isinstance(value, str):
                value = value.strip()
            if value is None or value == "" or value == []:
                continue
            if not str(name).strip():
                raise self._error(
                    raw,
                    None,
                    "a value in a column with no name in the header",
                    "name the column or delete the value",
                )
            key = column_key(name)
            problem = self._column_problem(key)
            if problem is not None:
                place = f"{self.cell_word} {position}"
                raise self._error(
                    raw, place, f"unknown {self.cell_word} {problem}".strip(), known_columns_text()
                )
            try:
                if key.startswith(DOSE_PREFIX):
                    doses[key[len(DOSE_PREFIX) :]] = parse_dose(value)
                elif key == "doses":
                    doses.update(self._doses_mapping(raw, value))
                elif key.startswith(NOTE_PREFIX):
                    notes[key[len(NOTE_PREFIX) :]] = self._text(value)
                elif key == "exercise_notes":
                    notes.update(self._notes_mapping(raw, value))
                else:
                    values[key] = self._cell(key, value)
            except CellError as exc:
                raise self._error(raw, key, str(exc)) from None
        if notes:
            values["exercise_notes"] = notes
        return self._spec(raw, values, doses)

    @staticmethod
    def _text(value: Any) -> str:
        if isinstance(value, dict | list):
            raise CellError("expected text, got a list or mapping")
        return str(value)

    def _notes_mapping(self, raw: RawRow, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise CellError("must be a mapping of exercise id to note")
        out: dict[str, str] = {}
        for ident, text in value.items():
            ident = str(ident).strip().lower()
            problem = self._column_problem(NOTE_PREFIX + ident)
            if problem:
                raise self._error(
                    raw, f"exercise_notes.{ident[:40]}", f"unknown exercise in {problem}"
                )
            try:
                out[ident] = self._text(text)
            except CellError as exc:
                raise self._error(raw, f"exercise_notes.{ident}", str(exc)) from None
        return out

    def _doses_mapping(self, raw: RawRow, value: Any) -> dict[str, Dose]:
        if not isinstance(value, dict):
            raise CellError("must be a mapping of exercise id to dose")
        out: dict[str, Dose] = {}
        for ident, dose in value.items():
            ident = str(ident).strip().lower()
            problem = self._column_problem(DOSE_PREFIX + ident)
            field = f"doses.{ident}" if _ID.match(ident) else "doses"
            if problem is not None:
                raise self._error(raw, field, f"unknown exercise in {problem}".strip())
            try:
                out[ident] = parse_dose(dose)
            except CellError as exc:
                raise self._error(raw, field, str(exc)) from None
        return out

    def _cell(self, key: str, value: Any) -> Any:
        if key == "date":
            return parse_date(value)
        if key == "minutes":
            return parse_number(value)
        if key == "max_difficulty":
            return parse_number(value, integer=True)
        if key == "exclude":
            return split_list(value)
        if key == "stage" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, dict | list):
            raise CellError("expected text, got a list or mapping")
        return str(value)

    def _routine_ref(self, ref: str) -> str:
        path = Path(ref)
        looks_like_file = (
            path.suffix.lower() in {".yaml", ".yml", ".json"} or "/" in ref or "\\" in ref
        )
        if not looks_like_file:
            return ref
        return str(path if path.is_absolute() else (self.base_dir / path).resolve())

    def _spec(self, raw: RawRow, values: dict[str, Any], doses: dict[str, Dose]) -> RowSpec:
        first, last = values.pop("first_name", None), values.pop("last_name", None)
        name = values.get("name") or " ".join(p for p in (first, last) if p) or None
        ident = values.pop("id", None)
        routine = values.pop("routine", None)
        date = values.get("date") or self.date
        exclude = values.get("exclude", ())
        if exclude:
            from routinekit.exclusions import parse_exclusions

            try:
                parse_exclusions(exclude, self.known_ids)
            except UserError as exc:
                raise self._error(raw, "exclude", exc.message, exc.hint) from None
        data: dict[str, Any] = {**values, "name": name, "date": date, "doses": doses}
        data = {k: v for k, v in data.items() if v is not None}
        try:
            patient = from_file(data, Patient)
        except msgspec.ValidationError as exc:
            text = str(exc)
            message, _, where = text.partition(" - at `$.")
            field = where.rstrip("`").split(".")[0].split("[")[0] or None
            raise self._error(raw, field, plain_message(message)) from None
        routine_ref = self._routine_ref(routine) if routine else None
        routine_name = Path(routine).stem if routine else self.routine_id
        fields = {
            "row": raw.row,
            "id": ident or "",
            "name": name or "",
            "first_name": first or "",
            "last_name": last or "",
            "date": date.isoformat(),
            "routine": routine_name,
            "language": patient.language or "",
        }
        return RowSpec(
            row=raw.row, line=raw.line, patient=patient, routine=routine_ref, fields=fields
        )
