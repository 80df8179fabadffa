"""Batch export: a patient list in, one handout per row out, every row accounted for.

    from routinekit.batch import run_batch
    summary = run_batch("patients.csv", "back-spasm-acute", "out/", format="pdf", jobs=2)
    print(summary.line())

Modules: :mod:`~routinekit.batch.rows` (reading lists), :mod:`~routinekit.batch.convert`
(columns, rows to patients), :mod:`~routinekit.batch.cells` (dates, doses),
:mod:`~routinekit.batch.names` (safe file names), :mod:`~routinekit.batch.manifest`,
:mod:`~routinekit.batch.worker`, :mod:`~routinekit.batch.backends` (process pool, Dask),
:mod:`~routinekit.batch.runner` (the coordinator), :mod:`~routinekit.batch.collect`
(merge, zip), :mod:`~routinekit.batch.sample` (generated lists for tests and benchmarks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["BatchSummary", "run_batch"]

if TYPE_CHECKING:
    from routinekit.batch.runner import BatchSummary, run_batch


def __getattr__(name: str) -> Any:
    if name in __all__:
        from routinekit.batch import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'routinekit.batch' has no attribute {name!r}")
