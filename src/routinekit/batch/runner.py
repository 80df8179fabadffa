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
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from routinekit.batch import lifeline
from routinekit.batch import manifest as mf
from routinekit.batch.backends import SerialExecutor, dask_executor, default_jobs, process_pool
from routinekit.batch.collect import RESERVED_NAMES, merge_pdfs, zip_outputs
from routinekit.batch.convert import RowConverter
from routinekit.batch.forkserver import start_fork_server
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
from routinekit.batch.worker import (
    ChunkResult,
    Job,
    Result,
    WorkerConfig,
    run_chunk,
)
from routinekit.batch.worker import release as release_worker_state
from routinekit.errors import Location, UserError
from routinekit.library import library_for
from routinekit.request import BuildRequest

LOCK_NAME = ".routinekit-batch.lock"
#: How many pool restarts after a worker process died, before the batch gives up.
MAX_RESTARTS = 8
#: The most rows one task builds (hundreds: the per-task cost is small beside them).
CHUNK_ROWS = 200
#: The fewest rows of a chunk near the end of the list (see :meth:`_Coordinator.chunk_for`).
TAIL_ROWS = 8
#: Stop when this many rows failed and none succeeded (``--max-failures``).
MAX_FAILURES = 20


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
    stopped: str | None = None
    """Why the batch stopped early (the first rows all failed), without patient data."""
    worker_pids: set[int] = field(default_factory=set)
    """Every worker process that built a chunk (workers are recycled; for tests, benchmarks)."""

    @property
    def ok(self) -> bool:
        return self.failed == 0 and not self.stopped

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
        executor, self._executor = self._executor, None
        if executor is None or not self.restartable:
            return
        if getattr(executor, "_broken", False):
            _stop_broken(executor)
        else:
            executor.shutdown(wait=True, cancel_futures=True)

    def restart(self) -> None:
        if not self.restartable or self.restarts >= MAX_RESTARTS:
            raise UserError(
                "worker processes keep stopping (out of memory?); the batch stopped",
                hint="rows done so far are in the manifest; re-run with --resume",
            )
        if self._executor is not None:
            _stop_broken(self._executor)
        self.restarts += 1
        self._executor = self.start()


