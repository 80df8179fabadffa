"""Local pictures (exercise images, clinic logos): PNG or JPEG files only, checked by content.

A picture is checked in two steps. :func:`routinekit.safety.check_image` reads the
file (a regular file, size-capped) and its header: type and pixel size, before any
decoding. :func:`decoded` then decodes it once per process (a batch reuses it for
every handout), proving it is complete: a corrupt or truncated file is a one-line
error here, when the clinic profile is read, not an internal error while drawing.
The decoded picture is scaled down to what print needs (:data:`MAX_EDGE` pixels on the
long side), so a large photo does not make every handout large.
"""

from __future__ import annotations

import functools
import io
import os
from typing import Any

import msgspec

from routinekit.errors import Location, UnsafeInputError
from routinekit.safety import MAX_IMAGE_BYTES, check_image_bytes

_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
#: The long side of a decoded picture (pixels): 300 dpi over 4 inches, more than any box.
MAX_EDGE = 1200


def image_type(head: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` from a file's first bytes, else None."""
    for magic, media in _MAGIC.items():
        if head.startswith(magic):
            return media
    return None


def check_image(image: str, base_dir: str | None, *, field: str = "image") -> str:
    """The absolute path of a local PNG/JPEG image; raise a located error otherwise.

    The checks themselves are :func:`routinekit.safety.check_image` (local file only, never
    fetched; PNG or JPEG by content and pixel size; size-capped) and :func:`decoded`
    (it decodes completely); this names the field for the renderers.
    """
    from routinekit.safety import check_image as checked

    what = "logo" if field == "logo" else "picture"
    where = Location(field=field)
    path = str(checked(image, base_dir or ".", where=where, what=what))
    decoded(path, where=where, what=what, name=image)
    return path


class DecodedImage(msgspec.Struct, frozen=True):
    """A picture decoded once: its size in pixels and a reportlab image reader."""

    width: int
    height: int
    reader: Any
    """A ``reportlab.lib.utils.ImageReader`` over the scaled-down picture."""

    @property
    def aspect(self) -> float:
        return self.height / self.width


def decoded(
    path: str,
    *,
    where: Location | None = None,
    what: str = "picture",
    name: str | None = None,
) -> DecodedImage:
    """``path`` decoded (once per process and file version); a one-line error if it cannot be."""
    try:
        st = os.stat(path)
    except OSError:
        st = None
    key = (path, st.st_size, st.st_mtime_ns) if st is not None else (path, -1, -1)
    try:
        return _decode(*key)
    except _DecodeError as exc:
        raise UnsafeInputError(
            f"{what} '{name or os.path.basename(path)}' {exc}",
            location=where,
            hint="open it in an image editor and save it again as .png or .jpg",
        ) from None


class _DecodeError(ValueError):
    pass


@functools.lru_cache(maxsize=32)
def _decode(path: str, size: int, mtime_ns: int) -> DecodedImage:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    from routinekit.files.regular import read_capped

    data = read_capped(path, max_bytes=MAX_IMAGE_BYTES)
    check_image_bytes(data, os.path.basename(path))  # pixel size, before the decoder runs
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.verify()  # PNG: every chunk's checksum, up to the end marker
        with Image.open(io.BytesIO(data)) as im:
            if im.format not in ("PNG", "JPEG"):
                raise _DecodeError("is not a PNG or JPEG picture")
            im.draft("RGB", (MAX_EDGE, MAX_EDGE))  # JPEG: decode at a reduced scale
            im.load()
            alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
            picture = im.convert("RGBA" if alpha else "RGB")
    except _DecodeError:
        raise
    except Exception:  # Pillow fails in many ways: OSError, SyntaxError, zlib.error, ...
        raise _DecodeError("is damaged or cut short (it cannot be decoded)") from None
    picture.thumbnail((MAX_EDGE, MAX_EDGE))
    return DecodedImage(width=picture.width, height=picture.height, reader=ImageReader(picture))
