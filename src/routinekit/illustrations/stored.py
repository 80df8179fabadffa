"""Pictures kept between processes in the on-disk cache (:mod:`routinekit.render.disk_cache`).

A picture's PDF operators depend on the exercise's id and name, its own pose (or the
built-in one from ``poses.yaml``), the requested size, the drawing code and the plugins
that can change a drawing (props, exercise sources: their names, versions and a hash of
their code and data, :mod:`routinekit.illustrations.fingerprint`). The key hashes all of
them, routinekit's code as the bytes of this package's modules and pose file, so any
change to either makes new keys (old entries are simply never read again). A hit
needs neither ``poses.yaml`` parsed nor the drawing modules imported.

An entry holds the picture's width, height and operators (numbers and PDF operator
names only), or "no picture" for an exercise without a pose. Pictures that cannot be
drawn raise and are never stored.
"""

from __future__ import annotations

import functools
import marshal
from pathlib import Path
from typing import TYPE_CHECKING

from routinekit.illustrations.pdf_ops import PdfPicture
from routinekit.render import disk_cache

if TYPE_CHECKING:
    from routinekit.model import Exercise

AREA = "pictures"
HERE = Path(__file__).resolve().parent
#: The pose model: its defaults (e.g. a view's camera) change drawings too.
POSE_MODEL = HERE.parent / "model" / "pose.py"


@functools.cache
def code_version() -> bytes | None:
    """A hash of the drawing code, the pose model and the built-in poses (None if they
    cannot be read)."""
    return disk_cache.files_version(
        [*sorted([*HERE.glob("*.py"), HERE / "poses.yaml"]), POSE_MODEL]
    )


def picture_key(
    exercise: Exercise,
    own_pose: bytes,
    width_mm: float,
    height_mm: float | None,
    plugins: bytes,
) -> str | None:
    """The cache key of one picture, or None when the cache cannot be used.

    ``plugins`` is the fingerprint of the drawing plugins (props, exercise sources:
    :func:`routinekit.illustrations.fingerprint.fingerprint`)."""
    version = code_version()
    if version is None or disk_cache.cache_dir() is None:
        return None
    size = repr((float(width_mm), None if height_mm is None else float(height_mm)))
    return disk_cache.digest(
        version, plugins, exercise.id.encode(), exercise.name.encode(), own_pose, size.encode()
    )


def load(key: str) -> tuple[bool, PdfPicture | None]:
    """``(True, picture or None)`` for a stored entry; ``(False, None)`` for none."""
    payload = disk_cache.read(AREA, key)
    if payload is None:
        return False, None
    try:
        value = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return False, None
    if value is None:
        return True, None
    if (
        isinstance(value, tuple)
        and len(value) == 3
        and all(isinstance(v, float) for v in value[:2])
        and isinstance(value[2], str)
    ):
        return True, PdfPicture(width=value[0], height=value[1], ops=value[2])
    return False, None


def save(key: str, picture: PdfPicture | None) -> None:
    """Store a picture (or "no picture") under ``key``; silently skipped if impossible."""
    value = None if picture is None else (float(picture.width), float(picture.height), picture.ops)
    disk_cache.write(AREA, key, marshal.dumps(value))
