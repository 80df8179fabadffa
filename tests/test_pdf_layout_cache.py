"""What the PDF layout keeps between handouts (issue 20: rows that differ in doses and
exclusions): the laid-out name, objective and steps of each card (``cards._HEADS``), the
fitting styles and the routine link's lines under its QR code.

Kept or made afresh, the handout is the same byte for byte; nothing of a patient enters
what is kept, and it stays bounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from routinekit import api
from routinekit.batch.cells import parse_dose
from routinekit.contracts import RenderOptions
from routinekit.model import Handout, Patient
from routinekit.plugins.host import PluginHost
from routinekit.render.pdf import cards, render_pdf, reuse
from routinekit.request import BuildOptions
from tests.conftest import EXAMPLES
from tests.test_pdf_reuse import CANARY, canary

EXCLUDE = [(), ("prone",), ("rotation",), ("floor",), ("cat-cow",)]
DOSED = ["knees-to-chest", "supine-spinal-rotation", "cat-cow", "prone-on-elbows"]


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    cards._HEADS.clear()
    reuse.FORMS.clear()
    yield
    cards._HEADS.clear()
    reuse.FORMS.clear()


def varied(host: PluginHost, i: int, language: str | None = None) -> Handout:
    """Row ``i`` of a list whose rows all differ in exclusions and doses."""
    doses = {
        ex: parse_dose(f"hold {10 + (i * (k + 3)) % 50}; reps {2 + (i + k) % 4}")
        for k, ex in enumerate(DOSED)
    }
    patient = Patient(
        name=f"Example Person{i}",
        date=dt.date(2026, 2, 1) + dt.timedelta(days=i),
        exclude=EXCLUDE[i % len(EXCLUDE)],
        doses=doses,
    )
    routine = api.load_routine("back-spasm-acute", host=host)
    clinic = api.load_clinic(EXAMPLES / "clinic.yaml")
    return api.build_handout(
        routine,
        patient=patient,
        clinic=clinic,
        host=host,
        options=BuildOptions(language=language),
    ).handout


OPTIONS = [RenderOptions(), RenderOptions(large_print=True), RenderOptions(page_size="a4")]


@pytest.mark.parametrize("options", OPTIONS, ids=["letter", "large", "a4"])
def test_kept_heads_give_the_same_bytes(host: PluginHost, options: RenderOptions) -> None:
    hs = [varied(host, i) for i in range(6)] + [varied(host, 7, language="es")]
    kept = [render_pdf(h, options) for h in hs]
    assert len(cards._HEADS) > 5
    hits_before = len(cards._HEADS)
    again = [render_pdf(h, options) for h in hs]  # every head found
    assert len(cards._HEADS) == hits_before
    assert again == kept
    for h, data in zip(hs, kept, strict=True):
        cards._HEADS.clear()
        reuse.FORMS.clear()
        assert render_pdf(h, options) == data, "a kept head changed the handout"


def test_a_card_measures_the_same_kept_or_fresh(host: PluginHost) -> None:
    from routinekit.render.pdf import document

    h = varied(host, 3)
    _style, pages, _footer = document.layout(h, RenderOptions(), lambda s: s)
    blocks = [b for page in pages for b, _top, _height in page if isinstance(b, cards.Card)]
    assert blocks
    for card in blocks:
        width = 500.0
        first = (card.measure(width), [(p.y, p.lines, p.runs) for p in card._pieces])
        cards._HEADS.clear()
        fresh = (card.measure(width), [(p.y, p.lines, p.runs) for p in card._pieces])
        assert first == fresh
        assert card.measure(width) == first[0]


def _walk(obj: Any, out: list[str]) -> None:
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, tuple | list):
        for v in obj:
            _walk(v, out)
    elif isinstance(obj, cards._Piece):
        _walk(obj.lines, out)
        _walk(obj.runs, out)
        _walk(obj.label, out)
    elif hasattr(obj, "text"):  # a Run
        out.append(obj.text)


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large-print"])
def test_no_patient_detail_in_the_kept_heads(host: PluginHost, large_print: bool) -> None:
    options = RenderOptions(large_print=large_print)
    routine = api.load_routine("back-spasm-acute", host=host)
    clinic = api.load_clinic(EXAMPLES / "clinic.yaml")
    for language in ("en", "es"):
        h = api.build_handout(
            routine,
            patient=canary(),
            clinic=clinic,
            host=host,
            options=BuildOptions(language=language),
        ).handout
        render_pdf(h, options)
    out: list[str] = []
    for key, head in cards._HEADS.items():
        _walk(key, out)
        _walk(head, out)
    text = "\n".join(out).lower()
    assert "knees" in text and "objective" in text  # the walk reaches the cards' words
    for word in CANARY:
        assert word.lower() not in text, f"{word!r} is in a kept card head"


def test_the_kept_heads_are_bounded(host: PluginHost, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cards, "HEAD_CACHE_SIZE", 6)
    for i in range(3):
        render_pdf(varied(host, i), RenderOptions())
        assert len(cards._HEADS) <= 6
    assert len(cards._HEADS) == 6
