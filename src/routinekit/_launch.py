"""The ``routinekit`` command's entry point (and ``python -m routinekit``'s): light on purpose.

For ``routinekit batch ...`` (the local pool: no ``--scheduler``, not ``--help``) it starts
the worker pool's fork server before anything else is imported, so the server's Python
starts and imports the renderer while this process imports the command line (click and
routinekit's commands, about 60 ms) and reads the routine and the list; then it runs
:func:`routinekit.cli.main`. Starting the server again later (the batch command and
:func:`~routinekit.batch.run_batch` do) does nothing. Everything else goes straight on.
"""

from __future__ import annotations

import sys
from typing import Any


def _local_batch(args: list[str]) -> bool:
    """Whether the command line asks for a batch on this machine's pool."""
    if args[:1] != ["batch"]:
        return False  # an option before the command (e.g. --strict-plugins) sets the
        # environment the server must start with: the batch command starts it then
    for arg in args[1:]:
        if arg in ("-h", "--help") or arg == "--scheduler" or arg.startswith("--scheduler="):
            return False
    return True


def main() -> Any:
    if _local_batch(sys.argv[1:]):
        from routinekit.batch.forkserver import start_fork_server

        start_fork_server()
    from routinekit.cli import main as cli_main

    return cli_main()
