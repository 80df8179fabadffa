"""Imported only by the batch's fork server (its preload list): it dies with the coordinator,
and it readies what every worker needs before any worker is forked from it.

See :mod:`routinekit.batch.lifeline`. Importing it anywhere else does nothing.

Readied here, once, instead of in each worker's first handout (about 80 ms each): the PDF
renderer's modules and reportlab's, and the bundled DejaVu faces parsed and registered
with their character maps. None of it depends on the batch: no routine, no clinic, no
patient (the fork server starts before any row is read), so every worker inherits the
same state it would have built itself.
"""

from __future__ import annotations

import contextlib
import sys


def _ready_renderer() -> None:
    from routinekit.render.pdf.fonts import ensure_fonts, import_reportlab

    import_reportlab()  # first, as render_pdf does (it keeps uharfbuzz out)
    import reportlab.pdfgen.canvas  # noqa: F401

    import routinekit.render.pdf.document  # noqa: F401
    from routinekit.render.pdf.fallback import dejavu_chars

    ensure_fonts()
    dejavu_chars()


if sys.argv[:1] == ["-c"] and "multiprocessing.forkserver" in sys.modules:
    from routinekit.batch.lifeline import die_with_parent

    die_with_parent()
    with contextlib.suppress(Exception):  # a worker then readies it itself (and reports)
        _ready_renderer()
    # What every worker inherits is never collected: frozen, the collector neither walks it
    # in each worker nor writes to its pages (which a fork then shares, not copies).
    import gc

    gc.collect()
    gc.freeze()
