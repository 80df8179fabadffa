"""A plugin author's first steps, in a brand-new virtual environment (slow: one venv per run).

``pip install "routinekit[test]"`` must bring everything ``routinekit.testing`` needs, and
the sandbox installer must work there although a fresh venv has an old setuptools (65 on
Python 3.11, which rejects the ``license = "Apache-2.0"`` that ``routinekit plugin new``
writes). A scaffolded package must install with ``pip install -e ".[test]"`` and pass its
own tests.

No network: routinekit is built into a wheel from a copy of this checkout, and every
distribution it needs is packed into the same folder from this test environment (where
``tasks.py`` installed them), so the fresh venv installs with ``--no-index`` from that
folder alone. The package index on this machine lacks some of them (rl-accel), and a
test that reaches the internet would not say anything about routinekit.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
BIN = "Scripts" if os.name == "nt" else "bin"
PIP_WHEEL = (sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(roots: list[str]) -> dict[str, metadata.Distribution]:
    """The installed distributions that ``roots`` (requirement strings) need, transitively."""
    found: dict[str, metadata.Distribution] = {}
    todo = [Requirement(r) for r in roots]
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        dist = metadata.distribution(req.name)
        key = _norm(dist.metadata["Name"])
        extras = set(req.extras)
        if key in found and not extras:
            continue
        found[key] = dist
        for text in dist.requires or []:
            sub = Requirement(text)
            if sub.marker is None or sub.marker.evaluate({"extra": ""}):
                todo.append(sub)
            elif any(sub.marker.evaluate({"extra": e}) for e in extras):
                sub.marker = None
                todo.append(sub)
    return found


def _tags(dist: metadata.Distribution) -> str:
    text = dist.read_text("WHEEL") or ""
    tags = [t.strip() for t in re.findall(r"^Tag:\s*(\S+)", text, flags=re.M)]
    parts: list[list[str]] = [[], [], []]
    for tag in tags or ["py3-none-any"]:
        for i, piece in enumerate(tag.split("-")):
            if piece not in parts[i]:
                parts[i].append(piece)
    return "-".join(".".join(p) for p in parts)


def repack(dist: metadata.Distribution, out: Path) -> Path:
    """A wheel of an installed distribution, made from the files its RECORD lists."""
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    wheel = out / f"{name}-{dist.version}-{_tags(dist)}.whl"
    base = Path(str(dist.locate_file("")))
    record: list[str] = []
    dist_info = None
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in dist.files or []:
            rel = f.as_posix()
            if rel.startswith("..") or "__pycache__" in rel or rel.endswith(".pyc"):
                continue
            top = rel.split("/")[0]
            if top.endswith(".dist-info"):
                dist_info = top
                if rel.split("/")[-1] in ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json"):
                    continue
            data = (base / rel).read_bytes()
            zf.writestr(rel, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{rel},sha256={digest.decode()},{len(data)}")
        assert dist_info is not None, f"{name} has no dist-info in its RECORD"
        record.append(f"{dist_info}/RECORD,,")
        zf.writestr(f"{dist_info}/RECORD", "\n".join(record) + "\n")
    return wheel


def _source_copy(dest: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file() and not src.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """routinekit's wheel, and wheels of everything routinekit[test] and a build need."""
    out = tmp_path_factory.mktemp("wheelhouse")
    source = _source_copy(tmp_path_factory.mktemp("source"))
    subprocess.run(
        [*PIP_WHEEL, "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    own = metadata.distribution("routinekit")
    needed = [r for r in own.requires or [] if "extra ==" not in r or '"test"' in r]
    wanted = [re.sub(r";.*", "", r) for r in needed] + ["setuptools>=77", "wheel"]
    for dist in _closure(wanted).values():
        repack(dist, out)
    return out


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> dict[str, str]:
    """A new venv with ``pip install "routinekit[test]"``; returns the environment to run it."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(home / "env")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "ROUTINEKIT_", "PYTHON"))
    }
    env.update(
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PATH=f"{home / 'env' / BIN}{os.pathsep}{env.get('PATH', '')}",
        XDG_CACHE_HOME=str(home / "cache"),
        HOME=str(home),
    )
    env["RK_PYTHON"] = str(home / "env" / BIN / "python")
    r = subprocess.run(
        [env["RK_PYTHON"], "-m", "pip", "install", "-q", "routinekit[test]"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    return env


def run(env: dict[str, str], *args: str, cwd: Path | None = None) -> str:
    r = subprocess.run(
        [env["RK_PYTHON"], *args], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, f"{args}:\n{r.stdout}\n{r.stderr}"
    return r.stdout


def test_routinekit_test_extra_brings_what_the_testing_module_needs(fresh: dict[str, str]) -> None:
    out = run(
        fresh,
        "-c",
        "import routinekit.testing as t, setuptools, pytest; "
        "print(setuptools.__version__, t.check_renderer.__name__, pytest.__version__)",
    )
    setuptools_version, check, _ = out.split()
    assert check == "check_renderer"
    # the venv keeps its own old setuptools: the sandbox must cope with it
    assert int(setuptools_version.split(".")[0]) < 77


def test_sandbox_installs_a_scaffolded_package_in_a_fresh_venv(
    fresh: dict[str, str], tmp_path: Path
) -> None:
    new = ("plugin", "new", "fresh-notes", "--kind", "renderer", "-o", str(tmp_path))
    run(fresh, "-m", "routinekit", *new)
    pkg = tmp_path / "routinekit-fresh-notes"
    assert 'license = "Apache-2.0"' in (pkg / "pyproject.toml").read_text(encoding="utf-8")
    script = (
        "import sys\n"
        "from routinekit.plugins.sandbox import install_packages, run_cli\n"
        "site = install_packages(sys.argv[1])\n"
        "r = run_cli('plugins', plugins=[site])\n"
        "print(r.stdout)\n"
        "sys.exit(r.returncode)\n"
    )
    out = run(fresh, "-c", script, str(pkg))
    assert "routinekit-fresh-notes 0.1.0" in out and "renderer:fresh-notes" in out


def test_a_scaffolded_package_with_every_kind_passes_its_tests_in_a_fresh_venv(
    fresh: dict[str, str], tmp_path: Path
) -> None:
    from routinekit.scaffold import KINDS

    kinds = [arg for kind in KINDS for arg in ("--kind", kind)]
    run(fresh, "-m", "routinekit", "plugin", "new", "fresh-kit", *kinds, "-o", str(tmp_path))
    pkg = tmp_path / "routinekit-fresh-kit"
    run(fresh, "-m", "pip", "install", "-q", "-e", ".[test]", cwd=pkg)  # as its README says
    out = run(fresh, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=pkg)
    assert " passed" in out and "failed" not in out
    listing = run(fresh, "-m", "routinekit", "--strict-plugins", "plugins", "--verbose")
    assert "routinekit-fresh-kit 0.1.0" in listing and "strategy:fresh-kit" in listing
