"""Batch output through routinekit.batch.storage: URLs, memory://, shard folders, clear refusals."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pymupdf
import pytest

from routinekit.batch import run_batch
from routinekit.batch.manifest import MANIFEST_NAME, read_latest
from routinekit.batch.names import ShardLayout, shard_layout
from routinekit.batch.storage import (
    PARTS_FOLDER,
    FsspecStorage,
    LocalStorage,
    check_name,
    open_storage,
    parse_storage_options,
)
from routinekit.errors import UserError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "patients.csv"


def patients(tmp_path: Path, n: int) -> Path:
    p = tmp_path / "p.csv"
    p.write_text(
        "name,date\n" + "".join(f"Patient {i},2026-01-05\n" for i in range(n)), encoding="utf-8"
    )
    return p


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "routinekit", "batch", *args, "-q"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def memfs():
    import fsspec

    fs = fsspec.filesystem("memory")
    yield fs
    fs.store.clear()
    fs.pseudo_dirs.clear()
    fs.pseudo_dirs.append("")


def test_memory_url_gets_handouts_manifest_merge_and_zip(memfs) -> None:
    summary = run_batch(EXAMPLE, "back-spasm-acute", "memory://run1", jobs=0, merge=True, zip=True)
    assert summary.ok and summary.written == 8
    assert summary.manifest == "memory://run1/manifest.jsonl"
    names = sorted(p.removeprefix("/run1/") for p in memfs.find("/run1"))
    pdfs = [n for n in names if n.endswith(".pdf") and n != "batch-merged.pdf"]
    assert len(pdfs) == 8
    assert {"manifest.jsonl", "manifest.csv", "batch.zip", "batch-merged.pdf"} <= set(names)
    assert not [n for n in names if n.startswith(PARTS_FOLDER)]  # merged and removed
    lines = memfs.cat_file("/run1/manifest.jsonl").decode().splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["row"] for e in entries] == list(range(1, 9))
    for e in entries:
        data = memfs.cat_file(f"/run1/{e['output']}")
        assert e["status"] == "ok" and len(data) == e["bytes"] and data.startswith(b"%PDF-")
    with pymupdf.open("pdf", memfs.cat_file("/run1/batch-merged.pdf")) as merged:
        assert merged.page_count >= 8
    # a second run keeps what the manifest vouches for, without rebuilding
    again = run_batch(EXAMPLE, "back-spasm-acute", "memory://run1", jobs=0)
    assert (again.kept, again.written) == (8, 0)


def test_memory_url_refuses_worker_processes(memfs) -> None:
    with pytest.raises(UserError, match="memory:// lives in one process"):
        run_batch(EXAMPLE, "back-spasm-acute", "memory://run2", jobs=2)


def test_object_store_manifest_parts_survive_a_batch_that_never_compacted(memfs) -> None:
    """A coordinator killed before the end leaves part objects; the next run reads them."""
    store = open_storage("memory://run3")
    assert isinstance(store, FsspecStorage)
    from routinekit.batch.manifest import Entry

    journal = store.journal()
    journal.append(Entry(row=2, status="failed", error="row 2: x"))
    journal.append(Entry(row=1, status="ok", output="a.pdf", sha256="0" * 64, bytes=3))
    journal.close()  # one part object
    journal = open_storage("memory://run3").journal()
    journal.append(Entry(row=2, status="ok", output="b.pdf", sha256="1" * 64, bytes=4))
    journal.close()
    fresh = open_storage("memory://run3")
    latest = fresh.read_manifest()
    assert latest[2].status == "ok" and latest[1].output == "a.pdf"
    entries = fresh.compact_manifest(rows=2)
    assert [e.row for e in entries] == [1, 2]
    assert not [p for p in memfs.find("/run3") if PARTS_FOLDER in p]


def test_shard_layout_folders() -> None:
    assert shard_layout(None, 10_000) is None
    auto = shard_layout(None, 10_001)
    assert auto is not None and (auto.size, auto.place(1, "x.pdf")) == (1000, "000/x.pdf")
    assert auto.place(10_001, "y.pdf") == "010/y.pdf"
    assert shard_layout(0, 1_000_000) is None
    wide = ShardLayout(10, 100_000)
    assert (wide.folder(1), wide.folder(10), wide.folder(11), wide.folder(100_000)) == (
        "0000",
        "0000",
        "0001",
        "9999",
    )


def test_sharded_local_batch_resumes_merges_and_zips(tmp_path: Path) -> None:
    csv = patients(tmp_path, 7)
    out = tmp_path / "out"
    summary = run_batch(csv, "back-spasm-acute", out, jobs=0, shard=3, merge=True, zip=True)
    assert summary.ok and summary.written == 7
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == ["000", "001", "002"]
    assert [len(list((out / f).glob("*.pdf"))) for f in folders] == [3, 3, 1]
    entries = read_latest(out / MANIFEST_NAME)
    assert entries[4].output is not None and entries[4].output.startswith("001/")
    outputs = [str(e.output) for _, e in sorted(entries.items())]
    with zipfile.ZipFile(out / "batch.zip") as zf:
        assert zf.namelist() == [*outputs, MANIFEST_NAME]  # shard folders kept, row order
    pages = 0
    for name in outputs:
        with pymupdf.open(out / name) as doc:
            pages += doc.page_count
    with pymupdf.open(out / "batch-merged.pdf") as merged:
        assert merged.page_count == pages
    mtimes = {r: (out / str(e.output)).stat().st_mtime_ns for r, e in entries.items()}
    (out / str(entries[5].output)).unlink()
    again = run_batch(csv, "back-spasm-acute", out, jobs=0, shard=3, resume=True)
    assert (again.kept, again.written) == (6, 1)
    for r, e in read_latest(out / MANIFEST_NAME).items():
        if r != 5:
            assert (out / str(e.output)).stat().st_mtime_ns == mtimes[r]
    # another --shard: rows stay where the manifest says they are, nothing is rebuilt
    other = run_batch(csv, "back-spasm-acute", out, jobs=0, shard=0, resume=True)
    assert (other.kept, other.written) == (7, 0)


def test_a_planted_link_as_shard_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "000").symlink_to(outside)
    with pytest.raises(UserError, match="shard folder is not a plain folder"):
        run_batch(patients(tmp_path, 2), "back-spasm-acute", out, jobs=0, shard=5)
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    "name", ["", "..", "../x.pdf", "a/b/c.pdf", ".hidden/x.pdf", "/x.pdf", "a\\b.pdf", "a/"]
)
def test_unsafe_names_are_refused(name: str) -> None:
    with pytest.raises(UserError):
        check_name(name)


def test_storage_options_json_errors() -> None:
    assert parse_storage_options('{"anon": true}') == {"anon": True}
    for bad in ("{anon: true}", "[1]", '"x"'):
        with pytest.raises(UserError) as info:
            parse_storage_options(bad)
        assert "\n" not in info.value.one_line()


def test_open_storage_kinds_and_refusals(tmp_path: Path) -> None:
    assert isinstance(open_storage(tmp_path / "a"), LocalStorage)
    local = open_storage(f"file://{tmp_path / 'b'}")
    assert isinstance(local, LocalStorage) and local.local == (tmp_path / "b").resolve()
    for target, words in [
        ("", "no output folder"),
        ("s3:/bucket/run1", "looks like a URL with one slash"),
        ("http://example.invalid/x", "cannot write to 'http://'"),
        ("memory://", "names no bucket"),
    ]:
        with pytest.raises(UserError, match=words):
            open_storage(target)
    with pytest.raises(UserError, match="--storage-options are for URLs"):
        open_storage(tmp_path / "c", {"anon": True})


@pytest.mark.parametrize(("url", "extra"), [("gs://b/p", "gcs"), ("az://c/p", "azure")])
def test_a_missing_extra_is_named(url: str, extra: str) -> None:
    library = {"gcs": "gcsfs", "azure": "adlfs"}[extra]
    if importlib.util.find_spec(library) is not None:
        pytest.skip(f"{library} is installed")
    with pytest.raises(UserError) as info:
        open_storage(url)
    line = info.value.one_line()
    assert f"routinekit[{extra}]" in line and library in line and "\n" not in line


def test_cli_bad_storage_options_and_urls_are_one_line(tmp_path: Path) -> None:
    csv = patients(tmp_path, 1)
    for args, words in [
        (["-o", "memory://x", "--storage-options", "{nope"], "not valid JSON"),
        (["-o", "s3:/bucket/run1"], "one slash"),
        (["-o", "gopher://h/x"], "cannot write to 'gopher://'"),
        (["-o", "out", "--shard", "-1"], "--shard"),
    ]:
        r = cli(str(csv), "-r", "back-spasm-acute", *args, cwd=tmp_path)
        assert r.returncode != 0, args
        assert words in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.stderr
    # no s3: folder, nothing (but the user's cache of shipped files: conftest's XDG_CACHE_HOME)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["p.csv"]
