"""A batch killed part-way (SIGKILL of its process group), resumed: nothing corrupt or redone."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pymupdf
import pytest

from routinekit import api
from routinekit.batch.manifest import MANIFEST_NAME, read_latest, sha256_file
from routinekit.model import Patient

ROWS = 60


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_sigkill_then_resume(tmp_path: Path) -> None:
    patients = tmp_path / "p.csv"
    patients.write_text(
        "name,date\n" + "".join(f"Patient {i},2026-01-05\n" for i in range(ROWS)), encoding="utf-8"
    )
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "routinekit",
        "batch",
        str(patients),
        "-r",
        "back-spasm-acute",
        "-o",
        str(out),
        "-j",
        "2",
        "-q",
    ]
    proc = subprocess.Popen(
        cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    manifest = out / MANIFEST_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and manifest.read_bytes().count(b"\n") >= 8:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the batch ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    done = {r: e for r, e in read_latest(manifest).items() if e.status == "ok"}
    assert 8 <= len(done) < ROWS
    before = {r: (out / str(e.output)).stat() for r, e in done.items()}

    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert f"({len(done)} already done)" in resumed.stderr

    expected_pages = pymupdf.open(
        "pdf",
        api.build("back-spasm-acute", patient=Patient(name="Patient 0", date=dt.date(2026, 1, 5))),
    ).page_count
    entries = read_latest(manifest)
    assert sorted(entries) == list(range(1, ROWS + 1))
    for row, entry in entries.items():
        path = out / str(entry.output)
        assert entry.status == "ok" and sha256_file(path) == entry.sha256
        with pymupdf.open(path) as doc:
            assert doc.page_count == expected_pages
            assert f"Patient {row - 1}" in doc[0].get_text()
        if row in before:  # already done: not rebuilt
            now = path.stat()
            assert (now.st_ino, now.st_mtime_ns) == (before[row].st_ino, before[row].st_mtime_ns)
    assert not list(out.glob(".*.part"))
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".pdf") == sorted(
        str(e.output) for e in entries.values()
    )
