"""Reading patient lists: CSV (as spreadsheets export it), JSON Lines, JSON or YAML lists.

Rows are streamed: a CSV or JSON Lines file of any length is read one record at a
time. JSON and YAML lists are read whole, so they are capped in size by the safe
YAML reader (use CSV or JSON Lines for long lists).

Row numbers count patients from 1 (in a CSV, row 1 is the line under the header);
``line`` is the line of the file where the record starts, when known.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from routinekit.errors import Location, UserError, ValidationError
from routinekit.files.regular import open_regular

#: Bytes read to guess a CSV's delimiter (only the header line is used).
_SNIFF_BYTES = 64 * 1024
_DELIMITERS = (",", ";", "\t")
#: The biggest cell a row may have (characters); a longer one fails only its row.
MAX_CELL = 100_000
#: The longest line read at all (characters); a longer one stops the list (it cannot be a row).
MAX_LINE = 1_000_000


@dataclass(frozen=True, slots=True)
class RawRow:
    """One patient record as read: values by the column name written in the file.

    ``values`` is None when the record itself is broken; ``problem`` then says why.
    """

    row: int
    line: int | None
    values: dict[str, Any] | None
    problem: str | None = None


def list_kind(path: Path) -> str:
    """``csv``, ``jsonl`` or ``yaml`` (JSON is read as YAML, which it is), from the suffix."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix in {".json", ".yaml", ".yml"}:
        return "yaml"
    return "csv"


def sniff_delimiter(header: str) -> str:
    """The delimiter of a CSV header line: whichever of , ; or tab occurs most (ties: comma)."""
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _open_text(path: Path) -> io.TextIOWrapper:
    """The list as text; only a regular file is opened (a pipe or device is refused)."""
    return io.TextIOWrapper(open_regular(path), encoding="utf-8-sig", newline="")


def _lines(fh: io.TextIOWrapper, path: Path, start: int = 0) -> Iterator[str]:
    """The physical lines of ``fh``, refusing one longer than :data:`MAX_LINE` characters."""
    number = start
    while True:
        text = fh.readline(MAX_LINE + 1)
        if not text:
            return
        number += 1
        if len(text) > MAX_LINE:
            raise UserError(
                f"this line is longer than {MAX_LINE:,} characters",
                location=Location(file=str(path), line=number),
                hint="a patient list has one patient per line; check the file is the right one",
            )
        yield text


def _csv_error(path: Path, exc: csv.Error, start: int, end: int) -> UserError:
    """A CSV reading error as a one-line message naming the line where the record starts."""
    text = str(exc)
    where = Location(file=str(path), line=start)
    if "unexpected end of data" in text or ("expected after" in text and end > start):
        return UserError(
            "unterminated quote",
            location=where,
            hint='a cell on this line opens a quote (") that is never closed; '
            "close it or remove it",
        )
    if "expected after" in text:
        return UserError(
            'a quote (") in the middle of a cell',
            location=where,
            hint='put the whole cell in quotes and write each quote inside it twice ("")',
        )
    if "larger than field limit" in text:
        return UserError(
            f"a cell is longer than {MAX_LINE:,} characters",
            location=where,
            hint="a patient list holds short cells; check the file is the right one",
        )
    return UserError(
        "this line cannot be read as CSV", location=where, hint="check the quotes in this line"
    )


def _encoding_error(path: Path, line: int | None) -> UserError:
    return UserError(
        "the patient list is not UTF-8 text",
        location=Location(file=str(path), line=line),
        hint="save it from your spreadsheet as 'CSV UTF-8'",
    )


