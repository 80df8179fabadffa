"""The model knows nothing of wording, drawing or plugins; strategies nothing of the host;
the plugin host nothing of the domain (the library layer builds the ``Library`` from it).

Every import in ``routinekit/model/`` — at the top of a module or inside a function —
is read from the source, so a lazy import cannot slip past.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "routinekit"

#: package -> what it must never import
RULES = {
    "model": (
        "routinekit.text",
        "routinekit.render",
        "routinekit.illustrations",
        "routinekit.plugins",
        "routinekit.files",
        "routinekit.stages",
        "routinekit.pipeline",
        "routinekit.cli",
        "routinekit.batch",
        "routinekit.i18n",
    ),
    # a strategy sees only its request: no host, no files, no command line
    "strategies": ("routinekit.plugins", "routinekit.files", "routinekit.cli", "routinekit.batch"),
    # the host loads plugins and calls hooks; ``routinekit.library.library_for(host)`` merges
    # the sources, so the host never builds (or caches) the domain library
    "plugins": ("routinekit.library", "routinekit.stages", "routinekit.pipeline"),
}


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", sorted(RULES))
def test_package_keeps_to_its_layer(package: str) -> None:
    bad = [
        f"{path.relative_to(SRC)}:{line} imports {name}"
        for path in sorted((SRC / package).rglob("*.py"))
        for line, name in imports_of(path)
        if any(name == f or name.startswith(f + ".") for f in RULES[package])
    ]
    assert bad == []


def test_the_rule_sees_lazy_imports(tmp_path: Path) -> None:
    bad = tmp_path / "m.py"
    bad.write_text("def f():\n    from routinekit.text import dose_text\n", encoding="utf-8")
    assert imports_of(bad) == [(2, "routinekit.text")]
