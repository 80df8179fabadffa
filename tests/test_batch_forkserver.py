"""The batch's fork server readies the renderer once, so no worker pays for it per handout."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from routinekit.batch import forkserver as pool_context


def _worker_state() -> tuple[bool, int, bool]:
    from routinekit.render.pdf.fonts import ensure_fonts

    return (
        "routinekit.render.pdf.document" in sys.modules,
        ensure_fonts.cache_info().currsize,
        "uharfbuzz" in sys.modules,
    )


def test_a_worker_starts_with_the_renderer_ready() -> None:
    context = pool_context.mp_context()
    if context.get_start_method() != "forkserver":
        pytest.fail("this platform has no fork server; the batch uses spawn here")
    from multiprocessing import forkserver

    forkserver.ensure_running()
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        imported, fonts, harfbuzz = pool.submit(_worker_state).result(timeout=60)
    assert imported  # the PDF renderer's modules came with the fork
    assert fonts == 1  # the DejaVu faces were parsed and registered before the fork
    assert not harfbuzz  # and reportlab was imported the way render_pdf imports it


def test_the_command_starts_the_pool_first_only_for_a_local_batch() -> None:
    """``routinekit batch`` starts its fork server before importing the command line; other
    commands, help, Dask and options before the command (which set the environment the
    server inherits) wait for the batch command to start it."""
    from routinekit._launch import _local_batch

    assert _local_batch(["batch", "p.csv", "--routine", "back-spasm-acute", "-o", "out"])
    assert not _local_batch(["build", "back-spasm-acute", "-o", "h.pdf"])
    assert not _local_batch([])
    assert not _local_batch(["batch", "--help"])
    assert not _local_batch(["batch", "p.csv", "-h"])
    assert not _local_batch(["batch", "p.csv", "--scheduler", "tcp://10.0.0.5:8786"])
    assert not _local_batch(["batch", "p.csv", "--scheduler=local"])
    assert not _local_batch(["--strict-plugins", "batch", "p.csv"])


def test_python_m_routinekit_runs_the_command(tmp_path: Path) -> None:
    listing = tmp_path / "p.csv"
    listing.write_text("name\nAnn Lindqvist\nBo Ek\n", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "routinekit",
            "batch",
            str(listing),
            "--routine",
            "back-spasm-acute",
            "-o",
            str(out),
            "-j",
            "2",
            "-f",
            "json",
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(list(out.glob("*.json"))) == 2
