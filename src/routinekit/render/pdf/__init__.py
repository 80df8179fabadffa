"""The PDF handout, drawn on a reportlab canvas with a small text flow of its own.

Modules: ``styles`` (every size and colour), ``fonts`` (bundled DejaVu), ``fallback`` (the
font fallback chain), ``shaping`` (HarfBuzz), ``bidi`` and ``runs`` (line order, mirrored
pages), ``textflow`` (line breaking), ``painter`` (canvas drawing),
``blocks``/``cards``/``header``/``panels`` (the pieces), ``sections`` (their order),
``document`` (pagination, footer, bytes).
"""

from __future__ import annotations

from routinekit.contracts import RenderOptions
from routinekit.i18n import translator
from routinekit.model import Handout


def render_pdf(handout: Handout, options: RenderOptions) -> bytes:
    """The handout as PDF bytes: deterministic, no patient data in the metadata."""
    from routinekit.render.pdf.fonts import import_reportlab

    import_reportlab()  # before anything else imports reportlab (see there)
    from routinekit.render.pdf.document import render_pdf as _render
    from routinekit.text.scripts import check_printable

    check_printable(handout)  # a character no font has: a clear error, never a blank box
    return _render(handout, options, translator(handout.language))
