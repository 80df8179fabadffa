"""``routinekit plugin new``: write a minimal plugin package that installs and passes its tests.

The package is the smallest real one: a ``pyproject.toml`` that registers the
plugin in the ``routinekit`` entry-point group, a module with one source,
strategy or renderer, a README, and tests that use :mod:`routinekit.testing`.
"""

from __future__ import annotations

import re
from pathlib import Path

from routinekit import PLUGIN_API_VERSION, __version__
from routinekit.errors import Location, UserError

KINDS = ("source", "strategy", "renderer")

_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

PYPROJECT = """\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "routinekit-__NAME__"
version = "0.1.0"
description = "A routinekit plugin: __SUMMARY__"
readme = "README.md"
license = "Apache-2.0"
requires-python = ">=3.11"
dependencies = ["routinekit>=__RK_VERSION__"]

[project.optional-dependencies]
test = ["pytest>=8"]

# This line is what makes routinekit find the plugin once it is installed.
[project.entry-points.routinekit]
__NAME__ = "__MODULE__"

[tool.setuptools.packages.find]
where = ["src"]
"""

README = """\
# routinekit-__NAME__

A [routinekit](https://pypi.org/project/routinekit/) plugin: __SUMMARY__.

## Install and check

```console
pip install .
routinekit plugins          # lists '__NAME__' with what it provides
__USE__
```

## Test

```console
pip install -e ".[test]"
pytest
```

The tests use the fixtures and contract checks routinekit ships for plugin authors
(`routinekit.testing`); see routinekit's `docs/plugins.md`. The licence above is
Apache-2.0 like routinekit's; change it if yours differs.
"""

MODULE_HEAD = '''\
"""routinekit plugin '__NAME__': __SUMMARY__."""

from __future__ import annotations

from collections.abc import Callable__EXTRA_ABC__
'''

SOURCE = '''\
from routinekit.contracts import ExerciseSource
from routinekit.hookspecs import hookimpl
from routinekit.model import Dose, Exercise, Movement, Position, Range

#: The plugin API this plugin was written for; routinekit refuses to load it otherwise.
ROUTINEKIT_PLUGIN_API = __API__


class __CLASSNAME__(ExerciseSource):
    """Exercises from __NAME__. Replace the example with your own."""

    id = "__NAME__"
    description = "Exercises from __NAME__"

    def exercises(self) -> Iterable[Exercise]:
        return (
            Exercise(
                id="__NAME__-example-stretch",
                name="Example Stretch",
                objective="Shows the fields an exercise needs.",
                steps=("Sit tall in a chair.", "Breathe in, then slowly breathe out."),
                position=Position.SEATED,
                movements=(Movement.BREATHING,),
                dose=Dose(reps=Range(5, 10)),
            ),
        )


@hookimpl
def register_sources(register: Callable[[ExerciseSource], None]) -> None:
    register(__CLASSNAME__())
'''

STRATEGY = '''\
from routinekit.contracts import Strategy
from routinekit.hookspecs import hookimpl
from routinekit.model import Placement, PlanGroup, SequencePlan, SequenceRequest

#: The plugin API this plugin was written for; routinekit refuses to load it otherwise.
ROUTINEKIT_PLUGIN_API = __API__


class __CLASSNAME__(Strategy):
    """Easiest exercises first; ties keep the routine's order."""

    id = "__NAME__"
    name = "__TITLE__"
    description = "Puts the easiest exercises first."

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        ordered = sorted(
            request.candidates, key=lambda c: (c.exercise.difficulty, c.position)
        )
        items = tuple(
            Placement(
                exercise_id=c.exercise.id,
                reason=f"difficulty {c.exercise.difficulty}: easier exercises come first",
            )
            for c in ordered
        )
        return SequencePlan(groups=(PlanGroup(items=items),))


@hookimpl
def register_strategies(register: Callable[[Strategy], None]) -> None:
    register(__CLASSNAME__())
'''

