"""Blocks shared by patients are drawn once and placed as Form XObjects (render/pdf/reuse).

The stored path and the fresh path give the same PDF byte for byte (so the same text and
the same pixels at 150 dpi), the output does not depend on what the process rendered
before, and nothing of a patient ever enters the store: neither its keys nor its streams.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

from routinekit import api
from routinekit.contracts import RenderOptions
from routinekit.model import Handout, Patient
from routinekit.plugins.host import PluginHost
from routinekit.render.content import item_texts
from routinekit.render.pdf import render_pdf, reuse
from routinekit.request import BuildOptions
from tests.conftest import EXAMPLES

NAME = "Quillon Vexborough-Astaire"
NOTES = "Rides the Halberstadt ferry on Thursdays"
EXERCISE_NOTE = "Mind the Zanzibarian tortoise under the sofa"
THERAPIST = "Dr Oswin Pellegrino-Farquhar"
CANARY = (
    "Quillon",
    "Vexborough",
    "Astaire",
    "Halberstadt",
    "ferry on Thursdays",
    "Zanzibarian",
    "tortoise",
    "Pellegrino",
    "Farquhar",
)


@pytest.fixture(autouse=True)
def _fresh_store() -> Iterator[None]:
    reuse.set_enabled(True)
    reuse.FORMS.clear()
    yield
    reuse.set_enabled(True)
    reuse.FORMS.clear()


def handout(
    host: PluginHost,
    patient: Patient,
    template: str = "back-spasm-acute",
    language: str | None = None,
) -> Handout:
    routine = api.load_routine(template, host=host)
    clinic = api.load_clinic(EXAMPLES / "clinic.yaml")
    options = BuildOptions(language=language)
    return api.build_handout(
        routine, patient=patient, clinic=clinic, strategy="as-written", host=host, options=options
    ).handout


def canary() -> Patient:
    return Patient(
        name=NAME,
        notes=NOTES,
        therapist=THERAPIST,
        date=dt.date(2026, 1, 5),
        exercise_notes={"knees-to-chest": EXERCISE_NOTE},
    )


def people(n: int) -> list[Patient]:
    first = ["Zoë", "Дмитрий", "Ελένη", "Liam", "Łucja", "Søren"]
    return [
        Patient(name=f"{first[i % len(first)]} Example{i}", date=dt.date(2026, 2, 1 + i))
        for i in range(n)
    ]


def fresh(h: Handout, options: RenderOptions) -> bytes:
    reuse.set_enabled(False)
    try:
        return render_pdf(h, options)
    finally:
        reuse.set_enabled(True)


def pages(data: bytes) -> list[tuple[str, bytes]]:
    import pymupdf

    doc = pymupdf.open(stream=data, filetype="pdf")
    return [(p.get_text(), p.get_pixmap(dpi=150).samples) for p in doc]


OPTIONS = [
    RenderOptions(),
    RenderOptions(page_size="a4"),
    RenderOptions(large_print=True),
    RenderOptions(exercise_qr=False, show_reasons=True),
]


@pytest.mark.parametrize("options", OPTIONS, ids=["letter", "a4", "large", "no-qr-reasons"])
def test_stored_and_fresh_blocks_give_the_same_pages(
    host: PluginHost, options: RenderOptions
) -> None:
    long_name = Patient(
        name="Maximiliana Wilhelmina Theodora " * 4 + "Example", date=dt.date(2026, 3, 1)
    )
    hs = [handout(host, p) for p in [*people(3), long_name, *people(2)]]
    hs.append(handout(host, canary()))
    # the first fills the store, the rest reuse (the long name's header is taller)
    stored = [render_pdf(h, options) for h in hs]
    assert reuse.FORMS.hits > 0
    for h, data in zip(hs, stored, strict=True):
        assert data == fresh(h, options)
        assert render_pdf(h, options) == data  # deterministic
    # the same text and the same pixels at 150 dpi (implied by the bytes; checked as pages)
    assert pages(stored[-1]) == pages(fresh(hs[-1], options))


def test_output_does_not_depend_on_what_was_rendered_before(host: PluginHost) -> None:
    a, b = (handout(host, p) for p in people(2))
    es = handout(host, people(3)[2], language="es")
    render_pdf(a, RenderOptions())
    render_pdf(es, RenderOptions())
    warm = render_pdf(b, RenderOptions())
    reuse.FORMS.clear()
    assert render_pdf(b, RenderOptions()) == warm


def test_spanish_and_prevention_handouts_reuse_too(host: PluginHost) -> None:
    for template in ("back-spasm-acute", "back-spasm-prevention"):
        for language in ("en", "es"):
            hs = [handout(host, p, template, language=language) for p in people(2)]
            first = render_pdf(hs[0], RenderOptions())
            before = reuse.FORMS.hits
            second = render_pdf(hs[1], RenderOptions())
            assert reuse.FORMS.hits > before, f"{template}/{language}: nothing reused"
            assert first != second
            assert second == fresh(hs[1], RenderOptions())


def test_a_second_patient_adds_nothing_to_the_store(host: PluginHost) -> None:
    hs = [handout(host, p) for p in people(6)]
    render_pdf(hs[0], RenderOptions())
    size = len(reuse.FORMS)
    misses = reuse.FORMS.misses
    for h in hs[1:]:
        render_pdf(h, RenderOptions())
    assert len(reuse.FORMS) == size > 10
    assert reuse.FORMS.misses == misses


def _stored_text() -> str:
    """Every string in the store: keys (the recorded calls), characters, streams unpacked."""
    out: list[str] = []

    def walk(obj: Any) -> None:
        if isinstance(obj, str):
            out.append(obj)
        elif isinstance(obj, bytes):
            out.append(obj.decode("latin-1"))
        elif isinstance(obj, tuple | list):
            for v in obj:
                walk(v)
        elif isinstance(obj, dict):
            for k, v in obj.items():
                walk(k)
                walk(v)
        elif hasattr(obj, "pdf_ops"):  # a QR code: its URL
            out.append(obj.url)
        elif hasattr(obj, "ops"):  # a picture's operators
            out.append(obj.ops)

    for key, entry in reuse.FORMS.items():
        walk(key)
        walk(entry.ops)
        walk(entry.chars)
        for sig, (_serial, stream) in entry.streams.items():
            walk(sig)
            out.append(stream.decode("latin-1"))
    for key, _fit in reuse.FITS.items():
        walk(key)
    for key, data in reuse.FORMS.runs.items():
        walk(key)
        out.append(zlib.decompress(data).decode("latin-1"))
    assert reuse.FORMS.runs.items(), "the runs of blocks are stored too"
    for serial, segment in reuse.FORMS.segments.items():
        walk(serial)
        out.append(zlib.decompressobj(-15).decompress(segment).decode("latin-1"))
    assert reuse.FORMS.segments.items(), "and the blocks compressed on their own"
    for key, (before, after) in reuse.FORMS.written.items():  # the runs' objects written out
        walk(key)
        out.append(before.decode("latin-1"))
        head, _, data = after.partition(b"stream\n")
        out.append(head.decode("latin-1"))
        out.append(zlib.decompress(data[: -len(b"endstream\n")]).decode("latin-1"))
    assert reuse.FORMS.written.items(), "and their Form XObjects, written out"
    from routinekit.render.pdf import header

    for key, (_style, fixed) in header._FIXED.items():  # the header above the patient block
        walk(key)
        walk(fixed)
    assert header._FIXED, "the headers' fixed parts are kept too"
    return "\n".join(out)


@pytest.mark.parametrize("large_print", [False, True], ids=["regular", "large-print"])
def test_nothing_of_the_patient_enters_the_store(host: PluginHost, large_print: bool) -> None:
    options = RenderOptions(large_print=large_print)
    for language in ("en", "es"):
        h = handout(host, canary(), language=language)
        data = render_pdf(h, options)
        assert b"Quillon" not in data  # the page streams are compressed: see the text
        text = "\n".join(t for t, _pix in pages(data))
        assert "Quillon" in text and "Zanzibarian" in text  # printed on the handout
    stored = _stored_text().lower()
    assert "cat-cow" in stored or "knees to chest" in stored  # the walk sees the cards
    assert len(reuse.FORMS) > 10
    for word in CANARY:
        assert word.lower() not in stored, f"{word!r} entered the store"


def test_a_name_that_is_also_a_word_only_stops_reuse(host: PluginHost) -> None:
    """A patient called 'Hold Knees' shares words with the cards: those are drawn directly."""
    h = handout(host, Patient(name="Hold Knees", date=dt.date(2026, 1, 5)))
    data = render_pdf(h, RenderOptions())
    assert data == fresh(h, RenderOptions())
    stored = _stored_text()
    assert "Hold" not in stored and "Knees" not in stored


def test_the_store_is_bounded(host: PluginHost, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reuse.FORMS, "maxsize", 8)
    for p in people(2):
        render_pdf(handout(host, p), RenderOptions())
        render_pdf(handout(host, p), RenderOptions(large_print=True))
    assert len(reuse.FORMS) <= 8
    monkeypatch.setattr(reuse.FORMS.runs, "maxsize", 2)
    for p in people(3):
        render_pdf(handout(host, p), RenderOptions(page_size="a4"))
    assert len(reuse.FORMS.runs) <= 2
    monkeypatch.setattr(reuse.FORMS.segments, "maxsize", 5)
    for p in people(2):
        render_pdf(handout(host, p, template="back-spasm-prevention"), RenderOptions())
    assert len(reuse.FORMS.segments) <= 5
    assert reuse.FORMS_MAX <= 1024 and reuse.VARIANTS_MAX <= 8


def test_arabic_pages_are_the_same_stored_or_fresh(host: PluginHost) -> None:
    h = handout(host, people(1)[0], language="ar")
    data = render_pdf(h, RenderOptions())
    assert data == fresh(h, RenderOptions())
    assert render_pdf(h, RenderOptions()) == data


def test_a_right_to_left_block_stored_on_one_page_size_is_not_placed_on_another(
    host: PluginHost,
) -> None:
    """A right-to-left page mirrors its blocks by the page's width: a block stored from a
    Letter page would land elsewhere on an A4 page (large print: the same blocks in both)."""
    h = handout(host, people(1)[0], language="ar")
    letter, a4 = RenderOptions(large_print=True), RenderOptions(large_print=True, page_size="a4")
    render_pdf(h, letter)
    assert render_pdf(h, a4) == fresh(h, a4)


def test_a_new_process_finds_the_fit_an_earlier_one_chose(
    host: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fit choice is kept on disk (numbers only), so a cold build paginates once."""
    from routinekit.render import disk_cache
    from routinekit.render.pdf import document

    h = handout(host, people(1)[0])
    first = render_pdf(h, RenderOptions())
    stored = list((disk_cache.cache_dir() / reuse.FIT_AREA).iterdir())  # type: ignore[operator]
    assert len(stored) == 1
    for word in ("Zo", "Example0", "back", "Knees"):  # heights and fit numbers, no words
        assert word.encode() not in stored[0].read_bytes()
    calls: list[int] = []
    real = document.paginate_within

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(document, "paginate_within", counting)
    reuse.FITS.clear()  # a new process: nothing in memory
    reuse.FORMS.clear()
    assert render_pdf(h, RenderOptions()) == first
    assert len(calls) == 1  # only the chosen fit was laid out
    assert render_pdf(h, RenderOptions()) == first
    assert len(calls) == 1  # and then its pages were remembered: no layout at all
    # other layout code (or fonts, or wording) never uses that choice
    calls.clear()
    reuse.FITS.clear()
    monkeypatch.setattr(reuse, "layout_version", lambda: b"another version")
    assert render_pdf(h, RenderOptions()) == first
    assert len(calls) > 1


