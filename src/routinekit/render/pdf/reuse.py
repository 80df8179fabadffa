"""Blocks drawn once, placed for every patient: reusable PDF content (Form XObjects).

A clinic's batch prints one routine for many patients, so most blocks of a handout (cards,
education, red flags, the tracking log) are the same for every patient. Each block is
first drawn onto a :class:`DisplayList` (at ``top = 0``): the painter calls it makes, with
their arguments. That list *is* the block's content key: two blocks with the same list
print the same marks, whatever layout code produced them (so the reuse does not depend on
how blocks are built, measured or split). The list is serialised once into a content
stream, kept in a bounded LRU (:data:`FORMS`). A block may mark where its drawing splits
(:meth:`Painter.cut`): each part is then stored on its own, so an exercise card whose dose
differs from the last patient's reuses its name, steps, QR code and picture as they are.
A run of such blocks one after the other on
a page becomes one Form XObject (each block moved into place with one ``cm``), kept
compressed in a second bounded LRU keyed by the blocks and their places, so a handout whose
pages repeat another's adds the stored stream to its PDF as it is: no drawing, no zlib. A
new run (a row with other exclusions) is put together from its blocks' streams compressed
once each (:mod:`.deflate`, a third LRU): no zlib either, at the cost of a somewhat larger
file (each block compressed without its neighbours: about 56 KB for 48 KB).

What may enter the cache: a block whose text holds none of the patient's own words (name,
notes, therapist, the therapist's notes on exercises; :class:`PatientText`) and that
draws no image file. The header's patient block, a card with the therapist's note and the
footer are always drawn directly on the page. Keys and streams therefore hold the
routine's, the library's and the clinic's words only (``tests/test_pdf_reuse.py`` walks
them for a canary patient).

Text in a stored stream is already encoded for the document's font subsets, so a stored
stream is used only where every character it prints has the same subset and code; to keep
those codes the same from patient to patient, the document gives codes first to the
characters of the reusable blocks (sorted), then to the rest (:func:`paint`). The stored
stream is chosen by that signature too, so it is right by construction.

Turned off by ``ROUTINEKIT_NO_CACHE=1`` (or :func:`set_enabled`): the same Form XObjects
are then made afresh for every handout, byte for byte the same PDF.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any

from routinekit.model import Handout
from routinekit.render.pdf import deflate
from routinekit.render.pdf.painter import GlyphRecorder, Painter
from routinekit.render.pdf.styles import Style

#: Distinct blocks kept per process (a handout has about 50; a batch of all-different rows
#: repeats most of them). Each entry is a few KB of compressed stream.
FORMS_MAX = 512
#: Stored streams per block for different font codes (usually one).
VARIANTS_MAX = 4
#: Compressed runs of blocks (a page's worth each, ~10 KB) kept per process.
RUNS_MAX = 64
#: Blocks' streams compressed on their own, to make new runs from (a few KB each).
SEGMENTS_MAX = 1024
_SERIAL = itertools.count(1)
#: Handouts (shared digests) whose layout choices are remembered, and choices per handout
#: (one per distinct header and footer height, about).
FITS_MAX = 256
CHOICES_PER_HANDOUT = 16

Op = tuple[str, tuple[Any, ...]]


class FormEntry:
    """One block: its calls, the characters it prints, and its stored streams."""

    __slots__ = ("chars", "flat", "ops", "sigs", "streams", "words")

    def __init__(self, ops: list[Op], chars: dict[str, str], texts: list[str]) -> None:
        self.ops = ops
        text = "\n".join(texts).casefold()
        self.words = frozenset(_WORD.findall(text))
        """Its words and its text without spaces (casefolded), for :class:`PatientText`."""
        self.flat = _SPACE.sub("", text)
        """The recorded painter calls (serialised again only for new font codes)."""
        self.chars = chars
        """Font name -> the characters the block prints in it (sorted)."""
        self.streams: OrderedDict[Hashable, tuple[int, bytes]] = OrderedDict()
        """Font-code signature -> (serial number, content stream)."""
        self.sigs: dict[Hashable, Hashable] = {}
        """Code layout of a document (:func:`paint`) -> this block's font-code signature."""


