"""``routinekit batch``: one handout per row of a patient list."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from routinekit.cli.options import CLINIC, choice_options, drawing_options, request_from

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
    help="Folder or URL (s3://BUCKET/PREFIX, gs://, az://, file://) for the handouts and "
    "manifest.jsonl; URLs need routinekit[s3], [gcs] or [azure].",
)
@click.option(
    "--storage-options",
    metavar="JSON",
    help="""Options of the URL's file system (fsspec), e.g. '{"endpoint_url": "http://..."}'; """
    "fsspec's FSSPEC_<PROTOCOL>_<OPTION> variables work too.",
)
@click.option(
    "--shard",
    type=click.IntRange(min=0),
    help="At most N files per folder (000/, 001/, ...); 0 for none. "
    "[default: 1000 above 10,000 rows, else none]",
)
@CLINIC
@choice_options
@drawing_options
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
    "--scheduler", help="Run on Dask: 'local' or tcp://HOST:PORT (pip install 'routinekit[dask]')."
)
@click.option(
    "--max-failures",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Stop (exit 1) when this many rows have failed before any succeeded.",
)
@click.option(
    "--keep-going", is_flag=True, help="Run every row, however many fail (no early stop)."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def batch(
    patients: Path,
    routine: str,
    outdir: str,
    storage_options: str | None,
    shard: int | None,
    clinic: Path | None,
    jobs: int | None,
    name_pattern: str | None,
    resume: bool,
    force: bool,
    merge: bool,
    zip_: bool,
    scheduler: str | None,
    max_failures: int,
    keep_going: bool,
    quiet: bool,
    **params: Any,
) -> None:
    """Build a handout for every row of PATIENTS (CSV, JSON Lines, JSON or YAML list).

    CSV columns: name (or first_name, last_name), date, therapist, clinic, language,
    notes, exclude, minutes, max_difficulty, routine, id, and dose:<exercise-id>
    (e.g. "hold 30-60; reps 3; per_day 2"). The options mean what they mean for
    `routinekit build`: each row is a patient, and an option wins over the row's
    value (--exclude adds to it; --date is for rows without a date). Results, one
    line per row, go to OUTDIR/manifest.jsonl. Exit status 1 when any row failed.
    When the first --max-failures rows all fail, the batch stops with one line naming
    the most common reason (--keep-going runs to the end).
    """
    if scheduler is None:  # the local pool: its fork server boots while the rest loads
        from routinekit.batch.forkserver import start_fork_server

        start_fork_server()
    from routinekit.batch.names import DEFAULT_PATTERN
    from routinekit.batch.runner import run_batch
    from routinekit.batch.storage import parse_storage_options

    options = parse_storage_options(storage_options)
    request = request_from(params, routine=routine, clinic=clinic)
    summary = run_batch(
        patients,
        request,
        outdir,
        jobs=jobs,
        shard=shard,
        storage_options=options,
        name_pattern=name_pattern or DEFAULT_PATTERN,
        resume=resume,
        force=force,
        merge=merge,
        zip=zip_,
        scheduler=scheduler,
        progress=not quiet,
        max_failures=None if keep_going else max_failures,
    )
    if summary.personal_names:
        click.echo(
            "Note: file names include patient names or references (--name-pattern); "
            "so do the manifest and directory listings.",
            err=True,
        )
    if summary.stopped:
        click.echo(summary.stopped, err=True)
        sys.exit(1)
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
