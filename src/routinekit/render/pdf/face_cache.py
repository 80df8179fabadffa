"""The bundled fonts' parsed tables, kept in the on-disk cache between processes.

reportlab parses a TrueType file in pure Python (~8 ms a face) in every process. The
result is plain data (character map, widths, glyph offsets, names), so it is stored
with :mod:`marshal` (data only, no code is run on loading) in the on-disk cache
(:mod:`routinekit.render.disk_cache`), keyed by a hash of the font file's bytes, the
reportlab version and the marshal format. A hit rebuilds the face without parsing;
anything unexpected falls back to reportlab's own parsing.
"""

from __future__ import annotations

import marshal
import sys
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from routinekit.render import disk_cache

AREA = "fonts"
#: Bumped when the stored layout changes.
FORMAT = b"1"
#: Attributes rebuilt on loading instead of stored.
_NOT_STORED = ("_ttf_data", "_pdfScale")


def load_font(name: str, path: Path) -> Any:
    """``reportlab.pdfbase.ttfonts.TTFont(name, path)``, from the cache when it can."""
    from reportlab.pdfbase.ttfonts import TTFont

    if disk_cache.cache_dir() is None:
        return TTFont(name, str(path))
    try:
        data = path.read_bytes()
    except OSError:
        return TTFont(name, str(path))  # reportlab reports the unreadable file
    key = _key(path, data)
    payload = disk_cache.read(AREA, key)
    if payload is not None:
        try:
            return _font(name, path, data, payload)
        except Exception:  # a stale or foreign entry: parse instead
            pass
    font = TTFont(name, str(path))
    try:
        state = face_state(font.face)
        disk_cache.write(AREA, key, marshal.dumps(state))
    except (ValueError, TypeError):  # something marshal cannot store: no caching
        pass
    return font


def _key(path: Path, data: bytes) -> str:
    import reportlab

    versions = f"{reportlab.Version}|{marshal.version}|{sys.version_info[:2]}".encode()
    return f"{path.stem}-{disk_cache.digest(FORMAT, versions, data)}"


def face_state(face: Any) -> dict[str, Any]:
    """A parsed face's attributes as plain data (``names``: those that were name bytes)."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    attrs: dict[str, Any] = {}
    names: list[str] = []
    for attr, value in vars(face).items():
        if attr in _NOT_STORED:
            continue
        if isinstance(value, TTFNameBytes):
            names.append(attr)
            value = bytes(value)
        attrs[attr] = value
    return {"attrs": attrs, "names": names}


def _font(name: str, path: Path, data: bytes, payload: bytes) -> Any:
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

    state = marshal.loads(payload)
    attrs: dict[str, Any] = state["attrs"]
    for attr in state["names"]:
        attrs[attr] = TTFNameBytes(attrs[attr])
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(attrs)
    face._ttf_data = data
    face.filename = str(path)
    per_unit = 1000 / face.unitsPerEm
    face._pdfScale = (lambda x: x) if face.unitsPerEm == 1000 else (lambda x: x * per_unit)
    if len(face.glyphPos) != face.numGlyphs + 1 or not face.charToGlyph:
        raise ValueError("inconsistent cached face")
    # what TTFont.__init__ sets besides parsing the face (tests compare the two)
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
    return font
