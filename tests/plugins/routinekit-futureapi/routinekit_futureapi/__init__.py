"""Test plugin that needs a plugin API routinekit does not have."""

from __future__ import annotations

from collections.abc import Callable

from routinekit.hookspecs import hookimpl

ROUTINEKIT_PLUGIN_API = 99


@hookimpl
def register_renderers(register: Callable[[object], None]) -> None:
    raise AssertionError("never called: the API check refuses this plugin")