def test_a_new_dose_stores_only_the_rest_of_its_card(host: PluginHost) -> None:
    """A card is stored in two parts: the exercise's name, steps and pictures, then the dose
    and what follows. A patient with another dose reuses the first part as it is."""
    from routinekit.model import Dose, Range

    def patient(seconds: int) -> Patient:
        return Patient(
            name="Ann Lindqvist",
            date=dt.date(2026, 1, 5),
            doses={"prone-on-elbows": Dose(hold=Range(seconds, seconds + 10))},
        )

    first, second = handout(host, patient(20)), handout(host, patient(41))
    render_pdf(first, RenderOptions())
    before = {key for key, _ in reuse.FORMS.items()}
    data = render_pdf(second, RenderOptions())
    new = [entry for key, entry in reuse.FORMS.items() if key not in before]
    assert new, "the other dose is printed"
    texts = [
        "".join(
            t for _name, args in e.ops if _name == "lines" for line in args[0] for *_, t in line
        )
        for e in new
    ]
    assert any("41" in t for t in texts), f"the card's dose is a new part: {texts}"
    card = next(it for it in second.items if it.exercise.id == "prone-on-elbows")
    name, _objective, steps, *_ = item_texts(card, "en")
    for text in texts:  # the time summary changes too; the card's own words do not
        assert name not in text and not any(step[:40] in text for step in steps), text
    assert data == fresh(second, RenderOptions())
    assert pages(data) == pages(fresh(second, RenderOptions()))


