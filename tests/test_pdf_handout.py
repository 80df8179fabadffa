"""The PDF handout, end to end: pages, QR codes from pixels, text order, fonts, metadata."""

from __future__ import annotations

import datetime as dt
import functools
import re

import msgspec
import pymupdf
import pytest
import zxingcpp
from PIL import Image

from routinekit import api
from routinekit.contracts import RenderOptions
from routinekit.model import Handout, Patient
from routinekit.plugins.host import PluginHost
from routinekit.render.content import card_dose_text, item_texts
from routinekit.render.pdf import render_pdf
from routinekit.text import regimen_text
from tests.conftest import EXAMPLES

DATE = dt.date(2026, 1, 1)
PATIENT = Patient(name="Zoë Łukasiewicz", date=DATE, therapist="Dr. Sam Rivera, PT")
TEMPLATES = ("back-spasm-acute", "back-spasm-prevention")
MM = 72 / 25.4


def _strategies() -> tuple[str | None, ...]:
    """``as-written`` plus the template's own strategy (None), when it is registered."""
    host = PluginHost(entry_points=False)
    own = {t: api.load_routine(t, host=host).routine.strategy.id for t in TEMPLATES}
    registered = set(host.strategies())
    return ("as-written", *((None,) if all(s in registered for s in own.values()) else ()))


@functools.cache
def handout(template: str, strategy: str | None, personal: bool) -> Handout:
    host = PluginHost(entry_points=False)
    return api.build_handout(
        template,
        strategy=strategy,
        clinic=EXAMPLES / "clinic.yaml",
        patient=PATIENT if personal else None,
        date=DATE,
        host=host,
    ).handout


@functools.cache
def pdf(template: str, strategy: str | None, personal: bool, size: str = "letter") -> bytes:
    return render_pdf(handout(template, strategy, personal), RenderOptions(page_size=size))


def text_of(data: bytes) -> str:
    doc = pymupdf.open(stream=data)
    return " ".join(" ".join(page.get_text().split()) for page in doc)


def decode_qr(data: bytes, dpi: int = 150) -> list[str]:
    found: list[str] = []
    for page in pymupdf.open(stream=data):
        pix = page.get_pixmap(dpi=dpi)
        img = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
        found += [r.text for r in zxingcpp.read_barcodes(img) if r.format == zxingcpp.QRCode]
    return found


COMBOS = [
    (t, s, p, size)
    for t in TEMPLATES
    for s in _strategies()
    for p in (True, False)
    for size in ("letter", "a4")
]


@pytest.mark.parametrize(("template", "strategy", "personal", "size"), COMBOS)
def test_at_most_three_pages(
    template: str, strategy: str | None, personal: bool, size: str
) -> None:
    # seed 002's reference handout is two pages; three-level red flags and fuller self-care
    # (issue #15) take part of a third
    doc = pymupdf.open(stream=pdf(template, strategy, personal, size))
    assert doc.page_count <= 3


@pytest.mark.parametrize(("template", "strategy", "personal", "size"), COMBOS)
def test_every_qr_code_decodes_to_its_url(
    template: str, strategy: str | None, personal: bool, size: str
) -> None:
    h = handout(template, strategy, personal)
    expected = [h.video_url, *(i.video_url for i in h.items)]
    assert all(expected), "the example clinic gives every exercise a video"
    assert sorted(decode_qr(pdf(template, strategy, personal, size))) == sorted(expected)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("strategy", _strategies())
def test_names_and_doses_in_strategy_order(template: str, strategy: str | None) -> None:
    h = handout(template, strategy, True)
    text = text_of(pdf(template, strategy, True))
    pos = 0
    for item in h.items:
        name = item_texts(item, h.language)[0]
        at = text.find(name, pos)
        assert at >= 0, f"{name!r} missing or out of order"
        dose = card_dose_text(item, h.regimen, h.language)
        dose_at = text.find(dose, at)
        assert dose_at > at, f"dose {dose!r} of {name!r} not on its card"
        pos = at + len(name)
    assert regimen_text(h.regimen, h.language) in text


def test_group_titles_and_intros_printed() -> None:
    h = handout("back-spasm-acute", None, False)
    text = text_of(pdf("back-spasm-acute", None, False))
    for group in h.groups:
        for words in (group.title, group.intro):
            if words:
                assert " ".join(words.split()) in text


