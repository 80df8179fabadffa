"""One measurement per fresh process; ``run.py`` starts these and reads the JSON they print.

    python benchmarks/measure.py warm   --target rk|floor|raw|weasy [--n 40] [--format pdf]
    python benchmarks/measure.py batch  --target rk-api|floor|raw|weasy --rows N --procs P --out DIR
    python benchmarks/measure.py contents --csv ROWS.csv --out FILE.json
    python benchmarks/measure.py batch  --target floor --contents FILE.json --rows N ...
    python benchmarks/measure.py profile [--format pdf] [--n 30]

``warm``: first call, then the median of N renders of one handout built once; for
routinekit also the full build per patient (pipeline + render, routine and clinic loaded
once, as a batch does) and the pipeline alone. ``batch``: a fork pool over N patient rows,
each personalised, rendered and written to disk atomically (tmp + rename).
``contents``: each row of a patient CSV (``content.write_varied_csv``) built by routinekit
as ``routinekit batch`` would build it, saved as the baselines' plain content (one per row,
then one more for the warm-up); ``batch --contents`` draws row ``i``'s own content instead
of personalising one handout, so rows that differ in exclusions and doses differ for the
baseline too.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing as mp
import os
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "baselines"))

import content as C  # noqa: E402

CONTENT_JSON = "content.json"


def _baseline(target: str) -> Callable[[dict[str, Any]], bytes]:
    if target == "weasy":
        import weasy

        return weasy.render
    import floor

    return floor.render_raw if target == "raw" else floor.render_canvas


def _stats(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "ms_median": statistics.median(ms),
        "ms_min": ms[0],
        "ms_p90": ms[int(0.9 * (len(ms) - 1))],
    }


def _timed(fn: Callable[[int], bytes], n: int, offset: int = 1) -> tuple[list[float], bytes]:
    times, data = [], b""
    for i in range(n):
        t0 = time.perf_counter()
        data = fn(offset + i)
        times.append((time.perf_counter() - t0) * 1e3)
    return times, data


def cmd_warm(a: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"target": a.target}
    if a.target == "rk":
        from routinekit.stages import render

        rf, clinic, host = C.routinekit_inputs()
        strategy = C.usable_strategy(rf, host)
        t0 = time.perf_counter()
        handout = C.build_result(0, rf, clinic, host, strategy).handout
        data = render(handout, host=host, format=a.format)
        out["first_call_ms"] = (time.perf_counter() - t0) * 1e3
        for _ in range(3):
            render(handout, host=host, format=a.format)
        times, data = _timed(lambda i: render(handout, host=host, format=a.format), a.n)
        out["render"] = _stats(times)
        times, _ = _timed(
            lambda i: render(
                C.build_result(i, rf, clinic, host, strategy).handout, host=host, format=a.format
            ),
            a.n,
            offset=100,
        )
        out["build"] = _stats(times)
        times, _ = _timed(lambda i: C.build_result(i, rf, clinic, host, strategy) and b"", a.n, 200)
        out["pipeline"] = _stats(times)
    else:
        fn = _baseline(a.target)
        base = json.loads((Path(a.out) / CONTENT_JSON).read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        data = fn(C.personalise(base, 0))
        out["first_call_ms"] = (time.perf_counter() - t0) * 1e3
        for i in range(2):
            fn(C.personalise(base, 50 + i))
        times, data = _timed(lambda i: fn(C.personalise(base, i)), a.n)
        out["render"] = _stats(times)
    out["bytes"] = len(data)
    (Path(a.out) / f"warm_{a.target}.{a.format if a.target == 'rk' else 'pdf'}").write_bytes(data)
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


# -- batch through a fork pool (baselines, and routinekit's API when no batch command exists) --

_JOB: dict[str, Any] = {}


def _write(path: Path, data: bytes) -> int:
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return len(data)


def _row(i: int) -> int:
    if _JOB["target"] == "rk-api":
        from routinekit.stages import render

        rf, clinic, host, strategy = _JOB["rk"]
        data = render(
            C.build_result(i, rf, clinic, host, strategy).handout, host=host, format=_JOB["format"]
        )
    elif "contents" in _JOB:
        data = _JOB["fn"](_JOB["contents"][i])
    else:
        data = _JOB["fn"](C.personalise(_JOB["content"], i))
    return _write(_JOB["dir"] / f"h{i:06d}.{_JOB['format']}", data)


def cmd_batch(a: argparse.Namespace) -> dict[str, Any]:
    outdir = Path(a.out) / f"batch_{a.target}_{a.procs}"
    outdir.mkdir(parents=True, exist_ok=True)
    _JOB.update(target=a.target, dir=outdir, format=a.format if a.target == "rk-api" else "pdf")
    if a.target == "rk-api":  # load once in the parent, share by fork
        rf, clinic, host = C.routinekit_inputs()
        _JOB["rk"] = (rf, clinic, host, C.usable_strategy(rf, host))
    elif a.contents:
        _JOB["fn"] = _baseline(a.target)
        _JOB["contents"] = json.loads(Path(a.contents).read_text(encoding="utf-8"))
        if len(_JOB["contents"]) <= a.rows:
            raise SystemExit(f"{a.contents} holds fewer than --rows + 1 rows")
    else:
        _JOB["fn"] = _baseline(a.target)
        _JOB["content"] = json.loads((Path(a.out) / CONTENT_JSON).read_text(encoding="utf-8"))
    _row(a.rows)  # warm up in the parent (fonts, caches), so forked workers share it
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(a.procs) as pool:
        total = sum(pool.imap_unordered(_row, range(a.rows), chunksize=8))
    wall = time.perf_counter() - t0
    return {
        "target": a.target,
        "rows": a.rows,
        "procs": a.procs,
        "wall_s": wall,
        "per_s": a.rows / wall,
        "bytes": total,
        "worker_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def cmd_contents(a: argparse.Namespace) -> dict[str, Any]:
    """Every row of ``--csv`` as the baselines' content (routinekit builds each; not timed)."""
    from routinekit import api
    from routinekit.batch.convert import RowConverter
    from routinekit.batch.rows import PatientList
    from routinekit.library import library_for

    rf, clinic, host = C.routinekit_inputs()
    plist = PatientList(a.csv)
    converter = RowConverter(
        plist.path,
        known_ids=[e.id for e in library_for(host)],
        date=C.START,
        routine_id=rf.routine.id,
    )
    assert plist.columns is not None
    converter.check_header(plist.columns)
    out = []
    for raw in plist:
        patient = converter.convert(raw).patient
        handout = api.build_handout(rf, patient=patient, clinic=clinic, host=host).handout
        out.append(C.plain(handout))
    Path(a.out).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return {"rows": len(out)}


