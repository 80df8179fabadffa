"""Batch at scale (issue #18): throughput, memory, folders, resume, Dask against the pool.

    .venv/bin/python benchmarks/batch_scale.py           # 100,000 handouts, then the other parts
    .venv/bin/python benchmarks/batch_scale.py --quick   # small numbers, to check the harness

Every measured run is a fresh ``python`` process (the coordinator) whose whole process tree
is sampled with psutil every 0.2 s: peak RSS of the coordinator and of each worker, CPU
seconds of each. The coordinator's own ``ru_maxrss`` (exact peak) is reported too.

Parts (results in ``results/batch_scale.json`` and ``results/batch_scale.md``):

1. **Scale** — ``--rows`` (100,000) through the real batch machinery on a 2-process pool: the
   list streamed and converted, names allocated and sharded (1,000 per folder), each handout
   written by its worker (temporary file, fsync, rename), the manifest appended per row and
   compacted, row identities hashed. Only the render is replaced by a fixed, real PDF of the
   same template (built once), because rendering 100,000 handouts takes longer than a session:
   this measures what grows with the list (coordinator memory, folders, the manifest) and the
   per-row cost of everything but the render. Then **resume**: the same command with
   ``--resume`` over the 100,000-line manifest (every file hashed, every row's identity
   checked, nothing rebuilt).
2. **Render** — ``--render-rows`` (3,000) real handouts, local process pool against a Dask
   ``LocalCluster`` (``--scheduler local``), both 2 workers on the same 2 cores, alternated.
3. **Per-chunk cost** — the stubbed render through Dask at two chunk sizes; ``T = N*t_row +
   (N/c)*t_chunk`` solved for ``t_chunk`` (scheduling and transport per task).
4. **Projection** — 1M and 10M rows on M machines of C cores from t_render (part 2),
   t_chunk (3) and the coordinator's serial cost per row (1).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PY = sys.executable
ROUTINE = "back-spasm-acute"

# ------------------------------------------------------------------ the child (one batch)

_PDF: bytes = b""


def _stub_build(request: Any, host: Any, routine_file: Any = None, **_: Any) -> tuple[Any, bytes]:
    from types import SimpleNamespace

    return SimpleNamespace(warnings=()), _PDF


def _stub_worker(pdf: bytes) -> None:
    """Process initializer (and Dask ``client.run``): render = a fixed real PDF."""
    global _PDF
    import routinekit.pipeline

    _PDF = pdf
    routinekit.pipeline.build = _stub_build  # type: ignore[assignment]


def _real_pdf() -> bytes:
    import datetime as dt

    from routinekit import api
    from routinekit.model import Patient

    return api.build(ROUTINE, patient=Patient(name="Ann Lee", date=dt.date(2026, 1, 5)))


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one batch as ``spec`` says; return its numbers (printed as the last line)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from routinekit.batch import run_batch

    kw: dict[str, Any] = {
        "jobs": spec.get("jobs", 2),
        "resume": spec.get("resume", False),
        "force": spec.get("force", False),
        "chunk_size": spec.get("chunk", 16),
    }
    t0 = time.perf_counter()
    cluster = client = None
    if spec["engine"] == "pool" and spec.get("stub"):
        pdf = _real_pdf()
        kw["executor"] = ProcessPoolExecutor(
            max_workers=kw["jobs"],
            mp_context=get_context("forkserver"),
            initializer=_stub_worker,
            initargs=(pdf,),
        )
    elif spec["engine"] == "dask":
        from distributed import Client, LocalCluster

        cluster = LocalCluster(
            n_workers=kw["jobs"], threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        client = Client(cluster)
        if spec.get("stub"):
            pdf = _real_pdf()
            client.run(_stub_worker, pdf)
        kw["executor"] = client.get_executor(pure=False)
    startup = time.perf_counter() - t0
    t1 = time.perf_counter()
    summary = run_batch(spec["csv"], ROUTINE, spec["out"], **kw)
    elapsed = time.perf_counter() - t1
    if client is not None:
        client.close()
        assert cluster is not None
        cluster.close()
    elif "executor" in kw:
        kw["executor"].shutdown()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "elapsed_s": elapsed,
        "startup_s": startup,
        "written": summary.written,
        "kept": summary.kept,
        "skipped": summary.skipped,
        "failed": summary.failed,
        "total": summary.total,
        "coordinator_maxrss_mb": usage.ru_maxrss / 1024,
        "coordinator_cpu_s": usage.ru_utime + usage.ru_stime,
        "worker_peak_rss_mb_reported": (summary.worker_peak_rss_kb or 0) / 1024,
    }


# ------------------------------------------------------------------ the parent (measuring)


def sampled(spec: dict[str, Any], interval: float = 0.2) -> dict[str, Any]:
    """Run ``child(spec)`` in a fresh process; sample every process of its tree."""
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [PY, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    root = psutil.Process(proc.pid)
    peaks: dict[int, float] = {}
    cpu: dict[int, float] = {}
    parent: dict[int, int] = {}
    cmd: dict[int, str] = {}
    while proc.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            procs = []
        for p in procs:
            try:
                with p.oneshot():
                    rss = p.memory_info().rss / 2**20
                    t = p.cpu_times()
                    if p.pid not in parent:
                        parent[p.pid] = p.ppid()
                        cmd[p.pid] = " ".join(p.cmdline())
            except psutil.Error:
                continue
            peaks[p.pid] = max(peaks.get(p.pid, 0.0), rss)
            cpu[p.pid] = t.user + t.system
        time.sleep(interval)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"child failed ({proc.returncode}): {err.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    others = [
        {"pid": pid, "peak_rss_mb": round(peaks[pid], 1), "cpu_s": round(cpu.get(pid, 0.0), 1)}
        for pid in peaks
        if pid != proc.pid
    ]

    def depth(pid: int) -> int:
        n = 0
        while pid != proc.pid and pid in parent and n < 10:
            pid, n = parent[pid], n + 1
        return n

    def helper(pid: int) -> bool:
        # the pool's workers are forked by its fork server (same command line, one level
        # down); Dask's are spawned by the nannies, which live in the coordinator
        return depth(pid) < 2 and any(
            w in cmd.get(pid, "") for w in ("forkserver", "resource_tracker", "semaphore_tracker")
        )

    workers = [o for o in others if not helper(o["pid"])]
    helpers = [o for o in others if helper(o["pid"])]
    result.update(
        wall_s=wall,
        coordinator_sampled_peak_mb=round(peaks.get(proc.pid, 0.0), 1),
        workers=sorted(workers, key=lambda o: -o["cpu_s"]),
        helpers=helpers,
    )
    return result


def folder_stats(out: Path) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    for dirpath, _dirs, files in os.walk(out):
        counts[os.path.relpath(dirpath, out)] = len(files)
    largest = counts.most_common(1)[0] if counts else (".", 0)
    return {"folders": len(counts), "largest_folder": largest[0], "largest_files": largest[1]}


def write_csv(path: Path, rows: int) -> Path:
    from routinekit.batch.sample import write_patient_csv

    return write_patient_csv(path, rows)


def rate(r: dict[str, Any]) -> float:
    return r["written"] / r["elapsed_s"] if r["elapsed_s"] else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000, help="rows of the scale part")
    ap.add_argument("--render-rows", type=int, default=3_000, help="rows of the render part")
    ap.add_argument("--chunk-rows", type=int, default=4_000, help="rows of the per-chunk part")
    ap.add_argument("--reps", type=int, default=1, help="alternations of pool and Dask")
    ap.add_argument("--quick", action="store_true", help="small numbers (checks the harness)")
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument(
        "--stub-scale",
        action="store_true",
        help="scale part with a fixed PDF instead of rendering (everything else real)",
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    if args.quick:
        args.rows, args.render_rows, args.chunk_rows = 2_000, 120, 400
    RESULTS.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="rk-batch-scale-"))
    report: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": os.getloadavg(),
        },
        "args": {k: v for k, v in vars(args).items() if k != "child"},
    }
    print(f"work folder: {work}", flush=True)

    # 1. scale: every part of the batch but the render, at --rows
    if not args.skip_scale:
        csv = write_csv(work / "scale.csv", args.rows)
        out = work / "scale-out"
        spec = {
            "engine": "pool",
            "stub": args.stub_scale,
            "csv": str(csv),
            "out": str(out),
            "jobs": 2,
        }
        what = "stubbed render" if args.stub_scale else "real handouts"
        print(f"scale: {args.rows} rows ({what}) ...", flush=True)
        first = sampled(spec)
        first.update(folder_stats(out))
        with open(out / "manifest.jsonl", "rb") as fh:
            first["manifest_lines"] = sum(1 for _ in fh)
        print(f"  {rate(first):.0f} rows/s, coordinator {first['coordinator_maxrss_mb']:.0f} MB")
        print("resume over the manifest ...", flush=True)
        again = sampled({**spec, "resume": True})
        print(f"  resume {again['elapsed_s']:.1f} s, kept {again['kept']}")
        small = min(args.rows, max(1_000, args.rows // 10))
        csv_small = write_csv(work / "scale-small.csv", small)
        out_small = work / "scale-small-out"
        print(f"scale, {small} rows for comparison of coordinator memory ...", flush=True)
        tenth = sampled({**spec, "csv": str(csv_small), "out": str(out_small)})
        report["scale"] = {
            "rows": args.rows,
            "stub": args.stub_scale,
            "run": first,
            "resume": again,
            "small": tenth,
        }

    # 2. render: real handouts, pool against Dask, alternated
    csv = write_csv(work / "render.csv", args.render_rows)
    runs: dict[str, list[dict[str, Any]]] = {"pool": [], "dask": []}
    for rep in range(args.reps):
        for engine in ("pool", "dask") if rep % 2 == 0 else ("dask", "pool"):
            out = work / f"render-{engine}-{rep}"
            print(f"render: {args.render_rows} rows, {engine} ...", flush=True)
            r = sampled({"engine": engine, "csv": str(csv), "out": str(out), "jobs": 2})
            print(f"  {rate(r):.1f} handouts/s (startup {r['startup_s']:.1f} s)", flush=True)
            runs[engine].append(r)
    pool_rate = max(rate(r) for r in runs["pool"])
    dask_rate = max(rate(r) for r in runs["dask"])
    report["render"] = {
        "rows": args.render_rows,
        "pool": runs["pool"],
        "dask": runs["dask"],
        "pool_rate": pool_rate,
        "dask_rate": dask_rate,
        "dask_over_pool": dask_rate / pool_rate if pool_rate else None,
    }

    # 3. per-chunk cost through Dask (stubbed render, so only scheduling and bookkeeping)
    csv = write_csv(work / "chunk.csv", args.chunk_rows)
    chunk_runs = {}
    for c in (4, 64):
        out = work / f"chunk-{c}"
        print(f"per-chunk: {args.chunk_rows} rows, Dask, chunk {c} ...", flush=True)
        chunk_runs[c] = sampled(
            {"engine": "dask", "stub": True, "csv": str(csv), "out": str(out), "chunk": c}
        )
    n = args.chunk_rows
    t4, t64 = chunk_runs[4]["elapsed_s"], chunk_runs[64]["elapsed_s"]
    # T = n*t_row + (n/c)*t_chunk, for c = 4 and 64 (2 workers: wall time, not CPU time)
    t_chunk = (t4 - t64) / (n / 4 - n / 64)
    t_row_stub = (t64 - (n / 64) * t_chunk) / n
    report["chunk"] = {
        "rows": n,
        "runs": {str(k): v for k, v in chunk_runs.items()},
        "t_chunk_s": t_chunk,
        "t_row_stub_wall_s": t_row_stub,
    }

    # 4. projection
    # seconds of one worker per handout, from the measured wall rate of 2 workers (so the
    # per-row overheads of writing and reporting are in it, not only the render's CPU time)
    render_cpu_per_row = 2 / pool_rate
    scale = report.get("scale", {}).get("run")
    coord_per_row = (
        scale["coordinator_cpu_s"] / scale["total"]
        if scale
        else runs["dask"][0]["coordinator_cpu_s"] / runs["dask"][0]["total"]
    )
    chunk = 16
    proj = []
    for rows in (1_000_000, 10_000_000):
        for machines, cores in ((1, 2), (10, 8), (50, 8), (100, 16)):
            workers = machines * cores
            compute = rows * render_cpu_per_row / workers
            scheduling = (rows / chunk) * max(t_chunk, 0.0) / workers
            coordinator = rows * coord_per_row  # serial, in one process
            hours = max(compute + scheduling, coordinator) / 3600
            proj.append(
                {
                    "rows": rows,
                    "machines": machines,
                    "cores_each": cores,
                    "hours": round(hours, 2),
                    "bound": "coordinator" if coordinator > compute + scheduling else "workers",
                    "handouts_per_s": round(rows / (hours * 3600), 1),
                }
            )
    report["projection"] = {
        "worker_s_per_row": render_cpu_per_row,
        "coordinator_cpu_s_per_row": coord_per_row,
        "t_chunk_s": t_chunk,
        "chunk_rows": chunk,
        "table": proj,
        "assumes": "workers scale linearly (no shared disk or object-store bottleneck); "
        "one coordinator; object-store latency per PUT hidden by the worker's other work",
    }
    report["machine"]["load_after"] = os.getloadavg()
    (RESULTS / "batch_scale.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "batch_scale.md").write_text(markdown(report))
    print((RESULTS / "batch_scale.md").read_text())
    print(f"(work folder {work} left for inspection; remove it when done)")


def markdown(r: dict[str, Any]) -> str:
    lines = [
        f"# Batch at scale — {r['when']}",
        "",
        f"Machine: {r['machine']['cpus']} cores, Python {r['machine']['python']}; load average "
        f"before {r['machine']['load_before'][0]:.1f}, after {r['machine']['load_after'][0]:.1f} "
        "(other engineers' test runs share it).",
        "",
    ]
    if "scale" in r:
        s, res, small = r["scale"]["run"], r["scale"]["resume"], r["scale"]["small"]
        lines += [
            f"## Scale: {r['scale']['rows']:,} rows, 2-process pool, "
            + ("render stubbed (a fixed real PDF)" if r["scale"]["stub"] else "real handouts"),
            "",
            "| measure | value |",
            "|---|---|",
            f"| handouts/s | {rate(s):.1f} |",
            f"| elapsed | {s['elapsed_s']:.0f} s |",
            f"| coordinator peak RSS (ru_maxrss) | {s['coordinator_maxrss_mb']:.0f} MB "
            f"(at {small['total']:,} rows: {small['coordinator_maxrss_mb']:.0f} MB) |",
            f"| coordinator CPU per row | {1e3 * s['coordinator_cpu_s'] / s['total']:.2f} ms |",
            "| worker peak RSS | "
            + ", ".join(f"{w['peak_rss_mb']:.0f} MB" for w in s["workers"])
            + " |",
            f"| folders, largest | {s['folders']} folders, largest {s['largest_files']} files |",
            f"| manifest lines | {s['manifest_lines']:,} |",
            f"| resume over the manifest | {res['elapsed_s']:.1f} s, {res['kept']:,} kept, "
            f"{res['written']} rebuilt, coordinator {res['coordinator_maxrss_mb']:.0f} MB |",
            "",
        ]
    rr = r["render"]
    lines += [
        f"## Render: {rr['rows']:,} real handouts, 2 workers on the same 2 cores",
        "",
        "| engine | handouts/s | startup | coordinator peak | workers' peak RSS |",
        "|---|---|---|---|---|",
    ]
    for engine in ("pool", "dask"):
        for run in rr[engine]:
            lines.append(
                f"| {engine} | {rate(run):.1f} | {run['startup_s']:.1f} s | "
                f"{run['coordinator_maxrss_mb']:.0f} MB | "
                + ", ".join(f"{w['peak_rss_mb']:.0f} MB" for w in run["workers"])
                + " |"
            )
    lines += [
        "",
        f"Dask / pool throughput: **{rr['dask_over_pool']:.2f}** (goal >= 0.9).",
        "",
        f"## Per-chunk cost (Dask, stubbed render, {r['chunk']['rows']:,} rows at chunk 4 and 64)",
        "",
        f"t_chunk = {1e3 * r['chunk']['t_chunk_s']:.1f} ms of wall time per task (2 workers); "
        f"per row apart from the render {1e3 * r['chunk']['t_row_stub_wall_s']:.2f} ms.",
        "",
        "## Projection",
        "",
        f"From {1e3 * r['projection']['worker_s_per_row']:.0f} ms of one worker per handout "
        "(the pool's measured rate on 2 workers), "
        f"t_chunk {1e3 * r['projection']['t_chunk_s']:.1f} ms per "
        f"{r['projection']['chunk_rows']}-row chunk, coordinator "
        f"{1e3 * r['projection']['coordinator_cpu_s_per_row']:.2f} ms per row "
        f"(serial). Assumes {r['projection']['assumes']}.",
        "",
        "| rows | machines x cores | hours | handouts/s | bound by |",
        "|---|---|---|---|---|",
    ]
    for p in r["projection"]["table"]:
        lines.append(
            f"| {p['rows']:,} | {p['machines']} x {p['cores_each']} | {p['hours']} | "
            f"{p['handouts_per_s']} | {p['bound']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
