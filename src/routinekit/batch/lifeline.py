"""Workers die with their coordinator, and never write after it.

A batch's processes form a chain: the coordinator starts the fork server (and the
resource tracker), the fork server forks the workers. On Linux each link asks the
kernel for a parent-death signal (``prctl(PR_SET_PDEATHSIG, SIGKILL)``): the fork
server is killed when the coordinator dies, each worker when the fork server dies.
The resource tracker exits by itself once every process holding its pipe is gone.

The signal is asynchronous, so before each write (a temporary file, a manifest line, a
rename) a worker also checks that the coordinator is still the process it was (by pid
and start time, from ``/proc``; elsewhere by the parent pid) and exits at once otherwise.
The worker opens the coordinator's ``/proc/PID/stat`` once and re-reads it (one
``pread``) at each check; that descriptor stays bound to the process it was opened for,
so once the coordinator has exited it reads nothing, even if its pid is given to
another process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1

#: (pid, start time) of the coordinator this process works for; None: not a worker
_COORDINATOR: tuple[int, str | None] | None = None
_PARENT: int | None = None
#: (pid it was opened in, descriptor) of the coordinator's /proc/PID/stat, kept open
_STAT_FD: tuple[int, int] | None = None


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent exits (Linux; else nothing)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(Exception):  # no libc or no prctl: the check in alive() remains
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent or parent == 1:  # the parent died before the signal was armed
        os._exit(1)


def start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (``/proc/PID/stat``), or None."""
    state = _stat(pid)
    return state[1] if state else None


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) of ``pid`` from /proc, or None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return _fields(fh.read())
    except OSError:
        return None


def _fields(raw: bytes) -> tuple[str, str] | None:
    text = raw.decode("ascii", "replace")
    fields = text[text.rfind(")") + 2 :].split()  # the name may hold spaces and brackets
    return (fields[0], fields[19]) if len(fields) > 19 else None


def _coordinator_stat(pid: int) -> tuple[str, str] | None:
    """:func:`_stat` of the coordinator through a descriptor opened once (per process)."""
    global _STAT_FD
    if _STAT_FD is None or _STAT_FD[0] != os.getpid():  # not yet, or inherited by a fork
        try:
            _STAT_FD = (os.getpid(), os.open(f"/proc/{pid}/stat", os.O_RDONLY | os.O_CLOEXEC))
        except OSError:
            return None
    try:
        return _fields(os.pread(_STAT_FD[1], 4096, 0))
    except OSError:  # ESRCH: the process it was opened for has exited
        return None


def identity() -> tuple[int, str | None]:
    """This process as a coordinator: its pid and start time."""
    return os.getpid(), start_time(os.getpid())


def watch(coordinator: tuple[int, str | None] | None) -> None:
    """In a worker: remember the coordinator and the parent, and die with the parent."""
    global _COORDINATOR, _PARENT, _STAT_FD
    _COORDINATOR = coordinator
    _PARENT = os.getppid()
    if _STAT_FD is not None and _STAT_FD[0] == os.getpid():
        with contextlib.suppress(OSError):
            os.close(_STAT_FD[1])
    _STAT_FD = None
    if coordinator is not None and coordinator[0] != os.getpid():
        die_with_parent()


def alive() -> bool:
    """False when this worker's coordinator (or its parent) is gone."""
    if _COORDINATOR is None:
        return True
    pid, started = _COORDINATOR
    if pid == os.getpid():  # run in the coordinator itself (jobs=0)
        return True
    if _PARENT is not None and os.getppid() != _PARENT:
        return False
    if started is None:  # no /proc: the parent check is all there is
        return True
    now = _coordinator_stat(pid)
    return now is not None and now[1] == started and now[0] not in ("Z", "X", "x")


def check() -> None:
    """Exit at once, writing nothing, when the coordinator is gone."""
    if not alive():
        os._exit(1)
