"""Turn plain data from a file into model types, with errors that point at the line."""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar

import msgspec

from routinekit.files.yaml_reader import Document, PathKey
from routinekit.model.dose import dec_hook

T = TypeVar("T")

_AT_RE = re.compile(r"\s*-\s*at `\$(?P<path>[^`]*)`\s*$")
_PART_RE = re.compile(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\.\.\.\]")


def _parse_path(text: str) -> PathKey:
    parts: list[str | int] = []
    for m in _PART_RE.finditer(text):
        if m.group(1) is not None:
            parts.append(m.group(1))
        elif m.group(2) is not None:
            parts.append(int(m.group(2)))
    return tuple(parts)


def _fields_of(type_: Any, path: PathKey) -> list[str]:
    """Field names of the struct found at ``path`` inside ``type_`` (best effort)."""
    try:
        info = msgspec.inspect.type_info(type_)
        for part in path:
            while isinstance(info, msgspec.inspect.UnionType):
                info = next(
                    (t for t in info.types if isinstance(t, msgspec.inspect.StructType)),
                    info.types[0],
                )
            if isinstance(info, msgspec.inspect.StructType) and isinstance(part, str):
                info = next(f.type for f in info.fields if f.encode_name == part)
            elif isinstance(info, msgspec.inspect.ListType | msgspec.inspect.VarTupleType):
                info = info.item_type
            elif isinstance(info, msgspec.inspect.DictType):
                info = info.value_type
        while isinstance(info, msgspec.inspect.UnionType):
            info = next(t for t in info.types if isinstance(t, msgspec.inspect.StructType))
        if isinstance(info, msgspec.inspect.StructType):
            return [f.encode_name for f in info.fields]
    except (StopIteration, AttributeError, TypeError):
        pass
    return []


def _friendly(message: str) -> str:
    message = message.replace("`", "'")
    message = re.sub(r"^Expected '(\w+)', got '(\w+)'$", r"expected \1, got \2", message)
    message = message.replace("Expected ", "expected ").replace("Object missing", "missing")
    message = message.replace("Object contains unknown field", "unknown field")
    message = message.replace("str", "text").replace("'null'", "nothing")
    return message


def decode(doc: Document, type_: type[T], *, data: Any = None) -> T:
    """Convert ``doc.data`` (or ``data``) to ``type_``; raise a located ValidationError."""
    try:
        return msgspec.convert(doc.data if data is None else data, type_, dec_hook=dec_hook)
    except msgspec.ValidationError as exc:
        raw = str(exc)
        m = _AT_RE.search(raw)
        path = _parse_path(m.group("path")) if m else ()
        message = raw[: m.start()] if m else raw
        hint = None
        unknown = re.match(r"Object contains unknown field `([^`]+)`", message)
        if unknown:
            name = unknown.group(1)
            path = (*path, name)
            known = _fields_of(type_, path[:-1])
            close = difflib.get_close_matches(name, known, n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else (f"known fields: {', '.join(known)}" if known else None)
            )
        missing = re.match(r"Object missing required field `([^`]+)`", message)
        if missing:
            hint = f"add '{missing.group(1)}'"
        raise doc.error(path, _friendly(message), hint) from None
