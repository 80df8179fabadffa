"""Plugins add subcommands through ``register_commands``; clashes and faults name the plugin."""

from __future__ import annotations

import types

import click
import pytest
from click.testing import CliRunner

from routinekit.cli import COMMANDS, cli
from routinekit.errors import PluginError
from routinekit.hookspecs import hookimpl
from routinekit.plugins import host as host_module
from routinekit.plugins.commands import plugin_commands
from routinekit.plugins.host import PluginHost


def plugin(name: str, *commands: click.Command, fail: bool = False) -> types.ModuleType:
    module = types.ModuleType(name)

    @hookimpl
    def register_commands(register):  # type: ignore[no-untyped-def]
        for command in commands:
            register(command)
        if fail:
            raise RuntimeError("cannot reach the server")

    module.register_commands = register_commands  # type: ignore[attr-defined]
    return module


@click.command("hello")
def hello() -> None:
    click.echo("hello from a plugin")


@click.command("build")
def fake_build() -> None:
    click.echo("not the real build")


def lenient(*plugins: object) -> PluginHost:
    return PluginHost(entry_points=False, extra=plugins, strict=False, allow=None, block=())


@pytest.mark.hook("register_commands")
def test_a_plugin_command_runs_and_is_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    h = lenient(plugin("greeter", hello))
    monkeypatch.setattr(host_module, "_HOST", h)
    result = CliRunner().invoke(cli, ["hello"])
    assert result.exit_code == 0 and result.output == "hello from a plugin\n"
    assert "hello" in CliRunner().invoke(cli, ["--help"]).output
    assert "command:hello" in h.infos["greeter"].provides


def test_a_clash_with_a_routinekit_command_names_the_plugin() -> None:
    h = lenient(plugin("clasher", fake_build, hello))
    found = plugin_commands(h, COMMANDS)
    assert found == {}  # what the failing plugin registered is dropped
    (error,) = h.infos["clasher"].errors
    assert "command name 'build' is empty or a routinekit command" in error
    assert h.infos["clasher"].provides == []


def test_two_plugins_cannot_share_a_command_name() -> None:
    h = lenient(plugin("first", hello), plugin("second", hello))
    found = plugin_commands(h, COMMANDS)
    winner = found["hello"].plugin  # pluggy's order: the plugin registered later goes first
    loser = "first" if winner == "second" else "second"
    assert f"already registered by plugin '{winner}'" in h.infos[loser].errors[0]


def test_a_raising_plugin_is_recorded_or_fatal_in_strict_mode() -> None:
    h = lenient(plugin("broken", hello, fail=True))
    assert plugin_commands(h, COMMANDS) == {}
    assert h.infos["broken"].errors == [
        "raised in register_commands: RuntimeError: cannot reach the server"
    ]
    strict = PluginHost(
        entry_points=False, extra=[plugin("broken", fail=True)], strict=True, allow=None, block=()
    )
    with pytest.raises(PluginError, match=r"plugin 'broken'.*cannot reach the server"):
        plugin_commands(strict, COMMANDS)


def test_an_unknown_command_is_still_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host_module, "_HOST", lenient())
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 2 and "No such command" in result.output
