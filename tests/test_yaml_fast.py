"""The libyaml fast path reads exactly what the pure-Python loader reads.

Same data, same line of every value, same one-line error for every broken file;
deep nesting is refused by the composer's depth cap, never by a RecursionError.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from routinekit.errors import UnsafeInputError, UserError
from routinekit.files import yaml_reader as Y

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(
    [
        *(ROOT / "templates").glob("*.yaml"),
        ROOT / "src/routinekit/library/exercises.yaml",
        ROOT / "src/routinekit/illustrations/poses.yaml",
        *(ROOT / "examples").glob("*.yaml"),
    ]
)
BROKEN = sorted((ROOT / "tests" / "broken").rglob("*.yaml"))

pytestmark = pytest.mark.skipif(Y._FastLoader is None, reason="PyYAML without libyaml")


def _read(path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[str, object]:
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(Y, "_FastLoader", None)
        try:
            doc = Y.load_yaml_file(path)
        except UserError as exc:
            return "error", str(exc)
    return "ok", (doc.data, doc.lines)


@pytest.mark.parametrize("path", SHIPPED + BROKEN, ids=lambda p: p.name)
def test_fast_and_pure_agree(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _read(path, True, monkeypatch) == _read(path, False, monkeypatch)


def test_fast_path_is_used_for_valid_files(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[object] = []
    real = Y._compose

    def spy(cls: object, text: str, source: str) -> object:
        used.append(cls)
        return real(cls, text, source)

    monkeypatch.setattr(Y, "_compose", spy)
    Y.load_yaml_file(ROOT / "src/routinekit/library/exercises.yaml")
    assert used == [Y._FastLoader]


@pytest.mark.parametrize(
    "text", ["[" * 200_000 + "]" * 200_000, "{a: " * 50_000 + "1" + "}" * 50_000]
)
def test_very_deep_nesting_is_refused_cleanly(text: str) -> None:
    with pytest.raises(UnsafeInputError, match="nested more than 40 levels"):
        Y.load_yaml_text(text)


def test_alias_bomb_refused() -> None:
    with pytest.raises(UnsafeInputError, match="expands to more than"):
        Y.load_yaml_file(ROOT / "tests/broken/routines/alias-bomb.yaml")
