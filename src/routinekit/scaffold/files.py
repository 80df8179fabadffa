"""The files every generated plugin package has: pyproject, README, CI workflow, catalog."""

from __future__ import annotations

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
# pytest and everything routinekit.testing (fixtures, contract checks) needs
test = ["routinekit[test]>=__RK_VERSION__"]

# This table is what makes routinekit find the plugin once it is installed.
[project.entry-points.routinekit]
__NAME__ = "__MODULE__"

[tool.setuptools.packages.find]
where = ["src"]

# Ship the translations (and templates) inside the package, where routinekit looks.
[tool.setuptools.package-data]
__MODULE__ = ["locale/*/LC_MESSAGES/*.po", "locale/*/LC_MESSAGES/*.mo", "templates/*.yaml"]

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

README = """\
# routinekit-__NAME__

A [routinekit](https://pypi.org/project/routinekit/) plugin: __SUMMARY__.

## Install and check

```console
pip install .
routinekit --strict-plugins plugins --verbose   # '__NAME__', its hooks and what it provides
__USES__
```

## Test

```console
pip install -e ".[test]"
pytest
```

The tests use the fixtures and contract checks routinekit ships for plugin authors
(`routinekit.testing`, see routinekit's `docs/plugins.md`). `.github/workflows/test.yml`
runs them on every push.

## Translations

Fixed words are marked with `N_()` and translated with
`translator(language, domain=__package__)` (or `renderkit.words(handout, __package__)`).
The Spanish words are in `src/__MODULE__/locale/es/LC_MESSAGES/__MODULE__.po`:
add a `msgid`/`msgstr` pair for each new word. routinekit reads the `.po` as it is; to
add a language, copy the `es` folder. Try it with `routinekit build ... --lang es`.

## Names

Ids are shared by every installed plugin. This package starts its ids with its
name (`__NAME__`, `__NAME__-...`) so they never clash with routinekit's own or another
plugin's. Keep doing that for exercise ids especially.

The licence above is Apache-2.0 like routinekit's; change it if yours differs.
"""

WORKFLOW = """\
name: test

on:
  push:
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: ["3.11", "3.12", "3.13"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
      - run: python -m pip install -e ".[test]"
      - run: python -m pytest
      - run: routinekit --strict-plugins plugins --verbose
"""

GITIGNORE = """\
__pycache__/
*.egg-info/
build/
dist/
.venv/
"""

INIT = '''\
"""routinekit plugin '__NAME__': __SUMMARY__.

routinekit loads this module through the entry point in pyproject.toml and reads the
hooks (functions marked ``@hookimpl``) found here.
"""

from __future__ import annotations

__IMPORTS__

#: The plugin API this plugin was written for; routinekit refuses to load it otherwise.
ROUTINEKIT_PLUGIN_API = __API__

__all__ = [__ALL__]
'''

TEST_PLUGIN = '''\
"""The package is a routinekit plugin: found through its entry point, loaded without faults."""

from __future__ import annotations

from importlib.metadata import entry_points

import __MODULE__


def test_it_is_registered_through_the_entry_point() -> None:
    names = {ep.name: ep.value for ep in entry_points(group="routinekit")}
    assert names.get("__NAME__") == "__MODULE__"


def test_it_loads_without_faults(routinekit_host) -> None:
    host = routinekit_host(__MODULE__)
    assert host.errors() == []
'''

PO_HEADER = """\
# Spanish words of the routinekit plugin __NAME__.
# Add a msgid/msgstr pair for each word you mark with N_(); routinekit reads this file as
# it is (no compiling needed).
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""


def po_file(messages: dict[str, str]) -> str:
    """The Spanish catalog: the header and one entry per message."""
    body = "".join(
        f"\nmsgid {_quote(msgid)}\nmsgstr {_quote(msgstr)}\n" for msgid, msgstr in messages.items()
    )
    return PO_HEADER + body


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
