"""``routinekit validate``: check a routine without printing it."""

from __future__ import annotations

from pathlib import Path

import click

from routinekit.cli.common import host as get_host
from routinekit.cli.lang_option import check_lang_option


@click.command()
@click.argument("routine")
@click.option("--clinic", type=click.Path(dir_okay=False, path_type=Path), help="A clinic profile.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option(
    "--lang",
    "lang",
    callback=check_lang_option,
    metavar="CODE",
    help="Check the text as printed in this language (e.g. es): gaps, plain words.",
)
@click.option(
    "--patient",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check the handout of this patient (limits, stage, notes).",
)
@click.option(
    "--exclude",
    multiple=True,
    help="Limits to check with, e.g. floor, kneeling, no-chair (comma-separated or repeated).",
)
def validate(
    routine: str,
    clinic: Path | None,
    strict: bool,
    lang: str | None,
    patient: Path | None,
    exclude: tuple[str, ...],
) -> None:
    """Check ROUTINE: fields, exercise ids, strategy, video links. Exits 2 on an error."""
    from routinekit import api
    from routinekit.cli.options import split_tokens
    from routinekit.request import BuildOptions

    report = api.validate(
        routine,
        clinic=clinic,
        host=get_host(),
        language=lang,
        patient=patient,
        options=BuildOptions(exclude=split_tokens(exclude)),
    )
    for f in report.findings:
        click.echo(f.line())
    warnings = sum(f.level == "warning" for f in report.findings)
    click.echo(
        f"{report.routine.source}: OK ({len(report.routine.routine.exercises)} exercises, "
        f"{warnings} warning{'s' if warnings != 1 else ''})"
    )
    if strict and warnings:
        raise SystemExit(1)
