"""After the rows: one merged PDF for printing (row order) and a zip of the handouts.

Merging streams pages to disk with bounded memory: PyMuPDF (already a runtime dependency,
for the live preview) appends the handouts :data:`MERGE_CHUNK` at a time to the merged
file and saves each chunk incrementally, closing the document in between, so what is held
is one chunk of handouts, never the whole batch (2,000 handouts: about 145 MB peak against
0.39 GB when every page was held; ``benchmarks/batch_merge.py``). Fonts are not shared
across handouts in the merged file (each handout keeps its own subset fonts), so it is
about the sum of the handouts' sizes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
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
#: Handouts appended to the merged file between two incremental saves.
MERGE_CHUNK = 50


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
    root = store.local
    folder = root if root is not None else Path(tempfile.gettempdir())
    fd, tmp = tempfile.mkstemp(prefix=f".{MERGED_NAME}.", suffix=".part", dir=folder)
    os.close(fd)
    try:
        _merge_into(Path(tmp), store, files)
        os.chmod(tmp, 0o600)
        if root is not None:
            from routinekit.output import check_output

            target = check_output(root / MERGED_NAME)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        else:
            with open(tmp, "rb") as src, store.open_write(MERGED_NAME) as out:
                while block := src.read(1 << 20):
                    out.write(block)
    except OSError as exc:
        from routinekit.output import write_error

        raise write_error(_where(store, MERGED_NAME), exc) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return _where(store, MERGED_NAME)


def _merge_into(target: Path, store: Storage, files: list[str]) -> None:
    """Append every file's pages to ``target``, :data:`MERGE_CHUNK` handouts per save."""
    import pymupdf

    for start in range(0, len(files), MERGE_CHUNK):
        doc = pymupdf.open(target) if start else pymupdf.open()
        try:
            for name in files[start : start + MERGE_CHUNK]:
                with store.open_read(name) as fh:
                    data = fh.read()
                try:
                    src = pymupdf.open("pdf", data)
                except Exception:
                    raise UserError(
                        "a handout cannot be read for --merge",
                        location=Location(file=str(_where(store, name))),
                        hint="rebuild it with --resume (its file is broken), then merge again",
                    ) from None
                with src:
                    doc.insert_pdf(src)
            if start:
                doc.saveIncr()
            else:
                doc.save(target)
        finally:
            doc.close()
        pymupdf.TOOLS.store_shrink(100)  # MuPDF's cache of fonts and images: emptied


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