class _Lru:
    """A bounded LRU mapping."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def items(self) -> list[tuple[Hashable, Any]]:
        return list(self._entries.items())

    def clear(self) -> None:
        self._entries.clear()


class FormCache:
    """Bounded LRUs: :class:`FormEntry` by display list, and compressed runs of blocks.

    ``runs`` maps the blocks of a run (each block's stream by serial number, with its
    place on the page) to the run's compressed Form XObject stream.
    """

    def __init__(self, maxsize: int = FORMS_MAX, runs: int = RUNS_MAX) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, FormEntry] = OrderedDict()
        self.runs = _Lru(runs)
        self.segments = _Lru(SEGMENTS_MAX)
        """A block's stream (by serial number) compressed on its own (:mod:`.deflate`)."""
        self.written = _Lru(runs)
        """A run's Form XObject written out, by run and page size (:func:`_form_parts`)."""
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> FormEntry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, entry: FormEntry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def items(self) -> Iterable[tuple[Hashable, FormEntry]]:
        return list(self._entries.items())

    def clear(self) -> None:
        self._entries.clear()
        self.runs.clear()
        self.segments.clear()
        self.written.clear()
        FITS.clear()
        self.hits = self.misses = 0


FORMS = FormCache()
#: Which fit of ``document.FIT_STEPS`` won, by :class:`LayoutKey` (digest -> choices).
FITS = _Lru(FITS_MAX)
_enabled = [os.environ.get("ROUTINEKIT_NO_CACHE", "") in ("", "0")]


def set_enabled(on: bool) -> None:
    """Keep stored streams between handouts (the default) or make every one afresh."""
    _enabled[0] = on


def enabled() -> bool:
    return _enabled[0]


class Uncacheable(Exception):
    """The block draws something a stored stream cannot hold (an image file)."""


class DisplayList(Painter):
    """A painter that records its calls instead of drawing (the block's content key)."""

    def __init__(self, style: Style, *, rtl: bool, page_width: float) -> None:
        self.style = style
        self.rtl = rtl
        self.page_width = page_width
        self.ops: list[Op] = []
        self.texts: list[str] = []
        self._cuts: list[tuple[int, int]] = []

    def cut(self) -> None:
        at = (len(self.ops), len(self.texts))
        if self.ops and (not self._cuts or self._cuts[-1][0] < at[0]):
            self._cuts.append(at)

    def parts(self) -> list[tuple[list[Op], list[str]]]:
        """The recorded calls and texts, in the parts the block's :meth:`cut` calls made."""
        bounds = [(0, 0), *self._cuts, (len(self.ops), len(self.texts))]
        return [
            (self.ops[o0:o1], self.texts[t0:t1])
            for (o0, t0), (o1, t1) in itertools.pairwise(bounds)
            if o1 > o0
        ]

    def lines(
        self,
        lines: list[Any],
        x: float,
        top: float,
        size: float,
        leading: float,
        color: Any = None,
    ) -> float:
        frozen = tuple(tuple(line) for line in lines)
        self.ops.append(("lines", (frozen, x, top, size, leading, color)))
        self.texts.extend(seg[3] for line in frozen for seg in line)
        return top - leading * len(lines)

    def rect(self, *args: Any, **kwargs: Any) -> None:
        self.ops.append(("rect", (args, tuple(sorted(kwargs.items())) if kwargs else ())))

    def rule(self, *args: Any, **kwargs: Any) -> None:
        self.ops.append(("rule", (args, tuple(sorted(kwargs.items())) if kwargs else ())))

    def circle(self, *args: Any, **kwargs: Any) -> None:
        self.ops.append(("circle", (args, tuple(sorted(kwargs.items())) if kwargs else ())))

    def qr(self, matrix: Any, x: float, y: float, size: float) -> None:
        self.ops.append(("qr", (matrix, x, y, size)))

    def image(self, *args: Any, **kwargs: Any) -> None:
        raise Uncacheable("an image file needs the page's own resources")

    def drawing(self, drawing: Any, x: float, y: float, scale: float = 1.0) -> None:
        self.ops.append(("drawing", (drawing, x, y, scale)))

    def end_page(self) -> None:  # pragma: no cover - blocks never end pages
        raise Uncacheable("a block ended the page")


