"""The fitting loop keeps every illustration; the footer stays inside the margins.

Both templates fit three pages on Letter and A4, with and without a patient (seed 002's
reference handout is two; the red flags in three levels, the added self-care and the
prevention strategy's hip and core work take the rest), and never by dropping the
drawings (the loop's last resort). Large print wraps its footer.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import msgspec
import pymupdf
import pytest

from routinekit import api
from routinekit.contracts import RenderOptions
from routinekit.i18n import translator
from routinekit.model import Handout, Patient
from routinekit.plugins.host import PluginHost
from routinekit.render.content import group_cautions
from routinekit.render.pdf import render_pdf
from routinekit.render.pdf.cards import Card
from routinekit.render.pdf.document import layout
from routinekit.render.pdf.styles import PAGE_SIZES, style_for
from tests.conftest import EXAMPLES

DATE = dt.date(2026, 1, 1)
TEMPLATES = ("back-spasm-acute", "back-spasm-prevention")
PAGES = {"back-spasm-acute": 3, "back-spasm-prevention": 3}
#: The example patient's long note makes the patient block as tall as it gets.
PATIENT = Patient(
    name="Zoë Łukasiewicz",
    date=DATE,
    therapist="Dr. Sam Rivera, PT",
    notes="Start gently. Walk for 5 minutes after each session. Call us if the pain "
    "spreads to your leg.",
)


@functools.cache
def handout(template: str, personal: bool, language: str = "en") -> Handout:
    overrides = api.BuildOptions(language=language) if language != "en" else None
    return api.build_handout(
        template,
        clinic=EXAMPLES / "clinic.yaml",
        patient=PATIENT if personal else None,
        options=overrides,
        date=DATE,
        host=PluginHost(entry_points=False),
    ).handout


@pytest.mark.parametrize("size", ["letter", "a4"])
@pytest.mark.parametrize("personal", [True, False], ids=["patient", "no-patient"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_fits_its_pages_with_every_drawing(template: str, personal: bool, size: str) -> None:
    h = handout(template, personal)
    options = RenderOptions(page_size=size)
    _style, pages, _footer = layout(h, options, translator(h.language))
    cards = [block for page in pages for block, _top, _h in page if isinstance(block, Card)]
    assert len(cards) == len(h.items)
    missing = [c.item.exercise.id for c in cards if c.picture is None or c.picture.drawing is None]
    assert missing == [], f"cards drawn without their illustration: {missing}"
    doc = pymupdf.open(stream=render_pdf(h, options))
    assert doc.page_count <= PAGES[template]
    # the drawings really are in the file: each card adds vector paths beyond its QR code
    paths = sum(len(page.get_drawings()) for page in doc)
    assert paths > 10 * len(cards)


def test_pictures_are_readable_size() -> None:
    assert style_for(False).picture_mm >= 32
    assert style_for(True).picture_mm >= style_for(False).picture_mm


@pytest.mark.parametrize("language", ["en", "es"])
def test_large_print_text_stays_inside_the_margins(language: str) -> None:
    h = handout("back-spasm-acute", True, language)
    style = style_for(True)
    page_w, page_h = PAGE_SIZES["letter"]
    doc = pymupdf.open(stream=render_pdf(h, RenderOptions(large_print=True)))
    footer_seen = False
    for page in doc:
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", ()):
                for span in line["spans"]:
                    if not span["text"].strip():
                        continue
                    x0, y0, x1, y1 = span["bbox"]
                    where = f"page {page.number + 1}: {span['text']!r}"
                    assert x0 >= style.margin_x - 1.0, where
                    assert x1 <= page_w - style.margin_x + 1.0, where
                    assert y0 >= 0 and y1 <= page_h, where
                    footer_seen |= "Łukasiewicz" in span["text"] and y0 > page_h * 0.9
    assert footer_seen, "the footer names the patient"


def test_a_caution_shared_by_neighbouring_cards_is_printed_once() -> None:
    full = handout("back-spasm-acute", False)
    # the two bend-and-twist stretches next to each other, in one group
    twists = [i for i in full.items if i.exercise.flexion_with_rotation]
    group = msgspec.structs.replace(full.groups[0], items=tuple(twists))
    h = msgspec.structs.replace(full, groups=(group,))
    twist = "Some experts say bending and twisting at the same time can make a spasm worse."
    holders = [i.number for i in h.items if any(twist in c for c in i.exercise.cautions)]
    assert len(holders) >= 2
    text = " ".join(
        " ".join(p.get_text().split()) for p in pymupdf.open(stream=render_pdf(h, RenderOptions()))
    )
    assert text.count(twist) == 1
    numbers = " and ".join(str(n) for n in holders) if len(holders) == 2 else None
    if numbers:
        assert f"With exercises {numbers}: {twist}" in text
    # what is left of each caution stays on its own card
    assert "Go gently." in text and "Wait until the easier stretches feel fine." in text


def test_cautions_far_apart_stay_on_their_cards() -> None:
    h = handout("back-spasm-acute", False)
    for group in h.groups:
        plan = group_cautions(h, group)
        order = [i.number for i in group.items]
        for numbers, _sentence in plan.shared:
            at = sorted(order.index(n) for n in numbers)
            assert at == list(range(at[0], at[0] + len(at)))


def test_same_position_alternative_is_not_labelled_with_it() -> None:
    h = handout("back-spasm-acute", False)
    text = " ".join(
        " ".join(p.get_text().split()) for p in pymupdf.open(stream=render_pdf(h, RenderOptions()))
    )
    # knees to chest is done lying on the back, and so is its easier version
    assert "Another way (lying on your back)" not in text
    assert re.search(r"Another way: If both knees are too much", text)
    assert "Another way (sitting in a chair):" in text
