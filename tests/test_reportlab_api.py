"""The parts of reportlab that routinekit uses beyond its documented drawing API.

reportlab is capped below its next major version in pyproject.toml. If one of these tests
fails after a reportlab upgrade, reportlab changed something routinekit relies on: read
the failing assertion's message, adapt the named module, then raise the cap.
"""

from __future__ import annotations

import io

import reportlab
from reportlab import rl_config
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas

from routinekit.render.pdf.fonts import REGULAR, ensure_fonts


def test_version_is_within_the_cap() -> None:
    major = int(reportlab.Version.split(".")[0])
    assert 4 <= major < 6, "reportlab's major version moved: check this file, then the cap"


def test_canvas_document_and_subset_encoding() -> None:
    """painter.py writes text operators itself: Canvas._doc, splitString, subset names."""
    ensure_fonts()
    canvas = Canvas(io.BytesIO())
    doc = canvas._doc  # painter.Painter: the document that owns the font subsets
    assert doc is not None, "Canvas._doc is gone (render/pdf/painter.py)"
    font = getFont(REGULAR)
    pieces = font.splitString("Zoë Ł", doc)
    assert [type(chunk) for _subset, chunk in pieces] == [bytes], "splitString changed"
    ((subset, chunk),) = pieces
    assert len(chunk) == 5
    name = font.getSubsetInternalName(subset, doc)
    assert name.startswith("/F"), "getSubsetInternalName changed (render/pdf/painter.py)"


def test_face_tables_used_for_widths_and_coverage() -> None:
    """fonts.py and text/scripts.py read the parsed face's character map and widths."""
    ensure_fonts()
    face = getFont(REGULAR).face
    assert isinstance(face.charToGlyph, dict) and ord("A") in face.charToGlyph
    assert isinstance(face.charWidths, dict) and face.charWidths[ord("A")] > 0
    assert face.defaultWidth > 0


def test_ascii85_switch_is_the_public_setting() -> None:
    """document.py turns ASCII85 off for a render (binary streams) and back again."""
    assert "useA85" in rl_config.__dict__, "rl_config.useA85 is gone (render/pdf/document.py)"


def test_latin_handout_does_not_load_harfbuzz_and_arabic_does() -> None:
    """fonts.import_reportlab keeps reportlab from importing uharfbuzz (optional to it)."""
    import subprocess
    import sys

    code = (
        "import sys, routinekit\n"
        "from routinekit.model import Patient\n"
        "routinekit.build('back-spasm-acute', patient=Patient(name='Zoë Ł'))\n"
        "from reportlab.pdfbase import ttfonts\n"
        "assert ttfonts.uharfbuzz is None, 'reportlab imported uharfbuzz itself'\n"
        "assert 'uharfbuzz' not in sys.modules, 'a Latin handout loaded uharfbuzz'\n"
        "routinekit.build('back-spasm-acute', patient=Patient(name='محمد'))\n"
        "assert 'uharfbuzz' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
