"""A picture as PDF operators: the light part of :mod:`routinekit.illustrations.to_canvas`.

Kept apart (it imports nothing) so a picture read back from the on-disk cache
(:mod:`routinekit.illustrations.stored`) needs none of the drawing code.
"""

from __future__ import annotations

from typing import Any

import msgspec


class PdfPicture(msgspec.Struct, frozen=True):
    """A picture as PDF operators, origin at its lower-left corner, in points.

    Quacks like the part of a reportlab ``Drawing`` a canvas user needs: ``width``,
    ``height`` and ``drawOn(canvas, x, y)``.
    """

    width: float
    height: float
    ops: str

    def drawOn(self, canvas: Any, x: float = 0.0, y: float = 0.0) -> None:
        if x or y:
            canvas.addLiteral(f"q 1 0 0 1 {num(x)} {num(y)} cm\n{self.ops}\nQ")
        else:
            canvas.addLiteral(f"q\n{self.ops}\nQ")


def num(v: float) -> str:
    """A number as PDF wants it: short, no exponent, no trailing zeros."""
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