class PatientList:
    """A patient list on disk: its header (for CSV) and a fresh row iterator each time."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.kind = list_kind(self.path)
        self.columns: tuple[str, ...] | None = None
        self.delimiter = ","
        if self.kind == "csv":
            self._read_header()

    def _read_header(self) -> None:
        with _open_text(self.path) as fh:
            try:
                sample = fh.read(_SNIFF_BYTES)
            except UnicodeDecodeError:
                raise _encoding_error(self.path, None) from None
        first = sample.splitlines()[0] if sample.strip() else ""
        if not first.strip():
            raise UserError(
                "the patient list is empty or its first line is blank",
                location=Location(file=str(self.path), line=1),
                hint="the first line must name the columns, e.g. name,date,notes",
            )
        self.delimiter = sniff_delimiter(first)
        self.columns = tuple(next(csv.reader([first], delimiter=self.delimiter)))

    def __iter__(self) -> Iterator[RawRow]:
        if self.kind == "csv":
            return self._csv_rows()
        if self.kind == "jsonl":
            return self._jsonl_rows()
        return self._yaml_rows()

    def count(self) -> int:
        """How many rows there are (one streaming pass; for progress and ETA)."""
        return sum(1 for _ in self)

    # -- CSV ---------------------------------------------------------------------------------

    def _csv_rows(self) -> Iterator[RawRow]:
        assert self.columns is not None
        csv.field_size_limit(MAX_LINE)
        header = self.columns
        with _open_text(self.path) as fh:
            # strict: a stray or unclosed quote is an error, never a cell that runs on
            # into the next patient's line
            reader = csv.reader(_lines(fh, self.path), delimiter=self.delimiter, strict=True)
            row = 0
            last_line = 0
            try:
                try:
                    next(reader)  # the header, already read
                except csv.Error as exc:
                    raise _csv_error(self.path, exc, 1, reader.line_num) from None
                last_line = reader.line_num
                while True:
                    try:
                        cells = next(reader)
                    except StopIteration:
                        return
                    except csv.Error as exc:
                        raise _csv_error(self.path, exc, last_line + 1, reader.line_num) from None
                    line = last_line + 1
                    last_line = reader.line_num
                    if not any(c.strip() for c in cells):
                        continue  # blank lines and rows of empty cells, as spreadsheets leave
                    row += 1
                    long = next((i for i, c in enumerate(cells, 1) if len(c) > MAX_CELL), None)
                    if long is not None:
                        yield RawRow(
                            row,
                            line,
                            None,
                            f"has a cell longer than {MAX_CELL:,} characters (column {long})",
                        )
                        continue
                    if len(cells) > len(header):
                        extra = cells[len(header) :]
                        if any(c.strip() for c in extra):
                            yield RawRow(
                                row,
                                line,
                                None,
                                f"has {len(cells)} cells; the header names {len(header)} columns",
                            )
                            continue
                        cells = cells[: len(header)]
                    values = {h: c for h, c in zip(header, cells, strict=False)}
                    yield RawRow(row, line, values)
            except UnicodeDecodeError:
                raise _encoding_error(self.path, last_line + 1) from None

    # -- JSON Lines ----------------------------------------------------------------------------

    def _jsonl_rows(self) -> Iterator[RawRow]:
        with _open_text(self.path) as fh:
            row = 0
            try:
                for line_no, text in enumerate(_lines(fh, self.path), start=1):
                    if not text.strip():
                        continue
                    row += 1
                    if len(text) > MAX_CELL:
                        yield RawRow(row, line_no, None, f"is longer than {MAX_CELL:,} characters")
                        continue
                    try:
                        value = json.loads(text)
                    except json.JSONDecodeError as exc:
                        yield RawRow(
                            row, line_no, None, f"is not valid JSON ({_json_problem(exc)})"
                        )
                        continue
                    except (ValueError, RecursionError):  # huge numbers, deep nesting
                        yield RawRow(row, line_no, None, "is not valid JSON (too deep or too big)")
                        continue
                    if not isinstance(value, dict):
                        yield RawRow(row, line_no, None, "must be a JSON object of fields")
                        continue
                    yield RawRow(row, line_no, value)
            except UnicodeDecodeError:
                raise _encoding_error(self.path, None) from None

    # -- JSON / YAML lists ---------------------------------------------------------------------

    def _yaml_rows(self) -> Iterator[RawRow]:
        from routinekit.batch.convert import row_key_shown
        from routinekit.files.yaml_reader import load_yaml_file

        doc = load_yaml_file(self.path, shown_keys=row_key_shown)
        data = doc.data
        prefix: tuple[str, ...] = ()
        if isinstance(data, dict) and isinstance(data.get("patients"), list):
            data, prefix = data["patients"], ("patients",)
        if not isinstance(data, list):
            raise ValidationError(
                "must be a list of patients (or a mapping with a 'patients' list)",
                location=Location(file=str(self.path), line=1),
            )
        for i, item in enumerate(data):
            line = doc.line_of((*prefix, i))
            if not isinstance(item, dict):
                yield RawRow(i + 1, line, None, "must be a mapping of fields (name, date, ...)")
            else:
                yield RawRow(i + 1, line, item)


#: json's wording, in plain words
_JSON_PROBLEMS = (
    ("Expecting value", "a value is missing"),
    ("Expecting ',' delimiter", "a comma is missing"),
    ("Expecting ':' delimiter", "a colon is missing"),
    ("Expecting property name", "keys must be in double quotes"),
    ("Unterminated string", "a quote is not closed"),
    ("Invalid control character", "a control character inside text"),
    ("Invalid \\escape", "a backslash escape JSON does not know"),
    ("Invalid \\u", "a broken \\u escape"),
    ("Extra data", "more than one value on the line"),
)


def _json_problem(exc: json.JSONDecodeError) -> str:
    for start, plain in _JSON_PROBLEMS:
        if exc.msg.startswith(start):
            return f"{plain}, at character {exc.colno}"
    return f"at character {exc.colno}"
