"""Where chunks run. The batch core only needs a :class:`concurrent.futures.Executor`.

* :func:`process_pool` — the default: one process per core, each set up once by
  :func:`~routinekit.batch.worker.init_worker`. Workers start from a fork server that
  has imported routinekit, so they start fast and inherit nothing of the parent's data.
  A worker is replaced after :data:`RECYCLE_CHUNKS` chunks, and the fork server and the
  workers die with the coordinator (:mod:`~routinekit.batch.lifeline`).
* :func:`dask_executor` — ``--scheduler local`` (a ``LocalCluster``) or
  ``--scheduler tcp://HOST:PORT``: the same chunks through ``Client.get_executor()``.
  Dask is imported only here (``pip install "routinekit[dask]"``). As with the pool,
  workers write their own handouts (:mod:`~routinekit.batch.storage`) and return only
  manifest entries, so a remote cluster needs an output every worker reaches: an object
  store URL or a shared disk (and routinekit and any per-row routine files at the same paths).
* :class:`SerialExecutor` — in this process, one chunk at a time (``jobs=0``; tests,
  debugging, profiling).

Another engine is an Executor plus a context manager, passed to ``run_batch(executor=...)``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, TypeVar

from routinekit.batch.forkserver import start_fork_server
from routinekit.batch.worker import WorkerConfig, init_worker
from routinekit.errors import Location, UserError

T = TypeVar("T")


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class SerialExecutor(Executor):
    """Runs each call at once, in this process; its futures are already done."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


#: A worker process is replaced after this many chunks (bounds memory a long batch grows).
RECYCLE_CHUNKS = 50


def process_pool(
    jobs: int, config: WorkerConfig, *, recycle: int | None = None
) -> ProcessPoolExecutor:
    """The local pool; a worker is replaced after ``recycle`` chunks (default
    :data:`RECYCLE_CHUNKS`; 0: never)."""
    recycle = RECYCLE_CHUNKS if recycle is None else recycle
    context = start_fork_server()
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=init_worker,
        initargs=(config,),
        max_tasks_per_child=recycle or None,
    )


@contextlib.contextmanager
def dask_executor(scheduler: str, jobs: int) -> Iterator[Executor]:
    """A Dask executor: ``local`` (a LocalCluster, ``jobs`` one-thread workers) or an address."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UserError(
            "the Dask backend is not installed",
            location=Location(field="--scheduler"),
            hint='pip install "routinekit[dask]"',
        ) from None
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
        else:
            from routinekit.safety import check_scheduler_address

            client = Client(check_scheduler_address(scheduler), timeout="30s")
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise UserError(
            f"cannot reach the Dask scheduler ({exc})",
            location=Location(field="--scheduler"),
            hint="check the address and that the scheduler is running",
        ) from None
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
