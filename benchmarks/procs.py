"""Running fresh processes: wall time, and peak memory of a process tree.

Peak memory is taken two ways: psutil samples every process of the tree (so each
worker is seen separately from the parent), and ``wait4``'s ``ru_maxrss`` gives the
exact peak of the largest process the tree waited for (it misses nothing between
samples, but cannot say which process it was).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PY = sys.executable
HERE = Path(__file__).resolve().parent


def settle() -> None:
    """Write out every file waiting in the page cache before a timed command (untimed).

    The floor's batch writes its thousand files and leaves them to the kernel; routinekit's
    makes its files durable a group at a time with ``syncfs``, which also writes whatever
    else is waiting on that file system. Without this, the routinekit batch timed after the
    baselines' would write out their files too (tens of MB: a run 1.8 s or 2.7 s by chance).
    """
    os.sync()


def set_aside(path: Path) -> None:
    """Move a finished run's output folder out of the way, to be deleted by :func:`clear_aside`.

    Not deleted at once: on an ext4 file system without a journal (this machine's), a new
    file's inode is chosen past every inode freed in the last one to five minutes
    (``recently_deleted`` in ``fs/ext4/ialloc.c``), so creating files right after deleting
    a thousand costs about 0.5-1 ms each instead of 0.07 ms, more the more was deleted:
    the next command timed would pay for the last one's clean-up. A rename frees nothing.
    """
    if not path.exists():
        return
    aside = path.parent / ".set-aside"
    aside.mkdir(exist_ok=True)
    os.rename(path, aside / f"{time.time_ns()}-{path.name}")


def clear_aside(*folders: Path) -> None:
    """Delete what :func:`set_aside` moved out of ``folders`` (at the end of a benchmark)."""
    import shutil

    for folder in folders:
        shutil.rmtree(folder / ".set-aside", ignore_errors=True)


def wall_ms(cmd: list[str], n: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """Median and min wall time of ``n`` fresh runs of ``cmd`` (output discarded)."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        times.append((time.perf_counter() - t0) * 1e3)
    return {"ms_median": statistics.median(times), "ms_min": min(times), "n": n}


def wall_ms_alternating(
    cmds: dict[str, list[str]], n: int, env: dict[str, str] | None = None
) -> dict[str, dict[str, float]]:
    """:func:`wall_ms` of several commands, run in turn (``a b c a b c ...``), so a machine
    that slows down or speeds up during the measurement moves every command alike."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(n):
        for name, cmd in cmds.items():
            t0 = time.perf_counter()
            subprocess.run(
                cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
            )
            times[name].append((time.perf_counter() - t0) * 1e3)
    return {
        name: {"ms_median": statistics.median(t), "ms_min": min(t), "n": n}
        for name, t in times.items()
    }


def run_json(args: list[str], timeout: float = 900) -> dict[str, Any]:
    """Run ``measure.py ARGS`` in a fresh interpreter and parse its last line."""
    p = subprocess.run(
        [PY, str(HERE / "measure.py"), *args], capture_output=True, text=True, timeout=timeout
    )
    if p.returncode:
        return {
            "error": p.stderr.strip().splitlines()[-1]
            if p.stderr.strip()
            else f"exit {p.returncode}"
        }
    result: dict[str, Any] = json.loads(p.stdout.strip().splitlines()[-1])
    return result


def sampled(
    cmd: list[str],
    interval: float = 0.05,
    timeout: float = 900,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run ``cmd``; return wall time, exit code and peak RSS of the root and of its workers."""
    import psutil

    settle()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    root = psutil.Process(proc.pid)
    peaks: dict[int, float] = {}
    status, usage = 0, None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            procs = []
        for p in procs:
            try:
                rss = p.memory_info().rss / 2**20
            except psutil.Error:
                continue
            peaks[p.pid] = max(peaks.get(p.pid, 0.0), rss)
        if time.perf_counter() - t0 > timeout:
            proc.kill()
        time.sleep(interval)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    workers = [v for k, v in peaks.items() if k != proc.pid]
    return {
        "wall_s": wall,
        "rc": proc.returncode,
        "stderr_tail": stderr.strip().splitlines()[-3:],
        "root_peak_mb": peaks.get(proc.pid, 0.0),
        "worker_peak_mb": max(workers) if workers else peaks.get(proc.pid, 0.0),
        "workers_seen": len(workers),
        "tree_maxrss_mb": usage.ru_maxrss / 1024 if usage else None,
    }


def importtime(cmd_args: list[str], top: int = 12) -> list[tuple[float, float, str]]:
    """(cumulative ms, self ms, module) of the heaviest imports of ``python -X importtime ARGS``."""
    p = subprocess.run([PY, "-X", "importtime", *cmd_args], capture_output=True, text=True)
    rows = []
    for line in p.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cum_us, name = (x for x in line.split(":", 1)[1].split("|"))
        rows.append((int(cum_us) / 1e3, int(self_us) / 1e3, name[1:].rstrip()))
    # top-level (not nested) imports say where the time goes; nested ones say why
    top_level = [r for r in rows if not r[2].startswith(" ")]
    return sorted(top_level, reverse=True)[:top]


def cold_profile(cmd_args: list[str], out: Path, top: int = 30) -> str:
    """cProfile of one fresh ``python ARGS`` (a cold build), top functions by cumulative time."""
    import io
    import pstats

    subprocess.run([PY, "-m", "cProfile", "-o", str(out), *cmd_args], capture_output=True)
    if not out.exists():
        return "(profile failed)"
    s = io.StringIO()
    pstats.Stats(str(out), stream=s).strip_dirs().sort_stats("cumulative").print_stats(top)
    return s.getvalue()
