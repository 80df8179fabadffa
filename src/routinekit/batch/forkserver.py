"""The local pool's start method: a fork server, started as early as the batch can.

Light on purpose (it imports only :mod:`multiprocessing`): the ``routinekit`` command
(:mod:`routinekit._launch`) calls :func:`start_fork_server` for ``routinekit batch`` before
it imports the command line, so the server boots and readies the renderer
(:mod:`routinekit.batch._forkserver`) while the coordinator imports, reads the routine and
counts the patient list; the batch command and :func:`~routinekit.batch.run_batch` call it
too (it then does nothing).
"""

from __future__ import annotations

import multiprocessing
from typing import Any

#: What the fork server imports before it forks any worker (first: it dies with the
#: coordinator, and readies the renderer).
PRELOAD = (
    "routinekit.batch._forkserver",
    "routinekit.batch.worker",
    "routinekit.pipeline",
    "routinekit.api",
)


def mp_context() -> Any:
    """The fork server's context where the platform has one, else spawn's."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(PRELOAD))
        return ctx
    return multiprocessing.get_context("spawn")


def start_fork_server() -> Any:
    """Start the fork server (if the platform has one) and return the pool's context.

    Call it from the batch's own thread: the fork server dies with the thread that
    started it (parent-death signal; the pool's manager thread, which starts replacement
    workers, ends with each pool). Starting it again does nothing.
    """
    context = mp_context()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
    return context
