"""``routinekit plugins`` (what is installed) and ``routinekit plugin new`` (start a new one)."""

from __future__ import annotations

from pathlib import Path

import click

from routinekit.cli.common import echo_json
from routinekit.cli.common import host as get_host


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for other programs.")
def plugins(as_json: bool) -> None:
    """List every plugin: where it comes from, its version, what it provides, any error.

    A plugin that failed to import or raised in a hook is listed with its error;
    every other plugin keeps working. Control loading with ROUTINEKIT_PLUGINS
    (allow-list), ROUTINEKIT_BLOCK_PLUGINS (block-list), ROUTINEKIT_STRICT_PLUGINS=1
    (faults are errors) and ROUTINEKIT_TRACE_PLUGINS=1 (show every hook call).
    """
    h = get_host()
    for kind in ("sources", "strategies", "renderers", "templates"):
        getattr(h, kind)()  # collect so 'provides' is filled in
    try:
        h.library()  # exercise sources run here; their faults are recorded on the plugin
    except Exception as exc:  # shown, never fatal for a listing
        click.echo(f"Warning: the exercise library could not be built: {exc}", err=True)
    infos = list(h.infos.values())
    if as_json:
        echo_json([i.to_dict() for i in infos])
        return
    for i in infos:
        origin = "built-in" if i.builtin else f"{i.distribution or i.module} {i.version or ''}"
        if i.disabled:
            state = f"off: {i.disabled}"
        elif not i.loaded:
            state = "FAILED"
        elif i.errors:
            state = "ERRORS"
        else:
            state = "ok"
        click.echo(f"{i.name:<20} {origin.strip():<34} {state}")
        if i.provides:
            click.echo(f"{'':<20} provides {', '.join(i.provides)}")
        for e in i.errors:
            click.echo(f"{'':<20} ! {e}")
    failed = sum(1 for i in infos if i.errors)
    if failed:
        click.echo(f"{failed} plugin(s) with errors; see the lines marked '!'", err=True)


@click.group()
def plugin() -> None:
    """Tools for plugin authors (see docs/plugins.md)."""


@plugin.command("new")
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice(["source", "strategy", "renderer"]),
    required=True,
    help="What the plugin adds: an exercise source, a strategy or a renderer.",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to create the package folder routinekit-NAME in.",
)
def new(name: str, kind: str, out_dir: Path) -> None:
    """Write a new plugin package NAME that installs, registers and passes its own tests.

    Then: cd routinekit-NAME && pip install -e . && pytest
    """
    from routinekit.scaffold import write_plugin

    root = write_plugin(name, kind, out_dir)
    click.echo(f"Wrote {root}", err=True)
    click.echo(f"Next: cd {root} && pip install -e . && pytest && routinekit plugins", err=True)
