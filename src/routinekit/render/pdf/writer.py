"""Writing a finished reportlab document out: the same bytes as ``canvas.save()``, faster.

reportlab serialises a document by calling ``format`` on every object, every value and
every dictionary key through one generic function that asks each value what it is. A
handout has only about 26 objects, but writing them out was the largest part of a warm
render (about 2 ms of 5): the objects are few, the calls many (some 400 per handout).

:func:`pdf_bytes` writes the same objects in the same order, with the same rules, but
dispatches on the exact type of each value, and keeps the encoded form of dictionary keys
(PDF names such as ``/Type``, never text a patient could have written). Anything it does not
know (another class, a subclass, a setting that changes the output such as
``rl_config.pdfComments``, encryption, signatures) is written by reportlab itself, so the
result never depends on which path wrote it: ``tests/test_pdf_writer.py`` compares the two
byte for byte over many handouts (languages, page sizes, large print, pictures, fonts).

reportlab beyond its drawing API: ``PDFDocument.format``, ``PDFStream.format``,
``PDFDictionary.format``, ``PDFArray.format``, ``PDFCatalog.format`` (pages),
``PDFType1Font.format`` and ``PDFResourceDictionary.format`` are followed here; a new
reportlab that changes them fails that test. ``ROUTINEKIT_NO_FAST_WRITE=1`` (or
:func:`set_enabled`) turns this off.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

_enabled = os.environ.get("ROUTINEKIT_NO_FAST_WRITE", "") in ("", "0")

#: Encoded dictionary keys (PDF names: ``Type``, ``F1+0``, ``FormXob.rk3``); cleared when full.
_NAMES: dict[str, bytes] = {}
_NAMES_MAX = 4096


def set_enabled(on: bool) -> None:
    """Write with reportlab's own serialiser (False) or with :func:`pdf_bytes`'s (True)."""
    global _enabled
    _enabled = on


def enabled() -> bool:
    return _enabled


def pdf_bytes(canvas: Any) -> bytes:
    """The PDF of a finished ``canvas``, as ``canvas.save()`` would write it."""
    doc = canvas._doc
    if not (_enabled and _plain(doc)):
        data: bytes = canvas.getpdfdata()
        return data
    if len(canvas._code):
        canvas.showPage()
    doc._savedToFile = True  # as SaveToFile marks it: a document is written once
    # what PDFDocument.GetPDFData does before it formats
    for font in doc.delayedFonts:
        font.addObjects(doc)
    doc.info.invariant = doc.invariant
    doc.info.digest(doc.signature)
    doc.Reference(doc.Catalog)
    doc.Reference(doc.info)
    doc.Outlines.prepare(doc, canvas)
    if doc.Outlines.ready < 0:
        doc.Catalog.Outlines = None
    return _Writer(doc).document()


def _plain(doc: Any) -> bool:
    """Whether nothing set makes reportlab write this document differently from us."""
    return (
        type(doc.encrypt) is pdfdoc.NoEncryption
        and not rl_config.pdfComments
        and not rl_config.pdfMultiLine
        and not getattr(doc, "_digiSigs", None)
    )


def _name(key: str) -> bytes:
    found = _NAMES.get(key)
    if found is None:
        if len(_NAMES) >= _NAMES_MAX:
            _NAMES.clear()
        found = _NAMES[key] = pdfdoc.PDFName(key).encode("extpdfdoc")
    return found


class _Writer:
    """One document's objects written out in reportlab's order and format."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.numbers = doc.idToObjectNumberAndVersion
        self.by_type: dict[type, Callable[[Any], bytes]] = {
            pdfdoc.PDFDictionary: self.dictionary,
            pdfdoc.PDFArray: self.array,
            pdfdoc.PDFObjectReference: self.reference,
            pdfdoc.PDFStream: self.stream,
            pdfdoc.PDFPage: self.catalog,
            pdfdoc.PDFPages: self.catalog,
            pdfdoc.PDFCatalog: self.catalog,
            pdfdoc.PDFTrueTypeFont: self.font,
            pdfdoc.PDFType1Font: self.font,
            pdfdoc.PDFResourceDictionary: self.resources,
        }

    # ------------------------------------------------------------- the file
    def document(self) -> bytes:
        """``PDFDocument.format``: the objects by number, the xref table, the trailer."""
        doc = self.doc
        doc.encrypt.prepare(doc)
        catalog, info = doc.Catalog, doc.info
        doc.Reference(catalog)
        doc.Reference(info)
        number_to_id, to_offset = doc.numberToId, doc.idToOffset
        out = pdfdoc.PDFFile(doc._pdfVersion)
        doc._PDFDocument__accum__ = out  # objects may ask where they are in the file
        ids = []
        counter = 0
        while True:  # objects may be added while others are formatted
            counter += 1
            if counter not in number_to_id:
                break
            oid = number_to_id[counter]
            n, v = self.numbers[oid]
            body = self.value(doc.idToObject[oid], top=True)
            end = b"" if body.endswith(b"\n") else b"\n"
            to_offset[oid] = out.add(b"%d %d obj\n%s%sendobj\n" % (n, v, body, end))
            ids.append(oid)
        del doc._PDFDocument__accum__
        if counter - 1 != len(number_to_id):
            raise ValueError(f"object {counter} missing of {len(number_to_id)}")
        xref = pdfdoc.PDFCrossReferenceTable()
        xref.addsection(0, ids)
        offset = out.add(xref.format(doc))
        trailer = pdfdoc.PDFTrailer(
            startxref=offset,
            Size=len(number_to_id) + 1,
            Root=doc.Reference(catalog),
            Info=doc.Reference(info),
            ID=doc.ID(),
        )
        out.add(trailer.format(doc))
        data: bytes = out.format(doc)
        return data

    # ------------------------------------------------------------- values
    def value(self, v: Any, top: bool = False) -> bytes:
        """``pdfdoc.format``: one value as bytes (a stream inside another is a reference)."""
        t = type(v)
        if t is str:
            return v.encode("extpdfdoc")
        if t is int or t is float:
            return pdfdoc.fp_str(v).encode("ascii")
        if t is bytes:
            return v
        if not isinstance(v, pdfdoc.PDFObject):
            return pdfdoc.format(v, self.doc)
        if not top and hasattr(v, "__RefOnly__"):
            return self.reference(self.doc.Reference(v))
        write = self.by_type.get(t)
        if write is None:
            return v.format(self.doc)
        return write(v)

    def reference(self, r: Any) -> bytes:
        try:
            return b"%d %d R" % self.numbers[r.name]
        except KeyError:
            raise KeyError(f"forward reference to {r.name!r} not resolved") from None

    def mapping(self, d: Mapping[str, Any], forced: bool = False) -> bytes:
        """``PDFDictionary.format`` of ``d`` (keys sorted unless ordered)."""
        keys = list(d)
        if not isinstance(d, OrderedDict):
            keys.sort()
        value = self.value
        parts = [_name(k) + b" " + value(d[k]) for k in keys]
        if forced:
            return b"<<\n" + b"\n ".join(parts) + b"\n>>"
        for i in reversed(range(6, len(parts), 6)):
            parts.insert(i, b"\n ")
        return b"<<\n" + b" ".join(parts) + b"\n>>"

    def dictionary(self, d: Any) -> bytes:
        return self.mapping(d.dict, d.multiline == "forced")

    def array(self, a: Any) -> bytes:
        value = self.value
        parts = [value(e) for e in a.sequence]
        if a.multiline == "forced":
            return b"[ " + b"\n ".join(parts) + b" ]"
        for i in reversed(range(10, len(parts), 10)):
            parts.insert(i, b"\n ")
        return b"[ " + b" ".join(parts) + b" ]"

    def stream(self, s: Any) -> bytes:
        """``PDFStream.format``: its dictionary (with filters and length), then its bytes."""
        d = s.dictionary.dict.copy()
        content = s.content
        if content is None:
            raise ValueError("stream content not set")
        filters = s.filters
        if filters is None:
            filters = self.doc.defaultStreamFilters
        if filters is not None and "Filter" not in d:
            names: list[str] = []
            for f in reversed(list(filters)):
                content = f.encode(content)
                names.insert(0, pdfdoc.PDFName(f.pdfname))
            d["Filter"] = pdfdoc.PDFArray(names)
        body = self.value(content)
        d["Length"] = len(content)
        return self.mapping(d) + b"\nstream\n" + body + b"endstream\n"

    def catalog(self, c: Any) -> bytes:
        """``PDFCatalog.format`` (the catalog, the page tree and the pages)."""
        c.check_format(self.doc)
        d = {}
        for k, v in c.__Defaults__.items():
            v = getattr(c, k, v)
            if v is not None:
                d[k] = v
        for k in c.__NoDefault__:
            v = getattr(c, k, None)
            if v is not None:
                d[k] = v
        for k in c.__Refs__:
            if k in d:
                d[k] = self.doc.Reference(d[k])
        return self.mapping(d)

    def font(self, f: Any) -> bytes:
        """``PDFType1Font.format``."""
        d = {}
        for k in f.name_attributes:
            if hasattr(f, k):
                d[k] = pdfdoc.PDFName(getattr(f, k))
        for k in f.local_attributes:
            if hasattr(f, k):
                d[k] = getattr(f, k)
        return self.mapping(d)

    def resources(self, r: Any) -> bytes:
        """``PDFResourceDictionary.format``."""
        d: dict[str, Any] = {}
        for k in r.dict_attributes:
            v = getattr(r, k)
            if isinstance(v, dict):
                if v:
                    d[k] = pdfdoc.PDFDictionary(v)
            else:
                d[k] = v
        procs = r.ProcSet
        if isinstance(procs, (tuple, list)):
            if procs:
                d["ProcSet"] = pdfdoc.PDFArray(procs)
        else:
            d["ProcSet"] = procs
        return self.mapping(d)
