"""Safe YAML (and JSON) reading that remembers the line of every value.

PyYAML's safe composer builds a node tree; we turn it into plain Python values
ourselves so that we can refuse duplicate keys, cap the size that aliases can
expand to (the "billion laughs" attack), cap nesting depth, and record the line
of each value so that errors can say ``line 12``. Nothing here constructs
arbitrary Python objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from routinekit.errors import Location, UnsafeInputError, UserError, ValidationError

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 40

PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """Plain data read from a file, with the line of each value by its path."""

    data: Any
    source: str
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """The line of the value at ``path``, or of its nearest parent."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def error(self, path: PathKey, message: str, hint: str | None = None) -> ValidationError:
        return ValidationError(
            message,
            location=Location(
                file=self.source, line=self.line_of(path), field=path_text(path) or None
            ),
            hint=hint,
        )


def path_text(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _DepthCap:
    """Refuse deep nesting while composing (PyYAML's composer recurses once per level)."""

    _depth = 0
    source = "<text>"

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise UnsafeInputError(
                    f"is nested more than {MAX_DEPTH} levels deep",
                    location=Location(file=self.source, line=mark.line + 1),
                    hint="flatten the lists and mappings",
                )
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


class _Loader(_DepthCap, yaml.SafeLoader):
    """The pure-Python safe loader with the depth cap: the reference for every error."""


_CParser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)


if _CParser is not None:

    class _FastLoader(
        _DepthCap,
        yaml.composer.Composer,
        _CParser,
        yaml.constructor.SafeConstructor,
        yaml.resolver.Resolver,
    ):
        """libyaml scans and parses (about 10x faster); PyYAML's own Python composer builds
        the nodes from its events, so the depth cap above runs exactly as in
        :class:`_Loader`, before any deep recursion, and aliases stay shared nodes (the
        builder counts their expansion). Its marks carry the same line numbers."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = None  # type: ignore[assignment,misc]


#: Characters refused anywhere in a file: C0 controls other than tab and line breaks, DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file (a BOM is fine) with a size cap, as a user error on failure."""
    where = Location(file=str(path))
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ValidationError("file not found", location=where, hint="check the path") from None
    except OSError as exc:
        raise ValidationError(f"cannot read file ({exc.strerror})", location=where) from None
    if path.is_dir():
        raise ValidationError("is a folder, not a file", location=where)
    if size > max_bytes:
        raise UnsafeInputError(
            f"file is too large ({size:,} bytes; the limit is {max_bytes:,})", location=where
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"cannot read file ({exc.strerror})", location=where) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationError(
            "is not valid UTF-8 text",
            location=Location(file=str(path), line=line),
            hint="save the file as UTF-8",
        ) from None


def load_yaml_file(path: Path | str) -> Document:
    path = Path(path)
    return load_yaml_text(read_text(path), source=str(path))


def load_yaml_text(text: str, *, source: str = "<text>") -> Document:
    """Parse YAML (JSON is YAML too) into plain values with line numbers."""
    if len(text) > MAX_FILE_BYTES:
        raise UnsafeInputError("text is too large", location=Location(file=source))
    bad = _CONTROL.search(text)
    if bad is not None:
        ch = bad.group()
        line = text.count("\n", 0, bad.start()) + 1
        raise ValidationError(
            f"contains a control character (U+{ord(ch):04X})",
            location=Location(file=source, line=line),
            hint="remove it or save the file as plain text",
        )
    node, loader = None, None
    if _FastLoader is not None:
        try:
            node, loader = _compose(_FastLoader, text, source)
        except (yaml.YAMLError, ValueError):
            # libyaml words its errors differently (and may refuse a little more):
            # the pure loader below reads the text again and reports, or accepts it.
            loader = None
    if loader is None:
        node, loader = _compose_reported(text, source)
    doc = Document(data=None, source=source)
    if node is None:
        return doc
    builder = _Builder(loader, doc)
    doc.data = builder.build(node, (), 0)
    return doc


def _compose(cls: Any, text: str, source: str) -> tuple[yaml.Node | None, Any]:
    loader = cls(text)
    loader.source = source
    try:
        return loader.get_single_node(), loader
    finally:
        loader.dispose()


