"""After the rows: one merged PDF for printing (row order) and a zip of the handouts.

Merging uses pypdf (pure Python, no further dependencies, imported only here):
writing a correct PDF merger by hand means parsing arbitrary cross-reference tables
and object streams, which is exactly what a small, well-kept library is for. Fonts
and images that repeat across handouts are stored once in the merged file.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable
from pathlib import Path

from routinekit.batch.manifest import MANIFEST_NAME, REPORT_NAME, Entry, atomic_file
from routinekit.errors import Location, UserError

MERGED_NAME = "batch-merged.pdf"
ZIP_NAME = "batch.zip"
RESERVED_NAMES = (MANIFEST_NAME, REPORT_NAME, MERGED_NAME, ZIP_NAME)


def _ok_files(outdir: Path, entries: Iterable[Entry]) -> list[Path]:
    return [outdir / e.output for e in entries if e.status == "ok" and e.output]


def merge_pdfs(outdir: Path, entries: Iterable[Entry]) -> Path | None:
    """Every ok handout, in row order, as ``batch-merged.pdf``; None when there is none."""
    files = _ok_files(outdir, entries)
    if not files:
        return None
    if any(f.suffix.lower() != ".pdf" for f in files):
        raise UserError(
            "--merge needs PDF handouts",
            location=Location(field="--merge"),
            hint="use --format pdf, or --zip for other formats",
        )
    from pypdf import PdfWriter

    writer = PdfWriter()
    for f in files:
        writer.append(str(f))
    writer.compress_identical_objects()  # fonts and QR forms repeat across handouts
    target = outdir / MERGED_NAME
    with atomic_file(target, "wb") as fh:
        writer.write(fh)
    return target


def zip_outputs(outdir: Path, entries: Iterable[Entry], *, date: dt.date) -> Path | None:
    """Every ok handout and the manifest as ``batch.zip`` (stable member dates: the batch date)."""
    files = _ok_files(outdir, entries)
    if not files:
        return None
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    target = outdir / ZIP_NAME
    with atomic_file(target, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in [*files, outdir / MANIFEST_NAME]:
            info = zipfile.ZipInfo(f.name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            with open(f, "rb") as src, zf.open(info, "w") as dst:
                while block := src.read(1 << 16):
                    dst.write(block)
    return target