def replay(ops: Sequence[Op], painter: Painter) -> None:
    """Make the recorded calls on a real painter (or a :class:`GlyphRecorder`)."""
    for name, args in ops:
        if name == "lines":
            painter.lines(list(map(list, args[0])), *args[1:])
        elif name == "qr" or name == "drawing":
            getattr(painter, name)(*args)
        else:
            pos, kw = args
            getattr(painter, name)(*pos, **dict(kw))


def _key(ops: list[Op]) -> Hashable:
    """The display list as a hashable key; a QR code by its operators (its URL decides them)."""
    parts: list[Any] = []
    for name, args in ops:
        if name == "qr":
            matrix, *rest = args
            parts.append((name, matrix.pdf_ops, *rest))
        else:
            parts.append((name, args))
    key = tuple(parts)
    hash(key)  # a drawing that is not plain operators cannot be a key: TypeError
    return key


# ------------------------------------------------------------------- privacy
_WORD = re.compile(r"\w{3,}")
_SPACE = re.compile(r"\s+")


class PatientText:
    """What of the patient a block must not print to be stored.

    Every personal value (name, therapist, clinic, notes, the therapist's notes on
    exercises) compared without spaces, so a value wrapped over lines is still found, and
    each part of the patient's name as a whole word.
    """

    def __init__(self, h: Handout) -> None:
        values: list[str] = []
        names: list[str] = []
        p = h.patient
        if p is not None:
            names = [v for v in (p.name, p.therapist) if v]
            values = [*names, *(v for v in (p.clinic, p.notes) if v)]
            values += [str(v) for v in p.exercise_notes.values()]
        values += [it.therapist_note for it in h.items if it.therapist_note]
        self.values = tuple(sorted({_SPACE.sub("", v).casefold() for v in values} - {""}))
        self.chars = frozenset("".join(values))
        """Every character of those values, as printed (see :mod:`font_objects`)."""
        self.words = frozenset(w.casefold() for v in names for w in _WORD.findall(v))

    def printed_in_entry(self, entry: FormEntry) -> bool:
        if not self.values:
            return False
        if self.words and not self.words.isdisjoint(entry.words):
            return True
        return any(v in entry.flat for v in self.values)

    def printed_in(self, texts: list[str]) -> bool:
        if not self.values:
            return False
        text = "\n".join(texts).casefold()
        if self.words and not self.words.isdisjoint(_WORD.findall(text)):
            return True
        flat = _SPACE.sub("", text)
        return any(v in flat for v in self.values)


# ------------------------------------------------------------------ painting
class _Placed:
    __slots__ = ("block", "entry", "key", "top")

    def __init__(self, block: Any, top: float, key: Hashable | None, entry: FormEntry | None):
        self.block = block
        self.top = top
        self.key = key
        self.entry = entry


def _chars_of(ops: Sequence[Op], style: Style) -> dict[str, str]:
    rec = GlyphRecorder(style)
    replay(ops, rec)
    return {font: "".join(sorted(chars)) for font, chars in rec.chars.items()}


