"""Model values in the form routinekit's files write them, and back.

A file writes a :class:`~routinekit.model.dose.Range` as ``30`` or ``"30-60"``; msgspec (and
so the JSON output and any third-party encoder) writes the struct, ``{"low": 30.0, "high":
60.0}``. msgspec never calls a ``dec_hook`` for a Struct type, so :func:`from_file` first
walks the value alongside ``msgspec.inspect.type_info(type_)`` and replaces every value at a
place where ``type_`` expects a Range with the parsed Range, then lets msgspec convert the
rest. A value that is not a range fails the way msgspec reports any other bad field:
``msgspec.ValidationError("must not be negative - at `$.items[0].dose.reps`")``.

:func:`to_file_builtins` is the way back, for files written for a person (a saved draft,
``routinekit new``, the reference docs), and :func:`file_schema` the JSON Schema of the file
form. Each type's walk is worked out once; a type with no Range in it is not walked at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import msgspec
import msgspec.inspect as mi

from routinekit.model.dose import Range, range_file_schema

T = TypeVar("T")

#: value -> value with its ranges changed (the same object when nothing changed)
Fix = Callable[[Any], Any]


class _Bad(Exception):
    """A value that is not a range; ``parts`` is its place, innermost first."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.parts: list[str] = []

    def located(self) -> msgspec.ValidationError:
        path = "".join(reversed(self.parts))
        return msgspec.ValidationError(f"{self.message} - at `${path}`" if path else self.message)


def _read_range(value: Any) -> Range:
    if isinstance(value, Range):
        return value
    try:
        return Range.parse(value)
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def file_value(r: Range) -> int | float | str:
    """A Range as a file writes it: ``30`` (a whole number alone) or ``"30-60"``."""
    return int(r.low) if r.is_single and float(r.low).is_integer() else r.text()


def _write_range(value: Any) -> Any:
    if isinstance(value, dict) and value.keys() == {"low", "high"}:
        return file_value(Range(value["low"], value["high"]))
    return value  # not an encoded Range (a wrong value built in code): left for the check


class _Lazy:
    """Stands for a struct's walk while it is being worked out (a recursive type)."""

    fix: Fix | None = None

    def __call__(self, value: Any) -> Any:
        return value if self.fix is None else self.fix(value)


def _compile(info: mi.Type, leaf: Fix, memo: dict[type, Fix | None]) -> Fix | None:
    """The walk of values of ``info`` that applies ``leaf`` at Range places (None: no Range)."""
    if isinstance(info, mi.Metadata):
        return _compile(info.type, leaf, memo)
    if isinstance(info, mi.StructType):
        if info.cls is Range:
            return leaf
        if info.cls in memo:
            return memo[info.cls]
        lazy = _Lazy()
        memo[info.cls] = lazy
        fixes = {}
        for f in info.fields:
            fix = _compile(f.type, leaf, memo)
            if fix is not None:
                fixes[f.encode_name] = fix
        lazy.fix = _fields(fixes) if fixes else None
        memo[info.cls] = lazy.fix
        return lazy.fix
    if isinstance(info, mi.ListType | mi.VarTupleType | mi.SetType | mi.FrozenSetType):
        item = _compile(info.item_type, leaf, memo)
        return None if item is None else _items(lambda i: item)
    if isinstance(info, mi.TupleType):
        items = [_compile(t, leaf, memo) for t in info.item_types]
        if all(f is None for f in items):
            return None
        return _items(lambda i: items[i] if i < len(items) else None)
    if isinstance(info, mi.DictType):
        value = _compile(info.value_type, leaf, memo)
        return None if value is None else _values(value)
    if isinstance(info, mi.UnionType):
        return _union(info, leaf, memo)
    return None


def _fields(fixes: dict[str, Fix]) -> Fix:
    def fix(value: Any) -> Any:
        if not isinstance(value, dict):
            return value  # msgspec says what is wrong with it
        out = None
        for name, fix_one in fixes.items():
            if name in value:
                old = value[name]
                try:
                    new = fix_one(old)
                except _Bad as bad:
                    bad.parts.append(f".{name}")
                    raise
                if new is not old:
                    out = dict(value) if out is None else out
                    out[name] = new
        return value if out is None else out

    return fix


