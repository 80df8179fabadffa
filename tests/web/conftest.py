"""Fixtures for the tests of ``routinekit serve``: a real server process and a real browser.

The browser is Debian's chromium (``/usr/bin/chromium``; `python3 tasks.py test` installs it
with apt-get when it is missing), driven by Playwright for Python. Playwright's own browser
download is not used.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from webtools import CHROMIUM, CHROMIUM_ARGS, Served, start_server


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    s = start_server(tmp_path_factory.mktemp("serve"))
    yield s
    s.process.terminate()
    try:
        s.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        s.process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, served: Served, tmp_path: Path) -> Iterator[Any]:
    """A fresh browser context (no cookie yet) that opened the printed address."""
    context = browser.new_context(
        viewport={"width": 1500, "height": 1000}, accept_downloads=True, locale="en-US"
    )
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.goto(served.url)
    yield pg
    context.close()