def paint(
    canvas: Any,
    painter: Painter,
    style: Style,
    pages: Sequence[Sequence[tuple[Any, float, float]]],
    footer: Any,
    handout: Handout,
    x: float,
    width: float,
) -> None:
    """Draw every page: stored Form XObjects where a block may be reused, else directly.

    ``pages`` are lists of (block, top, height); ``footer.draw(painter, number, total)``
    draws each page's footer. Glyph codes are given first to the characters of the
    reusable blocks, so their streams stay valid from one patient to the next.
    """
    from reportlab.pdfbase.pdfmetrics import getFont

    from routinekit.render.pdf import font_objects
    from routinekit.render.pdf.fonts import SHAPED

    cache = FORMS if enabled() else FormCache()
    personal = PatientText(handout)
    doc = canvas._doc
    placed: list[list[_Placed]] = []
    shared: dict[str, set[str]] = {}
    direct = GlyphRecorder(style)
    mirror = ("rtl", painter.page_width)
    for page in pages:
        row: list[_Placed] = []
        for block, top, _height in page:
            key: Hashable | None = None
            entry: FormEntry | None = None
            if isinstance(block, StoredBlock):  # from a plan: known to be no one's
                for font, chars in block.entry.chars.items():
                    shared.setdefault(font, set()).update(chars)
                row.append(_Placed(block, top, block.key, block.entry))
                continue
            if block.personal:  # known to print the patient's words: drawn directly
                block.draw(direct, x, top, width)
                row.append(_Placed(block, top, None, None))
                continue
            dl = DisplayList(style, rtl=painter.rtl, page_width=painter.page_width)
            stored: list[_Placed] | None = []
            try:
                block.draw(dl, x, 0.0, width)
                parts = dl.parts()
                # a right-to-left page mirrors every x by the page's width as it draws
                keys = [
                    (x, _key(ops)) if not painter.rtl else (x, mirror, _key(ops))
                    for ops, _t in parts
                ]
            except (Uncacheable, TypeError):
                stored = None
            if stored is not None:
                for key, (ops, texts) in zip(keys, parts, strict=True):
                    # a stored part has its words at hand; a new one is looked at before storing
                    entry = cache.get(key)
                    if entry is None and personal.printed_in(texts):
                        stored = None
                        break
                    if entry is None:
                        entry = FormEntry(ops, _chars_of(ops, style), texts)
                        cache.put(key, entry)
                    elif personal.printed_in_entry(entry):
                        stored = None
                        break
                    stored.append(_Placed(block, top, key, entry))
            if not stored:  # drawn directly, whole (a part prints the patient's words, ...)
                block.draw(direct, x, top, width)
                row.append(_Placed(block, top, None, None))
                continue
            for p in stored:
                assert p.entry is not None
                for font, chars in p.entry.chars.items():
                    shared.setdefault(font, set()).update(chars)
            row.extend(stored)
        placed.append(row)
    if isinstance(pages, Planned):
        pages.remember(placed, cache)
    for number in range(1, len(pages) + 1):
        footer.draw(direct, number, len(pages))
    # codes: the reusable blocks' characters first, then the patient's and the footers'
    fonts = sorted(set(shared) | set(direct.chars))
    # and the characters only a patient's words print get a subset of their own, so the
    # others' subsets are the same for every patient and may be kept (font_objects).
    # Shaped text (Devanagari, Arabic...) prints glyph codes, not its characters, and one
    # cluster must stay in one subset: its fonts keep the old order and are never kept.
    allowed: dict[str, set[str]] = {}
    for name in fonts:
        font = getFont(name)
        first = shared.get(name, set())
        rest = direct.chars.get(name, set()) - first
        mine = set() if name in SHAPED else rest & personal.chars
        allowed[name] = set() if name in SHAPED else first | (rest - mine)
        for group in (first, rest - mine):
            if group:
                font.splitString("".join(sorted(group)), doc)
        if mine:
            font_objects.start_subset(font, doc)
            font.splitString("".join(sorted(mine)), doc)
        font.getSubsetInternalName(0, doc)  # font names in sorted order, not drawing order
    font_objects.mark_shared(doc, allowed)
    # the shared characters' codes follow from these sets alone (given first, sorted), so a
    # stored block's signature is the same in every document with the same sets
    layout = tuple((name, _numbered(name, shared.get(name, set()))) for name in fonts)
    in_doc: dict[Hashable, str] = {}
    for number, row in enumerate(placed, 1):
        run: list[_Placed] = []
        for p in row:
            if p.key is not None and p.entry is not None:
                run.append(p)
                continue
            _place_run(canvas, painter, run, in_doc, cache, layout)
            run = []
            p.block.draw(painter, x, p.top, width)
            painter.flush_text()  # its text in reading order, before the next block
        _place_run(canvas, painter, run, in_doc, cache, layout)
        footer.draw(painter, number, len(pages))
        painter.end_page()


def _numbered(name: str, chars: set[str]) -> str:
    """Of a font's shared characters, those whose codes depend on the others (sorted).

    reportlab gives printable ASCII its own codes in a font's first subset, whatever else
    the document prints (``TTFont.State``, ``asciiReadable``): so of two documents whose
    shared characters differ only there (other digits in a dose, another letter), every
    stored block keeps its codes, and its signature is looked up, not worked out again.
    A font that is not laid out so (shaped, or without ``asciiReadable``) keeps them all.
    """
    from reportlab.pdfbase.pdfmetrics import getFont

    from routinekit.render.pdf.fonts import SHAPED

    font = getFont(name)
    if name in SHAPED or not getattr(font, "_asciiReadable", False):
        return "".join(sorted(chars))
    glyphs = font.face.charToGlyph
    return "".join(sorted(c for c in chars if not (32 <= ord(c) < 128 and ord(c) in glyphs)))


