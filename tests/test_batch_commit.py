"""How a batch worker commits handouts in a local folder, and how it checks its coordinator.

A chunk's files are flushed to the disk a group at a time and renamed by a helper thread
(``worker.ChunkCommit``) while the worker builds the next rows; the rows synced together get
their manifest lines in one write. The order per row stays: temporary file on the disk,
manifest line, rename.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from routinekit.batch import durable, lifeline, run_batch, worker
from routinekit.batch.manifest import MANIFEST_NAME, Entry, Journal, read_latest
from routinekit.batch.storage import open_storage

PDF = b"%PDF-1.4\n% a handout\n%%EOF\n"


def test_rows_written_while_a_group_waits_are_committed_together(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = open_storage(tmp_path)
    journal = Journal(tmp_path / MANIFEST_NAME)
    release, entered = threading.Event(), threading.Event()
    synced: list[tuple[str, int]] = []
    real_sync, real_replace = durable.sync_files, os.replace

    def slow_sync(fds: Any) -> Any:
        synced.append((threading.current_thread().name, len(fds)))
        entered.set()
        assert release.wait(30)
        return real_sync(fds)

    lines_at_rename: list[tuple[str, bool]] = []

    def replace(src: Any, dst: Any) -> None:
        written = (tmp_path / MANIFEST_NAME).read_text(encoding="utf-8")
        lines_at_rename.append((Path(dst).name, f'"output":"{Path(dst).name}"' in written))
        real_replace(src, dst)

    writes: list[list[int]] = []
    real_append = journal.append_many

    def append_many(entries: list[Entry]) -> None:
        writes.append([e.row for e in entries])
        real_append(entries)

    monkeypatch.setattr(durable, "sync_files", slow_sync)
    monkeypatch.setattr(worker.os, "replace", replace)
    monkeypatch.setattr(journal, "append_many", append_many)
    monkeypatch.setattr(worker.ChunkCommit, "GROUP", 2)

    commit = worker.ChunkCommit(store, journal)
    for row in range(1, 6):
        name = f"{row:05d}.pdf"
        commit.add(row, name, PDF, Entry(row=row, status="ok", output=name, sha256="x"))
        if row == 2:  # the first group is handed over: the helper flushes it (and waits)
            assert entered.wait(30)
    # the building thread went on while the first group waited for its flush
    assert not list(tmp_path.glob("*.pdf"))
    assert len(list(tmp_path.glob(".*.part"))) == 5
    release.set()
    assert commit.finish() == {}
    journal.close()

    assert {name for name, _ in synced} == {"routinekit-commit"}, "flushed off the building thread"
    assert [n for _, n in synced] == [2, 3], "the groups that waited are flushed together"
    assert writes == [[1, 2], [3, 4, 5]], "one manifest write for the rows synced together"
    assert sorted(n for n, _ in lines_at_rename) == [f"{r:05d}.pdf" for r in range(1, 6)]
    assert all(had_line for _, had_line in lines_at_rename), "a line before every rename"
    assert sorted(read_latest(tmp_path / MANIFEST_NAME)) == [1, 2, 3, 4, 5]
    assert all(p.read_bytes() == PDF for p in tmp_path.glob("*.pdf"))
    assert not list(tmp_path.glob(".*.part"))
    assert (tmp_path / "00001.pdf").stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs (Linux)")
def test_on_linux_a_group_is_flushed_with_one_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert durable._syncfs() is not None

    def no_fsync(fd: int) -> None:
        raise AssertionError("a file of the group was flushed on its own")

    monkeypatch.setattr(durable.os, "fsync", no_fsync)
    fds = []
    for i in range(3):
        fd = os.open(tmp_path / f"f{i}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, PDF)
        fds.append(fd)
    try:
        assert durable.sync_files(fds) == [None, None, None]
    finally:
        for fd in fds:
            os.close(fd)


def test_a_file_that_cannot_be_synced_fails_its_row_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    patients = tmp_path / "p.csv"
    patients.write_text(
        "name,date\n" + "".join(f"Patient {i},2026-01-05\n" for i in range(6)), encoding="utf-8"
    )
    real_fsync = os.fsync
    calls: list[int] = []

    def broken_syncfs(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    def third_is_full(fd: int) -> None:
        if threading.current_thread().name == "routinekit-commit":
            calls.append(fd)
            if len(calls) == 3:  # rows go in order with jobs=0: row 3
                raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    # the group's flush fails, so each file is flushed on its own to find the one that cannot be
    monkeypatch.setattr(durable, "_syncfs", lambda: broken_syncfs)
    monkeypatch.setattr(durable.os, "fsync", third_is_full)
    out = tmp_path / "out"
    summary = run_batch(patients, "back-spasm-acute", out, jobs=0, format="json")
    assert (summary.written, summary.failed) == (5, 1)
    assert len(calls) == 6
    entries = read_latest(out / MANIFEST_NAME)
    assert entries[3].status == "failed"
    assert entries[3].error is not None and "\n" not in entries[3].error
    assert "row 3: cannot write the file (no space left on device)" in entries[3].error
    assert "Patient" not in entries[3].error
    assert not (out / str(entries[3].output)).exists()
    assert [r for r, e in sorted(entries.items()) if e.status == "ok"] == [1, 2, 4, 5, 6]
    assert not list(out.glob(".*.part"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc (Linux)")
def test_the_coordinator_check_rereads_one_descriptor(monkeypatch: pytest.MonkeyPatch) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        monkeypatch.setattr(lifeline, "_COORDINATOR", (child.pid, lifeline.start_time(child.pid)))
        monkeypatch.setattr(lifeline, "_PARENT", os.getppid())
        monkeypatch.setattr(lifeline, "_STAT_FD", None)
        assert lifeline.alive()

        def no_open(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the check opened a file")

        monkeypatch.setattr(lifeline.os, "open", no_open)
        monkeypatch.setattr("builtins.open", no_open)
        assert lifeline.alive() and lifeline.alive()
        child.kill()
        child.wait()
        assert not lifeline.alive(), "a coordinator that exited is gone"
    finally:
        child.kill()
        child.wait()
        monkeypatch.undo()
        held = lifeline._STAT_FD
        if held is not None:
            os.close(held[1])
            lifeline._STAT_FD = None
