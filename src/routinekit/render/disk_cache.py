"""A small on-disk cache of derived data that never names a patient.

A cold ``routinekit build`` would spend a fifth of its time deriving the same things from
the same files in every process: the illustrations' PDF operators from their poses
(:mod:`routinekit.illustrations.stored`) and the exercise library parsed from its YAML
files (:mod:`routinekit.library.stored`). Both depend only on files shipped with
routinekit or a plugin (or on a routine's own poses), never on a patient, so they are kept
in ``$XDG_CACHE_HOME/routinekit/`` (default ``~/.cache/routinekit/``) by a key that
hashes everything they are derived from, code included.

The cache is an optimisation only: every entry carries a checksum, and a missing,
corrupt, stale or unreadable entry (or an unwritable folder) is ignored silently, so
the data is derived again. ``ROUTINEKIT_NO_CACHE=1`` turns it off. Entries are
written atomically (a private temporary file renamed into place), readable by their
owner only. Deleting the folder at any time is safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

#: Turns the cache off (reads and writes) when set to anything but "" or "0".
DISABLE_VAR = "ROUTINEKIT_NO_CACHE"
#: Format of an entry: this header, a 16-byte BLAKE2b digest of the payload, the payload.
MAGIC = b"RKC1"
DIGEST_SIZE = 16


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    if os.environ.get(DISABLE_VAR, "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "routinekit"


def digest(*parts: bytes) -> str:
    """A short hex key over ``parts`` (each length-prefixed, so they cannot run together)."""
    h = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def files_version(paths: Iterable[Path], *extra: bytes) -> bytes | None:
    """A hash of routinekit's version, ``extra`` and the path, size and modification time
    of each of ``paths`` (the code or data a cached entry is derived from), or None when
    one cannot be found.

    Like Python's own ``.pyc`` check, this stats the files rather than reading them: an
    edit, an upgrade or a reinstall changes a file's size or time, and a start stats a
    few dozen files instead of reading and hashing half a megabyte of source.
    """
    from routinekit import __version__

    h = hashlib.blake2b(__version__.encode(), digest_size=DIGEST_SIZE)
    for part in extra:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    try:
        for path in paths:
            st = os.stat(path)
            h.update(f"{path}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    except OSError:
        return None
    return h.digest()


def read(area: str, key: str) -> bytes | None:
    """The payload stored under ``area/key``, or None (absent, corrupt, unreadable, off)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = (folder / area / key).read_bytes()
    except (OSError, ValueError):
        return None
    head = len(MAGIC) + DIGEST_SIZE
    if len(data) < head or not data.startswith(MAGIC):
        return None
    payload = data[head:]
    if hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest() != data[len(MAGIC) : head]:
        return None
    return payload


#: The most entries an area keeps: past it, the least recently written quarter goes. Most
#: areas hold a few dozen entries; the layouts' fit choices grow with the handouts a
#: clinic prints (one per distinct set of exclusions and doses), so the cache stays small
#: even after millions of rows that all differ.
AREA_MAX = 4096
#: An area's entries are counted on its first write in a process and every this many after.
_COUNT_EVERY = 256
_writes: dict[str, int] = {}


def write(area: str, key: str, payload: bytes) -> bool:
    """Store ``payload`` under ``area/key`` atomically; False (silently) if it cannot."""
    folder = cache_dir()
    if folder is None:
        return False
    written = _writes.get(area, 0)
    _writes[area] = written + 1
    if written % _COUNT_EVERY == 0:
        _trim(folder / area)
    target = folder / area / key
    tmp = target.with_name(f".{key}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    check = hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        target.parent.mkdir(exist_ok=True, mode=0o700)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + check + payload)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, ValueError):
        return False
    return True


def _trim(folder: Path, most: int | None = None) -> None:
    """Keep at most ``most`` (default :data:`AREA_MAX`) entries in ``folder``: when there are
    more, the oldest written are removed until three quarters are left. Silent on errors."""
    most = AREA_MAX if most is None else most
    try:
        with os.scandir(folder) as found:
            entries = [e for e in found if not e.name.startswith(".")]
        if len(entries) <= most:
            return
        aged = sorted(entries, key=lambda e: e.stat().st_mtime_ns)
    except OSError:
        return
    for entry in aged[: len(aged) - most * 3 // 4]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
