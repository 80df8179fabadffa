"""Output file names: a pattern filled from each row, made safe, collisions resolved in row order.

The default pattern, ``{row:05d}_{routine}_{date}``, holds no personal data: file
names end up in the manifest, in directory listings and in backups. Clinics that want
names in file names ask for them explicitly, e.g. ``--name-pattern
"{last_name}_{first_name}_{date}"``.

A safe name is one file name inside the output folder: no path separators, no ``..``,
no control, format (e.g. right-to-left override) or reserved characters, no leading
dot, dash or spreadsheet-formula character, not a reserved device name, Unicode NFC
(letters of every script are kept), at most :data:`MAX_STEM_BYTES` bytes before the
extension.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from routinekit.errors import Location, UserError

DEFAULT_PATTERN = "{row:05d}_{routine}_{date}"
FIELDS = ("row", "id", "name", "first_name", "last_name", "date", "routine", "language")
PERSONAL_FIELDS = frozenset({"name", "first_name", "last_name", "id"})
#: Longest name stem in UTF-8 bytes (file systems allow 255 bytes for the whole name).
MAX_STEM_BYTES = 150

_RESERVED_CHARS = set('<>:"/\\|?*')
_WINDOWS_DEVICES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
_LEAD_STRIP = "._-=+@~ '"
_TRAIL_STRIP = "._- "
_SAMPLE: dict[str, Any] = {
    "row": 1,
    "id": "A1",
    "name": "Ann Lee",
    "first_name": "Ann",
    "last_name": "Lee",
    "date": "2026-01-01",
    "routine": "r",
    "language": "en",
}


class NamePattern:
    """A checked ``--name-pattern``: only known fields, no folders."""

    def __init__(self, pattern: str) -> None:
        where = Location(field="--name-pattern")
        hint = f"fields: {', '.join('{' + f + '}' for f in FIELDS)}"
        if "/" in pattern or "\\" in pattern:
            raise UserError(
                "the name pattern makes file names, not folders: no / or \\",
                location=where,
                hint=hint,
            )
        used: set[str] = set()
        try:
            for _text, field, _spec, conversion in string.Formatter().parse(pattern):
                if field is None:
                    continue
                if field not in FIELDS or conversion:
                    raise UserError(
                        f"unknown field '{{{field}}}' in the name pattern",
                        location=where,
                        hint=hint,
                    )
                used.add(field)
            pattern.format_map(_SAMPLE)
        except (ValueError, IndexError, KeyError) as exc:
            raise UserError(
                f"the name pattern is not valid ({exc})", location=where, hint=hint
            ) from None
        if not used:
            raise UserError(
                "the name pattern uses no field, so every file would get the same name",
                location=where,
                hint="include {row}, e.g. '{row:05d}_{date}'",
            )
        self.pattern = pattern
        self.fields = frozenset(used)

    @property
    def personal(self) -> bool:
        """True when file names will carry names or patient references."""
        return bool(self.fields & PERSONAL_FIELDS)

    def render(self, values: Mapping[str, Any]) -> str:
        return self.pattern.format_map(values)


def _clean_char(ch: str) -> str:
    if ch in _RESERVED_CHARS:
        return "_"
    cat = unicodedata.category(ch)
    if cat[0] == "C" or cat in {"Zl", "Zp"}:  # control, format (bidi overrides), unassigned
        return "" if cat == "Cf" else "_"
    if cat == "Zs" or ch.isspace():
        return "_"
    return ch


def _cap_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def safe_name(raw: str, extension: str, *, fallback: str) -> str:
    """``raw`` as one safe file name ending in ``.extension``; ``fallback`` if nothing is left."""
    ext = extension.lower().lstrip(".")
    text = unicodedata.normalize("NFC", raw)
    if text.lower().endswith("." + ext):
        text = text[: -len(ext) - 1]
    text = "".join(_clean_char(ch) for ch in text)
    text = re.sub(r"_{2,}", "_", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = text.lstrip(_LEAD_STRIP).rstrip(_TRAIL_STRIP)
    text = _cap_bytes(text, MAX_STEM_BYTES).rstrip(_TRAIL_STRIP)
    text = unicodedata.normalize("NFC", text)
    if not text:
        text = fallback
    if text.split(".")[0].casefold() in _WINDOWS_DEVICES:
        text = text + "_"
    return f"{text}.{ext}"


def name_key(name: str) -> str:
    """Names that clash on a case-insensitive file system have the same key."""
    return unicodedata.normalize("NFC", name).casefold()


class NameAllocator:
    """Hands out unique names in call order: a clash gets ``-2``, ``-3``, ... before the extension.

    :param reserved: names that are never given out (the manifest, the merged file, ...).
    """

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._used: set[str] = {name_key(n) for n in reserved}

    def allocate(self, name: str) -> str:
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        candidate, n = name, 1
        while name_key(candidate) in self._used:
            n += 1
            candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
        self._used.add(name_key(candidate))
        return candidate


#: ``--shard`` when not given: off up to this many rows, :data:`DEFAULT_SHARD` above.
AUTO_SHARD_ROWS = 10_000
#: Files per folder when sharding is on by default.
DEFAULT_SHARD = 1000


class ShardLayout:
    """At most ``size`` handouts per folder: row ``r`` goes to folder ``(r - 1) // size``.

    Folder names are zero-padded to the same width (at least 3 digits, more when the list
    needs them), so they sort in row order: ``000/00001_...pdf``, ``000/00002_...pdf``, ...
    The layout depends only on ``size`` and the number of rows, so a resumed batch of the
    same list finds its files where it left them.
    """

    def __init__(self, size: int, rows: int) -> None:
        if size < 1:
            raise UserError(
                "--shard must be at least 1 (or 0 for no folders)",
                location=Location(field="--shard"),
            )
        self.size = size
        self.width = max(3, len(str(max(0, rows - 1) // size)))

    def folder(self, row: int) -> str:
        return f"{(max(1, row) - 1) // self.size:0{self.width}d}"

    def place(self, row: int, name: str) -> str:
        """``name`` inside the row's folder: ``000/name``."""
        return f"{self.folder(row)}/{name}"


def shard_layout(shard: int | None, rows: int) -> ShardLayout | None:
    """The layout for ``--shard`` (None: automatic; 0: every file in the output's top level)."""
    if shard is None:
        return ShardLayout(DEFAULT_SHARD, rows) if rows > AUTO_SHARD_ROWS else None
    if shard == 0:
        return None
    return ShardLayout(shard, rows)
