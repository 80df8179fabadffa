"""Building the handout the page shows: the real PDF, drawn to page pictures in memory.

The preview is the same PDF the Download button gives (same build, same renderer), drawn
page by page with PyMuPDF and encoded as JPEG with Pillow. Page pictures are kept in a small
in-memory store (never on disk: they show the patient's name) under a key made from the
page's own drawing commands, so a page that did not change is not drawn again and the
browser keeps the picture it has.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from routinekit.errors import UserError
from routinekit.web.building import Built

#: Pixels per inch of the preview pictures (a letter page is 612 px wide at 72).
PREVIEW_DPI = 72
JPEG_QUALITY = 88


@dataclass(frozen=True)
class Page:
    key: str
    width: int
    height: int


class PageStore:
    """The last few hundred page pictures, by key (least recently used go first)."""

    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        with self._lock:
            self._items[key] = data
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._items


def page_key(doc: Any, index: int, fonts: bytes, dpi: int) -> str:
    """A key for one page's picture: its drawing commands, the document's fonts, the size."""
    page = doc[index]
    h = hashlib.sha256()
    h.update(f"{dpi}:{page.rect}".encode())
    h.update(page.read_contents())
    for img in page.get_images(full=True):
        h.update(doc.xref_stream_raw(img[0]) or b"")
    h.update(fonts)
    return h.hexdigest()[:32]


def _fonts_digest(doc: Any) -> bytes:
    """The embedded font programs: a change of subset (new letters) changes every page."""
    h = hashlib.sha256()
    seen: set[int] = set()
    for i in range(doc.page_count):
        for font in doc.get_page_fonts(i, full=True):
            xref = font[0]
            if xref in seen:
                continue
            seen.add(xref)
            h.update(doc.xref_object(xref, compressed=True).encode())
            for key in ("FontFile2", "FontFile", "FontFile3"):
                desc = doc.xref_get_key(xref, "FontDescriptor")
                if desc[0] == "xref":
                    ff = doc.xref_get_key(int(desc[1].split()[0]), key)
                    if ff[0] == "xref":
                        h.update(doc.xref_stream_raw(int(ff[1].split()[0])) or b"")
    return h.digest()


def _jpeg(pix: Any) -> bytes:
    """A page picture as JPEG: Pillow's encoder is about 8x faster than PNG for a page, and
    at this quality the text reads the same (the preview is a picture; the PDF is exact)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (pix.width, pix.height), pix.samples).save(
        out, "JPEG", quality=JPEG_QUALITY
    )
    return out.getvalue()


def draw_pages(pdf: bytes, store: PageStore, dpi: int = PREVIEW_DPI) -> list[Page]:
    """Every page of ``pdf`` as a JPEG in ``store``; pages already there are not drawn again."""
    import pymupdf

    pages: list[Page] = []
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        fonts = _fonts_digest(doc)
        for i in range(doc.page_count):
            key = page_key(doc, i, fonts, dpi)
            rect = doc[i].rect
            width, height = round(rect.width * dpi / 72), round(rect.height * dpi / 72)
            if key not in store:
                pix = doc[i].get_pixmap(dpi=dpi, alpha=False)
                store.put(key, _jpeg(pix))
                width, height = pix.width, pix.height
            pages.append(Page(key=key, width=width, height=height))
    return pages


@dataclass
class Preview:
    """What the page shows after a change."""

    pages: list[Page] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    left_out: list[dict[str, str]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    error: str | None = None
    field_errors: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": [
                {"url": f"/preview/{p.key}.jpg", "width": p.width, "height": p.height}
                for p in self.pages
            ],
            "warnings": self.warnings,
            "reasons": self.reasons,
            "left_out": self.left_out,
            "order": self.order,
            "error": self.error,
            "field_errors": self.field_errors,
        }


def preview_of(built: Built, store: PageStore) -> Preview:
    """The preview of a built handout: its pages drawn, its reasons and warnings."""
    import time

    started = time.perf_counter()
    out = Preview(warnings=list(built.warnings))
    try:
        pdf = built.render("pdf")
    except UserError as exc:
        out.error = exc.one_line()
        return out
    rendered = time.perf_counter()
    out.pages = draw_pages(pdf, store)
    out.timings = {
        "render": rendered - started,
        "draw": time.perf_counter() - rendered,
    }
    handout = built.handout
    for group in handout.groups:
        for item in group.items:
            out.order.append(item.exercise.id)
            if item.reason:
                out.reasons[item.exercise.id] = item.reason
    out.left_out = [
        {"id": lo.exercise_id, "name": lo.name, "reason": lo.reason} for lo in handout.left_out
    ]
    return out
