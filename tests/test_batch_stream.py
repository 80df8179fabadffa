"""Streamed input: rows are read and checked one at a time, and go out in bounded chunks.

A long CSV is read and validated with flat memory (the 1,000,000-row figure is measured
by ``benchmarks/batch_stream.py``; here 2,000 and 20,000 rows must peak the same); work goes
out in chunks of hundreds of rows, with at most ``2 x jobs + 1`` chunks in flight.
"""

from __future__ import annotations

import datetime as dt
import threading
import tracemalloc
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from routinekit.batch import run_batch
from routinekit.batch.convert import RowConverter
from routinekit.batch.rows import PatientList
from routinekit.batch.worker import ChunkResult, Job, Result
from routinekit.library import library_for
from routinekit.plugins.host import PluginHost

DATE = dt.date(2026, 1, 5)


def write_list(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("name,date,notes,dose:childs-pose\n")
        for i in range(n):
            fh.write(f"Patient {i},2026-01-05,note {i},hold 30\n")
    return path


def peak_while_reading(path: Path) -> tuple[int, float]:
    host = PluginHost(entry_points=False)
    plist = PatientList(path)
    converter = RowConverter(
        path, known_ids=[e.id for e in library_for(host)], date=DATE, routine_id="r"
    )
    assert plist.columns is not None
    converter.check_header(plist.columns)
    tracemalloc.start()
    try:
        rows = sum(1 for raw in plist if converter.convert(raw))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return rows, peak / 1e6


def test_reading_and_checking_a_long_list_keeps_memory_flat(tmp_path: Path) -> None:
    short_rows, short_peak = peak_while_reading(write_list(tmp_path / "short.csv", 2_000))
    long_rows, long_peak = peak_while_reading(write_list(tmp_path / "long.csv", 20_000))
    assert (short_rows, long_rows) == (2_000, 20_000)
    assert long_peak < 2.0, f"{long_peak:.2f} MB to read 20,000 rows"
    assert long_peak < short_peak + 0.5, (short_peak, long_peak)  # not growing with the list


class CountingExecutor(ThreadPoolExecutor):
    """Runs a stand-in for the workers (each row 'ok', nothing built) and counts what is sent."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.sizes: list[int] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        jobs: list[Job] = args[1]
        with self.lock:
            self.sizes.append(len(jobs))
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        return super().submit(self._fake, jobs)

    def _fake(self, jobs: list[Job]) -> ChunkResult:
        with self.lock:
            self.in_flight -= 1
        results = [Result(j.row, "ok", j.output, input=j.input) for j in jobs]
        return ChunkResult(results=results, pid=0, peak_rss_kb=None)


def test_work_goes_out_in_chunks_of_hundreds_with_a_bound_in_flight(tmp_path: Path) -> None:
    listing = write_list(tmp_path / "p.csv", 5_000)
    executor = CountingExecutor()
    with executor:
        summary = run_batch(
            listing, "back-spasm-acute", tmp_path / "o", format="json", jobs=2, executor=executor
        )
    assert summary.written == 5_000
    assert sum(executor.sizes) == 5_000
    sizes = executor.sizes
    # hundreds a chunk until the last few, which shrink so no worker waits long at the end
    assert max(sizes) == 200 and sizes.count(200) >= 20, sizes
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] <= 8, sizes
    assert sum(1 for n in sizes if n < 200) <= 25, "the tail adds a score of chunks, not hundreds"
    assert executor.most_in_flight <= 2 * 2 + 1


def test_merge_appends_in_chunks_in_row_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pymupdf

    from routinekit.batch import collect

    monkeypatch.setattr(collect, "MERGE_CHUNK", 2)  # 5 handouts: three incremental saves
    listing = tmp_path / "p.csv"
    names = [f"Person {chr(65 + i)}" for i in range(5)]
    listing.write_text("name,date\n" + "".join(f"{n},2026-01-05\n" for n in names), "utf-8")
    summary = run_batch(listing, "back-spasm-acute", tmp_path / "o", jobs=0, merge=True)
    assert summary.merged is not None
    first = sorted((tmp_path / "o").glob("00001_*.pdf"))[0]
    with pymupdf.open(summary.merged) as merged, pymupdf.open(first) as one:
        per = one.page_count
        assert merged.page_count == 5 * per
        firsts = [merged[i * per].get_text() for i in range(5)]
    assert [next(n for n in names if n in t) for t in firsts] == names
    assert not list((tmp_path / "o").glob(".*.part"))
