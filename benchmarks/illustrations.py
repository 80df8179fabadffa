#!/usr/bin/env python3
"""What exercise illustrations add to a handout's render time.

    .venv/bin/python benchmarks/illustrations.py [--repeat 30]

Measures, in one process: building every built-in picture the first time (pose ->
validated scene -> reportlab Drawing), and drawing a handout's eight pictures on a
reportlab canvas page (as the PDF renderer does) when they are cached, against the
same page without pictures. Prints a small table (milliseconds, medians).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from routinekit.illustrations import clear_cache, drawing_for
from routinekit.library import BUILTIN_FILE, load_exercise_file

#: the eight exercises of the back-spasm-acute handout's cards (a typical handout)
HANDOUT = (
    "childs-pose",
    "knees-to-chest",
    "prone-on-elbows",
    "supine-spinal-rotation",
    "side-lying-spinal-rotation",
    "cat-cow",
    "prone-press-up",
    "walking",
)


def page(exercises: list, pictures: bool) -> float:  # type: ignore[type-arg]
    """Seconds to lay out one page of eight cards (text always, pictures optionally)."""
    start = time.perf_counter()
    canvas = Canvas(io.BytesIO(), pagesize=A4)
    for i, ex in enumerate(exercises):
        y = A4[1] - (i + 1) * 34 * mm
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(20 * mm, y + 20 * mm, ex.name)
        canvas.setFont("Helvetica", 9)
        for j, step in enumerate(ex.steps):
            canvas.drawString(20 * mm, y + 15 * mm - j * 4 * mm, step[:90])
        if pictures:
            drawing = drawing_for(ex, 40)
            if drawing is not None:
                drawing.drawOn(canvas, A4[0] - 60 * mm, y)
    canvas.showPage()
    canvas.save()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    library = {ex.id: ex for ex in load_exercise_file(BUILTIN_FILE)}
    chosen = [library[i] for i in HANDOUT]

    firsts = []
    for _ in range(5):
        clear_cache()
        start = time.perf_counter()
        for ex in library.values():
            drawing_for(ex, 40)
        firsts.append(time.perf_counter() - start)
    clear_cache()
    start = time.perf_counter()
    for ex in chosen:
        drawing_for(ex, 40)
    first_eight = time.perf_counter() - start

    plain = statistics.median(page(chosen, False) for _ in range(args.repeat))
    with_pics = statistics.median(page(chosen, True) for _ in range(args.repeat))
    rows = [
        (f"build all {len(library)} pictures, first time", statistics.median(firsts)),
        ("build a handout's 8 pictures, first time", first_eight),
        ("page of 8 cards, no pictures", plain),
        ("page of 8 cards with cached pictures", with_pics),
        ("added per handout (cached pictures)", with_pics - plain),
    ]
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
