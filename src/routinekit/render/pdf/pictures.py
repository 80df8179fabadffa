"""Pictures on a card: the exercise's own image file, or a drawn illustration.

Images must be local PNG or JPEG files (checked by their first bytes, not their
name). Drawn illustrations come from :mod:`routinekit.illustrations` when that
module is installed; it returns something with ``width``, ``height`` and
``drawOn`` (PDF operators, or a reportlab Drawing), or None for no picture.
"""

from __future__ import annotations

import functools
import importlib.util
from typing import Any

import msgspec

from routinekit.model import Exercise
from routinekit.render.images import check_image


class Picture(msgspec.Struct, frozen=True):
    """What to draw in a card's picture box, with its natural aspect (height / width)."""

    aspect: float
    path: str | None = None
    drawing: Any = None


def _image_aspect(path: str) -> float:
    from routinekit.render.images import decoded

    return decoded(path).aspect


@functools.cache
def _illustrator() -> Any:
    if importlib.util.find_spec("routinekit.illustrations") is None:
        return None
    module = importlib.import_module("routinekit.illustrations")
    # PDF operators (no reportlab.graphics import); a reportlab Drawing otherwise
    return getattr(module, "pdf_picture_for", None) or getattr(module, "drawing_for", None)


def picture_for(
    exercise: Exercise,
    base_dir: str | None,
    *,
    width_mm: float,
    height_mm: float,
    drawings: bool = True,
) -> Picture | None:
    """The exercise's image if it has one, else (with ``drawings``) its illustration."""
    if exercise.image:
        path = check_image(exercise.image, base_dir)
        return Picture(aspect=_image_aspect(path), path=path)
    illustrate = _illustrator() if drawings else None
    if illustrate is not None:
        drawing = illustrate(exercise, width_mm, height_mm)
        if drawing is not None and drawing.width > 0:
            return Picture(aspect=drawing.height / drawing.width, drawing=drawing)
    return None
