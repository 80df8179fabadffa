"""The batch's fork server readies the renderer once, so no worker pays for it per handout."""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor

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
