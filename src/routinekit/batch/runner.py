"""The batch coordinator: stream rows, hand chunks to an Executor, record every row.

Memory stays bounded: rows are read one at a time, at most a few chunks per worker
are in flight, and handouts are written by the workers themselves (any executor, Dask
included) to the batch's :mod:`~routinekit.batch.storage`; only manifest entries come
back, never handout bytes. What grows with the list is small bookkeeping per row
(used file names, the previous manifest when there is one).

Every row has an input hash (:mod:`routinekit.batch.identity`): its patient, its
routine's content, the batch's options and clinic, routinekit's and the plugins'
versions. A row is *done* when the manifest has an ``ok`` line for it with that input
hash, and its file exists, is complete and has the recorded SHA-256.

* By default a done row is kept; a file the manifest does not vouch for is
  ``skipped`` (never overwritten). If the folder's manifest has an ``ok`` line for a
  row whose input hash differs (another list, an edited dose, other options), the
  batch refuses before anything is written: one list's handouts are never counted as
  another's.
* ``resume=True`` keeps done rows and rebuilds the rest (a different list, an edited
  row, a file a killed batch left half-made).
* ``force=True`` rebuilds every row.

``--merge`` and ``--zip`` take only rows of this run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from routinekit.batch import manifest as mf
from routinekit.batch.backends import SerialExecutor, dask_executor, default_jobs, process_pool
from routinekit.batch.collect import RESERVED_NAMES, merge_pdfs, zip_outputs
from routinekit.batch.convert import RowConverter
from routinekit.batch.identity import RowIdentity, routine_content
from routinekit.batch.names import (
    DEFAULT_PATTERN,
    NameAllocator,
    NamePattern,
    ShardLayout,
    safe_name,
    shard_layout,
)
from routinekit.batch.progress import Progress
from routinekit.batch.rows import PatientList
from routinekit.batch.storage import Journal, Storage, open_storage
from routinekit.batch.worker import ChunkResult, Job, Result, WorkerConfig, run_chunk
from routinekit.errors import Location, UserError
from routinekit.request import BuildRequest

LOCK_NAME = ".routinekit-batch.lock"
#: How many pool restarts after a worker process died, before the batch gives up.
MAX_RESTARTS = 3


@dataclass
class BatchSummary:
    """What a batch did. ``failures`` holds the first few (row, error) pairs."""

    total: int = 0
    written: int = 0
    kept: int = 0
    """Rows already done by an earlier run (their files checked and left alone)."""
    skipped: int = 0
    """Rows whose file existed and was not overwritten."""
    failed: int = 0
    elapsed: float = 0.0
    outdir: Path | str = Path(".")
    """The output folder (a Path), or the URL of the output on an object store."""
    manifest: Path | str = Path(".")
    merged: Path | str | None = None
    zip: Path | str | None = None
    personal_names: bool = False
    """File names carry names or patient references (the name pattern asked for them)."""
    failures: list[tuple[int, str]] = field(default_factory=list)
    worker_peak_rss_kb: int | None = None
    """The largest peak resident memory any worker process reported (for benchmarks)."""

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def line(self) -> str:
        rate = (self.written / self.elapsed) if self.elapsed > 0 else 0.0
        kept = f" ({self.kept} already done)" if self.kept else ""
        return (
            f"Batch: {self.written} written, {self.skipped + self.kept} skipped{kept}, "
            f"{self.failed} failed of {self.total} rows in {self.elapsed:.1f} s "
            f"({rate:.1f} handouts/s); manifest: {self.manifest}"
        )


@contextlib.contextmanager
def _outdir_lock(outdir: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: no lock, and stale temporary files are left alone
        yield
        return
    from routinekit.output import open_lock_file

    fd = open_lock_file(outdir / LOCK_NAME)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UserError(
                "another batch is writing to this folder",
                location=Location(file=str(outdir)),
                hint="wait for it to finish, or choose another output folder",
            ) from None
        # left by a killed batch (top level and shard folders); ours, since we hold the lock
        for stale in [*outdir.glob(".*.part"), *outdir.glob("[!.]*/.*.part")]:
            with contextlib.suppress(OSError):
                stale.unlink()
        yield
    finally:
        os.close(fd)


class _Pool:
    """The executor, started on first use (a resumed batch with nothing left starts no workers),
    and restarted when a worker process died (process pools only)."""

    def __init__(self, start: Callable[[], Executor], *, restartable: bool) -> None:
        self.start = start
        self.restartable = restartable
        self._executor: Executor | None = None
        self.restarts = 0

    @property
    def executor(self) -> Executor:
        if self._executor is None:
            self._executor = self.start()
        return self._executor

    def shutdown(self) -> None:
        if self._executor is not None and self.restartable:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def restart(self) -> None:
        if not self.restartable or self.restarts >= MAX_RESTARTS:
            raise UserError(
                "worker processes keep stopping (out of memory?); the batch stopped",
                hint="rows done so far are in the manifest; re-run with --resume",
            )
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self.restarts += 1
        self._executor = self.start()


def run_batch(
    patients: str | Path,
    routine: str | Path | BuildRequest,
    outdir: str | Path,
    *,
    jobs: int | None = None,
    name_pattern: str = DEFAULT_PATTERN,
    resume: bool = False,
    force: bool = False,
    merge: bool = False,
    zip: bool = False,
    chunk_size: int = 16,
    shard: int | None = None,
    storage_options: dict[str, Any] | None = None,
    scheduler: str | None = None,
    executor: Executor | None = None,
    progress: bool = False,
    **choices: Any,
) -> BatchSummary:
    """Build one handout per row of ``patients`` into ``outdir``; see ``routinekit batch --help``.

    :param routine: the batch's :class:`~routinekit.request.BuildRequest` (each row is it,
        with that row's patient and routine); or a routine file or template id, with
        ``choices`` being :func:`routinekit.api.make_request`'s keyword arguments
        (``clinic``, ``strategy``, ``options``, ``date``, ``format``, ``render``).
    :param outdir: a folder, or a URL fsspec can write (``s3://bucket/prefix``, ``gs://``,
        ``az://``, ``file://``, ``memory://``); see :mod:`routinekit.batch.storage`.
    :param jobs: worker processes (default: every core); 0 runs in this process.
    :param shard: at most this many files per folder (``000/``, ``001/``, ...); 0: none;
        None: 1,000 per folder above 10,000 rows, else none.
    :param storage_options: keyword arguments for the fsspec file system of a URL.
    :param scheduler: ``"local"`` or ``"tcp://HOST:PORT"`` to run on Dask instead.
    :param executor: your own Executor (it must be able to run ``run_chunk``); it is not shut down.
    :returns: the summary; per-row failures are in it and in the manifest, never raised.
    :raises UserError: for what stops the whole batch (bad list header, routine, flags).
    """
    from routinekit import api
    from routinekit.pipeline import check_request
    from routinekit.plugins.host import get_host

    if resume and force:
        raise UserError("--resume and --force contradict each other", hint="choose one")
    started = time.monotonic()
    host = get_host()
    request = routine if isinstance(routine, BuildRequest) else api.make_request(routine, **choices)
    check_request(request, host)  # every invalid choice is refused before a row is built
    extension = host.renderer(request.format).extension
    rf = api.load_routine(request.routine, host=host)
    routine_ref = request.routine
    if Path(routine_ref).is_file():
        routine_ref = str(Path(routine_ref).resolve())
    clinic_profile = api.load_clinic(request.clinic, use_default=request.default_clinic)
    request = msgspec.structs.replace(request, routine=routine_ref, clinic=clinic_profile)
    pattern = NamePattern(name_pattern)
    batch_date = request.options.date or dt.date.today()
    plist = PatientList(patients)
    converter = RowConverter(
        plist.path,
        known_ids=[e.id for e in host.library()],
        date=batch_date,
        routine_id=rf.routine.id,
    )
    if plist.columns is not None:
        converter.check_header(plist.columns)
    total = plist.count()
    layout = shard_layout(shard, total)
    jobs = default_jobs() if jobs is None else max(0, jobs)
    store = open_storage(outdir, storage_options)
    if not store.shared and executor is None and (scheduler is not None or jobs > 0):
        raise UserError(
            "memory:// lives in one process; worker processes cannot write there",
            location=Location(field="--outdir"),
            hint="use -j 0 with memory://, or a folder or object store",
        )
    config = WorkerConfig(key=uuid.uuid4().hex, request=request, storage=store.spec)
    identity = RowIdentity(request, host, routine_content(rf))
    summary = BatchSummary(
        total=total,
        outdir=store.local or store.display(),
        manifest=store.local / mf.MANIFEST_NAME if store.local else store.display(mf.MANIFEST_NAME),
        personal_names=pattern.personal,
    )
    width = max(1, jobs)
    chunk = max(1, min(chunk_size, -(-total // (width * 4)) if total else 1))

    with store.lock(), contextlib.ExitStack() as stack:
        given = executor
        if given is not None:
            pool = _Pool(lambda: given, restartable=False)
        elif scheduler is not None:
            pool = _Pool(
                lambda: stack.enter_context(dask_executor(scheduler, width)), restartable=False
            )
        elif jobs == 0:
            pool = _Pool(SerialExecutor, restartable=False)
        else:
            pool = _Pool(lambda: process_pool(jobs, config), restartable=True)
        stack.callback(pool.shutdown)
        previous = store.read_manifest(max_row=total)
        if previous and not (resume or force):
            _refuse_other_inputs(plist, converter, identity, previous, store.display())
        journal = store.journal()
        this_run = bytearray(total + 1)
        bar = Progress(total, enabled=progress)
        try:
            _run(
                plist,
                converter,
                pattern,
                layout,
                store,
                extension,
                config,
                pool,
                chunk,
                width,
                previous,
                journal,
                summary,
                bar,
                identity,
                this_run,
                resume=resume,
                force=force,
            )
        finally:
            journal.close()
            bar.close()
            entries = store.compact_manifest(rows=total)
        ours = [e for e in entries if this_run[e.row]]  # never a row of an earlier run
        if merge:
            summary.merged = merge_pdfs(store, ours)
        if zip:
            summary.zip = zip_outputs(store, ours, date=batch_date)
    summary.elapsed = time.monotonic() - started
    return summary


def _run(
    plist: PatientList,
    converter: RowConverter,
    pattern: NamePattern,
    layout: ShardLayout | None,
    store: Storage,
    extension: str,
    config: WorkerConfig,
    pool: _Pool,
    chunk: int,
    width: int,
    previous: dict[int, mf.Entry],
    journal: Journal,
    summary: BatchSummary,
    bar: Progress,
    identity: RowIdentity,
    this_run: bytearray,
    *,
    resume: bool,
    force: bool,
) -> None:
    names = NameAllocator(reserved=RESERVED_NAMES)
    pending: dict[Future[ChunkResult], list[Job]] = {}
    batch: list[Job] = []

    def record(entry: mf.Entry, *, counter: str) -> None:
        journal.append(entry)
        this_run[entry.row] = 1
        setattr(summary, counter, getattr(summary, counter) + 1)
        if entry.status == "failed" and entry.error and len(summary.failures) < 20:
            summary.failures.append((entry.row, entry.error))
        bar.update()

    def finish(result: Result) -> None:
        entry = mf.Entry(
            row=result.row,
            status=result.status,
            output=result.output,
            error=result.error,
            sha256=result.sha256,
            bytes=result.size,
            line=result.line,
            warnings=list(result.warnings) or None,
            input=result.input,
        )
        record(entry, counter="written" if result.status == "ok" else "failed")

    def fail_chunk(jobs: list[Job], why: str) -> None:
        for job in jobs:
            finish(
                Result(
                    job.row,
                    "failed",
                    job.output,
                    error=f"row {job.row}: {why}",
                    line=job.line,
                    input=job.input,
                )
            )

    def collect() -> None:
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        broken = False
        for future in sorted(done, key=lambda f: pending[f][0].row):
            jobs = pending.pop(future)
            try:
                chunk_result = future.result()
            except BrokenProcessPool:
                broken = True
                fail_chunk(jobs, "a worker process stopped (out of memory?); re-run with --resume")
                continue
            except Exception as exc:
                fail_chunk(jobs, f"the worker failed ({type(exc).__name__}: {exc})")
                continue
            if chunk_result.peak_rss_kb is not None:
                summary.worker_peak_rss_kb = max(
                    summary.worker_peak_rss_kb or 0, chunk_result.peak_rss_kb
                )
            for result in chunk_result.results:
                finish(result)
        if broken:  # every chunk still in that pool is lost with it
            for future in sorted(pending, key=lambda f: pending[f][0].row):
                fail_chunk(pending.pop(future), "a worker process stopped; re-run with --resume")
            pool.restart()

    def submit() -> None:
        nonlocal batch
        if batch:
            pending[pool.executor.submit(run_chunk, config, batch)] = batch
            batch = []
        while len(pending) >= 2 * width + 1:
            collect()

    for raw in plist:
        try:
            spec = converter.convert(raw)
        except UserError as exc:
            record(
                mf.Entry(row=raw.row, status="failed", error=exc.one_line(), line=raw.line),
                counter="failed",
            )
            continue
        patient = spec.patient
        name = names.allocate(
            safe_name(pattern.render(spec.fields), extension, fallback=f"row-{spec.row:05d}")
        )
        if layout is not None:
            name = layout.place(spec.row, name)
        before = previous.pop(spec.row, None)
        digest = identity.of(patient, spec.routine)
        if (
            not force
            and before is not None
            and before.output
            and before.output != name
            and before.output.rsplit("/", 1)[-1] == name.rsplit("/", 1)[-1]
            and store.still_valid(before.output, before, extension, input=digest)
        ):  # done under another shard layout (--shard changed): where the manifest says
            record(before, counter="kept")
            continue
        if not force and store.exists(name):
            if (
                before is not None
                and before.output == name
                and store.still_valid(name, before, extension, input=digest)
            ):
                record(before, counter="kept")
                continue
            if not resume:
                record(
                    mf.Entry(
                        row=spec.row,
                        status="skipped",
                        output=name,
                        line=spec.line,
                        error=f"row {spec.row}: the file exists; use --resume or --force",
                        input=digest,
                    ),
                    counter="skipped",
                )
                continue
        batch.append(
            Job(
                row=spec.row,
                patient=patient,
                output=name,
                routine=spec.routine,
                line=spec.line,
                input=digest,
            )
        )
        if len(batch) >= chunk:
            submit()
    submit()
    while pending:
        collect()


def _refuse_other_inputs(
    plist: PatientList,
    converter: RowConverter,
    identity: RowIdentity,
    previous: dict[int, mf.Entry],
    outdir: str,
) -> None:
    """Stop before anything is written if the folder holds handouts of other inputs.

    A row the manifest records as ``ok`` must have been made from the same inputs as
    the row now (the same patient, routine, options and versions); else the folder
    holds another list's (or another version's) handouts. Only rows the manifest
    knows are converted; the message names the row, never the patient.
    """
    for raw in plist:
        before = previous.get(raw.row)
        if before is None or before.status != "ok":
            continue
        try:
            spec = converter.convert(raw)
        except UserError:
            continue  # fails as itself in the batch
        if before.input != identity.of(spec.patient, spec.routine):
            raise UserError(
                f"this folder's handouts were made from other inputs (row {raw.row} differs "
                "from its manifest: another list, an edited row, other options or versions)",
                location=Location(file=outdir),
                hint="add --resume to rebuild what changed, --force to rebuild every row, "
                "or choose another output folder",
            )
