"""Real parts: moto's S3 server (a subprocess on 127.0.0.1), s3fs, and a Dask LocalCluster.

Dask workers write their handouts straight to the bucket and send back only manifest
entries: the coordinator never holds a handout's bytes (measured on every future's result).
Nothing here leaves this machine: every request goes to the moto server on a free local port.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import moto.server  # noqa: F401  (the dev extra; a missing one fails, never skips)
import pytest
import s3fs

from routinekit.batch import run_batch
from routinekit.batch.manifest import MANIFEST_NAME

ROWS = 300
BUCKET = "clinic-handouts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def moto_s3() -> Iterator[str]:
    """An S3 endpoint on 127.0.0.1 (moto in its own process), with fake credentials in env."""
    port = free_port()
    server_args = ["-H", "127.0.0.1", "-p", str(port)]
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", "from moto.server import main; main()", *server_args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("moto's server did not start")
            time.sleep(0.1)
    saved = {k: os.environ.get(k) for k in env if k.startswith("AWS_")}
    # no request may look for real credentials or instance metadata
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    try:
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        os.environ.pop("AWS_EC2_METADATA_DISABLED", None)


@pytest.fixture
def s3(moto_s3: str) -> Iterator[Any]:

    fs = s3fs.S3FileSystem(endpoint_url=moto_s3, key="testing", secret="testing")
    fs.mkdir(BUCKET)
    yield fs
    fs.rm(BUCKET, recursive=True)
    fs.invalidate_cache()


def patients(tmp_path: Path, n: int) -> Path:
    p = tmp_path / "p.csv"
    p.write_text(
        "name,date\n" + "".join(f"Patient {i},2026-01-05\n" for i in range(n)), encoding="utf-8"
    )
    return p


class Measured(Executor):
    """Delegates to another executor; records the pickled size of every result it hands back."""

    def __init__(self, inner: Executor) -> None:
        self.inner = inner
        self.sizes: list[int] = []
        self.rows = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = self.inner.submit(fn, *args, **kwargs)
        future.add_done_callback(self._measure)
        return future

    def _measure(self, future: Future[Any]) -> None:
        if future.exception() is None:
            result = future.result()
            self.sizes.append(len(pickle.dumps(result)))
            self.rows += len(result.results)


def objects(fs: Any, prefix: str) -> dict[str, int]:
    fs.invalidate_cache()
    found = fs.find(f"{BUCKET}/{prefix}", detail=True)
    return {p.removeprefix(f"{BUCKET}/{prefix}/"): int(i["size"]) for p, i in found.items()}


def test_300_rows_through_a_dask_local_cluster_to_moto_s3(
    s3: Any, moto_s3: str, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    csv = patients(tmp_path, ROWS)
    options = {"endpoint_url": moto_s3, "key": "testing", "secret": "testing"}
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        measured = Measured(client.get_executor(pure=False))
        summary = run_batch(
            csv,
            "back-spasm-acute",
            f"s3://{BUCKET}/run1",
            executor=measured,
            jobs=2,
            chunk_size=16,
            storage_options=options,
        )
        worker_pids = set(client.run(os.getpid).values())
    assert summary.ok and summary.written == ROWS, summary.failures[:3]
    assert summary.manifest == f"s3://{BUCKET}/run1/{MANIFEST_NAME}"
    assert os.getpid() not in worker_pids

    stored = objects(s3, "run1")
    pdfs = {k: v for k, v in stored.items() if k.endswith(".pdf")}
    assert len(pdfs) == ROWS
    assert "manifest.jsonl" in stored and "manifest.csv" in stored
    assert not [k for k in stored if k.startswith("manifest.parts/")]
    entries = [
        json.loads(line) for line in s3.cat_file(f"{BUCKET}/run1/{MANIFEST_NAME}").splitlines()
    ]
    assert [e["row"] for e in entries] == list(range(1, ROWS + 1))
    for e in entries:  # every object complete: the manifest's size, a whole PDF
        assert e["status"] == "ok" and pdfs[e["output"]] == e["bytes"]
    for e in entries[:: ROWS // 6]:
        data = s3.cat_file(f"{BUCKET}/run1/{e['output']}")
        assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]

    # no PDF bytes came back to the coordinator: only small manifest entries per row
    assert measured.rows == ROWS
    pdf_bytes = sum(pdfs.values())
    returned = sum(measured.sizes)
    assert min(pdfs.values()) > 10_000
    assert returned < ROWS * 1_500, returned  # a few hundred bytes per row
    assert returned < pdf_bytes / 50

    # the same batch again: every row is already done, nothing is rebuilt or rewritten
    again = run_batch(
        csv, "back-spasm-acute", f"s3://{BUCKET}/run1", jobs=0, storage_options=options
    )
    assert (again.kept, again.written) == (ROWS, 0)


def test_cli_writes_to_s3_with_fsspec_environment(s3: Any, moto_s3: str, tmp_path: Path) -> None:
    """`-o s3://bucket/run2` with FSSPEC_S3_ENDPOINT_URL: objects in the bucket, no 's3:' folder."""
    csv = patients(tmp_path, 3)
    env = {
        **os.environ,
        "FSSPEC_S3_ENDPOINT_URL": moto_s3,
        "FSSPEC_S3_KEY": "testing",
        "FSSPEC_S3_SECRET": "testing",
    }
    cmd = [sys.executable, "-m", "routinekit", "batch", str(csv), "-r", "back-spasm-acute"]
    r = subprocess.run(
        [*cmd, "-o", f"s3://{BUCKET}/run2", "-j", "1", "-q", "--zip"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert f"s3://{BUCKET}/run2/manifest.jsonl" in r.stderr
    assert {p.name for p in tmp_path.iterdir()} - {"cache"} == {"p.csv"}  # no "s3:" folder
    stored = objects(s3, "run2")
    assert len([k for k in stored if k.endswith(".pdf")]) == 3 and "batch.zip" in stored

    missing = subprocess.run(
        [*cmd, "-o", "s3://no-such-bucket/run", "-j", "1", "-q"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert missing.returncode != 0
    assert "cannot reach the storage" in missing.stderr and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1, missing.stderr


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_sigkill_during_a_batch_to_s3_then_resume(s3: Any, moto_s3: str, tmp_path: Path) -> None:
    """Killed (the whole process group) while writing to S3, then --resume: every object that
    was in the bucket is kept (its entry travels in its own metadata, even when its manifest
    line never got out), nothing committed is rebuilt, every row ends done."""
    import random

    rows = 80  # the kill comes within the first half: room to spare on a fast machine
    csv = patients(tmp_path, rows)
    env = {
        **os.environ,
        "FSSPEC_S3_ENDPOINT_URL": moto_s3,
        "FSSPEC_S3_KEY": "testing",
        "FSSPEC_S3_SECRET": "testing",
    }
    cmd = [sys.executable, "-m", "routinekit", "batch", str(csv), "-r", "back-spasm-acute"]
    cmd += ["-o", f"s3://{BUCKET}/killed", "-j", "2", "-q"]
    proc = subprocess.Popen(
        cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    goal = random.Random().randint(4, rows // 2)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        pdfs = [k for k in objects(s3, "killed") if k.endswith(".pdf")]
        if len(pdfs) >= goal:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the batch ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(0.5)

    before = {k: v for k, v in objects(s3, "killed").items() if k.endswith(".pdf")}
    stamps = {k: s3.info(f"{BUCKET}/killed/{k}")["LastModified"] for k in before}
    assert goal <= len(before) < rows

    resumed = subprocess.run(
        [*cmd, "--resume"], capture_output=True, text=True, env=env, timeout=180
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{rows - len(before)} written" in resumed.stderr, resumed.stderr
    assert f"({len(before)} already done)" in resumed.stderr, resumed.stderr

    after = objects(s3, "killed")
    entries = [
        json.loads(line) for line in s3.cat_file(f"{BUCKET}/killed/{MANIFEST_NAME}").splitlines()
    ]
    assert [e["row"] for e in entries] == list(range(1, rows + 1))
    for e in entries:
        assert e["status"] == "ok" and after[e["output"]] == e["bytes"]
        data = s3.cat_file(f"{BUCKET}/killed/{e['output']}")
        assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    for k, stamp in stamps.items():  # committed before the kill: not written again
        assert s3.info(f"{BUCKET}/killed/{k}")["LastModified"] == stamp, k
    assert not [k for k in after if k.startswith("manifest.parts/")]
