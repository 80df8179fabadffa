"""docs/reference.md is generated from the code and covers every field of every model type."""

from __future__ import annotations

import enum
import importlib
import pkgutil
import re
from pathlib import Path

import msgspec

import routinekit.model
from routinekit import reference

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "reference.md"
REGENERATE = "run: .venv/bin/python -m routinekit.reference > docs/reference.md"


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^### ", text, flags=re.M)
    return {p.split("\n", 1)[0].strip(): p for p in parts[1:]}


def test_the_committed_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == reference.generate(), REGENERATE


def test_every_struct_of_the_model_package_is_in_the_reference() -> None:
    defined: set[type] = set()
    for mod in pkgutil.iter_modules(routinekit.model.__path__, "routinekit.model."):
        module = importlib.import_module(mod.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == mod.name
                and (issubclass(value, msgspec.Struct) or issubclass(value, enum.Enum))
            ):
                defined.add(value)
    missing = defined - set(reference.model_types())
    assert not missing, f"not reachable from reference.model_roots(): {missing}"


def test_every_field_of_every_model_type_is_documented() -> None:
    found = sections(DOC.read_text(encoding="utf-8"))
    types = reference.model_types()
    assert len(types) > 30
    for t in types:
        assert t.__name__ in found, f"no section for {t.__name__}; {REGENERATE}"
        body = found[t.__name__]
        if issubclass(t, enum.Enum):
            documented = set(re.findall(r"^\| `([^`]+)` \| `", body, flags=re.M))
            assert documented == {m.value for m in t}, t.__name__
            continue
        documented = set(re.findall(r"^\| `([^`]+)` \|", body, flags=re.M))
        fields = {f.encode_name for f in msgspec.inspect.type_info(t).fields}  # type: ignore[attr-defined]
        assert documented == fields, f"{t.__name__}: {documented ^ fields}; {REGENERATE}"


def test_allowed_values_and_descriptions_are_shown() -> None:
    found = sections(DOC.read_text(encoding="utf-8"))
    exercise = found["Exercise"]
    assert "one of `supine`, `prone`, `side-lying`, `quadruped`, `kneeling`" in exercise
    assert "`flexion`, `extension`, `rotation`" in exercise  # movements
    assert "list of [Alternative](#alternative)" in exercise
    assert "relative to the file that names it" in exercise  # where an image is resolved from
    assert "| `difficulty` | whole number | `1` | ≥ 1, ≤ 5 |" in exercise
    assert "[Pose](#pose)" in exercise and "Prop" in found
    assert "| `side-lying` | `Position.SIDE_LYING` |" in found["Position"]


def test_every_hook_and_contract_is_in_the_reference() -> None:
    text = DOC.read_text(encoding="utf-8")
    from test_hooks_documented import HOOKS

    for signature in HOOKS.values():
        assert f"### `{signature}`" in text
    for cls in reference.contract_classes():
        assert f"### {cls.__name__}" in text
    strategy = sections(text)["Strategy"]
    assert "`sequence(self, request: SequenceRequest) -> SequencePlan`" in strategy
