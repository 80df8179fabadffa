"""Streamed input: read and check a 1,000,000-row patient list, and report memory and speed.

    python benchmarks/batch_stream.py                 # 1,000,000 rows
    python benchmarks/batch_stream.py --rows 100000

Runs what the batch coordinator does with each row before it sends it out (read the CSV
strictly, convert and check every cell, compute the row's input hash) and prints the rows
per second and the peak resident memory at 10%, 50% and 100% of the list: flat means the
list is never held.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    from routinekit import api
    from routinekit.batch.convert import RowConverter
    from routinekit.batch.identity import RowIdentity, routine_content
    from routinekit.batch.rows import PatientList
    from routinekit.library import library_for
    from routinekit.plugins.host import get_host

    folder = Path(tempfile.mkdtemp(prefix="routinekit-stream-"))
    path = folder / "patients.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("name,date,notes,dose:childs-pose\n")
        for i in range(args.rows):
            fh.write(f"Patient {i},2026-01-05,note {i},hold 30\n")
    host = get_host()
    request = api.make_request("back-spasm-acute")
    rf = api.load_routine(request.routine, host=host)
    identity = RowIdentity(request, host, routine_content(rf))
    date = dt.date(2026, 1, 5)
    converter = RowConverter(
        path, known_ids=[e.id for e in library_for(host)], date=date, routine_id=rf.routine.id
    )
    plist = PatientList(path)
    assert plist.columns is not None
    converter.check_header(plist.columns)
    marks = {args.rows // 10, args.rows // 2, args.rows}
    started = time.monotonic()
    for n, raw in enumerate(plist, start=1):
        spec = converter.convert(raw)
        identity.of(spec.patient, spec.routine)
        if n in marks:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rate = n / (time.monotonic() - started)
            print(f"{n:>9,} rows: peak RSS {rss:6.1f} MB, {rate:,.0f} rows/s")
    print(f"list: {path.stat().st_size / 1e6:.0f} MB on disk")
    path.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