def _stop_broken(executor: Executor) -> None:
    """Shut a broken process pool down without waiting on it, its processes killed.

    A pool breaks while the coordinator may be starting a new worker for it (Python 3.11
    starts workers in ``submit``); the pool's own clean-up then waits for that idle worker
    for ever. Killing every process it knows ends that wait.
    """
    executor.shutdown(wait=False, cancel_futures=True)
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.kill()


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
    chunk_size: int = CHUNK_ROWS,
    shard: int | None = None,
    storage_options: dict[str, Any] | None = None,
    scheduler: str | None = None,
    executor: Executor | None = None,
    progress: bool = False,
    max_failures: int | None = MAX_FAILURES,
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
    :param chunk_size: the most rows one task builds (small lists are split finer, so
        every worker gets a few chunks).
    :param shard: at most this many files per folder (``000/``, ``001/``, ...); 0: none;
        None: 1,000 per folder above 10,000 rows, else none.
    :param storage_options: keyword arguments for the fsspec file system of a URL.
    :param scheduler: ``"local"`` or ``"tcp://HOST:PORT"`` to run on Dask instead.
    :param executor: your own Executor (it must be able to run ``run_chunk``); it is not shut down.
    :param max_failures: stop when this many rows have failed and none has succeeded yet
        (``summary.stopped`` then says why); None or 0 runs to the end (``--keep-going``).
    :returns: the summary; per-row failures are in it and in the manifest, never raised.
    :raises UserError: for what stops the whole batch (bad list header, routine, flags).
    """
    from routinekit import api
    from routinekit.pipeline import check_request
    from routinekit.plugins.host import get_host

    if resume and force:
        raise UserError("--resume and --force contradict each other", hint="choose one")
    started = time.monotonic()
    if executor is None and scheduler is None and (jobs is None or jobs > 0):
        start_fork_server()  # it boots while this thread reads the routine and the list
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
        known_ids=[e.id for e in library_for(host)],
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
    config = WorkerConfig(
        key=uuid.uuid4().hex,
        request=request,
        storage=store.spec,
        # a local folder: each worker appends its rows' lines itself, as it commits them
        manifest=str(store.local / mf.MANIFEST_NAME) if store.local else None,
        coordinator=lifeline.identity(),
    )
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
            stack.callback(release_worker_state)
        else:
            pool = _Pool(lambda: process_pool(jobs, config), restartable=True)
        stack.callback(pool.shutdown)
        previous = store.read_manifest(max_row=total)
        if previous and not (resume or force):
            _refuse_other_inputs(plist, converter, identity, previous, store.display())
        journal = store.journal()
        coordinator = _Coordinator(
            plist=plist,
            converter=converter,
            pattern=pattern,
            layout=layout,
            store=store,
            extension=extension,
            config=config,
            pool=pool,
            chunk=chunk,
            width=width,
            previous=previous,
            journal=journal,
            summary=summary,
            bar=Progress(total, enabled=progress),
            identity=identity,
            max_failures=max_failures or None,
            resume=resume,
            force=force,
        )
        try:
            coordinator.run()
        finally:
            # every worker stops before the manifest is compacted: a line appended to
            # the old file after the rewrite would be lost
            pool.shutdown()
            journal.close()
            coordinator.bar.close()
            entries = store.compact_manifest(rows=total)
        ours = [e for e in entries if coordinator.this_run[e.row]]  # never an earlier run's
        if merge and not summary.stopped:
            summary.merged = merge_pdfs(store, ours)
        if zip and not summary.stopped:
            summary.zip = zip_outputs(store, ours, date=batch_date)
    summary.elapsed = time.monotonic() - started
    return summary


_REASON_ROW = re.compile(r"^(?:.*?, )?(?:line \d+, )?row \d+(?:, |: )?")


def reason_of(error: str) -> str:
    """A row's error without the row's own place (file, line, row): what rows have in common."""
    return _REASON_ROW.sub("", error, count=1) or error


class _Chunk:
    """Jobs sent together, how often they were sent, and how often their worker died while
    they were the only chunk in flight (so surely by their own rows)."""

    __slots__ = ("attempts", "deaths", "jobs")

    def __init__(self, jobs: list[Job]) -> None:
        self.jobs = jobs
        self.attempts = 0
        self.deaths = 0


class _Coordinator:
    """Streams the rows, sends chunks out (a bounded number in flight), records every row."""

    def __init__(
        self,
        *,
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
        max_failures: int | None,
        resume: bool,
        force: bool,
    ) -> None:
        self.plist = plist
        self.converter = converter
        self.pattern = pattern
        self.layout = layout
        self.store = store
        self.extension = extension
        self.config = config
        self.pool = pool
        self.chunk = chunk
        self.width = width
        self.previous = previous
        self.journal = journal
        self.summary = summary
        self.bar = bar
        self.identity = identity
        self.max_failures = max_failures
        self.resume = resume
        self.force = force
        self.this_run = bytearray(summary.total + 1)
        self.pending: dict[Future[ChunkResult], _Chunk] = {}
        self.retry: list[_Chunk] = []
        self.reasons: Counter[str] = Counter()
        #: early stop: rows 1..decided are decided (all failed); rows decided out of order
        self.decided = 0
        self.ahead: dict[int, str | None] = {}

    # -- recording ---------------------------------------------------------------------------

    def record(self, entry: mf.Entry, *, counter: str, journaled: bool = False) -> None:
        if not journaled:
            self.journal.append(entry)
        self.this_run[entry.row] = 1
        s = self.summary
        setattr(s, counter, getattr(s, counter) + 1)
        if entry.status == "failed" and entry.error and len(s.failures) < 20:
            s.failures.append((entry.row, entry.error))
        self.bar.update()
        if self.max_failures is not None:
            self.watch_first_rows(entry)

    def watch_first_rows(self, entry: mf.Entry) -> None:
        """Stop when rows 1..max_failures (in row order, as they are decided) all failed."""
        assert self.max_failures is not None
        self.ahead[entry.row] = entry.error if entry.status == "failed" else None
        while self.decided + 1 in self.ahead:
            error = self.ahead.pop(self.decided + 1)
            self.decided += 1
            if error is None:  # a row that did not fail: no early stop for this batch
                self.max_failures = None
                self.ahead.clear()
                return
            self.reasons[reason_of(error)] += 1
        if self.decided >= self.max_failures:
            reason, count = self.reasons.most_common(1)[0]
            self.summary.stopped = (
                f"stopped: the first {self.decided} rows all failed; most common reason "
                f"({count} rows): {reason}"
            )
            raise _Stop

    def finish(self, result: Result) -> None:
        self.record(
            result.entry(),
            counter="written" if result.status == "ok" else "failed",
            journaled=result.journaled,
        )

    def fail_chunk(self, chunk: _Chunk, why: str) -> None:
        for job in chunk.jobs:
            self.finish(
                Result(
                    job.row,
                    "failed",
                    job.output,
                    error=f"row {job.row}: {why}",
                    line=job.line,
                    input=job.input,
                )
            )

    # -- sending and collecting ----------------------------------------------------------------

    def send(self, chunk: _Chunk) -> None:
        try:
            future = self.pool.executor.submit(run_chunk, self.config, chunk.jobs)
        except (BrokenProcessPool, OSError, RuntimeError):
            # the pool broke before we noticed (submitting to it can then also fail on its
            # closed pipes): this chunk never left
            if not self.pool.restartable:
                raise
            self.retry.append(chunk)
            alone = len(self.pending) == 1
            for lost in sorted(self.pending.values(), key=lambda c: c.jobs[0].row):
                self.lost(lost, alone=alone)
            self.pending.clear()
            self.pool.restart()
            return
        chunk.attempts += 1
        self.pending[future] = chunk

    def collect(self) -> None:
        done, _ = wait(list(self.pending), return_when=FIRST_COMPLETED)
        alone = len(self.pending) == 1  # when the pool breaks, only this chunk can be why
        broken = False
        for future in sorted(done, key=lambda f: self.pending[f].jobs[0].row):
            chunk = self.pending.pop(future)
            try:
                chunk_result = future.result()
            except BrokenProcessPool:
                broken = True
                self.lost(chunk, alone=alone)
                continue
            except Exception as exc:
                self.fail_chunk(chunk, f"the worker failed ({type(exc).__name__})")
                continue
            self.summary.worker_pids.add(chunk_result.pid)
            if chunk_result.peak_rss_kb is not None:
                self.summary.worker_peak_rss_kb = max(
                    self.summary.worker_peak_rss_kb or 0, chunk_result.peak_rss_kb
                )
            for result in chunk_result.results:
                self.finish(result)
        if broken:  # every chunk still in that pool is lost with it
            for future in sorted(self.pending, key=lambda f: self.pending[f].jobs[0].row):
                self.lost(self.pending.pop(future), alone=False)
            self.pool.restart()

    def lost(self, chunk: _Chunk, *, alone: bool) -> None:
        """A chunk whose worker process died: sent again, alone. Its rows fail when it has
        killed its worker twice on its own; a death among other chunks in flight may have been
        another chunk's doing and does not count."""
        if alone:
            chunk.deaths += 1
        if chunk.deaths < 2 and chunk.attempts < 4 and self.pool.restartable:
            self.retry.append(chunk)
        else:
            self.fail_chunk(
                chunk, "its worker process stopped twice (out of memory?); re-run with --resume"
            )

    def drain_retries(self) -> None:
        """Run lost chunks again one at a time, nothing else in flight: a chunk that kills
        its worker again fails its own rows only."""
        while self.retry:
            while self.pending:
                self.collect()
            if not self.retry:
                return
            self.send(self.retry.pop(0))
            while self.pending:
                self.collect()

    def submit(self, batch: list[Job]) -> None:
        if batch:
            self.send(_Chunk(batch))
        while len(self.pending) >= 2 * self.width + 1:
            self.collect()
        self.drain_retries()

    def chunk_for(self, row: int) -> int:
        """How many rows the chunk ending at ``row`` holds: the batch's chunk size, then
        smaller ones as the list runs out (a worker that finishes first waits only for a
        short last chunk of the others, not for half a full one)."""
        left = self.summary.total - row
        return max(min(TAIL_ROWS, self.chunk), min(self.chunk, -(-left // (2 * self.width))))

    # -- the rows ------------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self._rows()
        except _Stop:
            for future in self.pending:
                future.cancel()
            self.pending.clear()

    def _rows(self) -> None:
        names = NameAllocator(reserved=RESERVED_NAMES)
        store = self.store
        batch: list[Job] = []
        for raw in self.plist:
            try:
                spec = self.converter.convert(raw)
            except UserError as exc:
                self.record(
                    mf.Entry(row=raw.row, status="failed", error=exc.one_line(), line=raw.line),
                    counter="failed",
                )
                continue
            patient = spec.patient
            name = names.allocate(
                safe_name(
                    self.pattern.render(spec.fields), self.extension, fallback=f"row-{spec.row:05d}"
                )
            )
            if self.layout is not None:
                name = self.layout.place(spec.row, name)
            before = self.previous.pop(spec.row, None)
            digest = self.identity.of(patient, spec.routine)
            if (
                not self.force
                and before is not None
                and before.output
                and before.output != name
                and before.output.rsplit("/", 1)[-1] == name.rsplit("/", 1)[-1]
                and store.still_valid(before.output, before, self.extension, input=digest)
            ):  # done under another shard layout (--shard changed): where the manifest says
                self.record(before, counter="kept")
                continue
            if not self.force and store.exists(name):
                if (
                    before is not None
                    and before.output == name
                    and store.still_valid(name, before, self.extension, input=digest)
                ):
                    self.record(before, counter="kept")
                    continue
                if not self.resume:
                    self.record(
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
            if len(batch) >= self.chunk_for(raw.row):
                self.submit(batch)
                batch = []
        self.submit(batch)
        while self.pending or self.retry:
            while self.pending:
                self.collect()
            self.drain_retries()


class _Stop(Exception):
    """The first rows all failed: stop sending work (see ``max_failures``)."""


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
