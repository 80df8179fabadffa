"""Local pictures (exercise images, clinic logos): PNG or JPEG files only, checked by content."""

from __future__ import annotations

from pathlib import Path

from routinekit.errors import Location, UnsafeInputError, ValidationError

_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_IMAGE_BYTES = 20 * 1024 * 1024


def image_type(head: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` from a file's first bytes, else None."""
    for magic, media in _MAGIC.items():
        if head.startswith(magic):
            return media
    return None


def check_image(image: str, base_dir: str | None, *, field: str = "image") -> str:
    """The absolute path of a local PNG/JPEG image; raise a located error otherwise."""
    if "://" in image:
        raise UnsafeInputError(
            f"images must be local files, not links ('{image[:60]}')",
            location=Location(field=field),
            hint="download the picture and give its file path",
        )
    path = Path(image)
    if not path.is_absolute():
        path = Path(base_dir or ".") / path
    where = Location(file=str(path), field=field)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        raise ValidationError(
            "image file not found", location=where, hint="check the path"
        ) from None
    if size > MAX_IMAGE_BYTES:
        raise UnsafeInputError("image file is larger than 20 MB", location=where)
    if image_type(head) is None:
        raise ValidationError(
            "image is not a PNG or JPEG file", location=where, hint="save it as PNG or JPEG"
        )
    return str(path)
