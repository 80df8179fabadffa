"""A font's PDF objects, made once for a set of characters every patient shares.

Every handout embeds a subset of each face it uses: the glyph outlines of the characters it
prints (a small TrueType file, compressed), their widths, and a ToUnicode map so that text
can be copied out. reportlab makes these anew for every document: about a tenth of a warm
render. :class:`SubsetTTFont` makes the same objects, byte for byte, but keeps the three
expensive parts (font file, widths, ToUnicode map; already compressed) in a small bounded
store, so the next handout of the same routine adds them as they are.

What may enter the store: a subset whose characters are all printed by blocks shared by
patients or by no patient's own words (name, therapist, notes): :mod:`reuse` gives the
shared blocks' characters codes first, in sorted order, and names the allowed characters
with :func:`mark_shared`; reportlab's fixed codes for printable ASCII are allowed too. A
subset holding a character that only a patient's words print (an accented letter of a name
that no card uses) is made afresh and never stored, so the store holds nothing that came
from a patient. ``ROUTINEKIT_NO_CACHE=1`` turns the store off.

reportlab beyond its drawing API: ``TTFont.addObjects`` is replaced by one that builds the
same objects with the same calls (``state``, ``getSubsetInternalName``, ``SUBSETN``,
``makeToUnicodeCMap``, ``face.makeSubset``, the document's ``BasicFonts``); guarded by
``tests/test_reportlab_api.py``, which compares our objects with reportlab's own.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    makeToUnicodeCMap,
)

#: Subsets kept per process: one or two per face a routine uses, a few KB each.
SUBSETS_MAX = 32

#: The document attribute naming, per font, the code points that shared blocks print.
_SHARED = "_routinekit_shared_codes"

_Pieces = tuple[bytes, bytes, bytes]
_STORE: OrderedDict[tuple[Any, ...], _Pieces] = OrderedDict()


def mark_shared(doc: Any, shared: dict[str, set[str]]) -> None:
    """Name, per font, the characters of ``doc`` that no patient's own words print."""
    setattr(doc, _SHARED, {font: {ord(c) for c in chars} for font, chars in shared.items()})


def start_subset(font: Any, doc: Any) -> None:
    """Give the next new character of ``font`` in ``doc`` the first code of a new subset."""
    state = font.state.get(doc)
    if state is not None and state.nextCode & 0xFF:
        state.nextCode = (state.nextCode | 0xFF) + 1


def clear() -> None:
    _STORE.clear()


def stored() -> int:
    return len(_STORE)


class SubsetTTFont(TTFont):
    """reportlab's TrueType font, whose subset objects are kept when no patient's."""

    def addObjects(self, doc: Any) -> None:  # reportlab calls it by this name
        from routinekit.render.pdf import reuse

        shared = getattr(doc, _SHARED, {}).get(self.fontName, set()) if reuse.enabled() else ()
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        allowed = shared | self._fixed() if shared else frozenset()
        for n, subset in enumerate(state.subsets):
            internal = self.getSubsetInternalName(n, doc)[1:]
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            base_name = base.decode("pdfdoc")
            keep = bool(allowed) and allowed.issuperset(subset)
            pieces = _pieces(self.face, base_name, subset, keep, doc.compression)

            font_file, cmap, widths = pieces
            font = pdfdoc.PDFTrueTypeFont()
            font.__Comment__ = f"Font {self.fontName} subset {n}"
            font.Name = internal
            font.BaseFont = base_name
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = _Formatted(widths)
            font.ToUnicode = doc.Reference(_Written(cmap), "toUnicodeCMap:" + base_name)
            font.FontDescriptor = self._descriptor(doc, base_name, font_file)
            doc.Reference(font, internal)
            doc.idToObject["BasicFonts"].dict[internal] = font
        del self.state[doc]

    def _fixed(self) -> frozenset[int]:
        """The code points a fresh document's subsets hold before any text (ASCII)."""
        fixed: frozenset[int] | None = getattr(self, "_rk_fixed", None)
        if fixed is None:
            fresh = TTFont.State(self._asciiReadable, self)
            fixed = frozenset(code for subset in fresh.subsets for code in subset)
            self._rk_fixed = fixed
        return fixed

    def _descriptor(self, doc: Any, base_name: str, font_file: bytes) -> Any:
        """The subset's FontDescriptor, as ``TTFontFace.addSubsetObjects`` makes it."""
        face = self.face
        ref = doc.Reference(_Written(font_file), f"fontFile:{face.filename}({base_name})")
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": face.ascent,
                "CapHeight": face.capHeight,
                "Descent": face.descent,
                "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": pdfdoc.PDFArray(face.bbox),
                "FontName": pdfdoc.PDFName(base_name),
                "ItalicAngle": face.italicAngle,
                "StemV": face.stemV,
                "FontFile2": ref,
                "MissingWidth": face.defaultWidth,
            }
        )
        return doc.Reference(descriptor, "fontDescriptor:" + base_name)


def _pieces(face: Any, base_name: str, subset: list[int], keep: bool, compress: int) -> _Pieces:
    """(font file, ToUnicode map: both streams written out; widths) of one subset."""
    key = (face.filename, base_name, tuple(subset), bool(compress))
    found = _STORE.get(key) if keep else None
    if found is not None:
        _STORE.move_to_end(key)
        return found
    font_file = face.makeSubset(subset)
    cmap = makeToUnicodeCMap(base_name, subset).encode("latin-1")
    # the widths array as reportlab writes it (numbers only: the same in every document)
    widths = pdfdoc.PDFArray(list(map(face.getCharWidth, subset))).format(pdfdoc.DummyDoc())
    file_data, cmap_data = (_z(font_file), _z(cmap)) if compress else (font_file, cmap)
    pieces = (
        _written_stream(file_data, compress, Length1=len(font_file)),
        _written_stream(cmap_data, compress),
        widths,
    )
    if keep:
        _STORE[key] = pieces
        while len(_STORE) > SUBSETS_MAX:
            _STORE.popitem(last=False)
    return pieces


class _Formatted(pdfdoc.PDFObject):
    """A PDF value already written out (its bytes do not depend on the document)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


def _z(data: bytes) -> bytes:
    encoded: bytes = pdfdoc.PDFZCompress.encode(data)
    return encoded


def _written_stream(data: bytes, compressed: int, **entries: Any) -> bytes:
    """A stream whose content is already filtered, written out as reportlab writes it."""
    dictionary = pdfdoc.PDFDictionary(entries)
    if compressed:
        dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    written: bytes = pdfdoc.PDFStream(dictionary, data, filters=[]).format(pdfdoc.DummyDoc())
    return written


class _Written(pdfdoc.PDFObject):
    """An object of its own (a stream) already written out: kept with the subset, so a
    stored subset costs its document no formatting at all."""

    __RefOnly__ = 1  # reportlab's mark: never inline, always its own numbered object

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data
