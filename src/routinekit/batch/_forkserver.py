"""Imported only by the batch's fork server (its preload list): it dies with the coordinator.

See :mod:`routinekit.batch.lifeline`. Importing it anywhere else does nothing.
"""

from __future__ import annotations

import sys

if sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules:
    from routinekit.batch.lifeline import die_with_parent

    die_with_parent()
