"""docs/plugins.md is true: the tutorial works as written and every hook example runs."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import types
from pathlib import Path

import pytest

from routinekit.library import library_for
from routinekit.plugins.sandbox import install_packages, plugin_env, run_cli
from routinekit.testing import (
    build_bytes,
    check_renderer,
    check_source,
    check_strategy,
    make_host,
    sample_handout,
    sample_routine,
)

DOC = (Path(__file__).resolve().parent.parent / "docs" / "plugins.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.M | re.S)


def blocks() -> list[tuple[str, str, str]]:
    return [(m.group(1), m.group(2).strip(), m.group(3)) for m in BLOCK.finditer(DOC)]


def tutorial() -> str:
    start = DOC.index("## Tutorial")
    return DOC[start : DOC.index("\n## ", start + 1)]


@pytest.fixture(scope="module")
def tutorial_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Write every file the docs show with a title, install the package as the tutorial says."""
    work = tmp_path_factory.mktemp("tutorial")
    for _lang, info, body in blocks():
        title = re.fullmatch(r'title="([^"]+)"', info)
        if title:
            path = work / title.group(1)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
    installs = re.findall(r"^pip install (\S+)$", tutorial(), flags=re.M)
    assert installs == ["./routinekit-checklist"]
    return work, install_packages(work / installs[0])


def test_tutorial_plugin_is_listed_and_used_by_build(tutorial_package: tuple[Path, Path]) -> None:
    work, site = tutorial_package
    commands = [
        line
        for lang, _info, body in blocks_in(tutorial())
        if lang == "console"
        for line in body.splitlines()
        if line.startswith("routinekit ")
    ]
    assert [c.split()[1] for c in commands] == ["plugins", "build"]
    listing = run_cli(*shlex.split(commands[0])[1:], plugins=[site], cwd=work)
    assert listing.returncode == 0, listing.stderr
    shown = re.search(r"^```text\n(.*?)^```$", tutorial(), flags=re.M | re.S)
    assert shown is not None
    for line in shown.group(1).splitlines():  # the output the tutorial shows, word for word
        assert " ".join(line.split()) in {" ".join(x.split()) for x in listing.stdout.splitlines()}
    built = run_cli(*shlex.split(commands[1])[1:], plugins=[site], cwd=work)
    assert built.returncode == 0, built.stderr
    lines = (work / "fridge.txt").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("About ") and lines[3].startswith("[ ] ")


def test_the_testing_example_passes_against_the_tutorial_plugin(
    tutorial_package: tuple[Path, Path],
) -> None:
    work, site = tutorial_package
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=work / "routinekit-checklist",
        env=plugin_env(site),
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 passed" in r.stdout


def blocks_in(text: str) -> list[tuple[str, str, str]]:
    return [(m.group(1), m.group(2).strip(), m.group(3)) for m in BLOCK.finditer(text)]


def example(hook: str, tmp_path: Path) -> types.ModuleType:
    """The docs' runnable example for ``hook``, loaded as a module."""
    (code,) = [body for lang, info, body in blocks() if lang == "python" and info == f"hook={hook}"]
    module = types.ModuleType(f"docs_example_{hook}")
    module.__file__ = str(tmp_path / "example.py")
    exec(compile(code, module.__file__, "exec"), module.__dict__)
    return module


@pytest.mark.hook("register_sources")
def test_register_sources_example(tmp_path: Path) -> None:
    module = example("register_sources", tmp_path)
    host = make_host(module)
    assert library_for(host).owner("chin-tuck") == module.__name__
    check_source(module.ChinTucks())
    data = build_bytes(host=host, routine=sample_routine(["chin-tuck", "walking"]))
    assert b'"id": "chin-tuck"' in data


@pytest.mark.hook("register_strategies")
def test_register_strategies_example(tmp_path: Path) -> None:
    module = example("register_strategies", tmp_path)
    host = make_host(module)
    check_strategy(host.strategy("shortest-first"))
    handout = sample_handout(host, strategy="shortest-first")
    seconds = [i.dose.seconds() for i in handout.items]
    assert seconds == sorted(seconds)


