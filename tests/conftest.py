"""Shared test fixtures. Add yours at the end with a short comment."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from routinekit.plugins import host as host_module
from routinekit.plugins.host import PluginHost

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
EXAMPLES = ROOT / "examples"


def pytest_configure(config: pytest.Config) -> None:
    """The tests run this checkout's code, never a copy installed over it (``tasks.py demo``
    installs routinekit as a user gets it: pytest run by hand afterwards would test that)."""
    import routinekit

    where = Path(routinekit.__file__).resolve().parent
    if where != ROOT / "src" / "routinekit":
        raise pytest.UsageError(
            f"routinekit is imported from {where}, not from this checkout's src/: "
            "run `python3 tasks.py test` (it installs the checkout in editable mode)"
        )


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _fresh_host(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test gets a new process-wide plugin host and no user clinic profile."""
    host_module.reset_host()
    monkeypatch.delenv("ROUTINEKIT_CLINIC", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    # the on-disk cache (pictures, fonts) goes to the test's own folder, never the real home
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for var in (
        "ROUTINEKIT_NO_CACHE",
        "ROUTINEKIT_PLUGINS",
        "ROUTINEKIT_BLOCK_PLUGINS",
        "ROUTINEKIT_STRICT_PLUGINS",
        "ROUTINEKIT_DEBUG",
        "ROUTINEKIT_TRACE_PLUGINS",
    ):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def host() -> PluginHost:
    """A plugin host with the built-ins only (no third-party entry points)."""
    return PluginHost(entry_points=False)


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Run the ``routinekit`` command line in-process, like a user would."""
    from routinekit.cli import main

    def run(*args: str | Path) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = 0
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        return Result(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def acute_template() -> Path:
    return TEMPLATES / "back-spasm-acute.yaml"


@pytest.fixture
def prevention_template() -> Path:
    return TEMPLATES / "back-spasm-prevention.yaml"


@pytest.fixture
def example_clinic() -> Path:
    return EXAMPLES / "clinic.yaml"


def python_exe() -> str:
    return sys.executable