def _signature(doc: Any, chars: dict[str, str]) -> Hashable:
    """Subset names and codes of every character the block prints, in this document."""
    from reportlab.pdfbase.pdfmetrics import getFont

    sig = []
    for name in sorted(chars):
        font = getFont(name)
        split = font.splitString(chars[name], doc)
        sig.append((name, tuple((font.getSubsetInternalName(s, doc), b) for s, b in split)))
    return tuple(sig)


def _block_stream(
    painter: Painter, entry: FormEntry, cache: FormCache, layout: Hashable
) -> tuple[int, bytes]:
    """The block's content stream for this document's font codes (made once per codes)."""
    sig = entry.sigs.get(layout)
    if sig is None:
        sig = _signature(painter.canvas._doc, entry.chars)
        if len(entry.sigs) >= VARIANTS_MAX:
            entry.sigs.clear()
        entry.sigs[layout] = sig
    found = entry.streams.get(sig)
    if found is None:
        cache.misses += 1
        found = entry.streams[sig] = (next(_SERIAL), _serialise(painter, entry.ops))
        while len(entry.streams) > VARIANTS_MAX:
            entry.streams.popitem(last=False)
    else:
        cache.hits += 1
        entry.streams.move_to_end(sig)
    return found


def _place_run(
    canvas: Any,
    painter: Painter,
    run: list[_Placed],
    in_doc: dict[Hashable, str],
    cache: FormCache,
    layout: Hashable,
) -> None:
    """Consecutive reusable blocks of a page: one Form XObject, stored compressed."""
    if not run:
        return
    parts = []
    streams = []
    for p in run:
        assert p.entry is not None
        serial, stream = _block_stream(painter, p.entry, cache, layout)
        top = f"{p.top:.3f}"
        parts.append((serial, top))
        streams.append((top, stream))
    key = tuple(parts)
    name = in_doc.get(key)
    if name is None:
        data = cache.runs.get(key)
        if data is None:  # each block moved into place: q 1 0 0 1 0 y cm <block> Q
            pieces: list[tuple[bytes, bytes | None]] = []
            for i, ((serial, top), (_top, stream)) in enumerate(zip(parts, streams, strict=True)):
                pieces.append(
                    (b"%sq 1 0 0 1 0 %s cm\n" % (b"\nQ\n" if i else b"", top.encode()), None)
                )
                seg = cache.segments.get(serial)
                if seg is None:  # compressed once per block, then put together (no zlib)
                    seg = deflate.segment(stream)
                    cache.segments.put(serial, seg)
                pieces.append((stream, seg))
            pieces.append((b"\nQ", None))
            data = deflate.assemble(pieces)
            cache.runs.put(key, data)
        name = in_doc[key] = f"rk{len(in_doc) + 1}"
        page_w, page_h = canvas._pagesize
        written = cache.written.get((key, page_w, page_h))
        if written is None:
            written = _form_parts(data, page_w, page_h)
            cache.written.put((key, page_w, page_h), written)
        canvas._doc.addForm(name, _form_object(canvas._doc, written))
    canvas.doForm(name)


def _serialise(painter: Painter, ops: Sequence[Op]) -> bytes:
    """The block's content stream (shapes, then its text in one text object)."""
    canvas = painter.canvas
    saved = canvas._code, painter._text_ops, painter._font, painter._color
    canvas._code, painter._text_ops, painter._font, painter._color = [], [], None, None
    try:
        replay(ops, painter)
        shapes, text = canvas._code, painter._text_ops
    finally:
        canvas._code, painter._text_ops, painter._font, painter._color = saved
    body = "\n".join(shapes)
    if text:
        body += ("\n" if body else "") + "BT " + "\n".join(text) + " ET"
    return body.encode("latin-1")


#: The name of the one resource dictionary every form of a document shares.
_RESOURCES = "RKFormResources"


