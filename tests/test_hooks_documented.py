"""Meta-tests: every hook is documented with its exact signature, has an example and a test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import routinekit.hookspecs

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")


def hook_signatures() -> dict[str, str]:
    """Each hook's signature as written in hookspecs.py, e.g. ``f(a: int) -> None``."""
    tree = ast.parse(Path(routinekit.hookspecs.__file__).read_text(encoding="utf-8"))
    return {
        node.name: f"{node.name}({ast.unparse(node.args)}) -> {ast.unparse(node.returns)}"
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(ast.unparse(d) == "hookspec" for d in node.decorator_list)
    }


HOOKS = hook_signatures()


def test_the_hook_list_is_read() -> None:
    assert {"register_sources", "register_renderers", "adjust_handout"} <= set(HOOKS)
    from routinekit.plugins.host import get_plugin_manager

    known = {n for n in vars(get_plugin_manager().hook) if not n.startswith("_")}
    assert set(HOOKS) == known


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_is_documented_with_its_exact_signature(name: str) -> None:
    heading = f"### `{HOOKS[name]}`"
    assert heading in DOC.splitlines(), f"docs/plugins.md needs the heading: {heading}"


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_has_a_runnable_example(name: str) -> None:
    assert f"```python hook={name}\n" in DOC


def test_no_documented_hook_is_missing_from_the_spec() -> None:
    documented = set(re.findall(r"^### `(\w+)\(", DOC, flags=re.M))
    contracts = {"ExerciseSource", "Strategy", "Renderer"}
    assert documented - contracts == set(HOOKS)


def test_every_hook_has_a_test() -> None:
    """A test says which hooks it exercises with ``@pytest.mark.hook("name", ...)``."""
    marked: set[str] = set()
    files = [*(ROOT / "tests").rglob("test_*.py"), *(ROOT / "plugins").glob("*/tests/test_*.py")]
    for path in files:
        for args in re.findall(r"mark\.hook\(([^)]*)\)", path.read_text(encoding="utf-8")):
            marked.update(re.findall(r"[\"'](\w+)[\"']", args))
    assert set(HOOKS) - marked == set(), "hooks without a @pytest.mark.hook test"
