"""Plugins installed with pip (entry points), run through the real CLI in a subprocess.

The packages in tests/plugins/ are pip-installed into a temporary folder once per
session and put on PYTHONPATH of the child process only, so they never leak into
other tests or the shared environment.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from routinekit.plugins.sandbox import install_packages, run_cli

HERE = Path(__file__).parent / "plugins"
GOOD = (HERE / "routinekit-testplugin",)
BROKEN = (
    HERE / "routinekit-brokenimport",
    HERE / "routinekit-brokenhook",
    HERE / "routinekit-futureapi",
)
ROUTINE = "id: kit\ntitle: Kit Routine\nexercises: [childs-pose, tp-wall-push, tp-heel-raise]\n"


@pytest.fixture(scope="module")
def good() -> Path:
    return install_packages(*GOOD)


@pytest.fixture(scope="module")
def broken() -> Path:
    return install_packages(*GOOD, *BROKEN)


def plugins_json(*paths: Path, **env: str) -> dict[str, dict]:
    r = run_cli("plugins", "--json", plugins=paths, env=env)
    assert r.returncode == 0, r.stderr
    return {p["name"]: p for p in json.loads(r.stdout)}


@pytest.mark.hook("register_sources", "register_strategies", "register_renderers")
def test_build_uses_source_strategy_and_renderer_of_an_installed_plugin(
    good: Path, tmp_path: Path
) -> None:
    routine = tmp_path / "kit.yaml"
    routine.write_text(ROUTINE, encoding="utf-8")
    out = tmp_path / "out.txt"
    r = run_cli(
        "build",
        str(routine),
        "--strategy",
        "reverse",
        "--format",
        "tp-lines",
        "-o",
        str(out),
        "--date",
        "2026-01-01",
        plugins=[good],
    )
    assert r.returncode == 0, r.stderr
    assert out.read_text().splitlines() == [
        "TESTPLUGIN Kit Routine [reverse]",  # the renderer
        "1. tp-heel-raise: Do 10 times",  # the source's exercises, the strategy's order
        "2. tp-wall-push: Do 5-10 times",
        "3. childs-pose: Hold 30-60 seconds, 2-3 times a day",
    ]


def test_plugins_lists_version_distribution_and_what_it_provides(good: Path) -> None:
    info = plugins_json(good)["testplugin"]
    assert info["distribution"] == "routinekit-testplugin" and info["version"] == "1.2.3"
    assert info["provides"] == [
        "source:testplugin",
        "strategy:reverse",
        "renderer:tp-lines",
        "command:tp-hello",
    ]
    assert info["loaded"] and not info["errors"]
    text = run_cli("plugins", plugins=[good]).stdout
    assert "routinekit-testplugin 1.2.3" in text and "renderer:tp-lines" in text


@pytest.mark.hook("register_commands")
def test_an_installed_plugin_adds_a_command(good: Path) -> None:
    r = run_cli("tp-hello", "there", plugins=[good])
    assert r.returncode == 0, r.stderr
    assert r.stdout == "hello there from testplugin\n"
    assert "tp-hello" in run_cli("--help", plugins=[good]).stdout
    verbose = plugins_json(good)
    assert "command:tp-hello" in verbose["testplugin"]["provides"]


def test_plugins_verbose_shows_hooks_exercises_poses_and_load_time(good: Path) -> None:
    r = run_cli("plugins", "--verbose", "--json", plugins=[good])
    assert r.returncode == 0, r.stderr
    info = {p["name"]: p for p in json.loads(r.stdout)}["testplugin"]
    assert info["hooks"] == [
        "register_commands",
        "register_renderers",
        "register_sources",
        "register_strategies",
    ]
    assert info["exercises"] == ["tp-wall-push", "tp-heel-raise"] and info["poses"] == []
    assert isinstance(info["load_ms"], float) and info["load_ms"] >= 0
    builtin = {p["name"]: p for p in json.loads(r.stdout)}["library_source"]
    assert "childs-pose" in builtin["poses"]  # built-in exercises are drawn
    text = run_cli("plugins", "-v", plugins=[good]).stdout
    assert "hooks register_commands, register_renderers" in text
    assert "exercises tp-wall-push, tp-heel-raise" in text and " ms" in text


def test_broken_plugins_are_named_and_everything_else_works(broken: Path) -> None:
    r = run_cli("exercises", plugins=[broken])
    assert r.returncode == 0, r.stderr
    assert "childs-pose" in r.stdout and "tp-wall-push" in r.stdout
    assert "brokenimport" in r.stderr and "routinekit-brokenimport" in r.stderr
    infos = plugins_json(broken)
    assert not infos["brokenimport"]["loaded"]
    assert "failed to import: ModuleNotFoundError" in infos["brokenimport"]["errors"][0]
    assert infos["brokenhook"]["errors"] == [
        "raised in register_sources: RuntimeError: brokenhook cannot reach its exercise server",
        "raised in register_renderers: RuntimeError: brokenhook renderer is broken",
    ]
    assert "needs plugin API [99]" in infos["futureapi"]["errors"][0]
    assert not infos["futureapi"]["loaded"]
    assert infos["testplugin"]["loaded"] and not infos["testplugin"]["errors"]
    listing = run_cli("plugins", plugins=[broken]).stdout
    for name in ("brokenimport", "brokenhook", "futureapi"):
        assert name in listing


def test_strict_mode_turns_a_load_failure_into_an_error(broken: Path) -> None:
    for r in (
        run_cli("exercises", plugins=[broken], env={"ROUTINEKIT_STRICT_PLUGINS": "1"}),
        run_cli("--strict-plugins", "exercises", plugins=[broken]),
    ):
        assert r.returncode == 3
        assert "plugin 'brokenhook' (from routinekit-brokenhook)" in r.stderr or (
            "plugin 'brokenimport' (from routinekit-brokenimport)" in r.stderr
        )
        assert "Traceback" not in r.stderr


def test_allow_and_block_lists(broken: Path) -> None:
    only = plugins_json(broken, ROUTINEKIT_PLUGINS="testplugin")
    assert only["brokenimport"]["disabled"] == "not in the allow-list (ROUTINEKIT_PLUGINS)"
    assert only["brokenimport"]["errors"] == [] and only["testplugin"]["loaded"]
    r = run_cli("exercises", plugins=[broken], env={"ROUTINEKIT_PLUGINS": "testplugin"})
    assert r.returncode == 0 and "Warning" not in r.stderr
    blocked = plugins_json(broken, ROUTINEKIT_BLOCK_PLUGINS="testplugin,brokenhook")
    assert blocked["testplugin"]["disabled"].startswith("blocked")
    assert not blocked["testplugin"]["provides"]


def test_trace_shows_every_hook_call(good: Path, tmp_path: Path) -> None:
    routine = tmp_path / "kit.yaml"
    routine.write_text(ROUTINE, encoding="utf-8")
    r = run_cli(
        "--trace-plugins",
        "build",
        str(routine),
        "-f",
        "json",
        "-o",
        str(tmp_path / "o.json"),
        plugins=[good],
    )
    assert r.returncode == 0, r.stderr
    for hook in ("register_sources", "register_strategies", "register_renderers"):
        assert f"routinekit: hook {hook} -> testplugin (routinekit-testplugin 1.2.3)" in r.stderr
