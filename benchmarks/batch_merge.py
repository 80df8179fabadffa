"""`routinekit batch --merge` memory: the peak resident memory of merging N handouts.

    python benchmarks/batch_merge.py            # 2,000 rows (goal: peak under 250 MB)
    python benchmarks/batch_merge.py --rows 500 --workdir /tmp/merge-bench

First the handouts are built (once; a workdir that has them is reused), then
``routinekit batch LIST --resume --merge`` runs in a fresh process: every row is
already done, so what it does is read the manifest, check the files and merge them.
Its peak RSS (``getrusage(RUSAGE_SELF)`` of that process, read as it exits) is the
number reported, with the merge's time and the merged file's size and pages.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Runs the command line in this process and prints its own peak RSS (kB) as it exits.
_MEASURED = """
import resource, sys
from routinekit.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    if exc.code:
        raise
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="routinekit-merge-"))
    work.mkdir(parents=True, exist_ok=True)
    listing = work / f"patients-{args.rows}.csv"
    out = work / f"out-{args.rows}"
    rows = "".join(f"Patient {i},2026-01-05\n" for i in range(args.rows))
    listing.write_text("name,date\n" + rows, encoding="utf-8")
    base = [sys.executable, "-m", "routinekit", "batch", str(listing)]
    base += ["-r", "back-spasm-acute", "-o", str(out), "-j", str(args.jobs), "-q"]
    started = time.monotonic()
    subprocess.run([*base, "--resume"], check=True)
    built = time.monotonic() - started
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *base[3:], "--resume", "--merge"],
        check=True,
        capture_output=True,
        text=True,
    )
    merged_s = time.monotonic() - started
    peak_mb = int(done.stdout.strip().splitlines()[-1]) / 1024
    merged = out / "batch-merged.pdf"
    import pymupdf

    with pymupdf.open(merged) as doc:
        pages = doc.page_count
    print(f"rows: {args.rows}  (handouts built or checked in {built:.1f} s)")
    print(f"merge run: {merged_s:.1f} s, {merged.stat().st_size / 1e6:.1f} MB, {pages} pages")
    print(f"peak RSS of the merging process: {peak_mb:.0f} MB (goal: under 250 MB)")


if __name__ == "__main__":
    main()
