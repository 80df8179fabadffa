"""The font fallback chain: every character is drawn with the first face that has it.

DejaVu Sans comes first (Latin, Greek, Cyrillic, digits and punctuation), then the bundled
Noto faces (Arabic, Hebrew, Devanagari, Bengali, Tamil, Thai), then faces that plugins add
through the ``register_fonts`` hook (the optional ``routinekit-fonts-cjk`` package adds
Chinese, Japanese and Korean). A Latin-only handout never looks past DejaVu, so it parses
no other font and is exactly what it was before the chain existed.

Which characters a face has is read from its ``cmap`` table directly (a few milliseconds
even for a CJK face); reportlab parses a face only when text is drawn with it.
"""

from __future__ import annotations

import functools
import struct
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from routinekit.render.pdf.fonts import BOLD, FONT_DIR, REGULAR, SHAPED, ensure_fonts


class FontFace(msgspec.Struct, frozen=True):
    """A TrueType face for the PDF's fallback chain (see the ``register_fonts`` hook).

    :param id: short name, unique among faces (``noto-arabic``); names the embedded font.
    :param regular: the regular face, a TrueType (``glyf``) ``.ttf`` file.
    :param bold: the bold face; None draws bold text with the regular face.
    :param shaped: True for scripts whose letters join, reorder or stack marks (Arabic,
        Hebrew points, Indic, Thai): such text is shaped with HarfBuzz before drawing.
    """

    id: str
    regular: Path
    bold: Path | None = None
    shaped: bool = False


def _noto(script: str) -> FontFace:
    return FontFace(
        id=f"noto-{script.lower()}",
        regular=FONT_DIR / f"NotoSans{script}-Regular.ttf",
        bold=FONT_DIR / f"NotoSans{script}-Bold.ttf",
        shaped=True,
    )


#: The faces the package carries, after DejaVu, in the order they are tried.
BUILTIN_FACES = tuple(
    _noto(s) for s in ("Arabic", "Hebrew", "Devanagari", "Bengali", "Tamil", "Thai")
)

#: Characters that never need a glyph: line breaks, soft hyphen, zero-width joiners and
#: spaces, variation selectors, and the explicit bidi controls (the layout does bidi itself).
INVISIBLE = frozenset(
    "\n\r\t\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
) | frozenset(chr(c) for c in range(0xFE00, 0xFE10))
#: The bidi controls among them, dropped from drawn text.
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _unicode_subtable(path: Path) -> tuple[int, int]:
    """(format, file offset) of the Unicode ``cmap`` subtable a face is read with.

    Reads only the font's table directory and its ``cmap`` header (a few hundred bytes,
    not the file: a CJK face is megabytes), so checking a plugin's face costs next to
    nothing. Format 12 (full Unicode) is preferred to format 4 (the BMP).

    :raises OSError: the file cannot be read.
    :raises ValueError: it is not a TrueType/OpenType font with a Unicode ``cmap``.
    """
    with open(path, "rb") as fh:

        def read(at: int, size: int) -> bytes:
            fh.seek(at)
            data = fh.read(size)
            if len(data) != size:
                raise ValueError(f"{path.name}: not a TrueType font (cut short)")
            return data

        (count,) = struct.unpack(">H", read(4, 2))
        directory = read(12, 16 * count)
        cmap_at = None
        for i in range(count):
            tag, _sum, offset, _length = struct.unpack_from(">4sLLL", directory, 16 * i)
            if tag == b"cmap":
                cmap_at = offset
        if cmap_at is None:
            raise ValueError(f"{path.name}: no cmap table")
        (_version, tables) = struct.unpack(">HH", read(cmap_at, 4))
        records = read(cmap_at + 4, 8 * tables)
        found: dict[int, int] = {}
        for i in range(tables):
            platform, encoding, offset = struct.unpack_from(">HHL", records, 8 * i)
            if (platform, encoding) in ((3, 1), (3, 10), (0, 3), (0, 4)):
                (fmt,) = struct.unpack(">H", read(cmap_at + offset, 2))
                found.setdefault(fmt, cmap_at + offset)
    for fmt in (12, 4):
        if fmt in found:
            return fmt, found[fmt]
    raise ValueError(f"{path.name}: no Unicode cmap")


