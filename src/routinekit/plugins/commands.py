"""Subcommands that plugins add to the ``routinekit`` command line (``register_commands``).

Collected once per host, the first time the command line looks for a command it does
not know or lists them all (``routinekit --help``). A command whose name routinekit or
another plugin already uses is an error naming the plugin; the plugin's other commands
and every built-in command keep working.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click

from routinekit.errors import PluginError
from routinekit.plugins import guarded
from routinekit.plugins.host import PluginHost, Registered

_CACHE_KEY = "register_commands"


def plugin_commands(host: PluginHost, reserved: Iterable[str]) -> dict[str, Registered[Any]]:
    """Every command plugins registered, by name; ``reserved`` are routinekit's own names."""
    cached = host._cache.get(_CACHE_KEY)
    if cached is not None:
        return cached
    taken = set(reserved)
    found: dict[str, Registered[Any]] = {}

    def register(command: click.Command) -> None:
        plugin = guarded.current_plugin()
        if not isinstance(command, click.Command):
            raise TypeError(f"register() expects a click.Command, got {type(command).__name__}")
        name = command.name or ""
        if not name or name in taken:
            raise PluginError(plugin, f"command name '{name}' is empty or a routinekit command")
        if name in found:
            raise PluginError(
                plugin, f"command '{name}' is already registered by plugin '{found[name].plugin}'"
            )
        found[name] = Registered(command, plugin)

    with guarded.calling(host) as call:
        host.pm.hook.register_commands(register=register)
    for failed in call.failed:  # drop what a failing plugin half-registered
        for name in [n for n, r in found.items() if r.plugin == failed]:
            del found[name]
    call.reraise()
    for name, reg in found.items():
        info = host.infos.get(reg.plugin)
        if info is not None:
            info.provides.append(f"command:{name}")
    host._cache[_CACHE_KEY] = found
    return found
