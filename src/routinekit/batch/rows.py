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

#: Bytes read to guess a CSV's delimiter (only the header line is used).
_SNIFF_BYTES = 64 * 1024
_DELIMITERS = (",", ";", "\t")
#: The biggest single CSV cell we accept (characters).
MAX_CELL = 100_000


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
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise UserError(
            "patient list not found", location=Location(file=str(path)), hint="check the path"
        ) from None
    except OSError as exc:
        raise UserError(
            f"cannot read the patient list ({exc.strerror})", location=Location(file=str(path))
        ) from None


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
        csv.field_size_limit(MAX_CELL)
        header = self.columns
        with _open_text(self.path) as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            row = 0
            last_line = 0
            try:
                next(reader)  # the header, already read
                last_line = reader.line_num
                while True:
                    try:
                        cells = next(reader)
                    except StopIteration:
                        return
                    except csv.Error as exc:
                        raise UserError(
                            f"cannot read this CSV ({exc})",
                            location=Location(file=str(self.path), line=last_line + 1),
                            hint="check the quotes in this line",
                        ) from None
                    line = last_line + 1
                    last_line = reader.line_num
                    if not any(c.strip() for c in cells):
                        continue  # blank lines and rows of empty cells, as spreadsheets leave
                    row += 1
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
                for line_no, text in enumerate(fh, start=1):
                    if not text.strip():
                        continue
                    row += 1
                    try:
                        value = json.loads(text)
                    except json.JSONDecodeError as exc:
                        yield RawRow(row, line_no, None, f"is not valid JSON ({exc.msg})")
                        continue
                    if not isinstance(value, dict):
                        yield RawRow(row, line_no, None, "must be a JSON object of fields")
                        continue
                    yield RawRow(row, line_no, value)
            except UnicodeDecodeError:
                raise _encoding_error(self.path, None) from None

    # -- JSON / YAML lists ---------------------------------------------------------------------

    def _yaml_rows(self) -> Iterator[RawRow]:
        from routinekit.files.yaml_reader import load_yaml_file

        doc = load_yaml_file(self.path)
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
