"""``routinekit plugins`` (what is installed) and ``routinekit plugin new`` (start a new one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from routinekit.cli.common import echo_json
from routinekit.cli.common import host as get_host
from routinekit.library import library_for


def _details(h: Any) -> dict[str, dict[str, Any]]:
    """Per plugin: the hooks it implements, and the exercises and poses it provides."""
    out: dict[str, dict[str, Any]] = {}
    for name in h.infos:
        obj = h.pm.get_plugin(name)
        callers = h.pm.get_hookcallers(obj) if obj is not None else None
        out[name] = {"hooks": sorted(c.name for c in callers or ()), "exercises": [], "poses": []}
    from routinekit.illustrations import pose_for

    library = library_for(h)
    for ex in library:
        owner = out.get(library.owner(ex.id))
        if owner is not None:
            owner["exercises"].append(ex.id)
            if pose_for(ex) is not None:
                owner["poses"].append(ex.id)
    return out


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for other programs.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also show each plugin's hooks, exercises, poses and load time.",
)
def plugins(as_json: bool, verbose: bool) -> None:
    """List every plugin: where it comes from, its version, what it provides, any error.

    A plugin that failed to import or raised in a hook is listed with its error;
    every other plugin keeps working. Control loading with ROUTINEKIT_PLUGINS
    (allow-list), ROUTINEKIT_BLOCK_PLUGINS (block-list), ROUTINEKIT_STRICT_PLUGINS=1
    (faults are errors) and ROUTINEKIT_TRACE_PLUGINS=1 (show every hook call).
    """
    from routinekit.illustrations.props import props

    h = get_host()
    for kind in ("sources", "strategies", "renderers", "templates"):
        getattr(h, kind)()  # collect so 'provides' is filled in
    props()
    from routinekit.cli import COMMANDS
    from routinekit.plugins.commands import plugin_commands

    plugin_commands(h, COMMANDS)
    details: dict[str, dict[str, Any]] = {}
    try:
        details = _details(h)  # exercise sources run here; their faults land on the plugin
    except Exception as exc:  # shown, never fatal for a listing (but for --strict-plugins)
        if h.strict:
            raise
        click.echo(f"Warning: the exercise library could not be built: {exc}", err=True)
    infos = list(h.infos.values())
    if as_json:
        rows = []
        for i in infos:
            row = i.to_dict()
            if verbose:
                row.update(details.get(i.name, {}))
            rows.append(row)
        echo_json(rows)
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
        if verbose:
            _echo_verbose(i, details.get(i.name, {}))
        for e in i.errors:
            click.echo(f"{'':<20} ! {e}")
    failed = sum(1 for i in infos if i.errors)
    if failed:
        click.echo(f"{failed} plugin(s) with errors; see the lines marked '!'", err=True)


def _some(ids: list[str], n: int) -> str:
    more = f", ... ({len(ids)} in all)" if len(ids) > n else ""
    return ", ".join(ids[:n]) + more


def _echo_verbose(info: Any, detail: dict[str, Any]) -> None:
    pad = " " * 21
    click.echo(f"{pad}module {info.module}")
    if detail.get("hooks"):
        click.echo(f"{pad}hooks {', '.join(detail['hooks'])}")
    if detail.get("exercises"):
        click.echo(f"{pad}exercises {_some(detail['exercises'], 6)}")
    if detail.get("poses"):
        click.echo(f"{pad}poses {_some(detail['poses'], 6)}")
    load_ms = getattr(info, "load_ms", None)
    if load_ms is not None:
        click.echo(f"{pad}loaded in {load_ms:.1f} ms")


@click.group()
def plugin() -> None:
    """Tools for plugin authors (see docs/plugins.md)."""


@plugin.command("new")
@click.argument("name")
@click.option(
    "--kind",
    "kinds",
    type=click.Choice(["source", "strategy", "renderer", "adjust", "template", "prop"]),
    multiple=True,
    required=True,
    help="What the plugin adds (repeat for several in one package): an exercise source, a "
    "strategy, a renderer, an adjust_handout hook, a starter template or a prop.",
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
def new(name: str, kinds: tuple[str, ...], out_dir: Path) -> None:
    """Write a new plugin package NAME that installs, registers and passes its own tests.

    Each kind gets a module, tests, and its words in a Spanish catalog; the package also
    gets a README and a CI workflow. Then: cd routinekit-NAME && pip install -e ".[test]"
    && pytest
    """
    from routinekit.scaffold import write_plugin

    root = write_plugin(name, kinds, out_dir)
    click.echo(f"Wrote {root}", err=True)
    click.echo(
        f'Next: cd {root} && pip install -e ".[test]" && pytest && routinekit plugins --verbose',
        err=True,
    )
