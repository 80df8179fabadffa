"""Options shared by the commands that build or sequence a routine (build, sequence)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from routinekit.model import Phase

F = TypeVar("F", bound=Callable[..., object])

_SEQUENCING = (
    click.option(
        "--patient",
        type=click.Path(dir_okay=False, path_type=Path),
        help="A patient file (YAML/JSON): name, date, therapist, notes, exclude, doses.",
    ),
    click.option(
        "--clinic",
        type=click.Path(dir_okay=False, path_type=Path),
        help="A clinic profile (default: $ROUTINEKIT_CLINIC or ~/.config/routinekit/clinic.yaml).",
    ),
    click.option("--strategy", help="Sequencing strategy id (see `routinekit strategies`)."),
    click.option(
        "--exclude",
        multiple=True,
        help="Leave out a position, movement or exercise id (repeat or comma-separate).",
    ),
    click.option(
        "--minutes", type=click.FloatRange(min=0.5, max=240), help="Time budget per session."
    ),
    click.option("--max-difficulty", type=click.IntRange(1, 5), help="Leave out harder exercises."),
    click.option("--phase", type=click.Choice([p.value for p in Phase]), help="Recovery phase."),
    click.option(
        "--date",
        "date_",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Date printed on the handout (default: the patient's date, else today).",
    ),
)


def sequencing_options(command: F) -> F:
    """Add the options that choose and tune the sequence (patient, clinic, strategy, ...)."""
    for option in reversed(_SEQUENCING):
        command = option(command)
    return command


def split_tokens(values: tuple[str, ...]) -> tuple[str, ...]:
    """``("prone,rotation", "cat-cow")`` -> ``("prone", "rotation", "cat-cow")``."""
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())
