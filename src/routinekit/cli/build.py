"""``routinekit build``: one handout from a routine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from routinekit.cli.common import host as get_host
from routinekit.cli.common import warn_plugin_errors
from routinekit.cli.options import CLINIC, choice_options, drawing_options, request_from


@click.command()
@click.argument("routine")
@click.option(
    "--patient",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A patient file (YAML/JSON): name, date, therapist, notes, exclude, doses.",
)
@CLINIC
@choice_options
@drawing_options
@click.option(
    "-o",
    "--output",
    # kept as text: click would turn an empty -o '' into Path('.') and a misleading message
    type=click.Path(dir_okay=False),
    help="Where to write the handout (default: ROUTINE-ID.FORMAT here).",
)
@click.option("--explain", is_flag=True, help="Print the order and the reason for each exercise.")
def build(
    routine: str,
    patient: Path | None,
    clinic: Path | None,
    output: str | None,
    explain: bool,
    **params: Any,
) -> None:
    """Build a handout from ROUTINE (a routine file, or a template id)."""
    from routinekit.cli.explain import print_explanation
    from routinekit.output import check_output, write_atomic
    from routinekit.pipeline import check_request, prepare
    from routinekit.stages import render

    h = get_host()
    request = request_from(
        params, routine=routine, patient=str(patient) if patient else None, clinic=clinic
    )
    check_request(request, h)
    if output is not None:  # a bad -o is refused before any work is done
        check_output(output, inputs=(routine, patient, clinic))
    result = prepare(request, h)
    data = render(
        result.handout,
        h,
        format=request.format,
        options=request.render,
        source=result.routine_file,
    )
    extension = h.renderer(request.format).extension
    out = Path(output) if output is not None else Path(f"{result.handout.routine_id}.{extension}")
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
