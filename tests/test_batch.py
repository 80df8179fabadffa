"""Batch export end to end: awkward rows, existing files, merge, zip, privacy, the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pymupdf

from routinekit.batch import run_batch
from routinekit.batch.manifest import MANIFEST_NAME, REPORT_NAME
from routinekit.batch.sample import expected_failures, rows, write_patient_csv

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "patients.csv"
DATE = dt.date(2026, 1, 5)


def manifest(outdir: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (outdir / MANIFEST_NAME).read_text("utf-8").splitlines()]


def all_files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def test_a_thousand_awkward_rows(tmp_path: Path) -> None:
    patients = write_patient_csv(tmp_path / "patients.csv", 1000, awkward=True)
    outdir = tmp_path / "out"
    summary = run_batch(
        patients,
        "back-spasm-acute",
        outdir,
        format="json",
        jobs=2,
        date=DATE,
        name_pattern="{last_name}_{first_name}_{date}",
    )
    bad = expected_failures(1000)
    assert len(bad) >= 10
    assert (summary.total, summary.failed, summary.written) == (1000, len(bad), 1000 - len(bad))
    assert not summary.ok and summary.personal_names

    entries = manifest(outdir)
    assert [e["row"] for e in entries] == list(range(1, 1001))
    data = list(rows(1000, awkward=True))
    names: set[str] = set()
    for e, cells in zip(entries, data, strict=True):
        row = int(e["row"])  # type: ignore[call-overload]
        if row in bad:
            assert e["status"] == "failed"
            error = str(e["error"])
            assert f"row {row}, field '{bad[row]}'" in error and "\n" not in error
            assert not [c for c in cells[1:3] if len(c) > 2 and c in error]  # never the name
            continue
        assert e["status"] == "ok", e
        out = outdir / str(e["output"])
        assert out.parent == outdir and out.is_file()
        blob = out.read_bytes()
        assert hashlib.sha256(blob).hexdigest() == e["sha256"] and len(blob) == e["bytes"]
        assert json.loads(blob)["routine_id"] == "back-spasm-acute"
        assert out.stat().st_mode & 0o777 == 0o600
        names.add(out.name.casefold())
    assert len(names) == 1000 - len(bad)  # collisions resolved, case-insensitively
    # nothing outside OUTDIR but the user's cache of shipped files, no temporary files
    cache = tmp_path / "cache"  # conftest's XDG_CACHE_HOME
    assert all_files(tmp_path) - all_files(outdir) - all_files(cache) == {patients}
    kept = {p.parent.name for p in all_files(cache)}
    assert kept <= {"exercises", "templates-parsed", "template-titles", "entry-points"}
    assert not list(outdir.glob(".*.part"))
    report = list(csv.reader((outdir / REPORT_NAME).read_text("utf-8-sig").splitlines()))
    assert len(report) == 1001 and report[0][:3] == ["row", "status", "output"]
    assert not [
        c for r in report for c in r if c.startswith(("=", "+", "-", "@"))
    ]  # formulas neutralised


def test_existing_files_are_kept_skipped_resumed_or_forced(tmp_path: Path) -> None:
    patients = write_patient_csv(tmp_path / "p.csv", 6)
    out = tmp_path / "out"
    first = run_batch(patients, "back-spasm-acute", out, format="json", jobs=0, date=DATE)
    assert first.written == 6
    files = sorted(out.glob("0000*.json"))
    inodes = {f: f.stat().st_ino for f in files}

    again = run_batch(patients, "back-spasm-acute", out, format="json", jobs=0, date=DATE)
    assert (again.written, again.kept, again.skipped) == (0, 6, 0)
    assert all(f.stat().st_ino == inodes[f] for f in files)
    assert [e["status"] for e in manifest(out)] == ["ok"] * 6

    files[2].write_bytes(b"not ours")  # a file the manifest does not vouch for
    plain = run_batch(patients, "back-spasm-acute", out, format="json", jobs=0, date=DATE)
    assert (plain.kept, plain.skipped, plain.failed) == (5, 1, 0)
    assert files[2].read_bytes() == b"not ours"  # never overwritten without --resume/--force
    assert manifest(out)[2]["status"] == "skipped" and "use --resume or --force" in str(
        manifest(out)[2]["error"]
    )

    resumed = run_batch(
        patients, "back-spasm-acute", out, format="json", jobs=0, date=DATE, resume=True
    )
    assert (resumed.written, resumed.kept) == (1, 5)
    assert json.loads(files[2].read_bytes())["routine_id"] == "back-spasm-acute"

    forced = run_batch(
        patients, "back-spasm-acute", out, format="json", jobs=0, date=DATE, force=True
    )
    assert forced.written == 6
    assert all(f.stat().st_ino != inodes[f] for f in files if f != files[2])


def test_row_columns_reach_the_handout(tmp_path: Path) -> None:
    patients = tmp_path / "p.csv"
    patients.write_text(
        "name,date,exclude,dose:childs-pose,routine,language\n"
        "Ann Lee,2026-03-01,prone,hold 45,,\n"
        "Bo Ek,,,,back-spasm-prevention,es\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    summary = run_batch(patients, "back-spasm-acute", out, format="json", jobs=0, date=DATE)
    assert summary.ok
    one, two = (json.loads((out / str(e["output"])).read_bytes()) for e in manifest(out))
    assert one["date"] == "2026-03-01" and one["patient"]["name"] == "Ann Lee"
    doses = {i["exercise"]["id"]: i["dose"] for g in one["groups"] for i in g["items"]}
    assert doses["childs-pose"]["hold"] == {"low": 45, "high": 45}
    assert "prone-on-elbows" in {lo["exercise_id"] for lo in one["left_out"]}
    assert two["routine_id"] == "back-spasm-prevention" and two["date"] == DATE.isoformat()
    assert two["language"] == "es"
    assert str(manifest(out)[1]["output"]).startswith("00002_back-spasm-prevention_")


def test_pdfs_merge_and_zip(tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run_batch(EXAMPLE, "back-spasm-acute", out, jobs=2, merge=True, zip=True)
    assert summary.ok and summary.written == 8
    pages = []
    for e in manifest(out):
        with pymupdf.open(out / str(e["output"])) as doc:
            pages.append(doc.page_count)
            first_words = doc[0].get_text()
    assert summary.merged is not None and summary.zip is not None
    with pymupdf.open(summary.merged) as merged:
        assert merged.page_count == sum(pages)
        assert (
            merged[0].get_text()
            == pymupdf.open(out / str(manifest(out)[0]["output"]))[0].get_text()
        )
        assert first_words  # the last handout has text too
    with zipfile.ZipFile(summary.zip) as zf:
        assert sorted(zf.namelist()) == sorted(
            [str(e["output"]) for e in manifest(out)] + [MANIFEST_NAME]
        )
        assert zf.testzip() is None


def test_cli_privacy_and_exit_status(tmp_path: Path) -> None:
    """No patient name in the manifest, the report, the log, or the PDFs' metadata."""
    out = tmp_path / "out"

    def cmd(patients: Path, outdir: Path, *extra: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "routinekit",
            "batch",
            str(patients),
            "-r",
            "back-spasm-acute",
            "-o",
            str(outdir),
            "-j",
            "2",
            *extra,
        ]

    done = subprocess.run(cmd(EXAMPLE, out), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "8 written, 0 skipped, 0 failed of 8 rows" in done.stderr
    names = {
        cell
        for r in csv.DictReader(EXAMPLE.open(encoding="utf-8"))
        for k, cell in r.items()
        if k in {"first_name", "last_name", "id", "notes", "therapist"} and cell
    }
    assert len(names) > 10
    texts = [
        done.stdout,
        done.stderr,
        (out / MANIFEST_NAME).read_text("utf-8"),
        (out / REPORT_NAME).read_text("utf-8-sig"),
    ]
    for pdf in out.glob("*.pdf"):
        with pymupdf.open(pdf) as doc:
            texts.append(json.dumps(doc.metadata, ensure_ascii=False))
            texts.append(doc.get_xml_metadata())
            texts.append(pdf.name)
    leaks = {n for n in names for t in texts if n in t}
    assert not leaks

    broken = tmp_path / "broken.csv"
    broken.write_text("name,date\nAnn,2026-13-45\nBo,2026-01-02\n", encoding="utf-8")
    done = subprocess.run(
        cmd(broken, tmp_path / "b", "-f", "json", "-q"), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "row 1, field 'date': not a date" in done.stderr and "Ann" not in done.stderr
    assert "1 written, 0 skipped, 1 failed of 2 rows" in done.stderr

    unknown = tmp_path / "unknown.csv"
    unknown.write_text("name,birthday\nAnn,2000-01-01\n", encoding="utf-8")
    done = subprocess.run(
        cmd(unknown, tmp_path / "u", "-q"), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "unknown column 2 in the header" in done.stderr
    assert "known columns: id, name" in done.stderr
