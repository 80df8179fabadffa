#!/usr/bin/env python3
"""cProfile of a warm single render and of a batch of rows of one routine, in one process.

    .venv/bin/python benchmarks/hotspots.py [--rows 200] [--warm 40] [--out results/profile_now.txt]

``warm``: one handout built once, rendered ``--warm`` times. ``batch``: ``--rows`` patients
of one routine, each built (pipeline) and rendered as a batch worker does, routine and
clinic loaded once. Also prints wall ms per render with the profiler off, and the reuse
store's hit counts (``routinekit.render.pdf.reuse``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import content as C  # noqa: E402


def stats(prof: cProfile.Profile, top: int) -> str:
    s = io.StringIO()
    st = pstats.Stats(prof, stream=s).strip_dirs()
    st.sort_stats("cumulative").print_stats(top)
    st.sort_stats("tottime").print_stats(top)
    return s.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--warm", type=int, default=40)
    ap.add_argument("--top", type=int, default=35)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "profile_now.txt")
    a = ap.parse_args()
    from routinekit.stages import render

    try:
        from routinekit.render.pdf import reuse
    except ImportError:  # a tree from before the reuse (for comparison)
        reuse = None

    rf, clinic, host = C.routinekit_inputs()
    strategy = C.usable_strategy(rf, host)
    handout = C.build_result(0, rf, clinic, host, strategy).handout
    for i in range(3):
        render(C.build_result(i, rf, clinic, host, strategy).handout, host=host, format="pdf")
    t0 = time.perf_counter()
    for _ in range(a.warm):
        render(handout, host=host, format="pdf")
    warm_ms = (time.perf_counter() - t0) / a.warm * 1e3
    t0 = time.perf_counter()
    for i in range(a.rows):
        render(
            C.build_result(1000 + i, rf, clinic, host, strategy).handout, host=host, format="pdf"
        )
    row_ms = (time.perf_counter() - t0) / a.rows * 1e3
    warm = cProfile.Profile()
    warm.enable()
    for _ in range(a.warm):
        render(handout, host=host, format="pdf")
    warm.disable()
    batch = cProfile.Profile()
    batch.enable()
    for i in range(a.rows):
        render(
            C.build_result(2000 + i, rf, clinic, host, strategy).handout, host=host, format="pdf"
        )
    batch.disable()
    store = (
        f"; reuse store: {len(reuse.FORMS)} blocks, {len(reuse.FORMS.runs)} runs, "
        f"{reuse.FORMS.hits} hits, {reuse.FORMS.misses} misses"
        if reuse is not None
        else ""
    )
    head = (
        f"warm render (profiler off): {warm_ms:.2f} ms; batch row, pipeline + render: "
        f"{row_ms:.2f} ms{store}\n"
    )
    text = (
        head
        + f"\n===== warm single render x{a.warm} =====\n"
        + stats(warm, a.top)
        + f"\n===== batch: {a.rows} rows of one routine (pipeline + render) =====\n"
        + stats(batch, a.top)
    )
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")
    print(head, end="")


if __name__ == "__main__":
    main()
