"""Helpers for the tests of ``routinekit serve``: a real server process, chromium's flags.

The browser is Debian's chromium (``/usr/bin/chromium``; `python3 tasks.py test` installs it
with apt-get when it is missing), driven by Playwright for Python. Playwright's own browser
download is not used.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("ROUTINEKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
SHOTS = Path(__file__).resolve().parent / "screenshots"


@dataclass
class Served:
    """A running ``routinekit serve``: its address, token and the folders it uses."""

    base: str
    token: str
    host: str
    port: int
    config: Path
    library: Path
    process: subprocess.Popen[str]

    @property
    def url(self) -> str:
        return f"{self.base}/?token={self.token}"


def start_server(root: Path) -> Served:
    config = root / "config"
    library = config / "routinekit" / "exercises"
    config.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(config),
        "XDG_CACHE_HOME": str(root / "cache"),
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("ROUTINEKIT_CLINIC", "ROUTINEKIT_LIBRARY", "ROUTINEKIT_PLUGINS"):
        env.pop(name, None)
    log = (root / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "routinekit", "serve", "--no-browser"],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=root,
    )
    deadline = time.monotonic() + 60
    text = ""
    while time.monotonic() < deadline:
        text = (root / "server.log").read_text()
        m = re.search(r"http://(127\.0\.0\.1):(\d+)/\?token=([\w-]+)", text)
        if m:
            served = Served(
                base=f"http://{m.group(1)}:{m.group(2)}",
                token=m.group(3),
                host=m.group(1),
                port=int(m.group(2)),
                config=config,
                library=library,
                process=process,
            )
            _wait_up(served)
            return served
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"routinekit serve did not start:\n{text}")


def _wait_up(served: Served) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(served.base + "/", timeout=2)  # 403 without the token
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("routinekit serve does not answer")


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot to tests/web/screenshots/ (for people to look at)."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