def test_a_fit_taken_at_the_first_try_is_not_kept_on_disk() -> None:
    """A later process would lay out just the loosest fit anyway: no file for that choice."""
    from routinekit.render import disk_cache

    folder = disk_cache.cache_dir() / reuse.FIT_AREA  # type: ignore[operator]
    first = reuse.LayoutKey(b"\x01" * 32, lambda i: (100.0 + i, 50.0))
    first.remember([0], 0)
    assert first.find() is not None, "remembered in memory all the same"
    assert not folder.exists() or not list(folder.iterdir())
    searched = reuse.LayoutKey(b"\x02" * 32, lambda i: (100.0 + i, 50.0))
    searched.remember([0, 5, 1], 1)
    assert len(list(folder.iterdir())) == 1


def test_one_process_writes_a_bounded_number_of_fit_choices(
    host: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch whose rows all differ does not write a file a row: past its budget, a process
    keeps its fit choices in memory (and still uses them)."""
    from routinekit.model import Dose, Range
    from routinekit.render import disk_cache

    monkeypatch.setattr(reuse, "STORE_PER_PROCESS", 2)
    monkeypatch.setattr(reuse, "_stored", {})
    hs = [
        handout(
            host,
            Patient(
                name="Ann Lindqvist",
                date=dt.date(2026, 1, 5),
                doses={"prone-on-elbows": Dose(hold=Range(10 + i, 20 + i))},
            ),
        )
        for i in range(4)
    ]
    first = [render_pdf(h, RenderOptions()) for h in hs]
    folder = disk_cache.cache_dir() / reuse.FIT_AREA  # type: ignore[operator]
    assert len(list(folder.iterdir())) == 2
    assert [render_pdf(h, RenderOptions()) for h in hs] == first


@pytest.mark.parametrize("language", ["en", "es"])
def test_rows_that_all_differ_give_the_same_pages_stored_or_fresh(
    host: PluginHost, language: str
) -> None:
    """Other exclusions and doses change which characters the shared blocks print (other
    digits, another letter): stored blocks keep their codes only where that cannot matter."""
    from routinekit.model import Dose, Range

    excludes = [(), ("prone",), ("rotation",), ("floor",), ("kneeling",), ()]
    hs = []
    for i, exclude in enumerate(excludes):
        doses = {
            "knees-to-chest": Dose(hold=Range(10 + 7 * i, 20 + 7 * i)),
            "cat-cow": Dose(reps=Range(2 + i, 4 + i)),
        }
        patient = Patient(
            name="Ann Lindqvist", date=dt.date(2026, 1, 5), exclude=exclude, doses=doses
        )
        hs.append(handout(host, patient, language=language))
    stored = [render_pdf(h, RenderOptions()) for h in hs]
    assert reuse.FORMS.hits > 0
    for h, data in zip(hs, stored, strict=True):
        assert data == fresh(h, RenderOptions())
    assert pages(stored[-2]) == pages(fresh(hs[-2], RenderOptions()))


@pytest.mark.parametrize("size", [(612.0, 792.0), (595.2756, 841.8898), (500.5, 700.25)])
def test_a_form_is_written_as_reportlab_writes_it(size: tuple[float, float]) -> None:
    import os

    from routinekit.render.pdf.fonts import import_reportlab

    import_reportlab()
    assert reuse._form_template(*size) is not None
    for n in (0, 1, 9, 10, 99, 100, 1000, 54321):
        data = os.urandom(n)
        assert reuse._form_parts(data, *size) == reuse._formatted_form_parts(data, *size)
