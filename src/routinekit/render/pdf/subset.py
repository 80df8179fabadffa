"""Make reportlab's TrueType subsets small enough for a 60 KB handout.

reportlab copies a subset's ``name`` table whole (DejaVu's holds the full licence
text in several encodings, ~15 KB) and keeps the TrueType hinting: the ``cvt ``,
``fpgm`` and ``prep`` programs and every glyph's instructions (~11 KB). Hinting
only changes how glyphs snap to a coarse screen grid; a printed handout and PDF
viewers (which mostly render unhinted or auto-hint) do not need it. Dropping it,
and keeping the name records PDF tools look at (copyright, family, style, unique,
full and PostScript names: the set fontTools' subsetter keeps by default), makes
each embedded face about a third of its size. The glyph outlines, metrics and
character mapping are untouched, so text looks and extracts the same.
"""

from __future__ import annotations

import itertools
import struct

#: Hinting programs; unused once glyphs carry no instructions.
HINTING_TABLES = frozenset({"cvt ", "fpgm", "prep"})
#: Name records kept: copyright, family, subfamily, unique id, full name, version,
#: PostScript name (Windows platform, Unicode, US English).
NAME_IDS = frozenset(range(7))
WINDOWS, UNICODE_BMP, US_ENGLISH = 3, 1, 0x409

# composite glyph component flags
_ARGS_ARE_WORDS = 0x0001
_HAVE_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_HAVE_XY_SCALE = 0x0040
_HAVE_TWO_BY_TWO = 0x0080
_HAVE_INSTRUCTIONS = 0x0100


def read_tables(font: bytes) -> dict[str, bytes]:
    """The tables of a TrueType font, by tag."""
    (count,) = struct.unpack_from(">H", font, 4)
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sLLL", font, 12 + 16 * i)
        tables[tag.decode("latin-1")] = font[offset : offset + length]
    return tables


def strip_glyph(data: bytes) -> bytes:
    """One ``glyf`` entry without its hinting instructions."""
    if len(data) < 10:
        return data
    (contours,) = struct.unpack_from(">h", data, 0)
    if contours >= 0:
        at = 10 + 2 * contours  # after endPtsOfContours: instructionLength, instructions
        (length,) = struct.unpack_from(">H", data, at)
        points = data[at + 2 + length : _simple_end(data, contours, at + 2 + length)]
        return data[:at] + b"\0\0" + points
    out = bytearray(data)
    at, flags = 10, _MORE_COMPONENTS
    while flags & _MORE_COMPONENTS:
        (flags,) = struct.unpack_from(">H", out, at)
        struct.pack_into(">H", out, at, flags & ~_HAVE_INSTRUCTIONS)
        at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        if flags & _HAVE_SCALE:
            at += 2
        elif flags & _HAVE_XY_SCALE:
            at += 4
        elif flags & _HAVE_TWO_BY_TWO:
            at += 8
    return bytes(out[:at])  # the instructions follow the last component


def _simple_end(data: bytes, contours: int, at: int) -> int:
    """Where a simple glyph's flags and coordinates (starting at ``at``) end."""
    if contours == 0:
        return at
    (last,) = struct.unpack_from(">H", data, 10 + 2 * (contours - 1))
    points, coords = last + 1, 0
    while points > 0:
        flag = data[at]
        at += 1
        repeat = 1
        if flag & 0x08:
            repeat += data[at]
            at += 1
        x = 1 if flag & 0x02 else (0 if flag & 0x10 else 2)
        y = 1 if flag & 0x04 else (0 if flag & 0x20 else 2)
        coords += repeat * (x + y)
        points -= repeat
    return at + coords


def strip_glyphs(glyf: bytes, loca: bytes, long_offsets: bool) -> tuple[bytes, bytes, bool]:
    """``glyf`` and ``loca`` rebuilt without instructions; also the new offset format."""
    code, step = ("L", 4) if long_offsets else ("H", 2)
    offsets = struct.unpack(f">{len(loca) // step}{code}", loca)
    scale = 1 if long_offsets else 2
    pieces: list[bytes] = []
    new: list[int] = [0]
    pos = 0
    for start, end in itertools.pairwise(offsets):
        glyph = strip_glyph(glyf[start * scale : end * scale])
        glyph += b"\0" * (-len(glyph) % 4)
        pieces.append(glyph)
        pos += len(glyph)
        new.append(pos)
    if pos // 2 > 0xFFFF:
        return b"".join(pieces), struct.pack(f">{len(new)}L", *new), True
    return b"".join(pieces), struct.pack(f">{len(new)}H", *(p // 2 for p in new)), False


def slim_name(name: bytes) -> bytes:
    """A ``name`` table with only the records of :data:`NAME_IDS` (Windows, English)."""
    _fmt, count, strings_at = struct.unpack_from(">HHH", name, 0)
    records: list[tuple[int, bytes]] = []
    for i in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(
            ">6H", name, 6 + 12 * i
        )
        if (platform, encoding, language) == (WINDOWS, UNICODE_BMP, US_ENGLISH) and (
            name_id in NAME_IDS
        ):
            start = strings_at + offset
            records.append((name_id, name[start : start + length]))
    records.sort()
    head = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))
    out = [head]
    strings: list[bytes] = []
    offset = 0
    for name_id, text in records:
        out.append(struct.pack(">6H", WINDOWS, UNICODE_BMP, US_ENGLISH, name_id, len(text), offset))
        strings.append(text)
        offset += len(text)
    return b"".join(out + strings)


def slim_subset(font: bytes) -> bytes:
    """A TrueType subset without hinting and with a short ``name`` table."""
    from reportlab.pdfbase.ttfonts import TTFontMaker

    tables = read_tables(font)
    head = tables["head"]
    (long_offsets,) = struct.unpack_from(">h", head, 50)
    glyf, loca, long_now = strip_glyphs(tables["glyf"], tables["loca"], bool(long_offsets))
    tables["glyf"], tables["loca"] = glyf, loca
    tables["head"] = head[:50] + struct.pack(">h", int(long_now)) + head[52:]
    if "name" in tables:
        tables["name"] = slim_name(tables["name"])
    maker = TTFontMaker()
    for tag, data in tables.items():
        if tag not in HINTING_TABLES:
            maker.add(tag, data)
    stream: bytes = maker.makeStream()
    return stream
