"""``routinekit batch``: one handout per row of a patient list."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from routinekit.model import Phase

_NAME_HELP = (
    "Output file names; fields {row} {id} {name} {first_name} {last_name} {date} {routine} "
    "{language}. The default holds no names; ask for them explicitly."
)


@click.command()
@click.argument("patients", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--routine",
    "-r",
    required=True,
    help="Routine file or template id (a 'routine' column overrides it per row).",
)
@click.option(
    "-o",
    "--outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the handouts and manifest.jsonl.",
)
@click.option("-f", "--format", "fmt", default="pdf", show_default=True, help="Output format.")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores)."
)
@click.option(
    "--name-pattern", default=None, help=_NAME_HELP + "  [default: {row:05d}_{routine}_{date}]"
)
@click.option(
    "--resume", is_flag=True, help="Keep rows the manifest records as done; rebuild the rest."
)
@click.option("--force", is_flag=True, help="Rebuild every row, overwriting existing files.")
@click.option(
    "--merge", is_flag=True, help="Also write batch-merged.pdf (every handout, row order)."
)
@click.option("--zip", "zip_", is_flag=True, help="Also write batch.zip (handouts and manifest).")
@click.option(
    "--date",
    "date_",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date for rows without one (default: today).",
)
@click.option("--clinic", type=click.Path(dir_okay=False, path_type=Path), help="A clinic profile.")
@click.option("--strategy", help="Sequencing strategy id for every row.")
@click.option(
    "--exclude", multiple=True, help="Leave out for every row (adds to each row's exclude)."
)
@click.option(
    "--minutes", type=click.FloatRange(min=0.5, max=240), help="Default time budget per row."
)
@click.option(
    "--max-difficulty", type=click.IntRange(1, 5), help="Default difficulty limit per row."
)
@click.option("--phase", type=click.Choice([p.value for p in Phase]), help="Recovery phase.")
@click.option("--lang", "language", help="Language for rows without one (e.g. es).")
@click.option(
    "--page-size",
    type=click.Choice(["letter", "a4"], case_sensitive=False),
    default="letter",
    show_default=True,
)
@click.option(
    "--scheduler", help="Run on Dask: 'local' or tcp://HOST:PORT (pip install 'routinekit[dask]')."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def batch(
    patients: Path,
    routine: str,
    outdir: Path,
    fmt: str,
    jobs: int | None,
    name_pattern: str | None,
    resume: bool,
    force: bool,
    merge: bool,
    zip_: bool,
    date_: dt.datetime | None,
    clinic: Path | None,
    strategy: str | None,
    exclude: tuple[str, ...],
    minutes: float | None,
    max_difficulty: int | None,
    phase: str | None,
    language: str | None,
    page_size: str,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Build a handout for every row of PATIENTS (CSV, JSON Lines, JSON or YAML list).

    CSV columns: name (or first_name, last_name), date, therapist, clinic, language,
    notes, exclude, minutes, max_difficulty, routine, id, and dose:<exercise-id>
    (e.g. "hold 30-60; reps 3; per_day 2"). Results, one line per row, go to
    OUTDIR/manifest.jsonl. Exit status 1 when any row failed.
    """
    from routinekit.batch.names import DEFAULT_PATTERN
    from routinekit.batch.runner import run_batch
    from routinekit.cli.options import split_tokens
    from routinekit.contracts import RenderOptions

    summary = run_batch(
        patients,
        routine,
        outdir,
        format=fmt,
        jobs=jobs,
        name_pattern=name_pattern or DEFAULT_PATTERN,
        resume=resume,
        force=force,
        merge=merge,
        zip=zip_,
        date=date_.date() if date_ else None,
        clinic=clinic,
        strategy=strategy,
        exclude=split_tokens(exclude),
        minutes=minutes,
        max_difficulty=max_difficulty,
        phase=Phase(phase) if phase else None,
        language=language,
        options=RenderOptions(page_size=page_size.lower()),
        scheduler=scheduler,
        progress=not quiet,
    )
    if summary.personal_names:
        click.echo(
            "Note: file names include patient names or references (--name-pattern); "
            "so do the manifest and directory listings.",
            err=True,
        )
    for _row, error in summary.failures[:10]:
        click.echo(f"  failed: {error}", err=True)
    if summary.failed > 10:
        click.echo(f"  ... and {summary.failed - 10} more failures in the manifest", err=True)
    click.echo(summary.line(), err=True)
    for extra in (summary.merged, summary.zip):
        if extra is not None:
            click.echo(f"Wrote {extra}", err=True)
    if not summary.ok:
        sys.exit(1)