def _form_object(doc: Any, written: tuple[bytes, bytes]) -> Any:
    """The run's Form XObject, written out once (:func:`_form_parts`), with this document's
    reference to the forms' shared resources put in."""
    from reportlab.pdfbase.pdfdoc import PDFResourceDictionary

    if _RESOURCES not in doc.idToObject:
        resources = PDFResourceDictionary()
        resources.basicFonts()
        resources.ProcSet = []
        doc.Reference(resources, _RESOURCES)
    return _form_stream(*written)


#: What stands for the resources' reference while a form is written out once.
_MARK = b"\x00routinekit-resources\x00"


def _form_parts(stream: bytes, page_w: float, page_h: float) -> tuple[bytes, bytes]:
    """A form's object as reportlab writes it, before and after its resources' reference.

    Only the stream and its length differ between two forms of one page size: reportlab
    formats an empty one once per page size (:func:`_form_template`), and the stream and
    its length are put in. The template is checked once against reportlab's formatting
    of a sample stream, and used only if the bytes are the same.
    """
    template = _form_template(page_w, page_h)
    if template is not None:
        return _filled(template, stream)
    return _formatted_form_parts(stream, page_w, page_h)


_Template = tuple[bytes, int, bytes]


def _filled(template: _Template, stream: bytes) -> tuple[bytes, bytes]:
    """A form template (:func:`_form_template`) with ``stream`` and its length put in."""
    head, length_at, tail = template
    before = head[:length_at] + b"%d" % len(stream) + head[length_at + 1 :]
    return before, tail + stream + b"endstream\n"


@functools.cache
def _form_template(page_w: float, page_h: float) -> _Template | None:
    """(before the resources with the length 0, where that 0 is, after them up to the
    stream) for a page size, or None if putting a stream into it does not give
    reportlab's bytes (then every form is formatted by reportlab)."""
    before, after = _formatted_form_parts(b"", page_w, page_h)
    length_at = before.find(b"/Length 0 ") + len(b"/Length ")
    if length_at < len(b"/Length ") or not after.endswith(b"stream\nendstream\n"):
        return None
    template = (before, length_at, after[: -len(b"endstream\n")])
    probe = b"q 1 0 0 1 0 12.5 cm\nQ" * 7
    same = _filled(template, probe) == _formatted_form_parts(probe, page_w, page_h)
    return template if same else None


def _formatted_form_parts(stream: bytes, page_w: float, page_h: float) -> tuple[bytes, bytes]:
    """:func:`_form_parts` by reportlab's own formatting."""
    from reportlab.pdfbase.pdfdoc import (
        DummyDoc,
        PDFArray,
        PDFDictionary,
        PDFName,
        PDFObject,
        PDFStream,
    )

    class Mark(PDFObject):
        def format(self, document: Any) -> bytes:
            return _MARK

    d = PDFDictionary(
        {
            "Type": PDFName("XObject"),
            "Subtype": PDFName("Form"),
            "BBox": PDFArray([0, 0, page_w, page_h]),
            "Resources": Mark(),
            "Filter": PDFName("FlateDecode"),
        }
    )
    before, after = PDFStream(d, stream, filters=[]).format(DummyDoc()).split(_MARK, 1)
    return before, after


@functools.cache
def _form_stream_class() -> type:
    """The class of a written-out form, made on first use (reportlab is imported late)."""
    from reportlab.pdfbase.pdfdoc import PDFObject

    class FormStream(PDFObject):
        """A Form XObject written out but for the number of the resources it refers to."""

        __RefOnly__ = 1  # reportlab's mark: its own numbered object

        def __init__(self, before: bytes, after: bytes) -> None:
            self.before = before
            self.after = after

        def format(self, document: Any) -> bytes:
            number, version = document.idToObjectNumberAndVersion[_RESOURCES]
            return b"%s%d %d R%s" % (self.before, number, version, self.after)

    return FormStream


def _form_stream(before: bytes, after: bytes) -> Any:
    return _form_stream_class()(before, after)


# -------------------------------------------------------------------- layout
_NO_DATE = dt.date(2000, 1, 1)


