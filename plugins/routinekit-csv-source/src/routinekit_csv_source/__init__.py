"""routinekit plugin: a clinic's own exercise list, read from a CSV export.

Does nothing until you point it at a file: set ``ROUTINEKIT_CSV_EXERCISES`` to the
CSV's path (several paths separated by ``:``, ``;`` on Windows), or save the file as
``~/.config/routinekit/exercises.csv``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from routinekit.contracts import ExerciseSource
from routinekit.hookspecs import hookimpl
from routinekit.model import Exercise

__all__ = ["COLUMNS", "CsvSource", "configured_files", "read_exercises"]

#: The plugin API this plugin was written for.
ROUTINEKIT_PLUGIN_API = 1

ENV_VAR = "ROUTINEKIT_CSV_EXERCISES"


def configured_files() -> list[Path]:
    """The CSV files to read: ``$ROUTINEKIT_CSV_EXERCISES``, else the default file if it exists."""
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        return [Path(p) for p in value.split(os.pathsep) if p.strip()]
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    default = base / "routinekit" / "exercises.csv"
    return [default] if default.is_file() else []


class CsvSource(ExerciseSource):
    """Exercises from the clinic's CSV file(s)."""

    id = "clinic-csv"
    description = "The clinic's own exercise list (CSV export of a spreadsheet)"

    def __init__(self, files: Iterable[Path | str]) -> None:
        self.files = [Path(f) for f in files]

    def exercises(self) -> Iterable[Exercise]:
        from routinekit_csv_source.reader import read_exercises

        out: list[Exercise] = []
        for path in self.files:
            out.extend(read_exercises(path))
        return out


def __getattr__(name: str) -> object:
    """The reader's names, imported when first used (not at every routinekit start)."""
    if name in ("COLUMNS", "read_exercises"):
        from routinekit_csv_source import reader

        return getattr(reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@hookimpl
def register_sources(register: Callable[[ExerciseSource], None]) -> None:
    files = configured_files()
    if files:  # not configured: register nothing, change nothing
        register(CsvSource(files))
