"""Stale pictures: a plugin's prop is part of every picture cache key.

The prop plugin (tests/plugins/routinekit-propplugin) is pip-installed into a temporary
folder; a handout with its exercise is built in a child process with the on-disk cache
on; then the prop's code is changed in the installed copy (same version number, as an
editable install or a local fix would be) and the handout is built again with the same
cache: the picture must show the new prop.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from routinekit.plugins.sandbox import install_packages, run_cli

PLUGIN = Path(__file__).parent / "plugins" / "routinekit-propplugin"
ROUTINE = "id: steps\ntitle: Step Routine\nexercises: [pp-step-stand]\n"


def _build(plugins: Path, routine: Path, out: Path, cache: Path) -> list[tuple[float, ...]]:
    r = run_cli(
        "build",
        str(routine),
        "-o",
        str(out),
        "--date",
        "2026-01-01",
        "--no-exercise-qr",
        plugins=[plugins],
        env={"XDG_CACHE_HOME": str(cache)},
    )
    assert r.returncode == 0, r.stderr
    with pymupdf.open(out) as doc:
        # every filled or stroked path's bounding box, to the hundredth of a point
        return sorted(
            tuple(round(v, 2) for v in d["rect"]) for page in doc for d in page.get_drawings()
        )


@pytest.mark.hook("register_props")
def test_changing_a_plugin_prop_changes_the_cached_picture(tmp_path: Path) -> None:
    plugins = install_packages(PLUGIN, target=tmp_path / "site", cache=False)
    routine = tmp_path / "steps.yaml"
    routine.write_text(ROUTINE, encoding="utf-8")
    cache = tmp_path / "cache"
    before = _build(plugins, routine, tmp_path / "a.pdf", cache)
    stored = list((cache / "routinekit" / "pictures").iterdir())
    assert stored, "the picture was not kept in the on-disk cache"
    assert _build(plugins, routine, tmp_path / "b.pdf", cache) == before  # a cache hit

    code = plugins / "routinekit_propplugin" / "__init__.py"
    text = code.read_text(encoding="utf-8")
    assert "HALF_WIDTH = 20.0" in text
    code.write_text(text.replace("HALF_WIDTH = 20.0", "HALF_WIDTH = 45.0"), encoding="utf-8")
    # the same size in the same second: Python would take the stale bytecode as current
    shutil.rmtree(code.parent / "__pycache__", ignore_errors=True)
    after = _build(plugins, routine, tmp_path / "c.pdf", cache)
    assert after != before, "the rebuilt handout printed the old (cached) prop"
    assert len(list((cache / "routinekit" / "pictures").iterdir())) > len(stored)
