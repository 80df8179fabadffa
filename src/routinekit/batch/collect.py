"""After the rows: one merged PDF for printing (row order) and a zip of the handouts.

Merging uses pypdf (pure Python, no further dependencies, imported only here):
writing a correct PDF merger by hand means parsing arbitrary cross-reference tables
and object streams, which is exactly what a small, well-kept library is for. Fonts
and images that repeat across handouts are stored once in the merged file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from routinekit.batch.manifest import MANIFEST_NAME, REPORT_NAME, Entry
from routinekit.errors import Location, UserError

if TYPE_CHECKING:
    from routinekit.batch.storage import Storage

MERGED_NAME = "batch-merged.pdf"
ZIP_NAME = "batch.zip"
RESERVED_NAMES = (MANIFEST_NAME, REPORT_NAME, MERGED_NAME, ZIP_NAME)


def _ok_files(entries: Iterable[Entry]) -> list[str]:
    return [e.output for e in entries if e.status == "ok" and e.output]


def _where(store: Storage, name: str) -> Path | str:
    return store.local / name if store.local is not None else store.display(name)


def merge_pdfs(store: Storage, entries: Iterable[Entry]) -> Path | str | None:
    """Every ok handout, in row order, as ``batch-merged.pdf``; None when there is none."""
    files = _ok_files(entries)
    if not files:
        return None
    if any(not f.lower().endswith(".pdf") for f in files):
        raise UserError(
            "--merge needs PDF handouts",
            location=Location(field="--merge"),
            hint="use --format pdf, or --zip for other formats",
        )
    from pypdf import PdfWriter

    writer = PdfWriter()
    for f in files:
        with store.open_read(f) as fh:
            writer.append(io.BytesIO(fh.read()))
    writer.compress_identical_objects()  # fonts and QR forms repeat across handouts
    with store.open_write(MERGED_NAME) as out:
        writer.write(out)
    return _where(store, MERGED_NAME)


def zip_outputs(store: Storage, entries: Iterable[Entry], *, date: dt.date) -> Path | str | None:
    """Every ok handout and the manifest as ``batch.zip`` (stable member dates: the batch date).

    Members keep their names inside the output, shard folder included (``000/00001_....pdf``).
    """
    files = _ok_files(entries)
    if not files:
        return None
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    with store.open_write(ZIP_NAME) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in [*files, MANIFEST_NAME]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            with store.open_read(name) as src, zf.open(info, "w") as dst:
                while block := src.read(1 << 16):
                    dst.write(block)
    return _where(store, ZIP_NAME)