def layout_key(h: Handout, options: Any, dims_of: Callable[[int], Hashable]) -> LayoutKey | None:
    """What the choice of fit depends on, without the patient's words (None: do not keep).

    Everything but the header and footer is the same for every patient of the handout
    (the handout less patient and date, as a digest; the options), and the header and
    footer enter pagination only through ``dims_of(i)``: their heights in fit ``i``. A
    handout with the therapist's notes on cards is laid out afresh (its cards are the
    patient's).
    """
    if not enabled() or any(it.therapist_note for it in h.items):
        return None

    import msgspec

    shared = msgspec.structs.replace(h, patient=None, date=_NO_DATE)
    data = msgspec.json.encode((shared, options))
    return LayoutKey(hashlib.sha256(data).digest(), dims_of)


class LayoutKey:
    """A handout's shared digest, and the header/footer heights of each fit, measured lazily.

    The fitting loop lays out only some fits (see ``document.layout``), so its choice
    depends on the heights in the fits it laid out only: a remembered choice holds those,
    and a later patient measures only those fits.
    """

    def __init__(self, digest: bytes, dims_of: Callable[[int], Hashable]) -> None:
        self.digest = digest
        self._dims_of = dims_of
        self._dims: dict[int, Hashable] = {}
        self.choice: FitChoice | None = None

    def dims(self, i: int) -> Hashable:
        if i not in self._dims:
            self._dims[i] = self._dims_of(i)
        return self._dims[i]

    def find(self) -> FitChoice | None:
        known = FITS.get(self.digest)
        if known is None:  # a new process: what an earlier one chose, if anything
            known = _stored_choices(self.digest)
            if known:
                FITS.put(self.digest, known)
        for choice in known or ():
            if all(self.dims(i) == d for i, d in choice.dims):
                self.choice = choice  # painting records its page plan if it has none yet
                return choice
        return None

    def remember(self, tried: Sequence[int], chosen: int) -> None:
        """The loop laid out the fits ``tried`` and chose ``chosen``."""
        choice = FitChoice(chosen, tuple((i, self.dims(i)) for i in tried))
        known = FITS.get(self.digest) or []
        choices = [choice, *known][:CHOICES_PER_HANDOUT]
        FITS.put(self.digest, choices)
        if len(tried) > 1:  # a fit taken at the first try saves a later process nothing
            _store_choices(self.digest, choices)
        self.choice = choice


# -------------------------------------------------- fit choices across processes
#: The on-disk cache's area for the fit choices of handouts (see :func:`_stored_choices`).
FIT_AREA = "fits"
_PACKAGE = Path(__file__).resolve().parent.parent.parent


@functools.cache
def layout_version() -> bytes | None:
    """A hash of everything besides the handout that decides how it paginates: the layout
    code and wording (render/, text/, the translations) and the fonts, plugin faces too."""
    from routinekit.render import disk_cache
    from routinekit.render.pdf.fallback import faces

    fonts = _files_under(_PACKAGE / "fonts", ".ttf")
    fonts += [f for face in faces() for f in (face.regular, face.bold) if f is not None]
    code = [
        *_files_under(_PACKAGE / "render", ".py"),
        *_files_under(_PACKAGE / "text", ".py"),
        _PACKAGE / "i18n.py",
        *_files_under(_PACKAGE / "locale", ".mo"),
    ]
    return disk_cache.files_version([*code, *fonts])


def _files_under(folder: Path, suffix: str) -> list[Path]:
    """Files ending in ``suffix`` in ``folder`` and its subfolders, sorted (os.scandir:
    ``Path.glob("**")`` costs a cold start more than the stats themselves)."""
    found: list[Path] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                found += _files_under(Path(entry.path), suffix)
        elif entry.name.endswith(suffix):
            found.append(Path(entry.path))
    return found


def _choice_key(digest: bytes) -> str | None:
    from routinekit.render import disk_cache

    version = layout_version()
    return None if version is None else disk_cache.digest(b"fit-choices:2", version, digest)


def _stored_choices(digest: bytes) -> list[FitChoice] | None:
    """The fit choices a process made for this shared content (fit index and the header and
    footer heights of each fit it tried: numbers, no words), or None."""
    import msgspec

    from routinekit.render import disk_cache

    key = _choice_key(digest)
    payload = disk_cache.read(FIT_AREA, key) if key is not None else None
    if payload is None:
        return None
    try:
        rows = msgspec.json.decode(
            payload, type=list[tuple[int, list[tuple[int, tuple[float, float]]]]]
        )
    except msgspec.DecodeError:
        return None
    return [FitChoice(fit, tuple((i, tuple(d)) for i, d in dims)) for fit, dims in rows]


