"""``routinekit plugin new``: the generated package installs, registers and passes its tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from routinekit.errors import UserError
from routinekit.plugins.sandbox import install_packages, plugin_env, run_cli
from routinekit.scaffold import KINDS, render_files, write_plugin


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("scaffold")
    for kind in KINDS:
        r = run_cli("plugin", "new", f"clinic-{kind}", "--kind", kind, "-o", str(out))
        assert r.returncode == 0, r.stderr
    return out, install_packages(*sorted(out.iterdir()))


@pytest.mark.parametrize("kind", KINDS)
def test_generated_package_passes_its_own_tests(generated: tuple[Path, Path], kind: str) -> None:
    out, site = generated
    pkg = out / f"routinekit-clinic-{kind}"
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=pkg,
        env=plugin_env(site),
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "3 passed" in r.stdout


def test_generated_plugins_are_listed_and_usable(generated: tuple[Path, Path]) -> None:
    _, site = generated
    r = run_cli("plugins", plugins=[site])
    for provided in (
        "source:clinic-source",
        "strategy:clinic-strategy",
        "renderer:clinic-renderer",
    ):
        assert provided in r.stdout
    out = Path(generated[0] / "handout.txt")
    r = run_cli(
        "build",
        "back-spasm-prevention",
        "--strategy",
        "clinic-strategy",
        "--format",
        "clinic-renderer",
        "-o",
        str(out),
        plugins=[site],
    )
    assert r.returncode == 0, r.stderr
    assert out.read_text().splitlines()[0].strip()


def test_names_are_checked_and_nothing_is_overwritten(tmp_path: Path) -> None:
    assert "src/routinekit_x_ray/__init__.py" in render_files("routinekit-X_Ray", "source")
    with pytest.raises(UserError, match="not a usable plugin name"):
        render_files("9 lives!", "source")
    write_plugin("dup", "renderer", tmp_path)
    with pytest.raises(UserError, match="already exists"):
        write_plugin("dup", "renderer", tmp_path)
