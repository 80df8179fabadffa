"""Installed plugins are found from the on-disk index exactly as importlib.metadata finds them,
and any install, removal or upgrade is seen at once (plugins/discovery.py)."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

import pytest

from routinekit.plugins import discovery


@pytest.fixture(autouse=True)
def _fresh() -> None:
    discovery._MEMO.clear()
    discovery._LAST.clear()


def test_the_backport_finder_and_finders_without_distributions_keep_the_index() -> None:
    import importlib_metadata  # noqa: F401  (the backport puts its finder on sys.meta_path)

    assert discovery._signature() is not None, sys.meta_path


def _exact() -> list[tuple[str, str, str | None, str | None]]:
    return [
        (e.name, e.value, e.dist.name if e.dist else None, e.dist.version if e.dist else None)
        for e in sorted(metadata.entry_points(group="routinekit"), key=lambda e: e.name)
    ]


def _no_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("asked importlib.metadata although nothing changed")

    monkeypatch.setattr(metadata, "entry_points", refuse)
    monkeypatch.setattr(metadata, "version", refuse)


def test_the_index_is_what_importlib_metadata_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    _plugin(tmp_path, "rk-index-plugin", "3.1", "rk_index_module")
    assert discovery._signature() is not None, sys.meta_path  # the index is used here
    first = [(f.name, f.value, f.distribution, f.version) for f in discovery.entry_points()]
    assert first == _exact()
    assert ("rk-index-plugin", "rk_index_module", "rk-index-plugin", "3.1") in first
    assert discovery.version("qrcode") == metadata.version("qrcode")
    discovery._MEMO.clear()  # a new process: the index comes from the disk cache
    _no_metadata(monkeypatch)
    assert [(f.name, f.value, f.distribution, f.version) for f in discovery.entry_points()] == first
    assert discovery.version("qrcode") is not None


def _plugin(folder: Path, name: str, version: str, module: str) -> None:
    dist = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (dist / "entry_points.txt").write_text(f"[routinekit]\n{name} = {module}\n")
    (folder / f"{module}.py").write_text("VALUE = 42\n")


def test_an_install_and_an_upgrade_are_seen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    discovery.entry_points()  # the index without the new plugin, kept
    monkeypatch.syspath_prepend(str(tmp_path))
    _plugin(tmp_path, "rk-found-plugin", "1.0", "rk_found_module")
    found = {f.name: f for f in discovery.entry_points()}
    assert found["rk-found-plugin"].version == "1.0"
    assert found["rk-found-plugin"].load().VALUE == 42
    # an upgrade: pip replaces the dist-info folder
    for p in tmp_path.glob("*.dist-info"):
        for f in p.iterdir():
            f.unlink()
        p.rmdir()
    _plugin(tmp_path, "rk-found-plugin", "2.0", "rk_found_module")
    assert {f.name: f.version for f in discovery.entry_points()}["rk-found-plugin"] == "2.0"
    sys.modules.pop("rk_found_module", None)


def test_another_distribution_finder_turns_the_index_off(monkeypatch: pytest.MonkeyPatch) -> None:
    class Finder:
        @staticmethod
        def find_spec(*_a: object) -> None:
            return None

        @staticmethod
        def find_distributions(*_a: object, **_k: object) -> list[object]:
            return []

    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])
    assert discovery._signature() is None
    assert [f.name for f in discovery.entry_points()] == [e[0] for e in _exact()]


def test_a_reference_loads_like_an_entry_point() -> None:
    ref = discovery.Found("x", "routinekit.plugins.discovery:Found.load", None, None)
    assert ref.load() is discovery.Found.load
    with pytest.raises(ValueError, match="module:attr"):
        discovery.Found("x", "not a reference!", None, None).load()