@pytest.mark.hook("register_renderers")
def test_register_renderers_example(tmp_path: Path) -> None:
    module = example("register_renderers", tmp_path)
    check_renderer(module.ExerciseIds())
    data = build_bytes(module, format="ids")
    assert data.decode().split() == [
        "childs-pose",
        "knees-to-chest",
        "cat-cow",
        "supine-spinal-rotation",
        "walking",
    ]


@pytest.mark.hook("register_templates")
def test_register_templates_example(tmp_path: Path) -> None:
    module = example("register_templates", tmp_path)
    host = make_host(module)
    template = host.template("neck-stiffness")
    assert template.path == tmp_path / "templates" / "neck-stiffness.yaml"
    assert host.templates()["neck-stiffness"].plugin == module.__name__


@pytest.mark.hook("adjust_handout")
def test_adjust_handout_example(tmp_path: Path) -> None:
    module = example("adjust_handout", tmp_path)
    handout = sample_handout(make_host(module))
    assert handout.self_care[-1] == module.ADVICE
    assert module.adjust_handout(handout) is None  # already there: leave it


@pytest.mark.hook("register_props")
def test_register_props_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from routinekit.illustrations import props

    module = example("register_props", tmp_path)
    step = props.props(make_host(module))["step"]  # the host is passed, never patched in
    shapes = step.shapes(props.PropPlace(x=0.0, top=18.0))
    assert shapes and max(y for _x, y in shapes[0].points) == 18.0


def walkthrough() -> str:
    start = DOC.index("## Translating your plugin")
    return DOC[start : DOC.index("\n## ", start + 1)]


def test_the_spanish_walkthrough_works_as_written(
    tutorial_package: tuple[Path, Path], tmp_path: Path
) -> None:
    """The translation guide's plugin, installed as it says, prints its Spanish words and
    reads its setting from the routine file."""
    import json

    work, _site = tutorial_package
    text = walkthrough()
    (install,) = re.findall(r"^pip install (\S+)$", text, flags=re.M)
    site = install_packages(work / install)
    (command,) = [line for line in text.splitlines() if line.startswith("routinekit build ")]
    built = run_cli(*shlex.split(command)[1:], plugins=[site], cwd=work)
    assert built.returncode == 0, built.stderr
    handout = json.loads((work / "rodilla.json").read_text(encoding="utf-8"))
    assert handout["title"] == "Rutina suave para la rodilla"
    (group,) = handout["groups"]
    assert group["title"] == "Primero lo que cuida la rodilla"
    assert {i["reason"] for i in group["items"]} == {"suave para la rodilla"}
    assert [(x["exercise_id"], x["reason"]) for x in handout["left_out"]] == [
        ("walking", "se dejó fuera: esta rutina evita estar de pie")
    ]
    english = run_cli(*shlex.split(command.replace(" --lang es", ""))[1:], plugins=[site], cwd=work)
    assert english.returncode == 0, english.stderr
    assert json.loads((work / "rodilla.json").read_text())["groups"][0]["title"] == (
        "Knee-friendly first"
    )


@pytest.mark.hook("register_commands")
def test_register_commands_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from routinekit.cli import cli
    from routinekit.plugins import host as host_module

    module = example("register_commands", tmp_path)
    host = make_host(module)
    monkeypatch.setattr(host_module, "_HOST", host)
    result = CliRunner().invoke(cli, ["count-exercises"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(len(library_for(host)))
    assert "count-exercises" in CliRunner().invoke(cli, ["--help"]).output


@pytest.mark.hook("register_fonts")
def test_register_fonts_example(tmp_path: Path) -> None:
    from routinekit.render.pdf import fallback
    from routinekit.render.pdf.fonts import FONT_DIR

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    # any TrueType file stands in for the example's face
    (fonts / "MyGeorgian-Regular.ttf").write_bytes(
        (FONT_DIR / "NotoSansThai-Regular.ttf").read_bytes()
    )
    module = example("register_fonts", tmp_path)
    host = make_host(module)
    faces = fallback.plugin_faces(host)
    assert [f.id for f in faces] == ["my-georgian"]
    assert "font:my-georgian" in host.infos[module.__name__].provides