def cmd_profile(a: argparse.Namespace) -> dict[str, Any]:
    from routinekit.stages import render

    rf, clinic, host = C.routinekit_inputs()
    strategy = C.usable_strategy(rf, host)
    for i in range(3):
        render(C.build_result(i, rf, clinic, host, strategy).handout, host=host, format=a.format)
    prof = cProfile.Profile()
    prof.enable()
    for i in range(a.n):
        render(
            C.build_result(10 + i, rf, clinic, host, strategy).handout, host=host, format=a.format
        )
    prof.disable()
    out: dict[str, Any] = {"n": a.n}
    for key in ("cumulative", "tottime"):
        s = io.StringIO()
        pstats.Stats(prof, stream=s).strip_dirs().sort_stats(key).print_stats(a.top)
        out[key] = s.getvalue()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("warm", "batch", "profile", "contents"):
        p = sub.add_parser(name)
        p.add_argument("--target", default="rk")
        p.add_argument("--format", default="pdf")
        p.add_argument("--n", type=int, default=40)
        p.add_argument("--rows", type=int, default=1000)
        p.add_argument("--procs", type=int, default=os.cpu_count() or 1)
        p.add_argument("--top", type=int, default=30)
        p.add_argument("--out", default=str(HERE / "results" / "work"))
        p.add_argument("--contents", help="batch: draw each row's own content from this file")
        p.add_argument("--csv", help="contents: the patient list to build")
    a = ap.parse_args()
    cmds = {"warm": cmd_warm, "batch": cmd_batch, "profile": cmd_profile, "contents": cmd_contents}
    result = cmds[a.cmd](a)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
