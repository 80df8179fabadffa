"""Printing why each exercise is where it is (``build --explain``)."""

from __future__ import annotations

import click

from routinekit.pipeline import BuildResult


def print_explanation(result: BuildResult) -> None:
    h = result.handout
    click.echo(f"Strategy: {h.strategy_name} ({h.strategy_id})")
    for g in h.groups:
        if g.title:
            click.echo(f"\n{g.title}")
        for item in g.items:
            click.echo(f"  {item.number}. {item.exercise.name} — {item.dose.text()}")
            if item.reason:
                click.echo(f"     why: {item.reason}")
    if h.left_out:
        click.echo("\nLeft out:")
        for lo in h.left_out:
            click.echo(f"  - {lo.name}: {lo.reason}")
    for note in h.strategy_notes:
        click.echo(f"\nNote: {note}")
    click.echo(f"\nRegimen: {h.regimen.text()}")
