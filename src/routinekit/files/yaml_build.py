"""From a composed YAML node tree to plain Python values, refusing anything unusual.

The builder walks the nodes itself (it never asks PyYAML to construct objects
recursively) so that it can:

* count every value and every character it produces, aliases included, and stop a
  file that expands past the caps (the "billion laughs" attack);
* allow only the plain scalar tags (text, numbers, true/false, null, dates) and plain
  lists and mappings; any other tag is refused;
* turn every failure of a scalar (``!!bool maybe``, ``!!timestamp hello``, ``!!int x``,
  ``2026-02-30``) or a merge key (``<<: 5``) into a one-line user error that names the
  line and the field and never repeats the value (a patient file is YAML too).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

from routinekit.errors import Location, UnsafeInputError, ValidationError

if TYPE_CHECKING:
    from routinekit.files.yaml_reader import Document, PathKey

MAX_NODES = 200_000
MAX_DEPTH = 40
#: Characters of text (keys and values) a file may expand to, aliases included. A file
#: without aliases never reaches it: it cannot hold more characters than its bytes.
MAX_EXPANDED_CHARS = 2_000_000

_Y = "tag:yaml.org,2002:"
_MAP, _SEQ = _Y + "map", _Y + "seq"
#: scalar tags allowed, and what a value with that tag must look like
_SCALAR_TAGS = {
    _Y + "str": "text",
    _Y + "int": "a whole number",
    _Y + "float": "a number",
    _Y + "bool": "true or false",
    _Y + "null": "empty",
    _Y + "timestamp": "a date",
}
_MERGE = _Y + "merge"
_VALUE = _Y + "value"
_NOT_ALLOWED_HINT = "routinekit reads plain text, numbers, lists and mappings only"


def short_tag(tag: str) -> str:
    """``tag:yaml.org,2002:bool`` -> ``!!bool``, as it is written in a file."""
    return "!!" + tag[len(_Y) :] if tag.startswith(_Y) else tag


class Builder:
    """Builds the values of one document; records the line of each value in ``doc``."""

    def __init__(self, loader: yaml.SafeLoader, doc: Document) -> None:
        self.loader = loader
        self.doc = doc
        self.count = 0
        self.chars = 0

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
        if isinstance(node, yaml.MappingNode):
            self._check_collection_tag(node, _MAP, line, path)
            return self._mapping(node, path, depth, line)
        if isinstance(node, yaml.SequenceNode):
            self._check_collection_tag(node, _SEQ, line, path)
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        return self._scalar(node, path, line)

    def _check_collection_tag(self, node: yaml.Node, tag: str, line: int, path: PathKey) -> None:
        if node.tag != tag:
            raise ValidationError(
                f"cannot read value: the tag '{short_tag(node.tag)}' is not allowed",
                location=self._where(line, path),
                hint=_NOT_ALLOWED_HINT,
            )

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int, line: int) -> Any:
        self._merge(node, path, line)
        result: dict[str, Any] = {}
        for position, (key_node, value_node) in enumerate(node.value, start=1):
            key_line = key_node.start_mark.line + 1
            key = self.build(key_node, path, depth + 1)
            if isinstance(key, int | float) and not isinstance(key, bool):
                key = str(key)
            if not isinstance(key, str):
                raise ValidationError(
                    "keys must be plain words",
                    location=Location(file=self.doc.source, line=key_line),
                    hint="put a key that reads as true/false, a date or empty in quotes",
                )
            self.doc.positions.setdefault((*path, key), position)
            if key in result:
                shown = self.doc.key_shown(path, key)
                raise ValidationError(
                    f"duplicate key '{_key_shown(shown)}'" if shown else "duplicate key",
                    location=self._where(key_line, (*path, key)),
                    hint="each key may appear once; remove or merge the repeats",
                )
            # a field's line is the line of its key, where a person reads it
            self.doc.lines[(*path, key)] = key_line
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _merge(self, node: yaml.MappingNode, path: PathKey, line: int) -> None:
        """Apply merge keys (``<<: *defaults``); anything but mappings there is an error."""
        if not any(k.tag == _MERGE for k, _ in node.value):
            return
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                continue
            sources = (
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
            if not all(isinstance(s, yaml.MappingNode) for s in sources):
                raise ValidationError(
                    "'<<' (merge) must be followed by a mapping or a list of mappings",
                    location=self._where(key_node.start_mark.line + 1, path),
                    hint="write '<<: *name' where '&name' marks a mapping, or remove the '<<' line",
                )
        try:
            self.loader.flatten_mapping(node)
        except (yaml.YAMLError, RecursionError):
            raise ValidationError(
                "cannot merge these mappings ('<<')",
                location=self._where(line, path),
                hint="a merged mapping may not contain itself",
            ) from None

    def _scalar(self, node: yaml.Node, path: PathKey, line: int) -> Any:
        self.chars += len(node.value)
        if self.chars > MAX_EXPANDED_CHARS:
            raise UnsafeInputError(
                f"expands to more than {MAX_EXPANDED_CHARS:,} characters of text "
                "(too many aliases or entries)",
                location=Location(file=self.doc.source, line=line),
            )
        if node.tag == _VALUE and _implicit(self.loader, node):
            return node.value  # YAML 1.1 reads a lone '=' as a "value" tag: it is text here
        expected = _SCALAR_TAGS.get(node.tag)
        if expected is None:
            raise ValidationError(
                f"cannot read value: the tag '{short_tag(node.tag)}' is not allowed",
                location=self._where(line, path),
                hint=_NOT_ALLOWED_HINT,
            )
        try:
            value = self.loader.construct_object(node, deep=False)
        except Exception:  # each constructor fails its own way (KeyError, TypeError, ...)
            if node.tag.endswith(":timestamp") and _implicit(self.loader, node):
                message = "is not a real date" + (" or time" if ":" in node.value else "")
            else:
                message = f"is tagged {short_tag(node.tag)} but is not {expected}"
            raise ValidationError(
                f"cannot read value: it {message}",
                location=self._where(line, path),
                hint="write dates as YYYY-MM-DD"
                if node.tag.endswith(":timestamp")
                else "remove the tag or fix the value",
            ) from None
        if isinstance(value, str):
            if _SURROGATE.search(value):
                value = _no_surrogates(value, self._where(line, path))
            bad = _CONTROL_VALUE.search(value)
            if bad is not None:  # written as an escape ("\e", "\x1b"): raw ones never get here
                raise ValidationError(
                    f"contains a control character (U+{ord(bad.group()):04X})",
                    location=self._where(line, path),
                    hint="remove the escape (such as \\e or \\x1b) from the text",
                )
        return value

    def _where(self, line: int, path: PathKey) -> Location:
        # built only for an error: an alias bomb expands to 200,000 scalars first
        return Location(file=self.doc.source, line=line, field=self.doc.field_text(path) or None)


def _implicit(loader: yaml.SafeLoader, node: yaml.Node) -> bool:
    """Whether the node's tag comes from how its value looks, not from a written tag."""
    return bool(node.tag == loader.resolve(yaml.ScalarNode, node.value, (True, False)))


def _key_shown(key: str) -> str:
    """A key for a message: keys are field names, but cut short and escaped all the same."""
    from routinekit.safety import shown

    return shown(key, 40)


_SURROGATE = re.compile("[\ud800-\udfff]")
#: control characters a value may not hold: C0 but tab and line breaks, DEL, C1
_CONTROL_VALUE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _no_surrogates(text: str, where: Location) -> str:
    """Join escaped UTF-16 surrogate pairs (JSON writes emoji as two); refuse lone halves."""
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        raise ValidationError(
            "contains a broken character escape (a lone UTF-16 surrogate)",
            location=where,
            hint="remove the \\ud800-\\udfff escape or write the character itself",
        ) from None
