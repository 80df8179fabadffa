"""Listing commands: templates, exercises, strategies, renderers (each with --json).

``routinekit plugins`` lives in :mod:`routinekit.cli.plugin`.
"""

from __future__ import annotations

from pathlib import Path

import click

from routinekit.cli.common import echo_json, warn_plugin_errors
from routinekit.cli.common import host as get_host
from routinekit.constraints import LIMITS
from routinekit.library import library_for
from routinekit.model import Exercise, Movement, Phase, Position
from routinekit.text import dose_text

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for other programs.")


@click.command()
@json_option
def templates(as_json: bool) -> None:
    """List the starter routines for `routinekit new` and `routinekit build`."""
    h = get_host()
    found = h.templates()
    if as_json:
        echo_json(
            [
                {
                    "id": k,
                    "title": r.obj.title,
                    "description": r.obj.description,
                    "path": str(r.obj.path),
                    "plugin": r.plugin,
                }
                for k, r in found.items()
            ]
        )
        return
    for k, r in found.items():
        click.echo(f"{k:<28} {r.obj.title}")
        if r.obj.description:
            click.echo(f"{'':<28} {r.obj.description}")
    warn_plugin_errors(h)


@click.group(invoke_without_command=True)
@click.option("--tag", help="Only exercises with this tag.")
@click.option(
    "--position",
    type=click.Choice(sorted({p.value for p in Position} | set(LIMITS))),
    help="A position, or a limit word: kneeling also lists hands-and-knees, floor every floor one.",
)
@click.option("--phase", type=click.Choice([p.value for p in Phase]))
@click.option("--movement", type=click.Choice([m.value for m in Movement]))
@json_option
@click.pass_context
def exercises(
    ctx: click.Context,
    tag: str | None,
    position: str | None,
    phase: str | None,
    movement: str | None,
    as_json: bool,
) -> None:
    """List the exercise library (filter by tag, position, phase, movement)."""
    if ctx.invoked_subcommand is not None:
        return
    h = get_host()
    lib = library_for(h)
    chosen = lib.filter(tag=tag, position=position, phase=phase, movement=movement)
    if as_json:
        ids = {e.id for e in chosen}
        echo_json([d for d in lib.to_builtins() if d["id"] in ids])
        return
    for ex in chosen:
        moves = "+".join(m.value for m in ex.movements) or "-"
        where = "+".join(p.value for p in ex.body_positions)
        click.echo(f"{ex.id:<28} {ex.name:<34} {where:<19} {moves:<20} level {ex.difficulty}")
    click.echo(f"{len(chosen)} of {len(lib)} exercises", err=True)
    warn_plugin_errors(h)


@exercises.command("show")
@click.argument("exercise_id")
@json_option
@click.option(
    "--picture",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw its illustration to this file (.svg, .png or .pdf).",
)
@click.option(
    "--sources",
    is_flag=True,
    help="List where each clinical fact comes from (seed passage or clinical default).",
)
def show(exercise_id: str, as_json: bool, picture: Path | None, sources: bool) -> None:
    """Show one exercise in full."""
    lib = library_for(get_host())
    ex = lib.get(exercise_id)
    if sources:
        _show_sources(ex, as_json)
        return
    if picture is not None:
        from routinekit.cli.picture import write_picture

        click.echo(f"Picture: {write_picture(ex, picture)}", err=True)
    if as_json:
        echo_json(next(d for d in lib.to_builtins() if d["id"] == ex.id))
        return
    click.echo(f"{ex.name}  ({ex.id}, from plugin '{lib.owner(ex.id)}')")
    if ex.aliases:
        click.echo(f"Also called: {', '.join(ex.aliases)}")
    click.echo(f"Objective: {ex.objective}")
    click.echo(
        f"Positions: {', '.join(p.value for p in ex.body_positions)}; "
        f"needs: {', '.join(n.value for n in ex.all_needs) or 'nothing'}; "
        f"spine: {', '.join(m.value for m in ex.movements) or '-'}; "
        f"difficulty {ex.difficulty}; phases: {', '.join(p.value for p in ex.phases) or '-'}"
    )
    if ex.moves:
        click.echo("Moves: " + ", ".join(f"{m.joint.value} {m.motion.value}" for m in ex.moves))
    for i, step in enumerate(ex.steps, 1):
        click.echo(f"  {i}. {step}")
    if not ex.dose.is_empty:
        click.echo(f"Dose: {dose_text(ex.dose)}")
    for c in ex.cautions:
        click.echo(f"Caution: {c}")
    for a in ex.alternatives:
        click.echo(f"Alternative ({a.position.value}): {a.text}")
    click.echo(f"Video: {ex.video_url or 'none known'}")
    if ex.source:
        click.echo(f"Source: {ex.source}" + (f" (licence {ex.licence})" if ex.licence else ""))


def _show_sources(ex: Exercise, as_json: bool) -> None:
    from routinekit.content import exercise_facts

    facts = list(exercise_facts(ex))
    if as_json:
        echo_json(
            [
                {
                    "fact": f.where.split(": ", 1)[-1],
                    "says": f.text,
                    "sources": [
                        {
                            k: v
                            for k, v in (
                                ("seed", s.seed),
                                ("quote", s.quote),
                                ("default", s.default),
                            )
                            if v
                        }
                        for s in f.sources
                    ],
                }
                for f in facts
            ]
        )
        return
    click.echo(f"{ex.name}  ({ex.id}): where each fact comes from")
    for f in facts:
        click.echo(f"{f.where.split(': ', 1)[-1]}: {f.text}")
        for s in f.sources:
            click.echo(f"    <- {s.text()}")
        if not f.sources:
            click.echo("    <- no source given")


def _simple_listing(kind: str, as_json: bool, fields: tuple[str, ...]) -> None:
    h = get_host()
    found = getattr(h, kind)()
    if as_json:
        echo_json(
            [
                {"id": k, **{f: getattr(r.obj, f, None) for f in fields}, "plugin": r.plugin}
                for k, r in found.items()
            ]
        )
        return
    for k, r in found.items():
        click.echo(
            f"{k:<18} {getattr(r.obj, 'name', ''):<28} {getattr(r.obj, 'description', '') or ''}"
        )
    warn_plugin_errors(h)


@click.command()
@json_option
def strategies(as_json: bool) -> None:
    """List sequencing strategies (`build --strategy ID`)."""
    _simple_listing("strategies", as_json, ("name", "description"))


@click.command()
@json_option
def renderers(as_json: bool) -> None:
    """List output formats (`build --format ID`)."""
    _simple_listing("renderers", as_json, ("name", "extension", "media_type"))
