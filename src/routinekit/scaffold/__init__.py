"""``routinekit plugin new``: write a plugin package that installs and passes its own tests.

One package can hold several kinds (``--kind strategy --kind renderer``): each kind is a
module of its own (``source.py``, ``strategy.py``, ...) whose hooks the package's
``__init__.py`` re-exports, with its own tests and its words in a Spanish catalog. Every
package also gets a ``pyproject.toml`` that registers it in the ``routinekit``
entry-point group, a README, a CI workflow and a ``.gitignore``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from routinekit import PLUGIN_API_VERSION, __version__
from routinekit.errors import Location, UserError
from routinekit.scaffold import files
from routinekit.scaffold.kinds import KINDS as _KINDS

#: Every kind ``plugin new --kind`` writes.
KINDS: tuple[str, ...] = tuple(_KINDS)

_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def plugin_name(name: str) -> str:
    """The short plugin name: lower case, hyphens, no ``routinekit-`` prefix."""
    short = name.strip().lower().replace("_", "-")
    short = short.removeprefix("routinekit-")
    if not _NAME_RE.match(short):
        raise UserError(
            f"'{name}' is not a usable plugin name",
            location=Location(field="NAME"),
            hint="use lower-case letters, digits and hyphens, e.g. 'clinic-notes'",
        )
    return short


def _kinds(kind: str | Iterable[str]) -> list[str]:
    wanted = [kind] if isinstance(kind, str) else list(kind)
    unknown = [k for k in wanted if k not in _KINDS]
    if unknown or not wanted:
        raise UserError(
            f"unknown plugin kind '{unknown[0] if unknown else ''}'",
            location=Location(field="--kind"),
            hint=f"use one or more of {', '.join(KINDS)}",
        )
    return [k for k in KINDS if k in wanted]  # a stable order, each once


def render_files(name: str, kind: str | Iterable[str]) -> dict[str, str]:
    """The files of a new plugin package (one kind or several), by relative path."""
    kinds = _kinds(kind)
    short = plugin_name(name)
    module = "routinekit_" + short.replace("-", "_")
    cls = "".join(part.capitalize() for part in short.split("-"))
    summaries = [_KINDS[k].summary for k in kinds]
    summary = summaries[0] if len(summaries) == 1 else ", ".join(summaries[:-1])
    if len(summaries) > 1:
        summary += f" and {summaries[-1]}"
    values = {
        "__SUMMARY__": summary,
        "__USES__": "\n".join(_KINDS[k].use for k in kinds),
        "__RK_VERSION__": __version__,
        "__API__": str(PLUGIN_API_VERSION),
        "__MODULE__": module,
        "__CLASS__": cls,
        "__TITLE__": short.replace("-", " ").capitalize(),
        "__NAME__": short,
    }

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    imports = "\n".join(f"from {module}.{k} import {_KINDS[k].hook}" for k in kinds)
    exports = ", ".join(f'"{_KINDS[k].hook}"' for k in kinds)
    init = files.INIT.replace("__IMPORTS__", imports).replace("__ALL__", exports)
    out = {
        "pyproject.toml": fill(files.PYPROJECT),
        "README.md": fill(files.README),
        ".github/workflows/test.yml": files.WORKFLOW,
        ".gitignore": files.GITIGNORE,
        f"src/{module}/__init__.py": fill(init),
        "tests/test_plugin.py": fill(files.TEST_PLUGIN),
    }
    messages: dict[str, str] = {}
    for k in kinds:
        spec = _KINDS[k]
        out[f"src/{module}/{k}.py"] = fill(spec.module)
        out[f"tests/test_{k}.py"] = fill(spec.tests)
        for rel, text in spec.files.items():
            out[fill(f"src/{module}/{rel}")] = fill(text)
        messages.update(spec.messages)
    out[f"src/{module}/locale/es/LC_MESSAGES/{module}.po"] = fill(files.po_file(messages))
    return out


def write_plugin(name: str, kind: str | Iterable[str], out_dir: Path) -> Path:
    """Write a new plugin package into ``out_dir/routinekit-NAME``; return that folder."""
    rendered = render_files(name, kind)
    root = out_dir / f"routinekit-{plugin_name(name)}"
    if root.exists():
        raise UserError(
            "that plugin folder already exists",
            location=Location(file=str(root)),
            hint="choose another name or -o folder; nothing was written",
        )
    for rel, text in rendered.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