RENDERER = '''\
from routinekit.contracts import Renderer, RenderOptions
from routinekit.hookspecs import hookimpl
from routinekit.i18n import translator
from routinekit.text import dose_text, regimen_text
from routinekit.model import Handout

#: The plugin API this plugin was written for; routinekit refuses to load it otherwise.
ROUTINEKIT_PLUGIN_API = __API__


class __CLASSNAME__(Renderer):
    """The handout as plain text: title, regimen, one numbered line per exercise."""

    id = "__NAME__"
    name = "__TITLE__ (plain text)"
    extension = "txt"
    media_type = "text/plain"

    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        _ = translator(handout.language)
        lines = [handout.title, regimen_text(handout.regimen, handout.language), ""]
        for item in handout.items:
            dose = dose_text(item.dose, handout.language)
            lines.append(f"{item.number}. {item.exercise.name}: {dose}")
            if item.note:
                lines.append(f"   {item.note}")
        if not handout.items:
            lines.append(_("No exercises on this handout."))
        return ("\\n".join(lines) + "\\n").encode("utf-8")


@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    register(__CLASSNAME__())
'''

TESTS = '''\
"""Tests for the __NAME__ plugin, using routinekit's fixtures for plugin authors."""

from __future__ import annotations

from importlib.metadata import entry_points

import __MODULE__
from routinekit.testing import __CHECK__


def test_it_is_registered_through_the_entry_point() -> None:
    names = {ep.name: ep.value for ep in entry_points(group="routinekit")}
    assert names.get("__NAME__") == "__MODULE__"


def test_it_keeps_the_contract() -> None:
    __CHECK__(__MODULE__.__CLASSNAME__())


def test_a_build_uses_it(routinekit_build) -> None:
__BUILD_TEST__
'''

BUILD_TESTS = {
    "source": """\
    from routinekit.testing import sample_routine

    routine = sample_routine(["childs-pose", "__NAME__-example-stretch"])
    data = routinekit_build(__MODULE__, routine=routine)
    assert b"__NAME__-example-stretch" in data
""",
    "strategy": """\
    data = routinekit_build(__MODULE__, strategy="__NAME__")
    assert b'"strategy_id": "__NAME__"' in data
""",
    "renderer": """\
    data = routinekit_build(__MODULE__, format="__NAME__")
    assert data.startswith(b"Sample Stretches")
""",
}

SUMMARIES = {
    "source": "an exercise source",
    "strategy": "a sequencing strategy",
    "renderer": "a plain-text renderer",
}

USES = {
    "source": "routinekit exercises          # shows __NAME__-example-stretch",
    "strategy": "routinekit build back-spasm-acute --strategy __NAME__ -f json -o out.json",
    "renderer": "routinekit build back-spasm-acute --format __NAME__ -o out.txt",
}


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


def render_files(name: str, kind: str) -> dict[str, str]:
    """The files of a new plugin package, by relative path."""
    if kind not in KINDS:
        raise UserError(f"unknown plugin kind '{kind}'", hint=f"use one of {', '.join(KINDS)}")
    short = plugin_name(name)
    module = "routinekit_" + short.replace("-", "_")
    cls = "".join(part.capitalize() for part in short.split("-"))
    if not cls.endswith(kind.capitalize()):
        cls += kind.capitalize()
    body = {"source": SOURCE, "strategy": STRATEGY, "renderer": RENDERER}[kind]
    extra_abc = ", Iterable" if kind == "source" else ""
    tests = TESTS.replace("__BUILD_TEST__\n", BUILD_TESTS[kind])
    values = {
        "__EXTRA_ABC__": extra_abc,
        "__SUMMARY__": SUMMARIES[kind],
        "__USE__": USES[kind],
        "__CHECK__": f"check_{kind}",
        "__RK_VERSION__": __version__,
        "__API__": str(PLUGIN_API_VERSION),
        "__MODULE__": module,
        "__CLASSNAME__": cls,
        "__TITLE__": short.replace("-", " ").capitalize(),
        "__NAME__": short,
    }

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    return {
        "pyproject.toml": fill(PYPROJECT),
        "README.md": fill(README),
        f"src/{module}/__init__.py": fill(MODULE_HEAD + "\n" + body),
        f"tests/test_{module}.py": fill(tests),
    }


def write_plugin(name: str, kind: str, out_dir: Path) -> Path:
    """Write a new plugin package into ``out_dir/routinekit-NAME``; return that folder."""
    files = render_files(name, kind)
    root = out_dir / f"routinekit-{plugin_name(name)}"
    if root.exists():
        raise UserError(
            "that plugin folder already exists",
            location=Location(file=str(root)),
            hint="choose another name or -o folder; nothing was written",
        )
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
