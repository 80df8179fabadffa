"""``routinekit new`` and ``routinekit schema``: start a routine file, publish its schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

from routinekit.cli.common import host as get_host


@click.command()
@click.option(
    "--template",
    "-t",
    "template_id",
    default="back-spasm-acute",
    show_default=True,
    help="Template id (see `routinekit templates`).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The routine file to create.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(template_id: str, output: Path, force: bool) -> None:
    """Start a new routine file from a template, ready to edit."""
    from routinekit.errors import Location, UserError
    from routinekit.output import write_atomic

    template = get_host().template(template_id)
    if output.exists() and not force:
        raise UserError(
            "already exists",
            location=Location(file=str(output)),
            hint="choose another name or add --force",
        )
    write_atomic(output, Path(template.path).read_bytes())
    click.echo(
        f"Wrote {output} from template '{template_id}'. Edit it, then run "
        f"`routinekit validate {output}`.",
        err=True,
    )


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to a file instead of the screen.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of routine files (for editors and other tools)."""
    from routinekit.files.schema import routine_schema
    from routinekit.output import write_atomic

    text = json.dumps(routine_schema(), indent=2) + "\n"
    if output:
        write_atomic(output, text.encode())
    else:
        click.echo(text, nl=False)