def read_cmap(path: Path) -> frozenset[int]:
    """Code points mapped by a TrueType file's Unicode ``cmap`` (formats 4 and 12)."""
    fmt, at = _unicode_subtable(path)
    data = path.read_bytes()
    return _format12(data, at) if fmt == 12 else _format4(data, at)


def _format4(data: bytes, at: int) -> frozenset[int]:
    (seg2,) = struct.unpack_from(">H", data, at + 6)
    n = seg2 // 2
    ends = struct.unpack_from(f">{n}H", data, at + 14)
    starts = struct.unpack_from(f">{n}H", data, at + 16 + seg2)
    deltas = struct.unpack_from(f">{n}h", data, at + 16 + 2 * seg2)
    range_at = at + 16 + 3 * seg2
    offsets = struct.unpack_from(f">{n}H", data, range_at)
    chars: set[int] = set()
    for i in range(n):
        for c in range(starts[i], ends[i] + 1):
            if c == 0xFFFF:
                continue
            if offsets[i] == 0:
                glyph = (c + deltas[i]) & 0xFFFF
            else:
                where = range_at + 2 * i + offsets[i] + 2 * (c - starts[i])
                (glyph,) = struct.unpack_from(">H", data, where)
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                chars.add(c)
    return frozenset(chars)


def _format12(data: bytes, at: int) -> frozenset[int]:
    (groups,) = struct.unpack_from(">L", data, at + 12)
    chars: set[int] = set()
    for i in range(groups):
        start, end, _glyph = struct.unpack_from(">LLL", data, at + 16 + 12 * i)
        chars.update(range(start, end + 1))
    return frozenset(chars)


# -- the chain -------------------------------------------------------------------------------

#: Faces added by plugins, in hook order (set by :func:`set_plugin_faces`; None: not asked).
_plugin_faces: tuple[FontFace, ...] | None = None
#: How to ask the plugins (set by the renderer; returns the faces they register).
_ask_plugins: Callable[[], tuple[FontFace, ...]] | None = None


def set_plugin_source(ask: Callable[[], tuple[FontFace, ...]] | None) -> None:
    """Where plugin faces come from (called with the host's ``register_fonts`` caller)."""
    global _ask_plugins, _plugin_faces
    _ask_plugins, _plugin_faces = ask, None
    _chain.cache_clear()
    font_for.cache_clear()


def faces() -> tuple[FontFace, ...]:
    """Every fallback face after DejaVu, in the order they are tried."""
    global _plugin_faces
    if _plugin_faces is None:
        _plugin_faces = _ask_plugins() if _ask_plugins is not None else plugin_faces()
    return BUILTIN_FACES + _plugin_faces


def check_face(face: object) -> None:
    """What ``register(face)`` in ``register_fonts`` refuses: no id, a built-in face's id,
    or a file that is missing or is not a TrueType font with a Unicode character map."""
    ident = getattr(face, "id", None)
    if not isinstance(ident, str) or not ident:
        raise TypeError(f"{type(face).__name__} has no 'id' (a short unique string)")
    if ident in {f.id for f in BUILTIN_FACES}:
        raise ValueError(f"font id '{ident}' is a built-in face's")
    for path in (getattr(face, "regular", None), getattr(face, "bold", None)):
        if path is not None:
            _unicode_subtable(Path(path))  # exists, is a font, has a Unicode map


def plugin_faces(host: Any = None) -> tuple[FontFace, ...]:
    """The faces plugins add through ``register_fonts``, in the host's calling order.

    A face that :func:`check_face` refuses, or a taken id, is an error naming the plugin;
    as with every hook, a failing plugin is reported and skipped (``routinekit plugins``
    lists it), unless plugins are strict.
    """
    from routinekit.plugins.host import get_host

    host = host or get_host()
    return tuple(reg.obj for reg in host.fonts().values())


