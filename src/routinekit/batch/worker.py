"""What runs in a worker process: build, render and write one chunk of rows.

A worker keeps one :class:`WorkerState` (plugin host, clinic, the batch's routine and a
small cache of per-row routines), built once per process by :func:`init_worker` (the
process pool's initializer) or on first use (Dask workers). Nothing else is shared.
Every row's failure is caught and returned as a result; it never stops the chunk.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import signal
import sys
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from routinekit.batch import lifeline
from routinekit.batch.manifest import Entry, Journal
from routinekit.batch.storage import Storage, StorageSpec
from routinekit.errors import PluginError, UserError
from routinekit.files.routine_file import RoutineFile
from routinekit.model import Patient
from routinekit.redaction import redact
from routinekit.request import BuildRequest

#: Routines other than the batch's that a worker keeps loaded.
ROUTINE_CACHE = 32


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs, the same for every chunk of one batch."""

    key: str
    """Unique per batch: a worker rebuilds its state when this changes."""
    request: BuildRequest
    """The batch's request: its routine an absolute file path or a template id, its clinic
    already read; each row is this request with the row's patient (and routine)."""
    storage: StorageSpec
    """Where the handouts go: every worker writes its own (a shared folder or an object store)
    and returns only the manifest entries, so no handout passes through the coordinator."""
    manifest: str | None = None
    """A local folder's manifest: the worker appends each row's line as it commits the file
    (None: the coordinator records the rows as their results arrive)."""
    coordinator: tuple[int, str | None] | None = None
    """The coordinator's pid and start time: a process-pool worker never writes after it
    died (:mod:`routinekit.batch.lifeline`)."""


@dataclass(frozen=True, slots=True)
class Job:
    row: int
    patient: Patient
    output: str
    routine: str | None = None
    line: int | None = None
    input: str | None = None
    """The row's input hash (:mod:`routinekit.batch.identity`), recorded in the manifest."""


@dataclass(frozen=True, slots=True)
class Result:
    row: int
    status: str
    output: str | None
    error: str | None = None
    sha256: str | None = None
    size: int | None = None
    line: int | None = None
    warnings: tuple[str, ...] = ()
    """What ``build`` would warn about for this row (e.g. the routine shrank)."""
    input: str | None = None
    journaled: bool = False
    """The worker committed the file and appended the row's manifest line itself."""

    def entry(self) -> Entry:
        """The manifest entry for this result."""
        return Entry(
            row=self.row,
            status=self.status,
            output=self.output,
            error=self.error,
            sha256=self.sha256,
            bytes=self.size,
            line=self.line,
            warnings=list(self.warnings) or None,
            input=self.input,
        )


@dataclass(frozen=True, slots=True)
class ChunkResult:
    results: list[Result]
    pid: int
    peak_rss_kb: int | None


class WorkerState:
    def __init__(self, config: WorkerConfig) -> None:
        from routinekit import api
        from routinekit.plugins.host import PluginHost

        self.config = config
        self.host = PluginHost()
        self.renderer = self.host.renderer(config.request.format)
        self.default = api.load_routine(config.request.routine, host=self.host)
        self.routines: OrderedDict[str, RoutineFile | UserError] = OrderedDict()
        self.storage = config.storage.open()
        self._journal: Journal | None = None

    @property
    def journal(self) -> Journal | None:
        """This worker's handle on the manifest (opened on first commit)."""
        if self._journal is None and self.config.manifest:
            self._journal = Journal(Path(self.config.manifest), repair=False)
        return self._journal

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def routine(self, ref: str | None) -> RoutineFile | UserError:
        """A loaded RoutineFile for ``ref`` (None: the batch's), or the UserError it gave."""
        if ref is None:
            return self.default
        if ref in self.routines:
            self.routines.move_to_end(ref)
            return self.routines[ref]
        from routinekit import api

        try:
            loaded: RoutineFile | UserError = api.load_routine(ref, host=self.host)
        except UserError as exc:
            loaded = exc
        self.routines[ref] = loaded
        if len(self.routines) > ROUTINE_CACHE:
            self.routines.popitem(last=False)
        return loaded


