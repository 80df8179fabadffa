"""Batches that go wrong as a whole: every row failing (early stop), workers that die.

* ``--max-failures N`` (default 20): when the first N rows all fail, the batch stops with
  exit status 1 and one line naming the most common reason; ``--keep-going`` runs on.
* A worker process that dies (killed, out of memory) has its chunk sent once more;
  rows that fail again are recorded as failed, and the batch goes on.
* Workers are replaced after a set number of chunks.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from routinekit.batch import backends, run_batch, runner, worker
from routinekit.batch.manifest import MANIFEST_NAME, read_latest

DATE = dt.date(2026, 1, 5)


def bad_dates(path: Path, n: int, *, good_first: int = 0) -> Path:
    # names without digits: the redaction of a name "Bad 14" would also hide the "14" of the
    # message's example date, and the reasons would differ
    rows = [f"Good Q{'q' * i},2026-01-05" for i in range(good_first)]
    rows += [f"Bad Q{'q' * i},2026-02-{30 + i % 2}" for i in range(n)]
    path.write_text("name,date\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_first_20_rows_all_failing_stop_the_batch(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    listing = bad_dates(tmp_path / "p.csv", 100)
    out = tmp_path / "out"
    result = run_cli("batch", listing, "-r", "back-spasm-acute", "-o", out, "-f", "json", "-q")
    assert result.code == 1
    assert result.err.count("\n") == 1, result.err
    assert result.err.startswith("stopped: the first 20 rows all failed")
    assert "(20 rows): field 'date': not a date" in result.err
    assert "Bad" not in result.err and "row 1" not in result.err
    entries = read_latest(out / MANIFEST_NAME)
    assert len(entries) == 20 and all(e.status == "failed" for e in entries.values())


def test_max_failures_and_keep_going(tmp_path: Path) -> None:
    listing = bad_dates(tmp_path / "p.csv", 30)
    five = run_batch(
        listing, "back-spasm-acute", tmp_path / "a", format="json", jobs=0, max_failures=5
    )
    assert five.stopped and five.failed == 5 and "first 5 rows" in five.stopped
    assert not five.ok
    on = run_batch(
        listing, "back-spasm-acute", tmp_path / "b", format="json", jobs=0, max_failures=None
    )
    assert on.stopped is None and on.failed == 30


def test_a_success_first_means_no_early_stop(tmp_path: Path) -> None:
    listing = bad_dates(tmp_path / "p.csv", 30, good_first=1)
    summary = run_batch(listing, "back-spasm-acute", tmp_path / "o", format="json", jobs=0)
    assert summary.stopped is None and (summary.written, summary.failed) == (1, 30)


def test_failures_in_the_workers_stop_too(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    rows = "".join(f"P {i},{broken}\n" for i in range(60))
    listing = tmp_path / "p.csv"
    listing.write_text("name,routine\n" + rows, encoding="utf-8")
    summary = run_batch(
        listing, "back-spasm-acute", tmp_path / "o", format="json", jobs=2, date=DATE, chunk_size=4
    )
    assert summary.stopped and summary.failed < 60 and summary.written == 0
    assert "field 'routine'" in summary.stopped or "broken.yaml" in summary.stopped


# -- workers that die ------------------------------------------------------------------------------


def dying_run_chunk(config: worker.WorkerConfig, jobs: list[worker.Job]) -> worker.ChunkResult:
    """run_chunk, except that a row named 'Crash always' kills its worker process every time,
    and 'Crash once' the first time only (a marker file next to the output remembers)."""
    for job in jobs:
        name = job.patient.name or ""
        if name == "Slow":
            time.sleep(1.0)  # long enough for a chunk beside it to break the pool
        marker = Path(config.storage.url) / f".crashed-{job.row}"
        if name == "Crash always" or (name == "Crash once" and not marker.exists()):
            marker.touch()
            os._exit(137)  # as the OOM killer would
    return worker.run_chunk(config, jobs)


def test_a_dying_worker_costs_its_chunk_one_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "run_chunk", dying_run_chunk)
    names = [f"P {i}" for i in range(40)]
    names[7] = "Crash once"
    names[25] = "Crash always"
    listing = tmp_path / "p.csv"
    listing.write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch(
        listing, "back-spasm-acute", out, format="json", jobs=2, date=DATE, chunk_size=5
    )
    entries = read_latest(out / MANIFEST_NAME)
    assert sorted(entries) == list(range(1, 41))
    failed = sorted(r for r, e in entries.items() if e.status == "failed")
    assert failed == list(range(26, 31)), failed  # the chunk of 'Crash always' only
    assert "stopped twice" in str(entries[26].error)
    assert entries[8].status == "ok"  # retried once, then built
    assert summary.written == 35 and summary.failed == 5 and summary.stopped is None


def test_a_chunk_lost_with_another_is_not_blamed_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows 1-5 are slow and crash once at the end; rows 6-10 kill their worker every time.
    The second chunk breaks the pool while the first still sleeps: that loss is not the
    first chunk's, so after its own crash it is retried once more and is built."""
    monkeypatch.setattr(runner, "run_chunk", dying_run_chunk)
    names = [f"P {i}" for i in range(40)]  # 40 rows on 2 workers: chunks of 5
    names[0], names[4], names[5] = "Slow", "Crash once", "Crash always"
    listing = tmp_path / "p.csv"
    listing.write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch(
        listing, "back-spasm-acute", out, format="json", jobs=2, date=DATE, chunk_size=5
    )
    entries = read_latest(out / MANIFEST_NAME)
    failed = sorted(r for r, e in entries.items() if e.status == "failed")
    assert failed == list(range(6, 11)), failed  # only the chunk that kills its worker
    assert summary.written == 35 and summary.failed == 5


def test_workers_are_recycled_after_a_number_of_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backends, "RECYCLE_CHUNKS", 2)
    listing = tmp_path / "p.csv"
    listing.write_text("name\n" + "".join(f"P {i}\n" for i in range(24)), encoding="utf-8")
    summary = run_batch(
        listing, "back-spasm-acute", tmp_path / "o", format="json", jobs=2, date=DATE, chunk_size=2
    )
    assert summary.ok and summary.written == 24
    assert len(summary.worker_pids) >= 6  # 12 chunks, 2 per worker process


def test_chunks_get_smaller_as_the_list_runs_out(tmp_path: Path) -> None:
    """The last chunks are short, so no worker waits long for the others at the end."""
    from routinekit.batch.backends import SerialExecutor

    sizes: list[int] = []

    class Recording(SerialExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            sizes.append(len(args[1]))
            return super().submit(fn, *args, **kwargs)

    listing = tmp_path / "p.csv"
    listing.write_text("name\n" + "".join(f"Patient {i}\n" for i in range(100)), encoding="utf-8")
    summary = run_batch(
        listing,
        "back-spasm-acute",
        tmp_path / "o",
        format="json",
        jobs=2,
        date=DATE,
        executor=Recording(),
    )
    assert summary.written == 100
    assert sum(sizes) == 100
    assert max(sizes) == sizes[0] == 13, "first chunks: the list split for four per worker"
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-1] <= 8 and sizes.count(8) >= 2, "near the end: a few rows at a time"
