#!/usr/bin/env python3
"""Source trees' ``routinekit batch`` of one routine, interleaved with the floor's batch.

    .venv/bin/python benchmarks/interleave.py TREE [TREE ...] [--rows 1000] [--rounds 3] [-j 2]

Unlike ``compare.py`` no tree needs a venv of its own: each runs as ``python -m routinekit``
from this venv with ``PYTHONPATH=TREE/src`` (so a tree must not need other packages than
this venv has). Every round runs the floor's fork-pool batch (``measure.py batch --target
floor``) and then each tree's batch of the same rows into a fresh folder, so a busy machine
slows each alike: read the medians and the ratio to the floor. Each tree's bytecode is
compiled and its on-disk cache filled by one untimed batch first. Prints one line a round
and the medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import content as C  # noqa: E402
import procs  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("trees", nargs="+", type=Path, help="source trees (each with src/routinekit)")
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument(
        "--delete",
        action="store_true",
        help="delete each run's files before the next run (see procs.set_aside: slower files)",
    )
    a = ap.parse_args()
    trees = [t.resolve() for t in a.trees]
    for t in trees:
        if not (t / "src" / "routinekit").is_dir():
            raise SystemExit(f"{t}: no src/routinekit here; give the root of a routinekit tree")
    work = Path(tempfile.mkdtemp(prefix="rk-interleave-"))
    try:
        run(trees, work, a.rows, a.rounds, str(a.jobs), a.delete)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(trees: list[Path], work: Path, rows: int, rounds: int, jobs: str, delete: bool) -> None:
    csv = C.write_patients_csv(work / "patients.csv", rows)
    C.dump_content(work / "content.json", [])
    out = work / "out"

    def env(tree: Path) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(tree / "src")}

    def batch(tree: Path) -> list[str]:
        clinic = tree / "examples" / "clinic.yaml"
        cmd = [sys.executable, "-m", "routinekit", "batch", str(csv), "--routine", C.TEMPLATE]
        return [*cmd, "-o", str(out), "-j", jobs, "--clinic", str(clinic), "-q"]

    floor = [sys.executable, str(HERE / "measure.py"), "batch", "--target", "floor"]
    floor += ["--rows", str(rows), "--procs", jobs, "--out", str(work)]

    def clean(path: Path) -> None:
        if delete:
            shutil.rmtree(path, ignore_errors=True)
        else:
            procs.set_aside(path)

    def rate(cmd: list[str], environ: dict[str, str]) -> float:
        clean(out)
        procs.settle()
        t0 = time.perf_counter()
        subprocess.run(cmd, env=environ, check=True, cwd=work, capture_output=True)
        wall = time.perf_counter() - t0
        clean(work / f"batch_floor_{jobs}")
        return rows / wall

    for t in trees:  # bytecode as an installed wheel has it, and a filled on-disk cache
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(t / "src")], check=True)
        rate(batch(t), env(t))
    names = [str(t) for t in trees]
    rates: dict[str, list[float]] = {name: [] for name in [*names, "floor"]}
    for r in range(rounds):
        rates["floor"].append(rate(floor, env(trees[0])))
        for t in trees:
            rates[str(t)].append(rate(batch(t), env(t)))
        shown = {k: round(v[-1], 1) for k, v in rates.items()}
        print(f"round {r + 1}: {shown} handouts/s, load {os.getloadavg()[0]:.1f}", flush=True)
    floor_median = statistics.median(rates["floor"])
    for name, got in rates.items():
        m = statistics.median(got)
        print(f"{name}: median {m:.1f}/s ({m / floor_median:.2f}x the floor), best {max(got):.1f}")


if __name__ == "__main__":
    main()
