#!/usr/bin/env python3
"""Set up and run routinekit's everyday jobs with nothing but Python 3.11+.

    python3 tasks.py demo    # install into .venv and build the example handout (handout.pdf)
    python3 tasks.py test    # install test tools, then lint, type-check and run every test
    python3 tasks.py bench   # run the benchmark suite (slow; prints a table)

Each job creates ``.venv`` on first use and installs what it needs into it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: str | Path, check: bool = True, **kw: object) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=check, **kw).returncode  # type: ignore[call-overload]


def ensure_venv() -> None:
    if not PY.exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
        run(PY, "-m", "pip", "install", "-q", "--upgrade", "pip")


def pip(*args: str) -> None:
    run(PY, "-m", "pip", "install", "-q", "--disable-pip-version-check", *args)


def plugin_packages() -> list[Path]:
    return sorted(p for p in (ROOT / "plugins").glob("*") if (p / "pyproject.toml").exists())


def demo() -> None:
    ensure_venv()
    pip(".")
    out = ROOT / "handout.pdf"
    run(
        BIN / "routinekit",
        "build",
        "back-spasm-acute",
        "--clinic",
        "examples/clinic.yaml",
        "--patient",
        "examples/patient.yaml",
        "-o",
        out,
    )
    print(f"\nDone: open {out}")


CHROMIUM = Path("/usr/bin/chromium")


def ensure_chromium() -> None:
    """The browser tests of `routinekit serve` drive Debian's chromium (apt-get when missing)."""
    if sys.platform != "linux" or CHROMIUM.exists() or os.environ.get("ROUTINEKIT_CHROMIUM"):
        return
    if not shutil.which("apt-get"):
        print("Note: no /usr/bin/chromium and no apt-get: the browser tests will fail", flush=True)
        return
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(*sudo, "apt-get", "update", "-q", env=env)
    run(*sudo, "apt-get", "install", "-y", "-q", "chromium", env=env)


def test() -> None:
    ensure_venv()
    ensure_chromium()
    pip("-e", ".[test,dev,dask,s3]")
    for pkg in plugin_packages():
        pip("-e", str(pkg))
    folders = ("src", "tests", "plugins", "benchmarks", "examples", "tools", "tasks.py")
    run(BIN / "ruff", "check", *folders)
    run(BIN / "ruff", "format", "--check", *folders)
    run(BIN / "mypy")
    paths = ["tests", *(str(p / "tests") for p in plugin_packages() if (p / "tests").exists())]
    code = run(
        PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *paths, *sys.argv[2:], check=False
    )
    sys.exit(code)


def bench() -> None:
    ensure_venv()
    pip("-e", ".[test,dev,bench]")
    run(PY, "benchmarks/run.py", *sys.argv[2:])


JOBS = {"demo": demo, "test": test, "bench": bench}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in JOBS:
        sys.exit(__doc__)
    try:
        JOBS[sys.argv[1]]()
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode or 1)
