"""``routinekit build``: one handout from a routine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from routinekit.cli.common import host as get_host
from routinekit.cli.common import warn_plugin_errors
from routinekit.cli.lang_option import check_lang_option
from routinekit.cli.options import sequencing_options, split_tokens
from routinekit.model import Phase


@click.command()
@click.argument("routine")
@sequencing_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the handout (default: ROUTINE-ID.FORMAT here).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    default="pdf",
    show_default=True,
    help="Output format (see `routinekit renderers`).",
)
@click.option(
    "--page-size",
    type=click.Choice(["letter", "a4"], case_sensitive=False),
    default="letter",
    show_default=True,
)
@click.option(
    "--exercise-qr/--no-exercise-qr",
    default=True,
    show_default=True,
    help="Print a QR code on each exercise card that has a video.",
)
@click.option(
    "--tracking-log/--no-tracking-log", default=None, help="Force the tracking log on or off."
)
@click.option("--explain", is_flag=True, help="Print the order and the reason for each exercise.")
@click.option(
    "--guards",
    type=click.Choice(["standard", "strict", "warn", "off"], case_sensitive=False),
    help="Clinical guard rails on doses and red flags (default: $ROUTINEKIT_GUARDS or standard).",
)
@click.option(
    "--lang",
    "lang",
    callback=check_lang_option,
    metavar="CODE",
    help="Handout language, e.g. es (default: the patient's, else the routine's).",
)
@click.option(
    "--large-print",
    is_flag=True,
    help="Large print: body 18 pt or more, sans-serif, wide spacing, bigger QR codes.",
)
def build(
    routine: str,
    output: Path | None,
    patient: Path | None,
    clinic: Path | None,
    strategy: str | None,
    fmt: str,
    exclude: tuple[str, ...],
    minutes: float | None,
    max_difficulty: int | None,
    phase: str | None,
    page_size: str,
    exercise_qr: bool,
    tracking_log: bool | None,
    date_: dt.datetime | None,
    explain: bool,
    guards: str | None,
    lang: str | None,
    large_print: bool,
) -> None:
    """Build a handout from ROUTINE (a routine file, or a template id)."""
    from routinekit import api
    from routinekit.cli.explain import print_explanation
    from routinekit.contracts import RenderOptions
    from routinekit.errors import UserError
    from routinekit.output import write_atomic
    from routinekit.pipeline import Overrides, render

    h = get_host()
    try:
        renderer = h.renderer(fmt)  # fail fast on an unknown format
    except UserError as exc:
        raise exc.at(field="--format") from None
    overrides = Overrides(
        strategy=strategy,
        minutes=minutes,
        max_difficulty=max_difficulty,
        phase=Phase(phase) if phase else None,
        exclude=split_tokens(exclude),
        guards=guards,
        language=lang,
    )
    result = api.build_handout(
        routine,
        patient=patient,
        clinic=clinic,
        overrides=overrides,
        date=date_.date() if date_ else None,
        host=h,
    )
    options = RenderOptions(
        page_size=page_size.lower(),
        exercise_qr=exercise_qr,
        tracking_log=tracking_log,
        large_print=large_print,
    )
    data = render(result.handout, host=h, format=fmt, options=options, source=result.routine_file)
    out = output or Path(f"{result.handout.routine_id}.{renderer.extension}")
    logo = result.handout.clinic.logo if result.handout.clinic else None
    inputs = (routine, patient, clinic, logo)  # never overwrite what was read
    write_atomic(out, data, private=result.handout.patient is not None, inputs=inputs)
    warn_plugin_errors(h)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if explain:
        print_explanation(result)
    click.echo(
        f"Wrote {out} ({len(data) / 1024:.0f} KB, {len(result.handout.items)} exercises, "
        f"strategy {result.handout.strategy_id})",
        err=True,
    )
