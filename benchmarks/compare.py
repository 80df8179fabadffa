#!/usr/bin/env python3
"""Two or more routinekit trees, measured interleaved in one run, against the floor.

    .venv/bin/python benchmarks/compare.py OLD_TREE NEW_TREE [--rows 400] [--rounds 3] [--cold-n 9]

Each tree needs its own ``.venv`` (an install of that tree) and uses its own examples/.
For every round, in turn: a
fresh ``routinekit build`` (cold process) of each tree and of the floor's cold render, and
``routinekit batch`` of ``--rows`` rows on all cores for each tree and the floor's fork-pool
batch. Interleaving means a busy machine slows every tree alike; medians and the ratio to
the floor of the same round are what to read. Prints JSON (also ``results/compare.json``).
"""

from __future__ import annotations

import argparse
import json
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


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("trees", nargs="+", type=Path)
    ap.add_argument("--rows", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cold-n", type=int, default=9)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--varied", action="store_true", help="rows differ in exclusions and doses too")
    ap.add_argument("--no-cold", action="store_true")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rk-compare-"))
    py = sys.executable
    content = C.dump_content(work / "content.json", [])
    del content
    write = C.write_varied_csv if a.varied else C.write_patients_csv
    csv = write(work / "patients.csv", a.rows)
    trees = [t.resolve() for t in a.trees]
    for t in trees:
        subprocess.run(
            [str(t / ".venv/bin/python"), "-m", "compileall", "-q", str(t / "src")], check=False
        )
    subprocess.run([py, "-m", "compileall", "-q", str(HERE / "baselines")], check=False)
    floor_cold = [py, str(HERE / "baselines" / "floor.py"), str(work / "content.json")]
    floor_cold += ["-o", str(work / "floor.pdf")]
    cold: dict[str, list[float]] = {"floor": []}
    batch: dict[str, list[float]] = {"floor": []}
    for t in trees:
        cold[str(t)] = []
        batch[str(t)] = []
        # fill the tree's on-disk caches once (pictures), as any second build finds them
        rk = str(t / ".venv/bin/routinekit")
        subprocess.run(
            [
                rk,
                "build",
                C.TEMPLATE,
                "--clinic",
                str(t / "examples" / "clinic.yaml"),
                "--patient",
                str(t / "examples" / "patient.yaml"),
                "-o",
                str(work / "warmup.pdf"),
            ],
            check=True,
            capture_output=True,
        )
    for _round in range(a.rounds):
        for _ in range(0 if a.no_cold else a.cold_n):
            cold["floor"].append(timed(floor_cold))
            for t in trees:
                rk = str(t / ".venv/bin/routinekit")
                ex = t / "examples"
                cmd = [rk, "build", C.TEMPLATE, "--clinic", str(ex / "clinic.yaml"), "--patient"]
                cmd += [
                    str(ex / "patient.yaml"),
                    "-o",
                    str(work / "cold.pdf"),
                    "--date",
                    "2026-01-05",
                ]
                cold[str(t)].append(timed(cmd))
        cmd = [py, str(HERE / "measure.py"), "batch", "--target", "floor", "--rows", str(a.rows)]
        cmd += ["--procs", str(a.jobs), "--out", str(work)]
        batch["floor"].append(timed(cmd))
        shutil.rmtree(work / f"batch_floor_{a.jobs}", ignore_errors=True)
        for t in trees:
            out = work / "out"
            shutil.rmtree(out, ignore_errors=True)
            rk = str(t / ".venv/bin/routinekit")
            cmd = [rk, "batch", str(csv), "--routine", C.TEMPLATE, "-o", str(out)]
            cmd += ["-j", str(a.jobs), "--clinic", str(t / "examples" / "clinic.yaml")]
            batch[str(t)].append(timed(cmd))
    shutil.rmtree(work, ignore_errors=True)
    result: dict[str, object] = {
        "rows": a.rows,
        "rounds": a.rounds,
        "jobs": a.jobs,
        "varied": a.varied,
    }
    for name in cold:
        c = statistics.median(cold[name]) * 1e3 if cold[name] else float("nan")
        floor_c = statistics.median(cold["floor"]) * 1e3 if cold["floor"] else float("nan")
        b = statistics.median(batch[name])
        result[name] = {
            "cold_ms_median": round(c, 1),
            "cold_vs_floor": round(c / floor_c, 3),
            "batch_per_s_median": round(a.rows / b, 1),
            "batch_vs_floor": round(statistics.median(batch["floor"]) / b, 3),
            "batch_s": [round(x, 2) for x in batch[name]],
        }
    text = json.dumps(result, indent=1)
    (HERE / "results").mkdir(exist_ok=True)
    name = "compare_varied.json" if a.varied else "compare.json"
    (HERE / "results" / name).write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