@functools.cache
def dejavu_chars() -> frozenset[int]:
    """Code points the bundled DejaVu Sans draws (read from the face reportlab parsed)."""
    from reportlab.pdfbase.pdfmetrics import getFont

    ensure_fonts()
    chars = getFont(REGULAR).face.charToGlyph  # (private-use codes are shaping's, not text)
    return frozenset(c for c in chars if not 0xE000 <= c <= 0xF8FF)


@functools.cache
def _coverage(path: Path) -> frozenset[int]:
    return read_cmap(path)


@functools.cache
def _chain() -> tuple[tuple[FontFace, frozenset[int]], ...]:
    return tuple((f, _coverage(f.regular)) for f in faces())


@functools.lru_cache(maxsize=4096)
def font_for(ch: str) -> FontFace | None:
    """The first fallback face that has ``ch`` (None: no face has it). DejaVu is tried first."""
    code = ord(ch)
    for face, chars in _chain():
        if code in chars:
            return face
    return None


def has_glyph(ch: str) -> bool:
    """Can some face in the chain draw ``ch``?"""
    return ch in INVISIBLE or ord(ch) in dejavu_chars() or font_for(ch) is not None


# -- reportlab fonts for the faces -----------------------------------------------------------

#: reportlab font name -> (face, bold), for every fallback font registered so far.
_registered: dict[str, tuple[FontFace, bool]] = {}


def font_name(face: FontFace, bold: bool) -> str:
    """The reportlab font name of ``face`` (registered on first use)."""
    use_bold = bold and face.bold is not None
    name = f"RK-{face.id}{'-Bold' if use_bold else ''}"
    if name not in _registered:
        from reportlab.pdfbase import pdfmetrics

        from routinekit.render.pdf.font_objects import SubsetTTFont

        path = face.bold if use_bold and face.bold is not None else face.regular
        pdfmetrics.registerFont(SubsetTTFont(name, str(path)))
        _registered[name] = (face, use_bold)
        if face.shaped:
            SHAPED.add(name)
    return name


def is_fallback(font: str) -> bool:
    return font in _registered


def needs_fallback(text: str) -> bool:
    """Does ``text`` hold a character DejaVu lacks? Latin-1 text is answered in C."""
    if text.isascii():
        return False
    try:
        text.encode("latin-1")
        return False
    except UnicodeEncodeError:
        pass
    primary = dejavu_chars()
    return not all(ord(ch) in primary for ch in text)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me", "Mc") or ch in "\u200c\u200d"


def itemize(text: str, font: str) -> list[tuple[str, str]]:
    """``text`` cut into pieces, each with the reportlab font that draws it.

    ``font`` is DejaVu regular or bold. Combining marks and joiners stay with the letter
    before them; a character no face has stays with DejaVu (and is refused earlier by
    :func:`routinekit.text.scripts.check_printable`). Bidi controls are dropped.
    """
    if not needs_fallback(text):
        return [(text, font)]
    primary = dejavu_chars()
    bold = font == BOLD
    pieces: list[tuple[str, str]] = []
    current, current_font = "", font
    for ch in unicodedata.normalize("NFC", text):
        if ch in BIDI_CONTROLS:
            continue
        if current and _is_mark(ch):
            current += ch
            continue
        if ord(ch) in primary:
            target = font
        else:
            face = font_for(ch)
            target = font if face is None else font_name(face, bold)
        if target != current_font and current:
            pieces.append((current, current_font))
            current = ""
        current_font = target
        current += ch
    if current:
        pieces.append((current, current_font))
    return pieces


def reset() -> None:
    """Forget plugin faces (tests; a new host)."""
    set_plugin_source(None)


__all__ = [
    "BUILTIN_FACES",
    "FontFace",
    "faces",
    "font_for",
    "font_name",
    "has_glyph",
    "itemize",
    "read_cmap",
]
