"""``routinekit sequence``: show the order a strategy gives a routine, and why — no file written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from routinekit.cli.common import echo_json, warn_plugin_errors
from routinekit.cli.common import host as get_host
from routinekit.cli.options import CLINIC, choice_options, request_from


@click.command()
@click.argument("routine")
@click.option(
    "--patient",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A patient file (YAML/JSON): name, date, therapist, notes, exclude, doses.",
)
@CLINIC
@choice_options
@click.option(
    "--each-phase",
    is_flag=True,
    help="Also sequence the routine with the strategy of each of its programme phases.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for other programs.")
def sequence(
    routine: str,
    patient: Path | None,
    clinic: Path | None,
    each_phase: bool,
    as_json: bool,
    **params: Any,
) -> None:
    """Print the order of ROUTINE's exercises, the reason for each and for each one left out."""
    from routinekit import api
    from routinekit.cli.explain import explanation_data, explanation_lines
    from routinekit.pipeline import BuildResult, check_request, prepare
    from routinekit.stages.phases import check_phase_strategies

    h = get_host()
    request = request_from(
        params, routine=routine, patient=str(patient) if patient else None, clinic=clinic
    )
    check_request(request, h)
    rf = api.load_routine(routine, host=h)
    check_phase_strategies(rf, h)
    names = {k: r.obj.name for k, r in h.strategies().items()}

    def run(strategy_id: str | None) -> BuildResult:
        return prepare(request.with_options(strategy=strategy_id), h, routine_file=rf)

    result = run(request.options.strategy)
    extra: list[tuple[str, BuildResult]] = []
    if each_phase:
        extra = [(p.name, run(p.strategy)) for p in rf.routine.phases if p.strategy]
    warn_plugin_errors(h)
    if as_json:
        data = explanation_data(result)
        if each_phase:
            data["each_phase"] = [{"phase": name, **explanation_data(r)} for name, r in extra]
        echo_json(data)
        return
    for line in explanation_lines(result, names):
        click.echo(line)
    for name, r in extra:
        click.echo(f"\n=== Phase: {name} ===")
        lines = explanation_lines(r, names)
        if "Programme phases:" in lines:
            lines = lines[: lines.index("Programme phases:")]
        while lines and not lines[-1]:
            lines.pop()
        for line in lines:
            click.echo(line)
