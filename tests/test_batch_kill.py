"""Batches killed at random moments (SIGKILL), then resumed: nothing corrupt, nothing redone.

Two ways to die: the whole process group (a machine's OOM killer, a closed terminal), and
only the coordinating process (the workers must die with it, and write nothing after it).
The exactness of the manifest is what these check: every file that was committed before
the kill is kept by ``--resume`` (same inode, same modification time), every other row is
built, every PDF opens and is the right patient's, and no temporary file is left.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pymupdf
import pytest

from routinekit import api
from routinekit.batch.manifest import MANIFEST_NAME, read_latest, sha256_file
from routinekit.model import Patient

#: rows of each batch: the kill comes within the first 45 manifest lines (plus up to 0.15 s),
#: and manifest lines may arrive a chunk at a time (16 rows a flush), so this leaves the batch
#: well under way even on a fast machine (120 rows were sometimes all done by then)
ROWS = 400
MARKER = "ROUTINEKIT_TEST_BATCH_MARKER"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="process groups, /proc and SIGKILL (Linux)"
)


def batch_command(patients: Path, out: Path) -> list[str]:
    return [
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


def processes_with(marker: str) -> list[int]:
    """Every live process whose environment holds ``MARKER=marker`` (zombies excluded)."""
    needle = f"{MARKER}={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """name -> (inode, size, mtime) of every entry of ``folder`` but temporary files.

    A worker that was filling its temporary file (``.NAME.XXXX.part``) when the coordinator
    died may add to it for the few milliseconds the parent-death signal takes to reach it;
    it never commits it (no manifest line, no rename), and the next run removes it.
    """
    out = {}
    for p in folder.iterdir():
        if p.name.startswith(".") and p.name.endswith(".part"):
            continue
        st = p.lstat()
        out[p.name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


def kill_at_random_moment(
    tmp_path: Path, seed: int, *, whole_group: bool
) -> tuple[list[str], Path, str, subprocess.Popen[bytes]]:
    rng = random.Random(seed)
    patients = tmp_path / "p.csv"
    patients.write_text(
        "name,date\n" + "".join(f"Patient {i},2026-01-05\n" for i in range(ROWS)), encoding="utf-8"
    )
    out = tmp_path / "out"
    cmd = batch_command(patients, out)
    marker = uuid.uuid4().hex
    proc = subprocess.Popen(
        cmd,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, MARKER: marker},
    )
    lines = rng.randrange(0, 45)  # a moment: after this many manifest lines, plus a little
    manifest = out / MANIFEST_NAME
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and manifest.read_bytes().count(b"\n") >= lines:
            break
        time.sleep(0.005)
    time.sleep(rng.uniform(0, 0.15))
    seen = manifest.read_bytes().count(b"\n") if manifest.exists() else 0
    assert proc.poll() is None, f"seed {seed}: the batch ended before it could be killed ({seen})"
    assert len(processes_with(marker)) >= 2, (
        f"seed {seed}: the coordinator and its helpers were not all running ({seen} lines)"
    )
    if whole_group:
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return cmd, out, marker, proc


def check_resume(cmd: list[str], out: Path, seed: int) -> None:
    """Resume: every row done, every committed file kept as it was, no temporary file."""
    committed = {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("*.pdf")
    }  # renamed into place before the kill: complete by construction
    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    assert f"({len(committed)} already done)" in resumed.stderr or not committed, (
        seed,
        resumed.stderr,
    )
    expected_pages = pymupdf.open(
        "pdf",
        api.build("back-spasm-acute", patient=Patient(name="Patient 0", date=dt.date(2026, 1, 5))),
    ).page_count
    entries = read_latest(out / MANIFEST_NAME)
    assert sorted(entries) == list(range(1, ROWS + 1))
    for row, entry in entries.items():
        path = out / str(entry.output)
        assert entry.status == "ok" and sha256_file(path) == entry.sha256
        with pymupdf.open(path) as doc:
            assert doc.page_count == expected_pages
            assert f"Patient {row - 1}" in doc[0].get_text()
        if path.name in committed:  # complete before the kill: never rewritten
            st = path.stat()
            assert (st.st_ino, st.st_mtime_ns) == committed[path.name], (seed, path.name)
    assert not list(out.glob(".*.part")), "a temporary file was left"
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".pdf") == sorted(
        str(e.output) for e in entries.values()
    )


@pytest.mark.parametrize("seed", [11, 23, 37])
def test_sigkill_of_the_group_at_a_random_moment_then_resume(tmp_path: Path, seed: int) -> None:
    cmd, out, _marker, _proc = kill_at_random_moment(tmp_path, seed, whole_group=True)
    check_resume(cmd, out, seed)


@pytest.mark.parametrize("seed", [5, 42])
def test_sigkill_of_only_the_coordinator_leaves_no_process_and_no_write(
    tmp_path: Path, seed: int
) -> None:
    cmd, out, marker, _proc = kill_at_random_moment(tmp_path, seed, whole_group=False)
    after_kill = snapshot(out)  # the coordinator is dead and reaped
    time.sleep(5)
    left = processes_with(marker)
    assert not left, f"processes of the killed batch still running: {left}"
    assert snapshot(out) == after_kill, "a file was written after the coordinator died"
    check_resume(cmd, out, seed)
