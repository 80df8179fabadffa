#!/usr/bin/env python3
"""In-process cost of a batch whose rows all differ in exclusions and doses (issue 20).

    .venv/bin/python benchmarks/varied.py [--rows 40] [--target both|rk|floor] [--profile FILE]

routinekit: the routine, the clinic and the host are loaded once, as ``routinekit batch``
loads them; then every row of a ``content.write_varied_csv`` list is converted
(``RowConverter``), hashed (``RowIdentity``) and built, rendered and hashed by the batch
worker's own ``build_one`` (the handout goes to a storage that drops it: no disk).
The floor: the same rows' content (each row's handout as ``content.plain``, made before
timing) drawn by ``floor.render_canvas``, as ``measure.py batch --target floor`` does.
Both warm up on ``--warmup`` rows of other indices first. routinekit's on-disk cache is a
fresh folder (``XDG_CACHE_HOME``), so the measured rows are new to it as well, as in a
clinic's first batch of these patients (an earlier run's fit choices for the same rows
would otherwise be found on disk); ``--keep-cache`` uses the user's cache instead.
Prints ms per row (wall and CPU time, profiler off) and, with ``--profile``, writes the
cProfile of the routinekit rows.

For instruction counts (load-independent), run one target under callgrind at two sizes::

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python benchmarks/varied.py --target rk --rows 0
    # ... and --rows 40: per row = (N40 - N0) / 40
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "baselines"))

import content as C  # noqa: E402


class _Drop:
    """A storage that keeps nothing (the worker's write, without a disk)."""

    local = None
    shared = True

    def write(self, name: str, data: bytes, *, entry: Any = None) -> None:
        pass


def rk_setup(rows: int, warmup: int, work: Path) -> tuple[Any, list[Any], list[Any], list[Any]]:
    """(a function building one raw row, the warm-up rows, the measured rows, 40 spare rows)."""
    from routinekit import api
    from routinekit.batch.convert import RowConverter
    from routinekit.batch.identity import RowIdentity, routine_content
    from routinekit.batch.names import DEFAULT_PATTERN, NamePattern, safe_name
    from routinekit.batch.rows import PatientList
    from routinekit.batch.storage import open_storage
    from routinekit.batch.worker import Job, WorkerConfig, WorkerState, build_one
    from routinekit.library import library_for
    from routinekit.pipeline import check_request
    from routinekit.plugins.host import get_host

    host = get_host()
    request = api.make_request(C.TEMPLATE, clinic=C.CLINIC_FILE)
    check_request(request, host)
    rf = api.load_routine(request.routine, host=host)
    clinic = api.load_clinic(request.clinic, use_default=request.default_clinic)
    import msgspec

    request = msgspec.structs.replace(request, clinic=clinic)
    path = C.write_varied_csv(work / "varied.csv", 10_000 + warmup)  # same size at any --rows
    plist = PatientList(path)
    converter = RowConverter(
        plist.path,
        known_ids=[e.id for e in library_for(host)],
        date=C.START,
        routine_id=rf.routine.id,
    )
    assert plist.columns is not None
    converter.check_header(plist.columns)
    identity = RowIdentity(request, host, routine_content(rf))
    store = open_storage(str(work / "out"), None)
    config = WorkerConfig(key="varied", request=request, storage=store.spec)
    state = WorkerState(config)
    state.storage = _Drop()  # type: ignore[assignment]
    pattern = NamePattern(DEFAULT_PATTERN)
    raws = []
    for raw in plist:  # rows 10,000.. warm up, 1.. are measured (all differ)
        raws.append(raw)
    measured = raws[:rows]
    warm = raws[10_000 : 10_000 + warmup]
    assert rows <= 5_000 and warmup <= 500

    def one(raw: Any) -> Any:
        spec = converter.convert(raw)
        name = safe_name(pattern.render(spec.fields), "pdf", fallback=f"row-{spec.row:05d}")
        digest = identity.of(spec.patient, spec.routine)
        job = Job(row=spec.row, patient=spec.patient, output=name, line=spec.line, input=digest)
        result = build_one(state, job)
        if result.status != "ok":
            raise SystemExit(f"row {raw.row} failed: {result.error}")
        return result

    return one, warm, measured, raws[5_250:5_290]  # 5,250 = 350 mod 700 (the period of the rows)


def floor_contents(raws: list[Any], work: Path) -> list[dict[str, Any]]:
    """Each row's handout as the floor's plain content (routinekit builds it; not timed)."""
    from routinekit import api
    from routinekit.batch.convert import RowConverter
    from routinekit.library import library_for
    from routinekit.plugins.host import get_host

    host = get_host()
    rf = api.load_routine(C.TEMPLATE, host=host)
    clinic = api.load_clinic(str(C.CLINIC_FILE))
    converter = RowConverter(
        work / "varied.csv",
        known_ids=[e.id for e in library_for(host)],
        date=C.START,
        routine_id=rf.routine.id,
    )
    out = []
    for raw in raws:
        patient = converter.convert(raw).patient
        handout = api.build_handout(rf, patient=patient, clinic=clinic, host=host).handout
        out.append(C.plain(handout))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument(
        "--rounds", type=int, default=1, help="alternating rk/floor passes, each on new rows"
    )
    ap.add_argument("--target", choices=("both", "rk", "floor"), default="both")
    ap.add_argument("--contents", type=Path, help="floor: read/write the rows' content here")
    ap.add_argument("--keep-cache", action="store_true", help="use the user's on-disk cache")
    ap.add_argument("--profile", type=Path, help="write the cProfile of the routinekit rows")
    ap.add_argument("--top", type=int, default=45)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rk-varied-"))
    if not a.keep_cache:
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    out: dict[str, Any] = {"rows": a.rows}
    one = warm = measured = None
    spare: list[Any] = []
    if a.target in ("both", "rk") or not (a.contents and a.contents.exists()):
        one, warm, measured, spare = rk_setup(a.rows * a.rounds, a.warmup, work)
    fl = None
    if a.target in ("both", "floor"):
        import floor

        if a.contents and a.contents.exists():
            blob = json.loads(a.contents.read_text(encoding="utf-8"))
        else:
            assert warm is not None and measured is not None
            blob = {"warm": floor_contents(warm, work), "rows": floor_contents(measured, work)}
            if a.contents:
                a.contents.write_text(json.dumps(blob, ensure_ascii=False), encoding="utf-8")
        fl = (floor.render_canvas, blob["warm"], blob["rows"][: a.rows * a.rounds])
        if len(fl[2]) < a.rows * a.rounds:
            raise SystemExit(f"{a.contents} holds fewer rows than --rows x --rounds")
    if a.target == "floor":
        one = None
    if one is not None:
        for raw in warm or ():
            one(raw)
    if fl is not None:
        for c in fl[1]:
            floor.render_canvas(c)
    rk_ms: list[float] = []
    floor_ms: list[float] = []
    rk_cpu: list[float] = []
    floor_cpu: list[float] = []
    n = a.rows
    for r in range(a.rounds if n else 0):
        if one is not None and measured:
            t0, c0 = time.perf_counter(), time.process_time()
            for raw in measured[r * n : (r + 1) * n]:
                one(raw)
            rk_ms.append((time.perf_counter() - t0) / n * 1e3)
            rk_cpu.append((time.process_time() - c0) / n * 1e3)
        if fl is not None and fl[2]:
            t0, c0 = time.perf_counter(), time.process_time()
            for c in fl[2][r * n : (r + 1) * n]:
                hashlib.sha256(fl[0](c)).hexdigest()
            floor_ms.append((time.perf_counter() - t0) / n * 1e3)
            floor_cpu.append((time.process_time() - c0) / n * 1e3)
    if rk_ms:
        out["rk_ms_per_row"] = [round(x, 2) for x in rk_ms]
        out["rk_cpu_ms_per_row"] = [round(x, 2) for x in rk_cpu]
    if floor_ms:
        out["floor_ms_per_row"] = [round(x, 2) for x in floor_ms]
        out["floor_cpu_ms_per_row"] = [round(x, 2) for x in floor_cpu]
    if rk_ms and floor_ms:
        out["rk_vs_floor_time"] = round(min(rk_ms) / min(floor_ms), 3)
        out["rk_vs_floor_cpu"] = round(min(rk_cpu) / min(floor_cpu), 3)
    if a.profile and one is not None:
        prof = cProfile.Profile()
        prof.enable()
        for raw in spare:  # not the rows timed above (their blocks are stored now)
            one(raw)
        prof.disable()
        s = io.StringIO()
        st = pstats.Stats(prof, stream=s).strip_dirs()
        st.sort_stats("cumulative").print_stats(a.top)
        st.sort_stats("tottime").print_stats(a.top)
        a.profile.parent.mkdir(parents=True, exist_ok=True)
        a.profile.write_text(s.getvalue(), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
