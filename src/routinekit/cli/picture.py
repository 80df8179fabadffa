"""``routinekit exercises show ID --picture OUT.svg|png|pdf``: draw one exercise alone."""

from __future__ import annotations

from pathlib import Path

from routinekit.errors import Location, UserError
from routinekit.model import Exercise

FORMATS = (".svg", ".png", ".pdf")


def picture_bytes(exercise: Exercise, suffix: str, width_mm: float = 80) -> bytes:
    """The exercise's illustration as SVG, PNG or PDF bytes.

    :raises UserError: no pose for this exercise, an unknown format, or no PNG backend.
    """
    from routinekit.illustrations import drawing_for, svg_for

    suffix = suffix.lower()
    if suffix not in FORMATS:
        raise UserError(
            f"cannot draw a picture as '{suffix or 'no extension'}'",
            hint="name the file .svg, .png or .pdf",
        )
    if suffix == ".svg":
        svg = svg_for(exercise, width_mm)
        if svg is None:
            raise _no_pose(exercise)
        return svg.encode("utf-8")
    drawing = drawing_for(exercise, width_mm)
    if drawing is None:
        raise _no_pose(exercise)
    from reportlab.graphics import renderPDF

    pdf: bytes = renderPDF.drawToString(drawing)
    if suffix == ".pdf":
        return pdf
    return png_from(drawing, pdf)


def png_from(drawing: object, pdf: bytes, dpi: int = 300) -> bytes:
    """Rasterise: reportlab's renderPM (needs rlPyCairo), else PyMuPDF, else a clear error."""
    try:
        from reportlab.graphics import renderPM

        data: bytes = renderPM.drawToString(drawing, fmt="PNG", dpi=dpi)
        return data
    except Exception:  # renderPM has no backend installed (rlPyCairo is optional)
        pass
    try:
        import pymupdf
    except ImportError:
        raise UserError(
            "cannot make a PNG here: neither rlPyCairo nor PyMuPDF is installed",
            hint="write .svg or .pdf instead, or `pip install rlPyCairo` (or pymupdf)",
        ) from None
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        pix = doc[0].get_pixmap(dpi=dpi, alpha=False)
        png: bytes = pix.tobytes("png")
        return png


def _no_pose(exercise: Exercise) -> UserError:
    return UserError(
        f"exercise '{exercise.id}' has no pose to draw",
        hint="give it a 'pose' (see docs/illustrations.md) or an 'image'",
    )


def write_picture(exercise: Exercise, out: Path, width_mm: float = 80) -> Path:
    """Draw ``exercise`` to ``out`` (format from the extension); returns the path written."""
    from routinekit.output import write_atomic

    try:
        data = picture_bytes(exercise, out.suffix, width_mm)
    except UserError as exc:
        if exc.location == Location():
            raise exc.at(file=str(out)) from None
        raise
    return write_atomic(out, data)
