"""The PDF handout, drawn on a reportlab canvas with a small text flow of its own.

Modules: ``styles`` (every size and colour), ``fonts`` (bundled DejaVu), ``textflow``
(line breaking), ``painter`` (canvas drawing), ``blocks``/``cards``/``header``/``panels``
(the pieces), ``sections`` (their order), ``document`` (pagination, footer, bytes).
"""

from __future__ import annotations

from routinekit.contracts import RenderOptions
from routinekit.i18n import translator
from routinekit.model import Handout


def render_pdf(handout: Handout, options: RenderOptions) -> bytes:
    """The handout as PDF bytes: deterministic, no patient data in the metadata."""
    from routinekit.render.pdf.document import render_pdf as _render
    from routinekit.text.scripts import check_printable

    check_printable(handout)  # right-to-left or unprintable text: a clear error, never garbled
    return _render(handout, options, translator(handout.language))
