"""``routinekit content``: the built-in clinical content for review and sign-off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from routinekit.errors import UserError


@click.group()
def content() -> None:
    """The built-in clinical content: its sources, its version, a clinic's sign-off."""


@content.command("doc")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the document here (default: print it).",
)
def doc(output: Path | None) -> None:
    """Every built-in fact with its source (docs/clinical-content.md)."""
    from routinekit.content import builtin_facts, document, missing

    facts = builtin_facts()
    text = document(facts)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output} ({len(facts)} facts)", err=True)
    gaps = missing(facts)
    if gaps:
        click.echo(f"Warning: {len(gaps)} facts have no source: {', '.join(gaps[:5])}", err=True)


@content.command("version")
def version() -> None:
    """The version of the built-in content (a hash of every fact and its sources)."""
    from routinekit.content import current_version

    click.echo(current_version())


@content.command("signoff")
@click.option("--by", "by", required=True, help="Who reviewed it, e.g. 'Dr. Sam Rivera, PT'.")
@click.option("--date", "date", help="When, as YYYY-MM-DD (default: today).")
def signoff(by: str, date: str | None) -> None:
    """Print the lines that record a review of this content version in a clinic profile."""
    from routinekit.content import signoff_yaml

    day = date or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise UserError(f"date '{day}' is not a date", hint="write it as YYYY-MM-DD").at(
            field="--date"
        ) from None
    click.echo("# add to your clinic profile (clinic.yaml):")
    click.echo(signoff_yaml(by.strip(), day), nl=False)