_STATE: WorkerState | None = None


def state_for(config: WorkerConfig) -> WorkerState:
    global _STATE
    if _STATE is None or _STATE.config.key != config.key:
        release()
        _STATE = WorkerState(config)
    return _STATE


def release() -> None:
    """Close what this process's worker state holds open (the manifest); jobs=0 batches."""
    global _STATE
    if _STATE is not None:
        _STATE.close()
        _STATE = None


def init_worker(config: WorkerConfig) -> None:
    """Pool initializer: die with the coordinator, build the host and load the routine once;
    Ctrl-C is for the parent."""
    lifeline.watch(config.coordinator)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a failure here is reported per chunk by run_chunk, which tries again; the pool stays healthy
    with contextlib.suppress(Exception):
        state_for(config)
    settle_collector()  # a worker process of the pool: its collector is the batch's


#: A worker's young generation is collected every this many allocations (Python's default
#: is 700): a handout allocates ~100,000 objects, nearly all freed by reference counting.
GC_YOUNG = 10_000
#: How often this process settled its collector: 0 = not a pool worker (never touched).
_SETTLED = [0]


def settle_collector() -> None:
    """Out of the cyclic garbage collector's way, in a pool worker only (``init_worker``):
    what the worker holds then (host, routine, fonts; after its first chunk, the render
    caches too) lives as long as the worker, so it is frozen (never walked again: a full
    collection of a loaded worker took ~50 ms, one every ~60 rows, ~5% of a row) and young
    objects are collected less often. Once at start and once after the first chunk;
    garbage made later is collected as before."""
    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    if young:  # 0: the collector is off; left so
        gc.set_threshold(max(young, GC_YOUNG), middle, old)
    _SETTLED[0] += 1


def peak_rss_kb() -> int | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak // 1024) if sys.platform == "darwin" else int(peak)


def _local_target(storage: Storage, name: str) -> Path:
    """Where ``name`` goes in a local folder (its shard folder made), checked for writing."""
    from routinekit.output import check_output

    path: Path = storage.target(name)  # type: ignore[attr-defined]  # LocalStorage: no links
    check_output(path)
    return path


def _write_temp(path: Path, data: bytes) -> tuple[int, str]:
    """A temporary file next to ``path`` (``O_EXCL``, no link followed, owner-only) holding
    ``data``, not yet synced: its open descriptor and name."""
    import tempfile

    from routinekit.output import write_error

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise write_error(path, exc) from None
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return fd, tmp


