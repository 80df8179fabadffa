"""The batch manifest: one JSON object per line, next to the handouts.

While a batch runs, every finished row is appended as one line and flushed, so a
batch killed at any moment leaves a manifest that says what was done (a torn last
line is ignored when reading). The latest line for a row wins. When the batch ends,
the manifest is rewritten atomically in row order with one line per row, and a CSV
copy (``manifest.csv``) is written for spreadsheets, with formulas neutralised.

Entries carry row numbers, file names and hashes; errors name rows and columns,
never patients.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from routinekit.safety import neutralise_formula

MANIFEST_NAME = "manifest.jsonl"
REPORT_NAME = "manifest.csv"
STATUSES = ("ok", "skipped", "failed")


@dataclass(frozen=True, slots=True)
class Entry:
    """What happened to one row."""

    row: int
    status: str
    output: str | None = None
    """The file name inside the output folder."""
    error: str | None = None
    sha256: str | None = None
    bytes: int | None = None
    line: int | None = None
    """The line of the patient list where the row starts, when known."""
    warnings: list[str] | None = None
    """Warnings for a handout that was written (e.g. ``the routine shrank: ...``)."""
    input: str | None = None
    """The hash of everything that made the handout (:mod:`routinekit.batch.identity`)."""

    def to_json(self) -> str:
        # the fields by name (not dataclasses.asdict, which deep-copies: a worker writes
        # one line per row, and compacting rewrites them all)
        data = {k: v for k in _FIELDS if (v := getattr(self, k)) is not None}
        for key in ("output", "error"):
            if isinstance(data.get(key), str):
                data[key] = neutralise(data[key])
        if data.get("warnings"):
            data["warnings"] = [neutralise(w) for w in data["warnings"]]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Entry | None:
        try:
            data = json.loads(text)
            entry = cls(**{k: data.get(k) for k in cls.__dataclass_fields__})
        except (ValueError, TypeError):
            return None
        if not isinstance(entry.row, int) or entry.status not in STATUSES:
            return None
        return entry


_FIELDS = tuple(Entry.__dataclass_fields__)


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) gets a ``'``."""
    return neutralise_formula(text)


class Journal:
    """Appends entries to the manifest, one flushed line each (owner-only file).

    The coordinator and the workers each hold one on the same file; every line is one
    ``write`` in append mode under an exclusive ``flock``, so lines never interleave.

    :param repair: start on a fresh line if a killed batch left a torn last line
        (the coordinator does this once, before any worker appends).
    """

    def __init__(self, path: Path, *, repair: bool = True) -> None:
        self.path = path
        from routinekit.output import open_private_append

        self._fd = open_private_append(path)  # never through a planted link
        if repair and os.fstat(self._fd).st_size and not _ends_with_newline(path):
            os.write(self._fd, b"\n")

    def append(self, entry: Entry) -> None:
        self.append_many([entry])

    def append_many(self, entries: list[Entry]) -> None:
        """Append the entries' lines in one write: all of them, or none."""
        from routinekit.output import append_line

        lines = "".join(entry.to_json() + "\n" for entry in entries).encode("utf-8")
        with _locked(self._fd):
            append_line(self._fd, lines)  # whole, or undone

    def close(self) -> None:
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.fsync(self._fd)
            os.close(self._fd)
            self._fd = -1


@contextlib.contextmanager
def _locked(fd: int) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: appends of one write each
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def read_latest(path: Path, *, max_row: int | None = None) -> dict[int, Entry]:
    """The latest entry per row (broken lines skipped); empty if there is no manifest."""
    out: dict[int, Entry] = {}
    try:
        fh = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    except FileNotFoundError:
        return out
    with fh:
        for text in fh:
            entry = Entry.from_json(text) if text.endswith("\n") else None
            if entry is not None and (max_row is None or entry.row <= max_row):
                out[entry.row] = entry
    return out


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A file written to a temporary name next to ``path`` and renamed into place (owner-only)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:  # a full disk: the old file stays, and the user gets one line
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        from routinekit.output import write_error

        raise write_error(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def compact(path: Path, *, rows: int) -> list[Entry]:
    """Rewrite the manifest in row order, one line per row 1..rows; also write the CSV copy.

    Written line by line, so the only thing held is the entries themselves.
    """
    entries = [e for _, e in sorted(read_latest(path, max_row=rows).items())]
    with atomic_file(path) as fh:
        for e in entries:
            fh.write(e.to_json() + "\n")
    with atomic_file(path.with_name(REPORT_NAME)) as fh:
        write_csv_report(fh, entries)
    return entries


def write_csv_report(fh: IO[str], entries: Iterable[Entry]) -> None:
    """The manifest as CSV with a BOM (spreadsheets then read UTF-8), formulas neutralised."""
    names = list(Entry.__dataclass_fields__)
    fh.write("\ufeff")
    writer = csv.writer(fh)
    writer.writerow(names)
    for e in entries:
        writer.writerow([_cell(getattr(e, n)) for n in names])


def _cell(value: Any) -> str:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return "" if value is None else neutralise(str(value))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def looks_complete(path: Path, extension: str) -> bool:
    """A regular file (not a link) that, for PDFs, starts with ``%PDF-`` and ends with ``%%EOF``."""
    try:
        if path.is_symlink() or not path.is_file():
            return False
        if extension.lower() != "pdf":
            return path.stat().st_size > 0
        with open(path, "rb") as fh:
            head = fh.read(5)
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 1024))
            tail = fh.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


def still_valid(path: Path, entry: Entry, extension: str, *, input: str | None = None) -> bool:
    """A row is done when its manifest says ok, its file is complete and unchanged, and
    (given ``input``) it was made from the same inputs as the row now."""
    if input is not None and entry.input != input:
        return False
    if entry.status != "ok" or not entry.sha256 or not looks_complete(path, extension):
        return False
    try:
        return sha256_file(path) == entry.sha256
    except OSError:
        return False