#: Fit choices one process writes to the on-disk cache, at most. A cold build writes one;
#: a batch worker whose rows all differ would write a file a row (a new file costs 0.5-1 ms
#: on this project's benchmark machine, some 5% of such a row) for a later run of the same
#: list only, so past this it keeps its choices in memory.
STORE_PER_PROCESS = 64
#: Fit choices written by this process, by cache folder.
_stored: dict[Path | None, int] = {}


def _store_choices(digest: bytes, choices: list[FitChoice]) -> None:
    import msgspec

    from routinekit.render import disk_cache

    folder = disk_cache.cache_dir()
    if _stored.get(folder, 0) >= STORE_PER_PROCESS:
        return
    _stored[folder] = _stored.get(folder, 0) + 1
    key = _choice_key(digest)
    if key is None or not all(_is_dims(d) for c in choices for _, d in c.dims):
        return
    rows = [(c.fit, list(c.dims)) for c in choices]
    disk_cache.write(FIT_AREA, key, msgspec.json.encode(rows))


def _is_dims(d: Hashable) -> bool:
    return isinstance(d, tuple) and len(d) == 2 and all(isinstance(v, float) for v in d)


# ----------------------------------------------------------------- page plans
class FitChoice:
    """The fit a layout key chose and, once painted, its pages (a plan, see :class:`Planned`)."""

    __slots__ = ("dims", "fit", "plan")

    def __init__(self, fit: int, dims: tuple[tuple[int, Hashable], ...]) -> None:
        self.fit = fit
        self.dims = dims
        """(fit, its header and footer heights) of every fit the loop laid out."""
        self.plan: list[list[tuple[Hashable | None, float, float]]] | None = None
        """Per page: (display-list key, or None for the header; top; height)."""


class Planned(list[Any]):
    """Pages laid out for a :class:`LayoutKey`: painting them records the plan for the next."""

    def __init__(self, pages: list[Any], key: LayoutKey | None, header: Any) -> None:
        super().__init__(pages)
        self.key = key
        self.header = header

    def remember(self, placed: list[list[_Placed]], cache: FormCache) -> None:
        if self.key is None or cache is not FORMS:
            return
        choice = self.key.choice
        if choice is None or choice.plan is not None:
            return
        plan = []
        for row in placed:
            out: list[tuple[Hashable | None, float, float]] = []
            for p in row:
                if p.block is self.header:
                    out.append((None, p.top, 0.0))
                elif p.key is None:
                    return  # a block drawn directly (a patient's words, an image): no plan
                else:
                    out.append((p.key, p.top, 0.0))
            plan.append(out)
        choice.plan = plan


class StoredBlock:
    """A block of a plan: its stored display list, drawn again wherever asked."""

    keep_with_next = False
    space_before = 0.0

    def __init__(self, key: Hashable, entry: FormEntry) -> None:
        self.key = key
        self.entry = entry

    def draw(self, painter: Painter, x: float, top: float, width: float) -> None:
        if isinstance(painter, GlyphRecorder | DisplayList):
            replay(self.entry.ops, painter)
            return
        painter.canvas.addLiteral(f"q 1 0 0 1 0 {top:.3f} cm")
        replay(self.entry.ops, painter)
        painter.flush_text()
        painter.canvas.addLiteral("Q")


def planned_pages(choice: FitChoice, h: Handout, header: Any, width: float) -> Planned | None:
    """The remembered pages with this patient's header, if every stored block is still here
    and prints none of this patient's words (else None: lay out afresh)."""
    if choice.plan is None or not enabled():
        return None
    personal = PatientText(h)
    pages: list[list[tuple[Any, float, float]]] = []
    for row in choice.plan:
        out: list[tuple[Any, float, float]] = []
        for key, top, height in row:
            if key is None:
                out.append((header, top, header.measure(width)))
                continue
            entry = FORMS.get(key)
            if entry is None or personal.printed_in_entry(entry):
                return None
            out.append((StoredBlock(key, entry), top, height))
        pages.append(out)
    return Planned(pages, None, header)