def commit_output(
    storage: Storage, name: str, data: bytes, entry: Entry, journal: Journal | None
) -> None:
    """Write one handout and record it (one row at a time; a chunk uses :class:`ChunkCommit`).

    In a local folder (with ``journal``, the manifest):

    1. the bytes go to a temporary file next to the target (``O_EXCL``, no link
       followed, owner-only), fsynced;
    2. the row's manifest line is appended (one write, under the manifest's lock);
    3. the file is renamed into place: the commit.

    After a kill at any moment, a committed file always has its line; a line whose file
    was never renamed names a file that is missing (or has another hash), so ``--resume``
    rebuilds exactly the rows whose files were not committed. Elsewhere (object stores)
    :meth:`Storage.write` commits and the coordinator records the row.

    Nothing is written once the coordinator is gone (:func:`routinekit.batch.lifeline.check`).

    :raises UserError: the file cannot be written (one line; the old file stays).
    """
    lifeline.check()
    if journal is None or storage.local is None:
        # on an object store the entry goes with the object (its metadata, the same PUT)
        storage.write(name, data, entry=entry)
        return
    from routinekit.output import check_output, write_error

    path = _local_target(storage, name)
    fd, tmp = _write_temp(path, data)
    try:
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        lifeline.check()
        journal.append(entry)
        check_output(path)  # a pipe or device put there meanwhile stays
        lifeline.check()
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise write_error(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(slots=True)
class _Staged:
    row: int
    path: Path
    tmp: str
    fd: int
    entry: Entry


class ChunkCommit:
    """Commits a chunk's handouts in a local folder, the slow part off the building thread.

    The same three steps as :func:`commit_output`, for every row, in the same order: the
    worker's thread writes each handout to its temporary file (:meth:`add`) and goes on to
    the next row; every :attr:`GROUP` rows it hands the group to a helper thread, which
    makes their files durable with one flush (:func:`routinekit.batch.durable.sync_files`:
    one ``syncfs`` on Linux, else an ``fsync`` each), then appends the lines of the rows
    synced in one write (under the manifest's lock) and renames their files into place. So a
    committed file still always has its line, a line whose file was not renamed is rebuilt
    by ``--resume``, and the coordinator's death is checked before every write (the
    helper's too). :meth:`finish` hands over the last rows and waits for every row; a row
    whose commit failed is in its answer, with the one-line error.
    """

    #: Rows handed to the helper thread at a time (one flush, one manifest write each).
    GROUP = 16
    #: Groups written but not yet synced, at most (then :meth:`add` waits).
    AHEAD = 2

    def __init__(self, storage: Storage, journal: Journal) -> None:
        import queue
        import threading

        self.storage = storage
        self.journal = journal
        self.errors: dict[int, UserError] = {}
        self._pending: list[_Staged] = []
        self._todo: queue.Queue[list[_Staged] | None] = queue.Queue(maxsize=self.AHEAD)
        self._empty = queue.Empty
        self._thread = threading.Thread(target=self._run, name="routinekit-commit", daemon=True)
        self._started = False

    def add(self, row: int, name: str, data: bytes, entry: Entry) -> None:
        """Write one row's handout to its temporary file (raises UserError if it cannot)."""
        lifeline.check()
        path = _local_target(self.storage, name)
        fd, tmp = _write_temp(path, data)
        self._pending.append(_Staged(row, path, tmp, fd, entry))
        if len(self._pending) >= self.GROUP:
            self._hand_over()

    def finish(self) -> dict[int, UserError]:
        """Wait until every row added is committed (or failed); by row, the rows that failed."""
        if self._pending:
            self._hand_over()
        if self._started:
            self._todo.put(None)
            self._thread.join()
        return self.errors

    def _hand_over(self) -> None:
        if not self._started:
            self._thread.start()
            self._started = True
        group, self._pending = self._pending, []
        self._todo.put(group)

    def _run(self) -> None:
        done = False
        while not done:
            got = self._todo.get()
            items: list[_Staged] = []
            while True:  # every group waiting: one flush for all of them
                if got is None:
                    done = True
                    break
                items.extend(got)
                try:
                    got = self._todo.get_nowait()
                except self._empty:
                    break
            if items:
                synced = self._sync(items)
                if synced:
                    self._commit(synced)

    def _sync(self, items: list[_Staged]) -> list[_Staged]:
        """The items whose files are on the disk now (the others failed); all closed."""
        from routinekit.batch.durable import sync_files
        from routinekit.output import write_error

        try:
            errors: list[OSError | None] | Exception = sync_files([item.fd for item in items])
        except Exception as exc:  # a bug must cost these rows, not the chunk
            errors = exc
        synced = []
        for i, item in enumerate(items):
            with contextlib.suppress(OSError):
                os.close(item.fd)
            if isinstance(errors, Exception):
                self._fail(item, _internal(errors))
                continue
            error = errors[i]
            if error is None:
                synced.append(item)
            else:
                self._fail(item, write_error(item.path, error))
        return synced

    def _fail(self, item: _Staged, error: UserError) -> None:
        with contextlib.suppress(OSError):
            os.unlink(item.tmp)
        self.errors[item.row] = error

    def _commit(self, group: list[_Staged]) -> None:
        from routinekit.output import check_output, write_error

        try:
            lifeline.check()
            self.journal.append_many([item.entry for item in group])
        except UserError as exc:
            for item in group:
                self._fail(item, exc)
            return
        except Exception as exc:  # a bug must cost these rows, not the chunk
            for item in group:
                self._fail(item, _internal(exc))
            return
        for item in group:
            try:
                check_output(item.path)  # a pipe or device put there meanwhile stays
                lifeline.check()
                os.replace(item.tmp, item.path)
            except OSError as exc:
                self._fail(item, write_error(item.path, exc))
            except UserError as exc:
                self._fail(item, exc)
            except Exception as exc:
                self._fail(item, _internal(exc))


def _internal(exc: Exception) -> UserError:
    return UserError(f"internal error ({type(exc).__name__}) while writing the file")


Commit = Callable[[int, str, bytes, Entry], None]


def build_one(state: WorkerState, job: Job, commit: Commit | None = None) -> Result:
    """Build, render and (if configured) write one row; every failure becomes a failed Result.

    :param commit: how the handout is written (a chunk's :meth:`ChunkCommit.add`); by
        default :func:`commit_output`, at once.
    """
    from routinekit.pipeline import build

    cfg = state.config
    try:
        rf = state.routine(job.routine)
        if isinstance(rf, UserError):
            raise rf.at(field="routine")
        request = cfg.request.for_patient(job.patient, source=f"row {job.row}", routine=rf.source)
        result, data = build(request, state.host, routine_file=rf)
        digest = hashlib.sha256(data).hexdigest()
        warnings = tuple(redact(w, job.patient) for w in result.warnings)
        done = Result(
            job.row,
            "ok",
            job.output,
            sha256=digest,
            size=len(data),
            line=job.line,
            warnings=warnings,
            input=job.input,
            journaled=state.journal is not None and state.storage.local is not None,
        )
        if commit is None:
            commit_output(state.storage, job.output, data, done.entry(), state.journal)
        else:
            commit(job.row, job.output, data, done.entry())
        return done
    except Exception as exc:
        return failed(job, exc)


def failed(job: Job, exc: Exception) -> Result:
    """The failed Result of ``job`` for ``exc``: one line naming the row, never the patient."""
    if isinstance(exc, UserError):
        field = exc.location.field
        if field and field.startswith("doses."):
            field = "dose:" + field[len("doses.") :]
        error = exc.at(row=job.row, field=field).one_line()
    elif isinstance(exc, PluginError):
        error = f"row {job.row}: {exc.one_line()}"
    else:  # a bug must cost one row, not the batch
        error = (
            f"row {job.row}: internal error ({type(exc).__name__}: {exc}); run `routinekit build` "
            "for this row with --debug for the traceback"
        )
    return Result(
        job.row,
        "failed",
        job.output,
        error=redact(error, job.patient),
        line=job.line,
        input=job.input,
    )


def run_chunk(config: WorkerConfig, jobs: list[Job]) -> ChunkResult:
    """Build every job of a chunk, in order; in a local folder :class:`ChunkCommit` writes them."""
    state = state_for(config)
    journal = state.journal
    if journal is None or state.storage.local is None:
        results = [build_one(state, job) for job in jobs]
    else:
        commit = ChunkCommit(state.storage, journal)
        try:
            results = [build_one(state, job, commit.add) for job in jobs]
        finally:
            errors = commit.finish()
        if errors:
            by_row = {job.row: job for job in jobs}
            results = [
                failed(by_row[r.row], errors[r.row]) if r.row in errors else r for r in results
            ]
    if _SETTLED[0] == 1:  # a pool worker's first chunk: its caches are filled now
        settle_collector()
    return ChunkResult(results=results, pid=os.getpid(), peak_rss_kb=peak_rss_kb())
