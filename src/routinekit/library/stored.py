"""Exercise files parsed once: their exercises kept in the on-disk cache, by content.

Reading the built-in library (``exercises.yaml``, ~60 KB) with line numbers for error
messages is a tenth of a cold ``routinekit build``; the file changes only with an upgrade.
A file that parsed cleanly is kept as msgpack in the cache (:mod:`routinekit.render.disk_cache`)
under a key that hashes its bytes and the code that turns files into exercises (the model
and the file readers), so editing the file or upgrading routinekit parses it again.
Exercise files hold no patient data. A missing, stale or corrupt entry is ignored.
"""

from __future__ import annotations

import functools
from pathlib import Path

import msgspec

from routinekit.model import Exercise
from routinekit.render import disk_cache

AREA = "exercises"
_PACKAGE = Path(__file__).resolve().parent.parent
#: The code an exercise file's meaning depends on.
#: the code that turns files into exercises and routines (what the cached values depend on)
_CODE = (
    "model/*.py",
    "files/*.py",
    "library/__init__.py",
    "library/stored.py",
    # what the readers take their values and rules from
    "plugin_settings.py",  # the routine reader splits a strategy's block with it
    "constraints.py",
    "vocabulary.py",
    "safety.py",
)


@functools.cache
def code_version() -> bytes | None:
    """A hash of routinekit's version and of the model and file-reading code."""
    return disk_cache.files_version(sorted(p for pattern in _CODE for p in _PACKAGE.glob(pattern)))


def key_of(data: bytes) -> str | None:
    code = code_version()
    return None if code is None else disk_cache.digest(code, data)


def load(key: str | None) -> tuple[Exercise, ...] | None:
    if key is None:
        return None
    payload = disk_cache.read(AREA, key)
    if payload is None:
        return None
    try:
        return msgspec.msgpack.decode(payload, type=tuple[Exercise, ...])
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
        return None


def save(key: str | None, exercises: tuple[Exercise, ...]) -> None:
    if key is None:
        return
    disk_cache.write(AREA, key, msgspec.msgpack.encode(exercises))
