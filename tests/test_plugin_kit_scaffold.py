"""``routinekit plugin new``: every kind, several in one package; it installs and passes its tests.

One package with every kind is generated, pip-installed into a sandbox folder once, and
run the way its author would: its own pytest suite, then routinekit's command line.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import fitz
import pytest

from routinekit.errors import UserError
from routinekit.plugins.sandbox import install_packages, plugin_env, run_cli
from routinekit.scaffold import KINDS, render_files, write_plugin

ALL = [arg for kind in KINDS for arg in ("--kind", kind)]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("scaffold")
    r = run_cli("plugin", "new", "clinic-kit", *ALL, "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert 'pip install -e ".[test]"' in r.stderr  # the "Next:" line
    pkg = out / "routinekit-clinic-kit"
    return pkg, install_packages(pkg)


def test_every_kind_is_a_module_with_tests_and_the_package_has_ci() -> None:
    files = render_files("clinic-kit", KINDS)
    for kind in KINDS:
        assert f"src/routinekit_clinic_kit/{kind}.py" in files
        assert f"tests/test_{kind}.py" in files
    assert "src/routinekit_clinic_kit/templates/clinic-kit.yaml" in files
    workflow = files[".github/workflows/test.yml"]
    assert 'pip install -e ".[test]"' in workflow and "pytest" in workflow
    assert 'test = ["routinekit[test]' in files["pyproject.toml"]
    po = files["src/routinekit_clinic_kit/locale/es/LC_MESSAGES/routinekit_clinic_kit.po"]
    assert 'msgstr "Primero los más fáciles"' in po
    init = files["src/routinekit_clinic_kit/__init__.py"]
    assert "from routinekit_clinic_kit.strategy import register_strategies" in init
    one = render_files("notes", "renderer")
    assert set(one) >= {"src/routinekit_notes/renderer.py", "tests/test_renderer.py"}
    assert "src/routinekit_notes/strategy.py" not in one


def test_generated_package_passes_its_own_tests(generated: tuple[Path, Path]) -> None:
    pkg, site = generated
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=pkg,
        env=plugin_env(site),
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    passed = int(re.search(r"(\d+) passed", r.stdout).group(1))  # type: ignore[union-attr]
    assert passed >= 20 and "failed" not in r.stdout


def test_a_spanish_handout_prints_the_plugins_words_and_reads_its_setting(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    """Done-when of issue 17: the setting comes from the routine file, the words from the
    plugin's own Spanish catalog."""
    _, site = generated
    routine = tmp_path / "knee.yaml"
    routine.write_text(
        "id: knee\ntitle: Knee Routine\n"
        "strategy: {id: clinic-kit, limit: 2}\n"
        "exercises: [cat-cow, childs-pose, knees-to-chest]\n",
        encoding="utf-8",
    )
    out = tmp_path / "rodilla.pdf"
    r = run_cli("build", str(routine), "--lang", "es", "-o", str(out), plugins=[site])
    assert r.returncode == 0, r.stderr
    text = "".join(page.get_text() for page in fitz.open(out))
    assert "Primero los más fáciles" in text  # the strategy's group title
    assert "Traiga esta hoja a su próxima visita." in text  # the adjust hook's advice
    data = tmp_path / "rodilla.json"
    spanish = ("build", str(routine), "--lang", "es")
    r = run_cli(*spanish, "-f", "json", "-o", str(data), plugins=[site])
    assert r.returncode == 0, r.stderr
    handout = json.loads(data.read_text(encoding="utf-8"))
    assert [len(g["items"]) for g in handout["groups"]] == [2]  # limit: 2
    assert handout["left_out"][0]["reason"] == "se dejó fuera para que la sesión sea corta"
    txt = tmp_path / "rodilla.txt"
    r = run_cli(
        "build", str(routine), "--lang", "es", "-f", "clinic-kit", "-o", str(txt), plugins=[site]
    )
    assert r.returncode == 0, r.stderr
    lines = txt.read_text(encoding="utf-8").splitlines()
    assert "Sus ejercicios de hoy" in lines
    assert sum(1 for line in lines if re.match(r"\d+\. ", line)) == 2


def test_a_bad_setting_in_the_routine_is_one_line_naming_the_field(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    _, site = generated
    routine = tmp_path / "bad.yaml"
    routine.write_text(
        "id: bad\ntitle: Bad\nstrategy: {id: clinic-kit, limit: 0}\nexercises: [cat-cow]\n",
        encoding="utf-8",
    )
    r = run_cli("build", str(routine), "-o", str(tmp_path / "x.pdf"), plugins=[site])
    assert r.returncode == 2
    assert r.stderr.startswith(f"Error: {routine}, line 3, field 'strategy.limit': expected")
    assert len(r.stderr.strip().splitlines()) == 1


def test_generated_plugins_are_listed_with_everything_they_provide(
    generated: tuple[Path, Path],
) -> None:
    _, site = generated
    r = run_cli("plugins", plugins=[site])
    assert r.returncode == 0, r.stderr
    for provided in (
        "source:clinic-kit",
        "strategy:clinic-kit",
        "renderer:clinic-kit",
        "template:clinic-kit",
        "prop:clinic-kit-step",
    ):
        assert provided in r.stdout
    copy = site.parent / f"{site.name}-routine.yaml"
    r = run_cli("new", "--template", "clinic-kit", "-o", str(copy), plugins=[site])
    assert r.returncode == 0, r.stderr
    assert "id: clinic-kit" in copy.read_text(encoding="utf-8")


def test_names_and_kinds_are_checked_and_nothing_is_overwritten(tmp_path: Path) -> None:
    assert "src/routinekit_x_ray/source.py" in render_files("routinekit-X_Ray", "source")
    with pytest.raises(UserError, match="not a usable plugin name"):
        render_files("9 lives!", "source")
    with pytest.raises(UserError, match="unknown plugin kind 'widget'"):
        render_files("ok", ["strategy", "widget"])
    write_plugin("dup", "renderer", tmp_path)
    with pytest.raises(UserError, match="already exists"):
        write_plugin("dup", ["renderer"], tmp_path)