@pytest.mark.parametrize(
    "name", ["Zoë Łukasiewicz", "Дмитрий Шостакович", "Αλέξανδρος Παπαδόπουλος", "François Ñúñez"]
)
def test_unicode_names_survive_text_extraction(name: str) -> None:
    h = handout("back-spasm-prevention", "as-written", True)
    patient = msgspec.structs.replace(PATIENT, name=name, therapist="Ирина Σοφία")
    data = render_pdf(msgspec.structs.replace(h, patient=patient), RenderOptions())
    text = text_of(data)
    assert name in text
    assert "Ирина Σοφία" in text
    assert "\ufffd" not in text


def test_same_inputs_give_identical_bytes() -> None:
    h = handout("back-spasm-acute", "as-written", True)
    first = render_pdf(h, RenderOptions())
    render_pdf(handout("back-spasm-prevention", "as-written", False), RenderOptions(page_size="a4"))
    assert render_pdf(h, RenderOptions()) == first


def test_patient_name_absent_from_metadata_and_id() -> None:
    with_patient = pdf("back-spasm-acute", "as-written", True)
    without = pdf("back-spasm-acute", "as-written", False)
    doc = pymupdf.open(stream=with_patient)
    meta = " ".join(str(v) for v in doc.metadata.values())
    assert "Łukasiewicz" not in meta and "Zo" not in meta
    assert doc.metadata["title"] == "Stretches for an Acute Back Spasm"
    assert doc.metadata["author"] == "Example Physical Therapy Clinic"
    assert doc.metadata["subject"]
    assert "Łukasiewicz" not in (doc.get_xml_metadata() or "")
    trailer = doc.pdf_trailer()
    ids = re.findall(r"/ID\s*\[.*?\]", trailer, re.S)
    assert ids and ids == re.findall(
        r"/ID\s*\[.*?\]", pymupdf.open(stream=without).pdf_trailer(), re.S
    )
    assert doc.pdf_catalog() and "/Lang" in doc.xref_object(doc.pdf_catalog())


def test_personal_handout_prints_patient_block_and_footer() -> None:
    text = text_of(pdf("back-spasm-acute", "as-written", True))
    assert "Zoë Łukasiewicz" in text
    assert "Prepared for Zoë Łukasiewicz on January 1, 2026" in text
    assert "Page 1 of 3" in text and "Page 3 of 3" in text
    plain = text_of(pdf("back-spasm-acute", "as-written", False))
    assert "Prepared for" not in plain and "Patient:" not in plain


def test_qr_codes_are_vectors_of_printable_size() -> None:
    doc = pymupdf.open(stream=pdf("back-spasm-prevention", "as-written", False))
    sizes = []
    for page in doc:
        assert not page.get_images(), "QR codes must be vector paths, not images"
        for path in page.get_drawings():
            if len(path["items"]) > 150 and path.get("fill") == (0.0, 0.0, 0.0):
                r = path["rect"]
                assert abs(r.width - r.height) < 2.0
                sizes.append(r.width)
    assert len(sizes) == 8  # the routine's code and seven exercises
    assert max(sizes) >= 25 * MM - 1.0
    assert min(sizes) >= 18 * MM - 1.0


def test_body_text_is_at_least_11_points() -> None:
    h = handout("back-spasm-acute", "as-written", False)
    steps = {s for item in h.items for s in item_texts(item, h.language)[2]}
    doc = pymupdf.open(stream=pdf("back-spasm-acute", "as-written", False))
    checked = 0
    for page in doc:
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    words = span["text"].strip()
                    if len(words) > 12 and any(words in s for s in steps):
                        assert span["size"] >= 11.0 - 1e-6
                        checked += 1
    assert checked > 10


def test_red_flag_panel_is_on_one_page() -> None:
    h = handout("back-spasm-acute", "as-written", True)
    doc = pymupdf.open(stream=pdf("back-spasm-acute", "as-written", True))
    pages = [" ".join(p.get_text().split()) for p in doc]
    holder = [i for i, t in enumerate(pages) if "Call your clinician today" in t]
    assert len(holder) == 1
    for flag in h.red_flags:
        if flag.level == "call":
            assert flag.text in pages[holder[0]]