def _items(fix_at: Callable[[int], Fix | None]) -> Fix:
    def fix(value: Any) -> Any:
        if not isinstance(value, list | tuple):
            return value
        out = None
        for i, old in enumerate(value):
            fix_one = fix_at(i)
            if fix_one is None:
                continue
            try:
                new = fix_one(old)
            except _Bad as bad:
                bad.parts.append(f"[{i}]")
                raise
            if new is not old:
                out = list(value) if out is None else out
                out[i] = new
        return value if out is None else out

    return fix


def _values(fix_one: Fix) -> Fix:
    def fix(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out = None
        for key, old in value.items():
            try:
                new = fix_one(old)
            except _Bad as bad:
                bad.parts.append("[...]")  # msgspec's way of naming a mapping's value
                raise
            if new is not old:
                out = dict(value) if out is None else out
                out[key] = new
        return value if out is None else out

    return fix


def _union(info: mi.UnionType, leaf: Fix, memo: dict[type, Fix | None]) -> Fix | None:
    has_range = any(isinstance(t, mi.StructType) and t.cls is Range for t in info.types)
    mappings = [
        t
        for t in info.types
        if isinstance(t, mi.StructType | mi.DictType | mi.TypedDictType | mi.DataclassType)
        and not (isinstance(t, mi.StructType) and t.cls is Range)
    ]
    arrays = [
        t
        for t in info.types
        if isinstance(t, mi.ListType | mi.VarTupleType | mi.TupleType | mi.SetType)
    ]
    # a mapping goes to the struct its tag names, else to the one mapping type there is
    by_tag: dict[Any, Fix | None] = {}
    tag_field = None
    for t in mappings:
        if isinstance(t, mi.StructType) and t.tag_field is not None:
            tag_field = t.tag_field
            by_tag[t.tag] = _compile(t, leaf, memo)
    mapping = _compile(mappings[0], leaf, memo) if len(mappings) == 1 else None
    array = _compile(arrays[0], leaf, memo) if len(arrays) == 1 else None
    if not (has_range or mapping or array or any(by_tag.values())):
        return None
    writing = leaf is _write_range

    def fix(value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, dict):
            if has_range and (writing or not mappings):
                return leaf(value)
            if tag_field is not None and tag_field in value:
                chosen = by_tag.get(value[tag_field])
                return value if chosen is None else chosen(value)
            return value if mapping is None else mapping(value)
        if isinstance(value, list | tuple):
            return value if array is None else array(value)
        return leaf(value) if has_range and not writing else value

    return fix


_READERS: dict[Any, Fix | None] = {}
_WRITERS: dict[Any, Fix | None] = {}


def _walk_for(type_: Any, leaf: Fix, memo: dict[Any, Fix | None]) -> Fix | None:
    try:
        return memo[type_]
    except KeyError:
        fix = memo[type_] = _compile(mi.type_info(type_), leaf, {})
        return fix


def from_file(data: Any, type_: type[T], *, strict: bool = True) -> T:
    """``msgspec.convert(data, type_)`` for plain data as files write it (ranges as ``30`` or
    ``"30-60"``); raises ``msgspec.ValidationError`` with the place of a bad value."""
    fix = _walk_for(type_, _read_range, _READERS)
    if fix is not None:
        try:
            data = fix(data)
        except _Bad as bad:
            raise bad.located() from None
    result: T = msgspec.convert(data, type_, strict=strict)
    return result


def to_file_builtins(obj: Any, type_: Any = None) -> Any:
    """``msgspec.to_builtins(obj)`` with every range as files write it (``30``, ``"30-60"``);
    ``type_`` is the type of ``obj`` when it is not a struct (a field's value)."""
    data = msgspec.to_builtins(obj)
    fix = _walk_for(type(obj) if type_ is None else type_, _write_range, _WRITERS)
    return data if fix is None else fix(data)


def file_schema(type_: Any) -> dict[str, Any]:
    """The JSON Schema (2020-12) of ``type_`` as files write it: every Range as a number or
    a ``"30-60"`` string, in place."""
    schema: dict[str, Any] = msgspec.json.schema(type_)
    defs = schema.get("$defs", {})
    if "Range" not in defs:
        return schema
    del defs["Range"]
    ref = {"$ref": "#/$defs/Range"}

    def inline(node: Any) -> Any:
        if node == ref:
            return range_file_schema()
        if isinstance(node, dict):
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    result: dict[str, Any] = inline(schema)
    return result


__all__ = ["file_schema", "file_value", "from_file", "to_file_builtins"]
