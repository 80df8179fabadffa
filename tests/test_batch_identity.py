"""Row identity: a folder's handouts are counted as done only for the inputs that made them.

Two lists (Alice, Bob, then Carol, Dan) into one folder on the same date, and an edited
dose resumed: the right handouts or a clear refusal, never another patient's handout.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from routinekit.batch import run_batch
from routinekit.batch.manifest import MANIFEST_NAME, read_latest
from routinekit.errors import UserError

DATE = dt.date(2026, 1, 5)


def write(path: Path, *rows: str, header: str = "name,date") -> Path:
    path.write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def names_in(out: Path) -> dict[int, str]:
    """Row -> the patient name printed in that row's JSON handout."""
    got = {}
    for row, e in read_latest(out / MANIFEST_NAME).items():
        if e.status == "ok":
            got[row] = json.loads((out / str(e.output)).read_bytes())["patient"]["name"]
    return got


def test_a_second_list_into_the_same_folder_is_refused_resumed_or_forced(
    tmp_path: Path,
) -> None:
    a = write(tmp_path / "a.csv", "Alice Able,2026-01-05", "Bob Baker,2026-01-05")
    b = write(tmp_path / "b.csv", "Carol Cole,2026-01-05", "Dan Dunn,2026-01-05")
    out = tmp_path / "out"
    first = run_batch(a, "back-spasm-acute", out, format="json", jobs=0, date=DATE)
    assert first.written == 2 and names_in(out) == {1: "Alice Able", 2: "Bob Baker"}
    before = {p.name: p.stat().st_ino for p in out.glob("*.json")}

    with pytest.raises(UserError) as refused:
        run_batch(b, "back-spasm-acute", out, format="json", jobs=0, date=DATE)
    message = refused.value.one_line()
    assert "other inputs" in message and "--resume" in str(refused.value.hint)
    assert "\n" not in message
    for secret in ("Alice", "Bob", "Carol", "Dan", "Able", "Cole"):
        assert secret not in message + str(refused.value.hint)
    # nothing written, nothing changed
    assert {p.name: p.stat().st_ino for p in out.glob("*.json")} == before
    assert names_in(out) == {1: "Alice Able", 2: "Bob Baker"}

    resumed = run_batch(b, "back-spasm-acute", out, format="json", jobs=0, date=DATE, resume=True)
    assert (resumed.written, resumed.kept, resumed.skipped) == (2, 0, 0)
    assert names_in(out) == {1: "Carol Cole", 2: "Dan Dunn"}

    again = run_batch(b, "back-spasm-acute", out, format="json", jobs=0, date=DATE)
    assert (again.written, again.kept) == (0, 2)  # the same list again: done
    forced = run_batch(a, "back-spasm-acute", out, format="json", jobs=0, date=DATE, force=True)
    assert forced.written == 2 and names_in(out) == {1: "Alice Able", 2: "Bob Baker"}


def test_the_cli_refuses_in_one_line_with_exit_2(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    a = write(tmp_path / "a.csv", "Alice Able,2026-01-05", "Bob Baker,2026-01-05")
    b = write(tmp_path / "b.csv", "Carol Cole,2026-01-05", "Dan Dunn,2026-01-05")
    out = tmp_path / "out"
    args = ("-r", "back-spasm-acute", "-o", out, "-f", "json", "-j", "1", "-q")
    assert run_cli("batch", a, *args).code == 0
    result = run_cli("batch", b, *args, "--merge")
    assert result.code == 2, result.err
    assert result.err.count("\n") == 1 and "other inputs" in result.err
    assert not [s for s in ("Alice", "Bob", "Carol", "Dan") if s in result.err]


def test_an_edited_dose_is_rebuilt_on_resume(tmp_path: Path) -> None:
    header = "name,date,dose:childs-pose"
    listing = write(tmp_path / "p.csv", "Ann Lee,2026-01-05,hold 10", "Bo Ek,,", header=header)
    out = tmp_path / "out"
    run_batch(listing, "back-spasm-acute", out, format="json", jobs=0, date=DATE)

    def hold(row: int) -> float:
        e = read_latest(out / MANIFEST_NAME)[row]
        doc = json.loads((out / str(e.output)).read_bytes())
        return next(
            i["dose"]["hold"]["low"]
            for g in doc["groups"]
            for i in g["items"]
            if i["exercise"]["id"] == "childs-pose"
        )

    assert hold(1) == 10
    untouched = (out / str(read_latest(out / MANIFEST_NAME)[2].output)).stat().st_ino
    write(listing, "Ann Lee,2026-01-05,hold 45", "Bo Ek,,", header=header)
    with pytest.raises(UserError, match="row 1 differs"):
        run_batch(listing, "back-spasm-acute", out, format="json", jobs=0, date=DATE)
    assert hold(1) == 10
    resumed = run_batch(
        listing, "back-spasm-acute", out, format="json", jobs=0, date=DATE, resume=True
    )
    assert (resumed.written, resumed.kept) == (1, 1)
    assert hold(1) == 45
    assert (out / str(read_latest(out / MANIFEST_NAME)[2].output)).stat().st_ino == untouched


def test_other_options_or_a_changed_routine_are_other_inputs(tmp_path: Path) -> None:
    listing = write(tmp_path / "p.csv", "Ann Lee,2026-01-05")
    routine = tmp_path / "r.yaml"
    source = Path(__file__).resolve().parents[1] / "templates" / "back-spasm-acute.yaml"
    routine.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    run_batch(listing, routine, out, format="json", jobs=0, date=DATE)
    entry = read_latest(out / MANIFEST_NAME)[1]
    assert entry.input and len(entry.input) == 64
    with pytest.raises(UserError, match="other inputs"):
        run_batch(listing, routine, out, format="json", jobs=0, date=DATE, strategy="as-written")
    text = routine.read_text(encoding="utf-8")
    routine.write_text(text.replace("title:", "title: Edited", 1), encoding="utf-8")
    with pytest.raises(UserError, match="other inputs"):
        run_batch(listing, routine, out, format="json", jobs=0, date=DATE)


def test_merge_and_zip_take_only_this_runs_rows(tmp_path: Path) -> None:
    long = write(
        tmp_path / "long.csv", "Alice Able,2026-01-05", "Bob Baker,2026-01-05", "Eve Ek,2026-01-05"
    )
    short = write(tmp_path / "short.csv", "Carol Cole,2026-01-05")
    out = tmp_path / "out"
    run_batch(long, "back-spasm-acute", out, jobs=0, date=DATE)
    summary = run_batch(short, "back-spasm-acute", out, jobs=0, date=DATE, resume=True, merge=True)
    assert summary.merged is not None
    with pymupdf.open(summary.merged) as merged:
        text = "".join(page.get_text() for page in merged)
    assert "Carol Cole" in text
    assert not [n for n in ("Alice", "Bob", "Eve") if n in text]
