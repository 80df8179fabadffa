"""Install plugin packages into a throwaway folder and run routinekit with them.

This is how a test checks a plugin the way users get it: pip installs the
package (its entry point included) into a folder that is put on ``PYTHONPATH``
of a ``routinekit`` subprocess. Nothing is installed into the running
environment, so one test's plugins never leak into another's.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

_CACHE: dict[str, Path] = {}


class InstallError(RuntimeError):
    """pip could not install a plugin package; the message carries pip's output."""


def _key(packages: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for pkg in packages:
        h.update(str(pkg).encode())
        for f in sorted(pkg.rglob("*")):
            if f.is_file() and "build" not in f.parts and ".egg-info" not in str(f):
                h.update(f.relative_to(pkg).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def can_build_here(package: str | Path) -> bool:
    """True when this environment already has everything the package's ``[build-system]``
    requires (e.g. ``setuptools>=77``), so pip can build it offline without isolation.

    A fresh virtual environment usually has an older setuptools (65 on Python 3.11), or
    none; then the package is built in pip's usual isolated build environment instead.
    """
    pyproject = Path(package) / "pyproject.toml"
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    requires = data.get("build-system", {}).get("requires", ["setuptools>=40.8.0", "wheel"])
    try:
        from packaging.requirements import InvalidRequirement, Requirement
    except ImportError:  # pragma: no cover - packaging comes with pytest and most tools
        return False
    for text in requires:
        try:
            req = Requirement(text)
        except InvalidRequirement:
            return False
        if req.marker is not None and not req.marker.evaluate():
            continue
        try:
            version = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            return False
        if not req.specifier.contains(version, prereleases=True):
            return False
    return True


def install_packages(
    *packages: str | Path, target: str | Path | None = None, cache: bool = True
) -> Path:
    """pip-install plugin package folders into ``target`` (default: a temporary folder).

    Dependencies are not installed (routinekit is already here). When this
    environment has what the packages' ``[build-system]`` asks for, they are built
    with it (``--no-build-isolation --no-index``: offline and fast); otherwise pip
    builds them in its usual isolated environment, fetching the build backend from
    the package index pip is configured with (see :func:`can_build_here`). With
    ``cache``, the same packages with the same files are installed once per process.
    Returns the folder to put on ``PYTHONPATH``.
    """
    paths = [Path(p).resolve() for p in packages]
    key = _key(paths)
    if cache and target is None and key in _CACHE and _CACHE[key].is_dir():
        return _CACHE[key]
    out = Path(target) if target is not None else Path(tempfile.mkdtemp(prefix="rk-plugins-"))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rk-build-") as scratch:
        copies = []
        for p in paths:  # build from copies so no build/ or *.egg-info lands in the source tree
            copy = Path(scratch) / p.name
            shutil.copytree(
                p, copy, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
            )
            copies.append(str(copy))
        offline = all(can_build_here(p) for p in paths)
        build = ["--no-build-isolation", "--no-index"] if offline else []
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                *build,
                "--disable-pip-version-check",
                "--target",
                str(out),
                *copies,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        raise InstallError(f"pip install failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    if cache and target is None:
        _CACHE[key] = out
    return out


def plugin_env(
    *paths: str | Path,
    base: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """An environment for a subprocess that sees the plugins installed in ``paths``.

    Plugin control variables of the calling environment (allow-list, block-list,
    strict, trace) are dropped so that the child starts from the defaults;
    set them again through ``extra``.
    """
    env = {
        k: v
        for k, v in (base if base is not None else os.environ).items()
        if not k.startswith("ROUTINEKIT_")
    }
    env["PYTHONPATH"] = os.pathsep.join(
        [*(str(p) for p in paths), *filter(None, [env.get("PYTHONPATH")])]
    )
    env.update(extra or {})
    return env


def run_cli(
    *args: str,
    plugins: Iterable[str | Path] = (),
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``routinekit ARGS`` in a subprocess that sees the plugin folders ``plugins``."""
    return subprocess.run(
        [sys.executable, "-m", "routinekit", *args],
        env=plugin_env(*plugins, extra=env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
