"""Illustrations drawn as raw PDF operators look exactly like the reportlab Drawings,
and a PDF build never imports ``reportlab.graphics``."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from PIL import Image, ImageChops
from reportlab.pdfgen.canvas import Canvas

from routinekit import illustrations
from routinekit.library import library_for
from routinekit.plugins.host import PluginHost
from tests.conftest import EXAMPLES


def _exercises() -> list[object]:
    lib = library_for(PluginHost(entry_points=False))
    return [ex for ex in lib.filter() if illustrations.pose_for(ex) is not None]


def _raster(picture: object) -> Image.Image:
    buf = io.BytesIO()
    w, h = picture.width, picture.height  # type: ignore[attr-defined]
    c = Canvas(buf, pagesize=(w + 20, h + 20))
    c.saveState()
    c.translate(10, 10)
    picture.drawOn(c, 0, 0)  # type: ignore[attr-defined]
    c.restoreState()
    c.showPage()
    c.save()
    pix = pymupdf.open(stream=buf.getvalue())[0].get_pixmap(dpi=200)
    return Image.frombytes("RGB", (pix.width, pix.height), pix.samples)


def test_every_builtin_picture_looks_the_same() -> None:
    exercises = _exercises()
    assert len(exercises) >= 10
    for ex in exercises:
        for width_mm, height_mm in ((40.0, 30.0), (55.0, 41.25)):
            new = illustrations.pdf_picture_for(ex, width_mm, height_mm)
            old = illustrations.drawing_for(ex, width_mm, height_mm)
            assert new is not None and old is not None
            assert (new.width, new.height) == pytest.approx((old.width, old.height))
            diff = ImageChops.difference(_raster(new), _raster(old)).convert("L")
            # anti-aliasing may differ by a level or two; no pixel may differ visibly
            assert max(diff.histogram()[16:]) == 0, ex.id  # type: ignore[attr-defined]


def test_pdf_build_does_not_import_reportlab_graphics(tmp_path: object) -> None:
    code = (
        "import sys\n"
        "from routinekit.cli import main\n"
        "try:\n"
        "    main(['build', 'back-spasm-prevention', '--clinic', sys.argv[1], '-o', sys.argv[2]])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "bad = sorted(m for m in sys.modules if m.startswith('reportlab.graphics'))\n"
        "assert not bad, bad\n"
    )
    out = f"{tmp_path}/h.pdf"
    done = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLES / "clinic.yaml"), out],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert Path(out).read_bytes().startswith(b"%PDF")