def _compose_reported(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """Compose with the pure loader; its YAML errors become one-line user errors."""
    try:
        return _compose(_Loader, text, source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise ValidationError(
            f"is not valid YAML: {problem}",
            location=Location(file=source, line=mark.line + 1 if mark else None),
            hint="check indentation, colons and quotes on that line",
        ) from None
    except yaml.YAMLError as exc:
        raise ValidationError(f"is not valid YAML: {exc}", location=Location(file=source)) from None


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, doc: Document) -> None:
        self.loader = loader
        self.doc = doc
        self.count = 0

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_NODES:
            raise UnsafeInputError(
                f"expands to more than {MAX_NODES:,} values (too many aliases or entries)",
                location=Location(file=self.doc.source, line=line),
            )
        if depth > MAX_DEPTH:
            raise UnsafeInputError(
                f"is nested more than {MAX_DEPTH} levels deep",
                location=Location(file=self.doc.source, line=line),
            )
        self.doc.lines.setdefault(path, line)
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
            raise ValidationError(
                f"cannot read value: the tag '{node.tag}' is not allowed",
                location=Location(file=self.doc.source, line=line, field=path_text(path) or None),
                hint="routinekit reads plain text, numbers, lists and mappings only",
            )
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, path, depth + 1)
                if isinstance(key, bool | int | float) and not isinstance(key, bool):
                    key = str(key)
                if not isinstance(key, str):
                    raise ValidationError(
                        "keys must be plain words",
                        location=Location(file=self.doc.source, line=key_node.start_mark.line + 1),
                    )
                if key in result:
                    raise ValidationError(
                        f"duplicate key '{key}'",
                        location=Location(
                            file=self.doc.source,
                            line=key_node.start_mark.line + 1,
                            field=path_text((*path, key)),
                        ),
                        hint="each key may appear once; remove or merge the repeats",
                    )
                # a field's line is the line of its key, where a person reads it
                self.doc.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*path, key), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, child in enumerate(node.value):
                items.append(self.build(child, (*path, i), depth + 1))
            return items
        try:
            value = self.loader.construct_object(node, deep=False)
        except yaml.constructor.ConstructorError as exc:
            raise ValidationError(
                f"cannot read value: {exc.problem}",
                location=self._where(line, path),
                hint="routinekit reads plain text, numbers, lists and mappings only",
            ) from None
        except (ValueError, OverflowError) as exc:
            hint = (
                "write dates as YYYY-MM-DD"
                if isinstance(node.value, str) and (node.tag.endswith(":timestamp"))
                else None
            )
            raise ValidationError(
                f"cannot read value: {exc}", location=self._where(line, path), hint=hint
            ) from None
        if isinstance(value, str) and _SURROGATE.search(value):
            value = _no_surrogates(value, self._where(line, path))
        return value

    def _where(self, line: int, path: PathKey) -> Location:
        # built only for an error: an alias bomb expands to 200,000 scalars first
        return Location(file=self.doc.source, line=line, field=path_text(path) or None)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str, where: Location) -> str:
    """Join escaped UTF-16 surrogate pairs (JSON writes emoji as two); refuse lone halves."""
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        raise ValidationError(
            "contains a broken character escape (a lone UTF-16 surrogate)",
            location=where,
            hint="remove the \\ud800-\\udfff escape or write the character itself",
        ) from None


def with_line(err: UserError) -> UserError:
    """``err`` with its line filled in from its file and field, when it names both but no line.

    Used for errors found after a file was read (a patient's dose override, an exclusion).
    """
    loc = err.location
    if not loc.file or loc.line is not None or not loc.field or loc.field.startswith("--"):
        return err
    line = line_in_file(loc.file, loc.field)
    return err.at(line=line) if line is not None else err


def line_in_file(file: str | Path, field: str) -> int | None:
    """The line of ``field`` (e.g. ``doses.cat-cow.hold``) in a YAML file, if it can be found."""
    try:
        doc = load_yaml_file(file)
    except UserError:
        return None
    path: list[str | int] = []
    for part in re.finditer(r"([^.\[\]]+)|\[(\d+)\]", field):
        path.append(int(part.group(2)) if part.group(2) is not None else part.group(1))
    return doc.line_of(tuple(path))
