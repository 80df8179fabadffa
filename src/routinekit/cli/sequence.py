"""``routinekit sequence``: show the order a strategy gives a routine, and why — no file written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from routinekit.cli.common import echo_json, warn_plugin_errors
from routinekit.cli.common import host as get_host
from routinekit.cli.options import sequencing_options, split_tokens
from routinekit.model import Phase


@click.command()
@click.argument("routine")
@sequencing_options
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
    strategy: str | None,
    exclude: tuple[str, ...],
    minutes: float | None,
    max_difficulty: int | None,
    phase: str | None,
    date_: dt.datetime | None,
    each_phase: bool,
    as_json: bool,
) -> None:
    """Print the order of ROUTINE's exercises, the reason for each and for each one left out."""
    from routinekit import api
    from routinekit.cli.explain import explanation_data, explanation_lines
    from routinekit.pipeline import BuildResult, Overrides
    from routinekit.strategies.phases import check_phase_strategies

    h = get_host()
    rf = api.load_routine(routine, host=h)
    check_phase_strategies(rf, h)
    names = {k: r.obj.name for k, r in h.strategies().items()}

    def run(strategy_id: str | None) -> BuildResult:
        overrides = Overrides(
            strategy=strategy_id,
            minutes=minutes,
            max_difficulty=max_difficulty,
            phase=Phase(phase) if phase else None,
            exclude=split_tokens(exclude),
        )
        return api.build_handout(
            rf,
            patient=patient,
            clinic=clinic,
            overrides=overrides,
            date=date_.date() if date_ else None,
            host=h,
        )

    result = run(strategy)
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
