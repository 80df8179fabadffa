"""What runs in a worker process: build, render and write one chunk of rows.

A worker keeps one :class:`WorkerState` (plugin host, clinic, the batch's routine and a
small cache of per-row routines), built once per process by :func:`init_worker` (the
process pool's initializer) or on first use (Dask workers). Nothing else is shared.
Every row's failure is caught and returned as a result; it never stops the chunk.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sys
from collections import OrderedDict
from dataclasses import dataclass

from routinekit.batch.manifest import Entry
from routinekit.batch.storage import StorageSpec
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
        _STATE = WorkerState(config)
    return _STATE


def init_worker(config: WorkerConfig) -> None:
    """Pool initializer: build the host and load the routine once; Ctrl-C is for the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a failure here is reported per chunk by run_chunk, which tries again; the pool stays healthy
    with contextlib.suppress(Exception):
        state_for(config)


def peak_rss_kb() -> int | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak // 1024) if sys.platform == "darwin" else int(peak)


def build_one(state: WorkerState, job: Job) -> Result:
    """Build, render and write one row; every failure becomes a failed Result."""
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
        )
        # committed whole before the row counts as ok; on S3 the entry goes with the object
        state.storage.write(job.output, data, entry=_entry(done))
        return done
    except UserError as exc:
        field = exc.location.field
        if field and field.startswith("doses."):
            field = "dose:" + field[len("doses.") :]
        error = exc.at(row=job.row, field=field).one_line()
    except PluginError as exc:
        error = f"row {job.row}: {exc.one_line()}"
    except Exception as exc:  # a bug must cost one row, not the batch
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


def _entry(result: Result) -> Entry:
    return Entry(
        row=result.row,
        status=result.status,
        output=result.output,
        sha256=result.sha256,
        bytes=result.size,
        line=result.line,
        input=result.input,
    )


def run_chunk(config: WorkerConfig, jobs: list[Job]) -> ChunkResult:
    """Build every job of a chunk, in order."""
    state = state_for(config)
    results = [build_one(state, job) for job in jobs]
    return ChunkResult(results=results, pid=os.getpid(), peak_rss_kb=peak_rss_kb())
