"""The options of every command that builds handouts, defined once.

``build`` and ``batch`` take every option of :data:`CHOICES` and :data:`DRAWING` with
the same meaning (``sequence`` takes the choices only); :func:`request_from` turns
the parsed values into the one :class:`~routinekit.request.BuildRequest` type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from routinekit.cli.lang_option import check_lang_option
from routinekit.contracts import RenderOptions
from routinekit.model import Phase
from routinekit.request import GUARD_MODES, PAGE_SIZES, BuildOptions, BuildRequest

F = TypeVar("F", bound=Callable[..., object])


class IsoDate(click.ParamType):
    """A day written YYYY-MM-DD (``date.fromisoformat``: no strptime machinery at start)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            if len(text) != 10:
                raise ValueError(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a date: write it YYYY-MM-DD, e.g. 2026-01-05", param, ctx)


CLINIC = click.option(
    "--clinic",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A clinic profile (default: $ROUTINEKIT_CLINIC or ~/.config/routinekit/clinic.yaml).",
)

#: What goes on the handout, over the patient's and the routine's choices.
CHOICES = (
    click.option("--strategy", help="Sequencing strategy id (see `routinekit strategies`)."),
    click.option(
        "--exclude",
        multiple=True,
        help="Leave out what the patient cannot do: floor, kneeling, prone, supine, side-lying, "
        "lying, standing, chair-only, no-chair (or another missing thing), a movement or an "
        "exercise id (repeat or comma-separate); adds to the patient's and the routine's.",
    ),
    click.option(
        "--minutes",
        type=click.FloatRange(min=0.5, max=240),
        help="Time budget per session (over the patient's and the routine's).",
    ),
    click.option(
        "--max-difficulty",
        type=click.IntRange(1, 5),
        help="Leave out exercises harder than this (1-5).",
    ),
    click.option("--phase", type=click.Choice([p.value for p in Phase]), help="Recovery phase."),
    click.option(
        "--lang",
        "lang",
        callback=check_lang_option,
        metavar="CODE",
        help="Handout language, e.g. es (over the patient's and the routine's).",
    ),
    click.option(
        "--guards",
        type=click.Choice(GUARD_MODES, case_sensitive=False),
        help="Clinical guard rails on doses and red flags (default: $ROUTINEKIT_GUARDS or "
        "standard).",
    ),
    click.option(
        "--strict",
        is_flag=True,
        help="A warning (e.g. the routine shrank for the patient's limits) is an error.",
    ),
    click.option(
        "--date",
        "date_",
        type=IsoDate(),
        help="Date for handouts whose patient has no date (default: today).",
    ),
)

#: How the handout is drawn.
DRAWING = (
    click.option(
        "-f",
        "--format",
        "fmt",
        default="pdf",
        show_default=True,
        help="Output format (see `routinekit renderers`).",
    ),
    click.option(
        "--page-size",
        type=click.Choice(PAGE_SIZES, case_sensitive=False),
        default="letter",
        show_default=True,
    ),
    click.option(
        "--large-print",
        is_flag=True,
        help="Large print: body 18 pt or more, sans-serif, wide spacing, bigger QR codes.",
    ),
    click.option(
        "--exercise-qr/--no-exercise-qr",
        default=True,
        show_default=True,
        help="Print a QR code on each exercise card that has a video.",
    ),
    click.option(
        "--tracking-log/--no-tracking-log", default=None, help="Force the tracking log on or off."
    ),
)


def _apply(command: F, options: tuple[Callable[[F], F], ...]) -> F:
    for option in reversed(options):
        command = option(command)
    return command


def choice_options(command: F) -> F:
    """Add :data:`CHOICES` (strategy, exclude, minutes, ...)."""
    return _apply(command, CHOICES)


def drawing_options(command: F) -> F:
    """Add :data:`DRAWING` (format, page size, large print, ...)."""
    return _apply(command, DRAWING)


def split_tokens(values: tuple[str, ...]) -> tuple[str, ...]:
    """``("prone,rotation", "cat-cow")`` -> ``("prone", "rotation", "cat-cow")``."""
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def request_from(
    params: Mapping[str, Any],
    *,
    routine: str,
    patient: str | None = None,
    clinic: Path | None = None,
) -> BuildRequest:
    """The BuildRequest for a command's parsed ``params`` (those it does not take are unset)."""
    date_: dt.date | None = params.get("date_")
    phase = params.get("phase")
    guards = params.get("guards")
    try:
        options = BuildOptions(
            strategy=params.get("strategy"),
            minutes=params.get("minutes"),
            max_difficulty=params.get("max_difficulty"),
            phase=Phase(phase) if phase else None,
            exclude=split_tokens(params.get("exclude") or ()),
            guards=guards.lower() if guards else None,
            language=params.get("lang"),
            date=date_,
            strict=bool(params.get("strict")),
        )
    except ValueError as exc:  # what click's types cannot see (NaN minutes)
        raise click.BadParameter(str(exc), param_hint="'--minutes'") from None
    render = RenderOptions(
        page_size=str(params.get("page_size") or "letter").lower(),
        exercise_qr=bool(params.get("exercise_qr", True)),
        large_print=bool(params.get("large_print", False)),
        tracking_log=params.get("tracking_log"),
    )
    return BuildRequest(
        routine=routine,
        patient=patient,
        clinic=str(clinic) if clinic else None,
        options=options,
        render=render,
        format=params.get("fmt") or "pdf",
    )
