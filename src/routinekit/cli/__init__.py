"""The ``routinekit`` command line. Each command lives in its own small module.

Commands are imported only when run, so ``routinekit build`` does not pay for
the others.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from routinekit import __version__

#: command name -> "module:attribute" (loaded lazily)
COMMANDS: dict[str, str] = {
    "build": "routinekit.cli.build:build",
    "batch": "routinekit.cli.batch:batch",
    "validate": "routinekit.cli.validate:validate",
    "new": "routinekit.cli.new:new",
    "schema": "routinekit.cli.new:schema",
    "templates": "routinekit.cli.listing:templates",
    "exercises": "routinekit.cli.listing:exercises",
    "strategies": "routinekit.cli.listing:strategies",
    "sequence": "routinekit.cli.sequence:sequence",
    "renderers": "routinekit.cli.listing:renderers",
    "plugins": "routinekit.cli.plugin:plugins",
    "plugin": "routinekit.cli.plugin:plugin",
    "serve": "routinekit.cli.serve:serve",
    "content": "routinekit.cli.content:content",
}


class LazyGroup(click.Group):
    """Built-in commands load when run; plugins' commands (``register_commands``) are looked
    up only for a name routinekit does not have, or when every command is listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self._plugin_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            found = self._plugin_commands(ctx).get(cmd_name)
            return found.obj if found is not None else None
        module, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def _plugin_commands(self, ctx: click.Context) -> dict[str, Any]:
        from routinekit.cli.common import host
        from routinekit.plugins.commands import plugin_commands

        _plugin_flags(ctx.params)  # the host is made before cli() has run
        return plugin_commands(host(), COMMANDS)


def _plugin_flags(params: dict[str, Any]) -> None:
    if params.get("strict_plugins"):  # read by the plugin host, which is created after this
        os.environ["ROUTINEKIT_STRICT_PLUGINS"] = "1"
    if params.get("trace_plugins"):
        os.environ["ROUTINEKIT_TRACE_PLUGINS"] = "1"


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="routinekit")
@click.option(
    "--debug",
    is_flag=True,
    envvar="ROUTINEKIT_DEBUG",
    help="Show full tracebacks (also ROUTINEKIT_DEBUG=1).",
)
@click.option(
    "--strict-plugins",
    is_flag=True,
    help="A plugin that fails to load or raises is an error (also ROUTINEKIT_STRICT_PLUGINS=1).",
)
@click.option(
    "--trace-plugins",
    is_flag=True,
    help="Show every plugin hook call on stderr (also ROUTINEKIT_TRACE_PLUGINS=1).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, strict_plugins: bool, trace_plugins: bool) -> None:
    """Author exercise routines and print personalised patient handouts.

    Start with `routinekit templates`, then `routinekit build back-spasm-acute -o handout.pdf`.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    _plugin_flags({"strict_plugins": strict_plugins, "trace_plugins": trace_plugins})


def main(argv: list[str] | None = None) -> Any:
    """Entry point: user errors print one line and exit 2; bugs say how to get the traceback."""
    from routinekit.errors import PluginError, UserError

    debug = "--debug" in (argv or sys.argv[1:]) or os.environ.get("ROUTINEKIT_DEBUG", "") not in (
        "",
        "0",
    )
    try:
        return cli.main(args=argv, prog_name="routinekit", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        click.echo(f"Error: {usage_line(exc)}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UserError as exc:
        if debug:
            raise
        click.echo(f"Error: {exc.one_line()}", err=True)
        sys.exit(exc.exit_code)
    except PluginError as exc:
        if debug:
            raise
        click.echo(f"Error: {exc.one_line()}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"Error: routinekit hit an internal bug ({type(exc).__name__}: {exc}). "
            "Run again with --debug for the traceback and report it.",
            err=True,
        )
        sys.exit(1)


def usage_line(exc: click.UsageError) -> str:
    """A bad flag or argument as one line: the command, what is wrong, where to look."""
    from routinekit.errors import single_line

    command = exc.ctx.command_path if exc.ctx is not None else "routinekit"
    message = exc.format_message().strip().rstrip(".")
    return single_line(f"{command}: {message}; see `{command} --help`")
