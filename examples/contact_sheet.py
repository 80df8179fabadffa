"""Draw every built-in exercise's illustration on one page: examples/illustrations.pdf.

    .venv/bin/python examples/contact_sheet.py [OUT.pdf] [--png OUT.png]

The PNG copy (for a quick look) needs PyMuPDF (the ``test`` extra).
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from routinekit.illustrations import drawing_for
from routinekit.library import BUILTIN_FILE, load_exercise_file

HERE = Path(__file__).resolve().parent
COLUMNS = 4
CELL_W = 46 * mm
CELL_H = 44 * mm
PICTURE_MM = 40


def make_sheet(out: Path) -> int:
    """Draw the sheet; returns how many exercises were drawn."""
    exercises = load_exercise_file(BUILTIN_FILE)
    page_w, page_h = A4
    canvas = Canvas(str(out), pagesize=A4, invariant=True)
    canvas.setTitle("routinekit: built-in exercise illustrations")
    left = (page_w - COLUMNS * CELL_W) / 2
    top = page_h - 16 * mm
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(left, top + 4 * mm, "routinekit built-in exercise illustrations (40 mm wide)")
    for i, ex in enumerate(exercises):
        col, row = i % COLUMNS, i // COLUMNS
        x = left + col * CELL_W
        y = top - (row + 1) * CELL_H
        canvas.setStrokeGray(0.85)
        canvas.rect(x, y, CELL_W - 2 * mm, CELL_H - 2 * mm)
        drawing = drawing_for(ex, PICTURE_MM)
        if drawing is not None:
            px = x + (CELL_W - 2 * mm - drawing.width) / 2
            drawing.drawOn(canvas, px, y + 8 * mm + (30 * mm - drawing.height) / 2)
        canvas.setFont("Helvetica-Bold", 7)
        canvas.drawString(x + 2 * mm, y + 4.5 * mm, ex.name)
        canvas.setFont("Helvetica", 6)
        canvas.drawString(x + 2 * mm, y + 1.8 * mm, f"{ex.id} ({ex.position.value})")
    canvas.showPage()
    canvas.save()
    return len(exercises)


def to_png(pdf: Path, png: Path, zoom: float = 2.5) -> None:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        doc[0].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom)).save(png)


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv and not argv[0].startswith("--") else HERE / "illustrations.pdf"
    count = make_sheet(out)
    print(f"{count} exercises -> {out}")
    if "--png" in argv:
        png = Path(argv[argv.index("--png") + 1])
        to_png(out, png)
        print(f"PNG -> {png}")


if __name__ == "__main__":
    main(sys.argv[1:])
