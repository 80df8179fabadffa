"""Subcommands that plugins add to the ``routinekit`` command line (``register_commands``).

Collected once per host, the first time the command line looks for a command it does
not know or lists them all (``routinekit --help``). A command whose name routinekit or
another plugin already uses is an error naming the plugin; the plugin's other commands
and every built-in command keep working.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import click

from routinekit.errors import PluginError
from routinekit.plugins.host import PluginHost, Registered

_CACHE_KEY = "register_commands"


def plugin_commands(host: PluginHost, reserved: Iterable[str]) -> dict[str, Registered[Any]]:
    """Every command plugins registered, by name; ``reserved`` are routinekit's own names."""
    cached = host._cache.get(_CACHE_KEY)
    if cached is not None:
        return cached
    taken = set(reserved)
    found: dict[str, Registered[Any]] = {}

    def register_for(plugin: str) -> Callable[[click.Command], None]:
        def register(command: click.Command) -> None:
            if not isinstance(command, click.Command):
                raise TypeError(f"register() expects a click.Command, got {type(command).__name__}")
            name = command.name or ""
            if not name or name in taken:
                raise PluginError(plugin, f"command name '{name}' is empty or a routinekit command")
            if name in found:
                raise PluginError(
                    plugin,
                    f"command '{name}' is already registered by plugin '{found[name].plugin}'",
                )
            found[name] = Registered(command, plugin)
            info = host.infos.get(plugin)
            if info is not None:
                info.provides.append(f"command:{name}")

        return register

    for impl in host.pm.hook.register_commands.get_hookimpls():
        info = host.infos.get(impl.plugin_name)
        staged = dict(found)
        host.trace_call("register_commands", impl.plugin_name)
        try:
            impl.function(register=register_for(impl.plugin_name))
        except Exception as exc:
            found.clear()
            found.update(staged)  # drop what the failing plugin half-registered
            if info is not None:
                info.provides[:] = [p for p in info.provides if not p.startswith("command:")]
            message = (
                exc.message if isinstance(exc, PluginError) else f"{type(exc).__name__}: {exc}"
            )
            if info is None:
                raise
            if host.strict:
                raise PluginError(
                    impl.plugin_name,
                    f"raised in register_commands: {message}",
                    distribution=info.distribution,
                ) from exc
            info.errors.append(f"raised in register_commands: {message}")
    host._cache[_CACHE_KEY] = found
    return found
