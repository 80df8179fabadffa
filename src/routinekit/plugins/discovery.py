"""Which plugins are installed: routinekit's entry points, read once per set of installed packages.

``importlib.metadata`` answers this exactly, but importing it (with ``email``, ``zipfile``,
``socket`` and ``importlib.resources`` behind it) and reading every package's metadata is a
tenth of a cold ``routinekit build``. So the answer is kept in the on-disk cache
(:mod:`routinekit.render.disk_cache`) under a key that changes whenever the installed
packages can have changed: ``sys.path`` itself and the name and ``entry_points.txt``
modification time of every ``*.dist-info`` and ``*.egg-info`` folder in its folders
(installing, removing or upgrading a package, editable or not, changes one of these: the
folder's name holds the version). Anything else that can find distributions (a finder on
``sys.meta_path`` other than the standard path finder) turns the cache off, and
``ROUTINEKIT_NO_CACHE=1`` does too: then ``importlib.metadata`` is asked every time.

The index names installed packages and their plugins, never a patient.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from typing import Any

import msgspec

#: The entry-point group third-party plugins register under.
GROUP = "routinekit"
AREA = "entry-points"
_FORMAT = b"entry-points:1"
_META = (".dist-info", ".egg-info")
#: ``module``, ``module:attr`` or ``module:attr.attr`` with optional ``[extras]`` (the
#: entry-point object reference syntax).
_REFERENCE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?(\[.*\])?\s*$")


class Found(msgspec.Struct, frozen=True):
    """One ``routinekit`` entry point and the distribution that declares it."""

    name: str
    value: str
    distribution: str | None
    version: str | None

    def load(self) -> Any:
        """Import the object the entry point names, as ``EntryPoint.load`` does."""
        import importlib

        match = _REFERENCE.match(self.value)
        if match is None:
            raise ValueError(f"entry point {self.name!r} names {self.value!r}, not module:attr")
        obj: Any = importlib.import_module(match.group("module"))
        for part in (match.group("attr") or "").split(".") if match.group("attr") else ():
            obj = getattr(obj, part)
        return obj


class _Index(msgspec.Struct, frozen=True):
    found: tuple[tuple[str, str, str | None, str | None], ...]
    versions: dict[str, str]


#: Distributions whose versions the index keeps besides the plugins' (cache keys use them).
VERSIONS_OF = ("qrcode", "reportlab", "routinekit")


def entry_points() -> list[Found]:
    """routinekit's entry points, sorted by name (from the cache when nothing changed)."""
    return [Found(*row) for row in _index().found]


def version(distribution: str) -> str | None:
    """The installed version of ``distribution`` (None if it is not installed); one of
    :data:`VERSIONS_OF` or a plugin's comes from the index the last host load read."""
    index = _MEMO.get(_LAST[0]) if _LAST else None
    if index is None:
        index = _index()
    known = index.versions.get(_normal(distribution))
    if known is not None or _normal(distribution) in map(_normal, VERSIONS_OF):
        return known
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


_MEMO: dict[bytes, _Index] = {}
_LAST: list[bytes] = []


def _index() -> _Index:
    from routinekit.render import disk_cache

    signature = _signature()
    if signature is not None:
        _LAST[:] = [signature]
        if signature in _MEMO:
            return _MEMO[signature]
    key = disk_cache.digest(_FORMAT, signature) if signature is not None else None
    if key is not None:
        payload = disk_cache.read(AREA, key)
        if payload is not None:
            try:
                index = msgspec.msgpack.decode(payload, type=_Index)
            except (msgspec.DecodeError, msgspec.ValidationError):
                index = None
            if index is not None:
                _MEMO[signature] = index  # type: ignore[index]
                return index
    index = _scan()
    if key is not None and signature is not None:
        disk_cache.write(AREA, key, msgspec.msgpack.encode(index))
        _MEMO[signature] = index
    return index


def _scan() -> _Index:
    """The exact answer, from ``importlib.metadata``."""
    from importlib import metadata

    found = []
    for ep in sorted(metadata.entry_points(group=GROUP), key=lambda e: e.name):
        dist = ep.dist
        found.append(
            (ep.name, ep.value, dist.name if dist else None, dist.version if dist else None)
        )
    versions: dict[str, str] = {}
    for name in (*VERSIONS_OF, *(row[2] for row in found if row[2])):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[_normal(name)] = metadata.version(name)
    return _Index(found=tuple(found), versions=versions)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _signature() -> bytes | None:
    """What the installed packages depend on, or None when it cannot be told cheaply."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        # as importlib.metadata asks them (toolz's tlz finder, for one, holds None); the
        # importlib_metadata backport's finder reads the same sys.path folders as ours
        if finder is PathFinder or type(finder).__module__ == "importlib_metadata":
            continue
        if getattr(finder, "find_distributions", None) is not None:
            return None
    parts = [sys.version, sys.prefix]
    for entry in sys.path:
        folder = entry or os.getcwd()
        try:
            st = os.stat(folder)
        except OSError:
            parts.append(f"{entry}\0absent")
            continue
        if not stat.S_ISDIR(st.st_mode):  # a zip file of packages
            parts.append(f"{entry}\0{st.st_mtime_ns}\0{st.st_size}")
            continue
        parts.append(entry)  # not its mtime: a file written into the working folder is not
        try:  # an install; every distribution's metadata folder is named below
            names = sorted(n for n in os.listdir(folder) if n.endswith(_META))
        except OSError:
            return None
        for name in names:
            try:
                mtime = os.stat(os.path.join(folder, name, "entry_points.txt")).st_mtime_ns
            except OSError:
                mtime = -1
            parts.append(f"{name}\0{mtime}")
    return "\n".join(parts).encode("utf-8", "surrogateescape")
