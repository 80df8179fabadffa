"""Local pictures (exercise images, clinic logos): PNG or JPEG files only, checked by content."""

from __future__ import annotations

from routinekit.errors import Location

_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def image_type(head: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` from a file's first bytes, else None."""
    for magic, media in _MAGIC.items():
        if head.startswith(magic):
            return media
    return None


def check_image(image: str, base_dir: str | None, *, field: str = "image") -> str:
    """The absolute path of a local PNG/JPEG image; raise a located error otherwise.

    The checks themselves are :func:`routinekit.safety.check_image` (local file only, never
    fetched; PNG or JPEG by content; size-capped); this names the field for the renderers.
    """
    from routinekit.safety import check_image as checked

    what = "logo" if field == "logo" else "picture"
    return str(checked(image, base_dir or ".", where=Location(field=field), what=what))
