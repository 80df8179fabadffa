"""One hook caller: pluggy's own order and wrappers, faults (SystemExit too) named per plugin.

The packages are pip-installed into a sandbox (entry points, as a user installs them) and
run through the real command line in a child process.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import msgspec
import pytest

from routinekit.errors import PluginError
from routinekit.hookspecs import hookimpl
from routinekit.model import Handout
from routinekit.plugins.sandbox import install_packages, run_cli

HERE = Path(__file__).parent / "plugins"
ROUTINE = "id: kit\ntitle: Kit Routine\nexercises: [childs-pose, cat-cow]\n"


@pytest.fixture(scope="module")
def ordered() -> Path:
    return install_packages(HERE / "routinekit-hookorder")


@pytest.fixture(scope="module")
def exiting() -> Path:
    return install_packages(HERE / "routinekit-exits")


def build_json(tmp_path: Path, *plugins: Path) -> tuple[dict, str]:
    routine = tmp_path / "kit.yaml"
    routine.write_text(ROUTINE, encoding="utf-8")
    out = tmp_path / "out.json"
    r = run_cli("build", str(routine), "-f", "json", "-o", str(out), plugins=list(plugins))
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text(encoding="utf-8")), r.stderr


@pytest.mark.hook("adjust_handout")
def test_adjust_handout_runs_in_pluggys_order_and_wrappers_work(
    ordered: Path, tmp_path: Path
) -> None:
    data, _ = build_json(tmp_path, ordered)
    # tryfirst, plain, trylast (entry-point names sort the other way), then the wrapper
    assert data["footer"] == "first > plain > last > wrapped (json)"


def test_what_a_plugin_prints_never_reaches_json_output(ordered: Path) -> None:
    r = run_cli("plugins", "--json", plugins=[ordered])
    assert r.returncode == 0, r.stderr
    names = {p["name"] for p in json.loads(r.stdout)}  # stdout is JSON and nothing else
    assert {"zz_first", "mm_plain", "aa_last", "ww_wrap", "nn_noisy"} <= names
    assert "noisy plugin: loading" in r.stderr
    r = run_cli("templates", "--json", plugins=[ordered])
    assert r.returncode == 0 and json.loads(r.stdout)
    assert "noisy plugin: registering nothing" in r.stderr


def test_sys_exit_in_a_plugin_is_a_named_fault_not_the_end(exiting: Path, tmp_path: Path) -> None:
    r = run_cli("plugins", "--json", plugins=[exiting])
    assert r.returncode == 0, r.stderr
    info = {p["name"]: p for p in json.loads(r.stdout)}
    assert any("SystemExit(7)" in e for e in info["exits_at_import"]["errors"])
    assert any("SystemExit(0)" in e for e in info["exits_in_hook"]["errors"])
    data, err = build_json(tmp_path, exiting)  # builds, and says which plugins failed
    assert data["routine_id"] == "kit"
    assert "exits_at_import" in err and "exits_in_hook" in err
    r = run_cli(
        "build",
        str(tmp_path / "kit.yaml"),
        "-o",
        str(tmp_path / "x.json"),
        "-f",
        "json",
        plugins=[exiting],
        env={"ROUTINEKIT_STRICT_PLUGINS": "1"},
    )
    assert r.returncode == 3 and "exits_at_import" in r.stderr


def test_a_failing_adjust_handout_fails_the_build_naming_the_plugin() -> None:
    from routinekit.plugins.host import PluginHost
    from routinekit.testing import sample_handout

    class Exits:
        __name__ = "exits-in-adjust"

        @hookimpl
        def adjust_handout(self, handout: Handout) -> Handout:
            sys.exit(5)

    host = PluginHost(entry_points=False, extra=[Exits()])
    with pytest.raises(PluginError, match=r"exits-in-adjust.*SystemExit\(5\)"):
        sample_handout(host)


def test_a_failing_wrapper_leaves_the_result_and_is_reported() -> None:
    from routinekit.plugins.host import PluginHost
    from routinekit.testing import sample_handout

    class Plain:
        __name__ = "plain-footer"

        @hookimpl
        def adjust_handout(self, handout: Handout) -> Handout:
            return msgspec.structs.replace(handout, footer="plain")

    class BadWrapper:
        __name__ = "bad-wrapper"

        @hookimpl(wrapper=True)
        def adjust_handout(self, handout: Handout):  # type: ignore[no-untyped-def]
            yield
            raise RuntimeError("after the yield")

    host = PluginHost(entry_points=False, extra=[Plain(), BadWrapper()])
    with pytest.raises(PluginError, match=r"bad-wrapper.*after the yield"):
        sample_handout(host)
    lenient = PluginHost(entry_points=False, extra=[Plain()])
    assert sample_handout(lenient).footer == "plain"
