"""Invented patient lists of any length, for tests, demos and benchmarks.

    from routinekit.batch.sample import write_patient_csv
    write_patient_csv("patients.csv", 10_000)                 # plain, all valid
    write_patient_csv("awkward.csv", 1_000, awkward=True)     # hostile names and broken rows

Every name is invented. With ``awkward=True`` the list mixes in names in many scripts,
emoji, path tricks (``../../etc/passwd``), formula-like text, empty and 300-character
names, duplicates, and a few rows that must fail (bad date, unknown exclusion, bad
dose). :func:`expected_failures` says which rows those are.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

FIRST = (
    "Zoë",
    "José",
    "Ana",
    "Mateus",
    "Chloé",
    "Søren",
    "Ingrid",
    "Luis",
    "Amara",
    "Kenji",
    "Иван",
    "Ольга",
    "Мария",
    "Дмитрий",
    "فاطمة",
    "محمد",
    "Aïsha",
    "Björn",
    "Łucja",
    "Nguyễn",
)
LAST = (
    "Łukasiewicz",
    "García",
    "Müller",
    "Novák",
    "Петрова",
    "Смирнов",
    "العلي",
    "O'Brien",
    "Dubois",
    "Østergaard",
    "Kowalczyk",
    "Nakamura",
    "Oyelaran",
    "Fernández",
    "Šimková",
)
AWKWARD = (
    "../../etc/passwd",
    "..",
    ".",
    "/",
    "C:\\Windows\\System32",
    "CON",
    "nul.txt",
    '=HYPERLINK("x")',
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    "Zoë 🧘‍♀️ Yoga",
    "😀😀😀",
    "\u202egnp.exe",
    "tab\tand\nnewline",
    "  spaced   out  ",
    "a" * 300,
    "Ж" * 300,
    "مرحبا بالعالم",
    "..\\..\\boot.ini",
    "name/with/slashes",
    "<script>",
    'what?*:|"<>',
    "\x00nul",
    "ÅNGSTRÖM",
    "ångström",
)
NOTES = (
    "Walk 5 minutes after each session.",
    "Use a chair for support.",
    "",
    "Stop if the pain spreads to your leg.",
    "Ice for 15 minutes after.",
)
EXCLUDES = ("", "", "", "prone", "rotation", "kneeling", "prone; rotation")
DOSES = ("", "", "", "hold 30-60; reps 3", "hold 20, reps 5, each_side", "reps 10; per_day 2")
COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "date",
    "therapist",
    "language",
    "notes",
    "exclude",
    "dose:childs-pose",
)
#: Every this-many rows, an awkward list has a row that must fail, by kind.
_BAD_EVERY = 97


def _bad_kind(row: int) -> str | None:
    if row % _BAD_EVERY:
        return None
    return ("date", "exclude", "dose")[(row // _BAD_EVERY) % 3]


def expected_failures(rows: int, *, awkward: bool = True) -> dict[int, str]:
    """Row number -> the column that makes it fail, for a list written with the same arguments."""
    if not awkward:
        return {}
    return {
        r: {"date": "date", "exclude": "exclude", "dose": "dose:childs-pose"}[k]
        for r in range(1, rows + 1)
        if (k := _bad_kind(r))
    }


def rows(
    count: int, *, awkward: bool = False, seed: int = 0, start: dt.date = dt.date(2026, 1, 5)
) -> Iterator[list[str]]:
    """Data rows (without the header) in :data:`COLUMNS` order."""
    rnd = random.Random(seed)
    for row in range(1, count + 1):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        if awkward and row % 3 == 0:
            last = AWKWARD[(row // 3) % len(AWKWARD)]
            if len(last) >= 300:
                first = ""  # the whole name at the 300-character limit
        if awkward and row % 10 == 0:  # duplicates of an earlier row's name
            first, last = FIRST[0], LAST[0]
        date = (start + dt.timedelta(days=row % 20)).isoformat()
        exclude, dose = rnd.choice(EXCLUDES), rnd.choice(DOSES)
        kind = _bad_kind(row) if awkward else None
        if kind == "date":
            date = "31/02/2026"
        elif kind == "exclude":
            exclude = "upside-down"
        elif kind == "dose":
            dose = "hold forever"
        if awkward and row % 50 == 0:
            first = last = ""
        yield [
            f"P{row:06d}",
            first,
            last,
            date,
            "Sam Rivera, PT",
            rnd.choice(("en", "en", "es")),
            rnd.choice(NOTES),
            exclude,
            dose,
        ]


def write_patient_csv(
    path: str | Path,
    count: int,
    *,
    awkward: bool = False,
    seed: int = 0,
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    """Write ``count`` invented patients as a spreadsheet-style CSV; return the path."""
    path = Path(path)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(COLUMNS)
        for cells in rows(count, awkward=awkward, seed=seed):
            writer.writerow([c.replace("\x00", "") for c in cells])
    return path
