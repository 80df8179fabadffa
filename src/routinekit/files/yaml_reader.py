"""Safe YAML (and JSON) reading that remembers the line of every value.

PyYAML's safe composer builds a node tree; we turn it into plain Python values
ourselves so that we can refuse duplicate keys, cap the size that aliases can
expand to (the "billion laughs" attack), cap nesting depth, and record the line
of each value so that errors can say ``line 12``. Nothing here constructs
arbitrary Python objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import yaml

from routinekit.errors import Location, UnsafeInputError, UserError, ValidationError
from routinekit.files.regular import read_capped
from routinekit.files.yaml_build import MAX_DEPTH, Builder
from routinekit.files.yaml_words import plain_problem

MAX_FILE_BYTES = 2_000_000

PathKey = tuple[str | int, ...]

#: Decides which keys of a private file (a patient's) may be shown in a message.
KeyFilter = Callable[[PathKey, str], bool]


class Document(msgspec.Struct):
    """Plain data read from a file, with the line of each value by its path.

    ``shown_keys`` is set for files that hold patient data: a key it refuses (a key
    that might be a person's name) is shown in messages by its position, ``key 2``,
    never by its text.
    """

    data: Any
    source: str
    lines: dict[PathKey, int] = msgspec.field(default_factory=dict)
    shown_keys: KeyFilter | None = None
    positions: dict[PathKey, int] = msgspec.field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """The line of the value at ``path``, or of its nearest parent."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def field_text(self, path: PathKey) -> str:
        """``path`` as a field name for a message (private keys by position)."""
        if self.shown_keys is None:
            return path_text(path)
        parts: list[str | int] = []
        for i, part in enumerate(path):
            prefix = path[:i]
            if isinstance(part, str) and not self.shown_keys(prefix, part):
                position = self.positions.get((*prefix, part))
                part = f"key {position}" if position else "a key"
            parts.append(part)
        return path_text(tuple(parts))

    def key_shown(self, path: PathKey, key: str) -> str | None:
        """``key`` if it may be shown in a message, else None."""
        if self.shown_keys is None or self.shown_keys(path, key):
            return key
        return None

    def error(self, path: PathKey, message: str, hint: str | None = None) -> ValidationError:
        return ValidationError(
            message,
            location=Location(
                file=self.source, line=self.line_of(path), field=self.field_text(path) or None
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
    """Read a UTF-8 text file (a BOM is fine) with a size cap, as a user error on failure.

    Only regular files are read (see :mod:`routinekit.files.regular`): a pipe, a device
    or a folder is refused before anything is read.
    """
    raw = read_capped(path, max_bytes=max_bytes)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationError(
            "is not valid UTF-8 text",
            location=Location(file=str(path), line=line),
            hint="save the file as UTF-8",
        ) from None


def load_yaml_file(path: Path | str, *, shown_keys: KeyFilter | None = None) -> Document:
    path = Path(path)
    return load_yaml_text(read_text(path), source=str(path), shown_keys=shown_keys)


def load_yaml_text(
    text: str, *, source: str = "<text>", shown_keys: KeyFilter | None = None
) -> Document:
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
    doc = Document(data=None, source=source, shown_keys=shown_keys)
    if node is None:
        return doc
    builder = Builder(loader, doc)
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
        problem, hint = plain_problem(exc.problem, exc.context)
        raise ValidationError(
            f"is not valid YAML: {problem}",
            location=Location(file=source, line=mark.line + 1 if mark else None),
            hint=hint,
        ) from None
    except yaml.YAMLError:
        raise ValidationError(
            "is not valid YAML", location=Location(file=source), hint=plain_problem(None)[1]
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
