"""The fast writer (render/pdf/writer) writes the same bytes as reportlab's own ``save``.

Each case renders one handout twice, once written by :func:`writer.pdf_bytes` and once by
reportlab (``writer.set_enabled(False)``), with the reuse store on and off, and compares the
files byte for byte: templates, languages (right-to-left too), page sizes, large print, a
clinic logo, names in several scripts, the therapist's notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from routinekit import api
from routinekit.contracts import RenderOptions
from routinekit.model import Handout, Patient
from routinekit.plugins.host import PluginHost
from routinekit.render.pdf import render_pdf, reuse, writer
from routinekit.request import BuildOptions
from tests.conftest import EXAMPLES


@pytest.fixture(autouse=True)
def _both_paths() -> Iterator[None]:
    yield
    writer.set_enabled(True)
    reuse.set_enabled(True)


def _handout(
    host: PluginHost,
    *,
    template: str = "back-spasm-acute",
    language: str | None = None,
    name: str = "Ana Example",
    clinic: Path = EXAMPLES / "clinic.yaml",
    notes: str | None = None,
    exercise_notes: dict[str, str] | None = None,
) -> Handout:
    patient = Patient(
        name=name,
        date=dt.date(2026, 3, 4),
        notes=notes,
        therapist="Dr Jo Example",
        exercise_notes=exercise_notes or {},
    )
    return api.build_handout(
        api.load_routine(template, host=host),
        patient=patient,
        clinic=api.load_clinic(clinic),
        strategy="as-written",
        host=host,
        options=BuildOptions(language=language),
    ).handout


def _both(h: Handout, options: RenderOptions) -> tuple[bytes, bytes]:
    writer.set_enabled(True)
    fast = render_pdf(h, options)
    writer.set_enabled(False)
    slow = render_pdf(h, options)
    writer.set_enabled(True)
    return fast, slow


@pytest.mark.parametrize("cached", [True, False], ids=["reuse", "no-reuse"])
@pytest.mark.parametrize(
    "options",
    [
        RenderOptions(),
        RenderOptions(page_size="a4"),
        RenderOptions(large_print=True),
        RenderOptions(exercise_qr=False, show_reasons=True, tracking_log=False),
    ],
    ids=["letter", "a4", "large-print", "no-qr"],
)
def test_same_bytes_as_reportlab(host: PluginHost, options: RenderOptions, cached: bool) -> None:
    reuse.set_enabled(cached)
    h = _handout(host)
    for _ in range(2):  # the second handout of a routine takes the stored paths
        fast, slow = _both(h, options)
        assert fast == slow
        assert fast.startswith(b"%PDF-") and fast.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize(
    ("template", "language", "name"),
    [
        ("back-spasm-prevention", None, "Søren Łucja-Ελένη"),
        ("back-spasm-acute", "es", "José Núñez (\\) [x] <y> #1 %"),
        ("back-spasm-acute", "ar", "ليلى حداد"),
        ("back-spasm-acute", None, "Дмитрий Zoë"),
    ],
)
def test_same_bytes_in_other_languages_and_scripts(
    host: PluginHost, template: str, language: str | None, name: str
) -> None:
    h = _handout(
        host,
        template=template,
        language=language,
        name=name,
        notes="Left knee (old injury) — go slowly",
        exercise_notes={"knees-to-chest": "Only the right leg at first"},
    )
    fast, slow = _both(h, RenderOptions())
    assert fast == slow


def test_same_bytes_with_a_logo(host: PluginHost, tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGBA", (300, 100), (10, 120, 200, 255)).save(tmp_path / "logo.png")
    (tmp_path / "clinic.yaml").write_text(
        "name: Logo Clinic\nlogo: logo.png\nphone: 555-0100\n", encoding="utf-8"
    )
    h = _handout(host, clinic=tmp_path / "clinic.yaml")
    fast, slow = _both(h, RenderOptions())
    assert b"/Subtype /Image" in fast
    assert fast == slow


def test_a_document_can_be_written_once_only(tmp_path: Path) -> None:
    canvas = Canvas(str(tmp_path / "x.pdf"), invariant=1)
    canvas.drawString(72, 72, "hello")
    first = writer.pdf_bytes(canvas)
    assert first.startswith(b"%PDF-")
    with pytest.raises(RuntimeError):
        canvas.save()  # reportlab refuses to write a document twice, and so do we


def test_settings_it_does_not_follow_fall_back_to_reportlab(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With PDF comments on, reportlab writes them; the writer leaves that to reportlab."""
    monkeypatch.setattr(rl_config, "pdfComments", 1)
    monkeypatch.setattr(rl_config, "invariant", 0)

    def made() -> Canvas:
        canvas = Canvas("unused.pdf", invariant=1)
        canvas.drawString(72, 72, "hello")
        return canvas

    fast = writer.pdf_bytes(made())
    slow = made().getpdfdata()
    assert b"% Document Root" in fast
    assert fast == slow


def test_a_form_written_once_is_what_reportlab_writes(tmp_path: Path) -> None:
    """reuse writes each run's Form XObject once, leaving out its resources' number."""
    import zlib

    from reportlab.pdfbase import pdfdoc

    canvas = Canvas(str(tmp_path / "x.pdf"), invariant=1)
    doc = canvas._doc
    doc.Reference(pdfdoc.PDFDictionary({"Filler": 1}), "something-first")
    data = zlib.compress(b"q 1 0 0 1 0 700.000 cm\nBT /F1 12 Tf (x) Tj ET\nQ")
    ours = reuse._form_object(doc, reuse._form_parts(data, 595.2756, 841.8898))
    theirs = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("XObject"),
                "Subtype": pdfdoc.PDFName("Form"),
                "BBox": pdfdoc.PDFArray([0, 0, 595.2756, 841.8898]),
                "Resources": pdfdoc.PDFObjectReference(reuse._RESOURCES),
                "Filter": pdfdoc.PDFName("FlateDecode"),
            }
        ),
        data,
    )
    assert ours.format(doc) == theirs.format(doc)
    number = doc.idToObjectNumberAndVersion[reuse._RESOURCES][0]
    assert b"/Resources %d 0 R" % number in ours.format(doc)
