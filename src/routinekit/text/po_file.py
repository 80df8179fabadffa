"""Read a gettext ``.po`` file and compile it to ``.mo`` bytes, with the standard library only.

A plugin may ship just its ``.po`` catalog: :mod:`routinekit.i18n` compiles it in
memory the first time a handout needs it, so plugin authors need no Babel and no build
step. Fuzzy entries and empty translations are left out, as ``msgfmt`` does.
"""

from __future__ import annotations

import ast
import struct
from dataclasses import dataclass, field

from routinekit.errors import Location, ValidationError


@dataclass
class _Entry:
    context: str | None = None
    msgid: str | None = None
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0


def _unquote(text: str, source: str, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValidationError(
            "expected a quoted string",
            location=Location(file=source, line=line),
            hint='write msgid and msgstr values in double quotes: msgstr "Hola"',
        )
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        raise ValidationError(
            "the quoted string is not valid", location=Location(file=source, line=line)
        ) from None
    return str(value)


def parse_po(text: str, *, source: str = "<po>") -> dict[str, str]:
    """The translations of a ``.po`` file as gettext keys (``ctx\\x04id``, ``id\\x00plural``)."""
    entries: list[_Entry] = []
    current = _Entry()
    target: tuple[str, int] | None = None  # which string continuation lines extend

    def finish() -> None:
        nonlocal current, target
        if current.msgid is not None:
            entries.append(current)
        current, target = _Entry(), None

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if current.msgid is not None and current.strings:
                finish()
            if line.startswith("#,") and "fuzzy" in line:
                current.fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if target is None:
                raise ValidationError(
                    "a continued string with nothing to continue",
                    location=Location(file=source, line=n),
                )
            value = _unquote(line, source, n)
            kind, index = target
            if kind == "msgctxt":
                current.context = (current.context or "") + value
            elif kind == "msgid":
                current.msgid = (current.msgid or "") + value
            elif kind == "msgid_plural":
                current.plural = (current.plural or "") + value
            else:
                current.strings[index] += value
            continue
        if keyword == "msgctxt":
            if current.msgid is not None:
                finish()
            current.context, current.line, target = _unquote(rest, source, n), n, ("msgctxt", 0)
        elif keyword == "msgid":
            if current.strings:
                finish()
            current.msgid, target = _unquote(rest, source, n), ("msgid", 0)
            current.line = current.line or n
        elif keyword == "msgid_plural":
            current.plural, target = _unquote(rest, source, n), ("msgid_plural", 0)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            index = int(keyword[7:-1]) if keyword != "msgstr" else 0
            current.strings[index] = _unquote(rest, source, n)
            target = ("msgstr", index)
        else:
            raise ValidationError(
                f"unknown line starting '{keyword[:20]}'",
                location=Location(file=source, line=n),
                hint="a .po file has msgctxt, msgid, msgid_plural and msgstr lines",
            )
    finish()

    out: dict[str, str] = {}
    for e in entries:
        assert e.msgid is not None
        if e.fuzzy and e.msgid:
            continue
        key = e.msgid if e.context is None else f"{e.context}\x04{e.msgid}"
        if e.plural is not None:
            forms = [e.strings[i] for i in sorted(e.strings)]
            if not any(forms):
                continue
            out[f"{key}\x00{e.plural}"] = "\x00".join(forms)
        elif e.strings.get(0) or not e.msgid:
            out[key] = e.strings.get(0, "")
    return out


def compile_mo(messages: dict[str, str]) -> bytes:
    """GNU ``.mo`` bytes for ``messages`` (key -> translation), as ``msgfmt`` writes them."""
    keys = sorted(messages)
    ids = b""
    strs = b""
    offsets: list[tuple[int, int, int, int]] = []
    for k in keys:
        kb, vb = k.encode("utf-8"), messages[k].encode("utf-8")
        offsets.append((len(ids), len(kb), len(strs), len(vb)))
        ids += kb + b"\0"
        strs += vb + b"\0"
    count = len(keys)
    key_start = 7 * 4 + 16 * count
    value_start = key_start + len(ids)
    table: list[int] = []
    for id_off, id_len, _, _ in offsets:
        table += [id_len, key_start + id_off]
    for _, _, s_off, s_len in offsets:
        table += [s_len, value_start + s_off]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    return header + struct.pack(f"{len(table)}i", *table) + ids + strs


def compile_po(text: str, *, source: str = "<po>") -> bytes:
    """A ``.po`` file's text compiled to ``.mo`` bytes (see :func:`parse_po`)."""
    return compile_mo(parse_po(text, source=source))
