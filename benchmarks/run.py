#!/usr/bin/env python3
"""routinekit's benchmark: one run, routinekit next to its baselines, ratios not only times.

    python3 tasks.py bench                 # installs .[test,dev,bench], then runs this
    .venv/bin/python benchmarks/run.py [--rows 1000] [--mem-rows 10000] [--quick]

Prints the table and writes ``benchmarks/results/latest.{md,json}`` and
``benchmarks/results/profile.txt``. See ``benchmarks/README.md`` for what each number is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import content as C  # noqa: E402
import procs  # noqa: E402
import report  # noqa: E402

ROOT = HERE.parent
BIN = Path(sys.executable).parent
RK = str(BIN / "routinekit")
PY = sys.executable
RESULTS = HERE / "results"


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def capabilities() -> tuple[str, str]:
    """(format, batch help text or '') from what this routinekit offers now."""
    renderers = subprocess.run([RK, "renderers"], capture_output=True, text=True).stdout
    fmt = "pdf" if any(line.split()[:1] == ["pdf"] for line in renderers.splitlines()) else "json"
    cmds = subprocess.run([RK, "--help"], capture_output=True, text=True).stdout
    has_batch = any(line.split()[:1] == ["batch"] for line in cmds.splitlines())
    helptext = (
        subprocess.run([RK, "batch", "--help"], capture_output=True, text=True).stdout
        if has_batch
        else ""
    )
    return fmt, helptext


def build_cmd(fmt: str, out: Path, strategy: str | None) -> list[str]:
    cmd = [
        RK,
        "build",
        C.TEMPLATE,
        "--clinic",
        str(C.CLINIC_FILE),
        "--patient",
        str(C.PATIENT_FILE),
        "-f",
        fmt,
        "-o",
        str(out),
        "--date",
        "2026-01-05",
    ]
    return [*cmd, "--strategy", strategy] if strategy else cmd


def batch_cmd(helptext: str, csv: Path, outdir: Path, jobs: int, strategy: str | None) -> list[str]:
    """``routinekit batch`` as issue 5 specifies it; optional flags only where --help lists them."""
    cmd = [RK, "batch", str(csv), "--routine", C.TEMPLATE, "-o", str(outdir), "-j", str(jobs)]
    if "--clinic" in helptext:
        cmd += ["--clinic", str(C.CLINIC_FILE)]
    if strategy and "--strategy" in helptext:
        cmd += ["--strategy", strategy]
    for quiet in ("--no-progress", "--quiet"):
        if quiet in helptext:
            cmd.append(quiet)
            break
    return cmd


def rk_batch(
    via_cli: bool, helptext: str, work: Path, rows: int, jobs: int, fmt: str, strategy: str | None
) -> dict[str, Any]:
    outdir = work / f"rk_{rows}_{jobs}"
    procs.set_aside(outdir)
    if via_cli:
        csv = C.write_patients_csv(work / f"patients_{rows}.csv", rows)
        r = procs.sampled(batch_cmd(helptext, csv, outdir, jobs, strategy))
    else:
        r = procs.sampled(
            [
                PY,
                str(HERE / "measure.py"),
                "batch",
                "--target",
                "rk-api",
                "--rows",
                str(rows),
                "--procs",
                str(jobs),
                "--format",
                fmt,
                "--out",
                str(work),
            ]
        )
    written = sum(1 for p in outdir.rglob(f"*.{fmt}")) if outdir.exists() else None
    if not via_cli:
        written = sum(1 for _ in (work / f"batch_rk-api_{jobs}").glob(f"*.{fmt}"))
        procs.set_aside(work / f"batch_rk-api_{jobs}")
    procs.set_aside(outdir)
    r.update(rows=rows, procs=jobs, per_s=None if r["rc"] else rows / r["wall_s"], written=written)
    return r


def baseline_batch(
    target: str, work: Path, rows: int, jobs: int, contents: Path | None = None
) -> dict[str, Any]:
    cmd = [PY, str(HERE / "measure.py"), "batch", "--target", target, "--rows", str(rows)]
    cmd += ["--procs", str(jobs), "--out", str(work)]
    r = procs.sampled([*cmd, "--contents", str(contents)] if contents else cmd)
    procs.set_aside(work / f"batch_{target}_{jobs}")
    r.update(rows=rows, procs=jobs, per_s=None if r["rc"] else rows / r["wall_s"])
    return r


def _median_run(done: list[dict[str, Any]]) -> dict[str, Any]:
    """Of the same batch run several times, the run of median wall time (a failed run wins,
    so its exit is reported), with every run's wall time."""
    failed = [r for r in done if r.get("rc")]
    if failed:
        return failed[0]
    ordered = sorted(done, key=lambda r: r["wall_s"])
    return {**ordered[len(ordered) // 2], "walls_s": [round(r["wall_s"], 3) for r in done]}


def varied_batch(
    helptext: str, work: Path, rows: int, jobs: int, rounds: int, strategy: str | None
) -> dict[str, Any]:
    """Rows that all differ in exclusions and doses (issue 20): ``routinekit batch`` over a
    ``content.write_varied_csv`` list against the floor drawing the same rows' content (each
    row built by routinekit beforehand, untimed) through ``measure.py batch``'s fork pool.
    Both commands are timed whole (start-up included), alternated ``rounds`` times; the
    median of each is kept. Every routinekit run gets a fresh copy of an on-disk cache
    filled by a batch of 50 other varied rows (pictures, QR codes, fonts, as an installed
    routinekit has them), so no run finds the fit choices an earlier run made for its rows."""
    rk_csv = C.write_varied_csv(work / f"varied_{rows}.csv", rows)
    seed = work / "varied_seed"
    seed_csv = C.write_varied_csv(work / "varied_seed_all.csv", rows + 50)
    head, *body = seed_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    seed_csv.write_text(head + "".join(body[rows:]), encoding="utf-8")  # rows N .. N+49
    seed_env = {**os.environ, "XDG_CACHE_HOME": str(seed)}
    subprocess.run(
        batch_cmd(helptext, seed_csv, work / "varied_seed_out", jobs, strategy),
        check=True,
        capture_output=True,
        env=seed_env,
    )
    procs.set_aside(work / "varied_seed_out")
    csv = C.write_varied_csv(work / f"varied_{rows}_floor.csv", rows + 1)  # + a warm-up row
    contents = work / f"varied_{rows}.json"
    subprocess.run(
        [PY, str(HERE / "measure.py"), "contents", "--csv", str(csv), "--out", str(contents)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    runs: dict[str, list[dict[str, Any]]] = {"rk": [], "floor": []}
    for _ in range(rounds):
        outdir = work / "varied_rk"
        procs.set_aside(outdir)
        cache = work / "varied_cache"
        procs.set_aside(cache)
        shutil.copytree(seed, cache)
        env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
        r = procs.sampled(batch_cmd(helptext, rk_csv, outdir, jobs, strategy), env=env)
        r["written"] = sum(1 for _ in outdir.rglob("*.pdf")) if outdir.exists() else 0
        procs.set_aside(outdir)
        runs["rk"].append(r)
        runs["floor"].append(baseline_batch("floor", work, rows, jobs, contents))
    out: dict[str, Any] = {}
    for name, rs in runs.items():
        walls = sorted(x["wall_s"] for x in rs if not x["rc"])
        rc = next((x for x in rs if x["rc"]), None)
        wall = walls[len(walls) // 2] if walls else None
        out[name] = {
            "rows": rows,
            "procs": jobs,
            "rounds": rounds,
            "wall_s": [round(x["wall_s"], 3) for x in rs],
            "per_s": rows / wall if wall and not rc else None,
            "rc": rc["rc"] if rc else 0,
            "stderr_tail": rc["stderr_tail"] if rc else [],
            "written": rs[-1].get("written"),
            "worker_peak_mb": max(x["worker_peak_mb"] for x in rs),
        }
    return out


def verify(pdf: Path, expected: set[str]) -> dict[str, Any]:
    """Pages, embedded fonts and every QR code decoded from a 150-dpi rendering."""
    import numpy as np
    import pymupdf
    import zxingcpp

    doc = pymupdf.open(pdf)
    found: list[str] = []
    fonts: set[str] = set()
    for page in doc:
        fonts |= {f[3] for f in page.get_fonts() if f[1] in ("ttf", "otf", "cff")}
        pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
        arr = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)[
            :, : pix.width
        ]
        found += [
            b.text for b in zxingcpp.read_barcodes(arr, formats=zxingcpp.BarcodeFormat.QRCode)
        ]
    return {
        "pages": doc.page_count,
        "embedded_fonts": sorted(fonts),
        "qr": {
            "expected": len(expected),
            "ok": len(expected & set(found)),
            "wrong": sorted(set(found) - expected),
            "missing": sorted(expected - set(found)),
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rows", type=int, default=1000, help="rows for the throughput runs")
    ap.add_argument("--mem-rows", type=int, default=10000, help="rows for the long memory run")
    ap.add_argument(
        "--weasy-rows", type=int, default=40, help="rows for WeasyPrint's batch (it is slow)"
    )
    ap.add_argument(
        "--varied-rows", type=int, default=600, help="rows of the batch whose rows all differ"
    )
    ap.add_argument("--varied-rounds", type=int, default=5)
    ap.add_argument(
        "--batch-rounds", type=int, default=3, help="alternating runs of each 1,000-row batch"
    )
    ap.add_argument("--warm-n", type=int, default=40)
    ap.add_argument("--cold-n", type=int, default=11)
    ap.add_argument("--quick", action="store_true", help="small numbers, to check the harness")
    ap.add_argument("--no-weasy", action="store_true")
    ap.add_argument("--results", type=Path, default=RESULTS)
    a = ap.parse_args()
    if a.quick:
        a.rows, a.mem_rows, a.weasy_rows, a.warm_n, a.cold_n = 100, 300, 6, 8, 3
        a.varied_rows, a.varied_rounds, a.batch_rounds = 100, 1, 1
    t_start = time.perf_counter()
    cpus = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="rk-bench-"))
    fmt, batch_help = capabilities()
    notes: list[str] = []
    r: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": cpus,
        "format": fmt,
        "rows": a.rows,
        "mem_rows": a.mem_rows,
        "notes": notes,
    }
    versions = {}
    for pkg in ("reportlab", "segno", "qrcode", "weasyprint", "msgspec", "pymupdf", "zxing-cpp"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    r["env"] = {"python": platform.python_version(), "commit": commit, "versions": versions}
    if fmt != "pdf":
        notes.append(
            "routinekit has no `pdf` renderer yet: its column is the `json` renderer, "
            "so it is not comparable to the PDF baselines"
        )
    weasy = not a.no_weasy and versions["weasyprint"] is not None
    if not weasy:
        notes.append("WeasyPrint skipped (not installed or --no-weasy)")
    targets = ["floor", "raw", *(["weasy"] if weasy else [])]

    content = C.dump_content(work / "content.json", notes)
    rf, _, host = C.routinekit_inputs()
    strategy = C.usable_strategy(rf, host)

    log(f"warm renders (format {fmt})")
    r["warm"] = {
        "rk": procs.run_json(
            ["warm", "--target", "rk", "--format", fmt, "--n", str(a.warm_n), "--out", str(work)]
        )
    }
    for t in targets:
        n = max(3, a.warm_n // 8) if t == "weasy" else a.warm_n
        r["warm"][t] = procs.run_json(["warm", "--target", t, "--n", str(n), "--out", str(work)])

    log("cold processes")
    # A wheel install ships compiled bytecode (pip compiles at install time), as the
    # baselines' reportlab and segno have it; an editable install run with
    # PYTHONDONTWRITEBYTECODE would compile every routinekit module in every process.
    compiled = [ROOT / "src", ROOT / "plugins", HERE / "baselines"]
    subprocess.run([PY, "-m", "compileall", "-q", *map(str, compiled)], check=False)
    notes.append(
        "cold processes run with compiled bytecode for routinekit, its plugins and the "
        "baselines (`python -m compileall`), as an installed wheel has"
    )
    r["imports"] = {
        "python": procs.wall_ms([PY, "-c", "pass"], a.cold_n),
        "rk": procs.wall_ms([PY, "-c", "import routinekit"], a.cold_n),
        "rk_cli": procs.wall_ms([PY, "-c", "import routinekit.cli"], a.cold_n),
        "floor": procs.wall_ms(
            [PY, "-c", "import reportlab.pdfgen.canvas, reportlab.pdfbase.ttfonts, segno"], a.cold_n
        ),
        "raw": procs.wall_ms(
            [PY, "-c", "import reportlab.pdfbase.pdfmetrics, segno, zlib"], a.cold_n
        ),
    }
    if weasy:
        r["imports"]["weasy"] = procs.wall_ms([PY, "-c", "import weasyprint, segno"], 3)
    floor_py = [PY, str(HERE / "baselines" / "floor.py"), str(work / "content.json"), "-o"]
    # routinekit's build and the baselines' in turn, so a drift of the machine's speed
    # during the measurement moves them alike (the ratio is what is read)
    r["cold"] = {
        "rk_help": procs.wall_ms([RK, "--help"], a.cold_n),
        **procs.wall_ms_alternating(
            {
                "rk": build_cmd(fmt, work / f"cold.{fmt}", strategy),
                "floor": [*floor_py, str(work / "cold_floor.pdf")],
                "raw": [*floor_py, str(work / "cold_raw.pdf"), "--raw"],
            },
            a.cold_n,
        ),
    }
    if weasy:
        r["cold"]["weasy"] = procs.wall_ms(
            [
                PY,
                str(HERE / "baselines" / "weasy.py"),
                str(work / "content.json"),
                "-o",
                str(work / "cold_w.pdf"),
            ],
            3,
        )
    # routinekit keeps pictures and the parsed library in its on-disk cache (the first build above
    # filled it); the same build without it, for the record
    nocache = {**os.environ, "ROUTINEKIT_NO_CACHE": "1"}
    r["cold"]["rk_nocache"] = procs.wall_ms(
        build_cmd(fmt, work / f"cold_nc.{fmt}", strategy), a.cold_n, env=nocache
    )
    floor_ms = r["cold"]["floor"]["ms_median"]
    notes.append(
        "routinekit's cold builds use its on-disk cache of pictures and the parsed library "
        "(`~/.cache/routinekit`, filled by the first build); with `ROUTINEKIT_NO_CACHE=1` "
        f"the cold build takes {r['cold']['rk_nocache']['ms_median']:.0f} ms "
        f"({r['cold']['rk_nocache']['ms_median'] / floor_ms:.2f}x the floor)"
    )
    r["importtime"] = procs.importtime(
        ["-m", "routinekit", *build_cmd(fmt, work / f"it.{fmt}", strategy)[1:]]
    )

    via_cli = bool(batch_help)
    r["batch_via"] = (
        "`routinekit batch` (CLI)"
        if via_cli
        else "the Python API in a fork pool (no batch command yet)"
    )
    if not via_cli:
        notes.append(
            "no `routinekit batch` command yet: routinekit's batch column is its API "
            "(pipeline + render) in a fork pool, written like the baselines"
        )
    log(f"batch {a.rows} rows on 1 and {cpus} processes")
    b: dict[str, Any] = {}
    # routinekit's batches and the baselines' in turn, --batch-rounds times, each the run of
    # median wall time: a machine whose speed drifts during the run moves them alike
    runs: dict[str, list[dict[str, Any]]] = {}
    for _ in range(a.batch_rounds):
        for jobs, suffix in ((1, "1"), (cpus, "all")):
            runs.setdefault(f"rk_{suffix}", []).append(
                rk_batch(via_cli, batch_help, work, a.rows, jobs, fmt, strategy)
            )
            for t in ("floor", "raw"):
                runs.setdefault(f"{t}_{suffix}", []).append(baseline_batch(t, work, a.rows, jobs))
    for key, done in runs.items():
        b[key] = _median_run(done)
    notes.append(
        f"the {a.rows}-row batches of routinekit and the baselines ran in turn, "
        f"{a.batch_rounds} rounds, each the run of median wall time; the varied batch "
        f"{a.varied_rounds} rounds likewise; output folders are set aside, not deleted, "
        "until the end (`procs.set_aside`)"
    )
    if weasy:
        b["weasy_all"] = baseline_batch("weasy", work, a.weasy_rows, cpus)
        notes.append(
            f"WeasyPrint's batch ran {a.weasy_rows} rows (it is slow); rates are per second"
        )
    if via_cli:
        log(f"batch of {a.varied_rows} rows that all differ, {cpus} processes")
        r["varied"] = varied_batch(batch_help, work, a.varied_rows, cpus, a.varied_rounds, strategy)
        for key, run in r["varied"].items():
            if run["rc"]:
                notes.append(f"varied batch {key} exited {run['rc']}: {run['stderr_tail']}")
        if r["varied"]["rk"]["written"] not in (None, a.varied_rows):
            notes.append(f"varied batch wrote {r['varied']['rk']['written']} files")
    log(f"memory: {a.mem_rows} rows on {cpus} processes")
    b["rk_mem"] = rk_batch(via_cli, batch_help, work, a.mem_rows, cpus, fmt, strategy)
    r["batch"] = b
    for key, run in b.items():
        if run.get("rc"):
            notes.append(f"batch run {key} exited {run['rc']}: {' / '.join(run['stderr_tail'])}")
        elif run.get("written") is not None and run["written"] != run["rows"]:
            notes.append(f"batch run {key} wrote {run['written']} files for {run['rows']} rows")

    log("verify QR codes, pages, fonts")
    r["verify"] = {}
    expected = C.expected_urls(
        C.plain(C.build_result(0, rf, C.routinekit_inputs()[1], host, strategy).handout)
    )
    for t in ["rk", *targets]:
        path = work / (f"warm_{t}.{fmt}" if t == "rk" else f"warm_{t}.pdf")
        if path.exists() and path.suffix == ".pdf":
            r["verify"][t] = verify(path, expected if t == "rk" else C.expected_urls(content))
    if fmt == "pdf":
        log("profile of the build path")
        prof = procs.run_json(["profile", "--format", fmt, "--n", "30", "--out", str(work)])
        prof["cold build"] = procs.cold_profile(
            ["-m", "routinekit", *build_cmd(fmt, work / "p.pdf", strategy)[1:]], work / "cold.prof"
        )
        a.results.mkdir(parents=True, exist_ok=True)
        (a.results / "profile.txt").write_text(
            "\n".join(
                f"===== {k} =====\n{prof.get(k, prof.get('error', ''))}"
                for k in ("cumulative", "tottime", "cold build")
            ),
            encoding="utf-8",
        )
    r["elapsed_s"] = time.perf_counter() - t_start
    shutil.rmtree(work, ignore_errors=True)

    md = report.markdown(r)
    a.results.mkdir(parents=True, exist_ok=True)
    (a.results / "latest.md").write_text(md, encoding="utf-8")
    (a.results / "latest.json").write_text(
        json.dumps(r, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print(md)
    log(f"done in {r['elapsed_s']:.0f} s; wrote {a.results / 'latest.md'}")


if __name__ == "__main__":
    main()
