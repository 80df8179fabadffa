"""Turn plain data from a file into model types, with errors that point at the line."""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar

import msgspec

from routinekit.files.yaml_reader import Document, PathKey
from routinekit.model.file_form import from_file

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


_TYPE_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "str": "text",
    "bool": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}


def _type_words(types: str) -> str:
    """``int | null`` -> ``a whole number``: msgspec's type names in plain words."""
    names = [t.strip() for t in types.split("|")]
    shown = [_TYPE_WORDS.get(t, t) for t in names if t != "null"] or ["nothing"]
    return " or ".join(dict.fromkeys(shown))


def plain_message(message: str) -> str:
    """msgspec's wording of a validation error (without its location) in plain words."""
    message = message.replace("`", "'")
    message = re.sub(
        r"^Expected '([\w |]+)', got '(\w+)'$",
        lambda m: f"expected {_type_words(m.group(1))}, got {_type_words(m.group(2))}",
        message,
    )
    message = message.replace("Expected ", "expected ").replace("Object missing", "missing")
    message = message.replace("Object contains unknown field", "unknown field")
    message = message.replace("str", "text").replace("'null'", "nothing")
    for pattern, plain in _PLAIN.items():
        message = message.replace(pattern, plain)
    for regex, plain in _PLAIN_RE:
        message = re.sub(regex, plain, message)
    return message


#: msgspec's wording for our constraints -> plain words
_PLAIN = {
    r"expected 'text' matching regex '^https?://\\S+$'": (
        "expected a web address starting with https://"
    ),
    r"expected 'text' matching regex '^https?://\\S*\\{id\\}\\S*$'": (
        "expected a web address starting with https:// with {id} where the id goes"
    ),
    "expected 'text' matching regex '^[a-z0-9][a-z0-9-]*$'": (
        "expected an id of lowercase letters, digits and dashes, like cat-cow"
    ),
    "expected 'text' matching regex '^[a-z]{2,3}(-[A-Za-z0-9]+)?$'": (
        "expected a language code such as en or es"
    ),
    "expected 'text' of length >= 1": "must not be empty",
    "expected 'text | nothing', got 'array'": "expected text, got a list",
    "expected 'text | nothing', got 'object'": "expected text, got a mapping",
}
_PLAIN_RE = [
    (r"expected 'array' of length >= (\d+)", r"expected a list of at least \1"),
    (r"expected 'array' of length <= (\d+)", r"expected a list of at most \1"),
    (r"expected 'text' of length <= (\d+)", r"expected at most \1 characters"),
    (r"expected 'int' <= (\d+)", r"expected a whole number of at most \1"),
    (r"expected 'int' >= (\d+)", r"expected a whole number of at least \1"),
    (r"expected 'float' > 0\.0", "expected a number above 0"),
    (r"expected 'float' <= (\d+)\.0", r"expected a number of at most \1"),
]


def decode(doc: Document, type_: type[T], *, data: Any = None) -> T:
    """Convert ``doc.data`` (or ``data``) to ``type_``; raise a located ValidationError."""
    try:
        return from_file(doc.data if data is None else data, type_)
    except msgspec.ValidationError as exc:
        raw = str(exc)
        m = _AT_RE.search(raw)
        path = _parse_path(m.group("path")) if m else ()
        message = raw[: m.start()] if m else raw
        hint = None
        unknown = re.match(r"Object contains unknown field `([^`]+)`", message)
        if unknown:
            name = unknown.group(1)
            if doc.key_shown(path, name) is None:  # a key that might be a name: by position
                message = "unknown field"
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
        raise doc.error(path, plain_message(message), hint) from None
