"""Uploaded pictures (a clinic logo, an exercise photo): checked by content, decoded, re-encoded.

A picture is accepted only when its first bytes say PNG or JPEG (the same rule as the CLI,
routinekit.safety), its size in pixels is sensible (read before decoding, so a small file
that claims a huge picture is refused without using the memory), and it decodes. It is then
written anew (PNG stays PNG, JPEG stays JPEG), which drops any metadata the file carried,
such as where a photo was taken.
"""

from __future__ import annotations

from routinekit.errors import UnsafeInputError
from routinekit.safety import JPEG_MAGIC, PNG_MAGIC

MAX_SIDE = 6000
#: Photos are made smaller than this (longest side, pixels) to keep handouts light.
PHOTO_SIDE = 1600


def checked_picture(data: bytes, *, what: str) -> tuple[bytes, str]:
    """The picture re-encoded, and its extension (``png`` or ``jpg``)."""
    import pymupdf

    if data.startswith(PNG_MAGIC):
        kind = "png"
    elif data.startswith(JPEG_MAGIC):
        kind = "jpg"
    else:
        raise UnsafeInputError(
            f"the {what} is not a PNG or JPEG picture", hint="save it as .png or .jpg"
        )
    try:
        with pymupdf.open(stream=data, filetype="png" if kind == "png" else "jpeg") as doc:
            rect = doc[0].rect
        if not (0 < rect.width <= MAX_SIDE and 0 < rect.height <= MAX_SIDE):
            raise UnsafeInputError(
                f"the {what} is too big ({rect.width:.0f} x {rect.height:.0f} pixels; the limit is "
                f"{MAX_SIDE} on each side)",
                hint="save a smaller copy",
            )
        pix = pymupdf.Pixmap(data)
        if pix.alpha and kind == "jpg":
            pix = pymupdf.Pixmap(pix, 0)
        while max(pix.width, pix.height) > PHOTO_SIDE:
            pix.shrink(1)
        if kind == "png":
            return pix.tobytes("png"), "png"
        if pix.n > 3:
            pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
        return pix.tobytes("jpeg", jpg_quality=85), "jpg"
    except UnsafeInputError:
        raise
    except Exception:
        raise UnsafeInputError(
            f"the {what} could not be read as a picture (damaged file?)",
            hint="open it in a picture program and save it again as .png or .jpg",
        ) from None
