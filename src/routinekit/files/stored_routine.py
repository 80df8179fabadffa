"""Template routines parsed once: kept in the on-disk cache, by content.

A cold ``routinekit build back-spasm-acute`` spent ~15 ms reading the template: composing
its YAML with a line for every value, then checking it against the model. A template is a
file shipped in a package (routinekit's own or a plugin's), never a patient's, and it changes
only with an upgrade. So a template that parsed cleanly is kept as msgpack in the cache
(:mod:`routinekit.render.disk_cache`): the routine, and the plain data and line numbers that
later messages and strategies read. The key hashes the file's path and bytes and the code
that turns files into routines (:func:`routinekit.library.stored.code_version`), so an edit
or an upgrade parses it again. A missing, stale or corrupt entry is ignored.

Routine files a therapist names by path are never kept: one may hold a patient's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from routinekit.files.routine_file import RoutineFile, parse_routine
from routinekit.files.yaml_reader import Document, load_yaml_text, read_text
from routinekit.model import Routine

AREA = "templates-parsed"
_FORMAT = b"template-routine:1"


class _Stored(msgspec.Struct, frozen=True, array_like=True):
    routine: Routine
    data: Any
    lines: list[tuple[list[str | int], int]]
    positions: list[tuple[list[str | int], int]]


def _key(path: Path, text: str) -> str | None:
    from routinekit.library.stored import code_version
    from routinekit.render import disk_cache

    code = code_version()
    if code is None:
        return None
    return disk_cache.digest(_FORMAT, code, str(path).encode(), text.encode())


def load_template_file(path: Path) -> RoutineFile:
    """:func:`~routinekit.files.routine_file.load_routine_file` for a shipped template,
    from the cache when this file was parsed before (the same values, lines and errors)."""
    from routinekit.render import disk_cache

    text = read_text(path)
    source, base_dir = str(path), path.resolve().parent
    key = _key(path, text)
    payload = disk_cache.read(AREA, key) if key is not None else None
    if payload is not None:
        try:
            stored = msgspec.msgpack.decode(payload, type=_Stored)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
            stored = None
        if stored is not None:
            doc = Document(
                data=stored.data,
                source=source,
                lines={tuple(p): n for p, n in stored.lines},
                positions={tuple(p): n for p, n in stored.positions},
            )
            return RoutineFile(routine=stored.routine, doc=doc, base_dir=base_dir)
    rf = parse_routine(load_yaml_text(text, source=source), base_dir)
    if key is not None:
        _save(key, rf)
    return rf


def _save(key: str, rf: RoutineFile) -> None:
    """Keep ``rf`` only if msgpack gives back exactly what was read (YAML can hold values,
    such as dates, that msgpack would turn into text)."""
    from routinekit.render import disk_cache

    doc = rf.doc
    stored = _Stored(
        routine=rf.routine,
        data=doc.data,
        lines=[(list(p), n) for p, n in doc.lines.items()],
        positions=[(list(p), n) for p, n in doc.positions.items()],
    )
    try:
        payload = msgspec.msgpack.encode(stored)
        back = msgspec.msgpack.decode(payload, type=_Stored)
    except (TypeError, msgspec.DecodeError, msgspec.ValidationError, ValueError):
        return
    if back != stored or not _same(back.data, doc.data):
        return
    disk_cache.write(AREA, key, payload)


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (``1 == True`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
