"""Pages that read well, measured from the printed PDF (issue #15, typesetting).

Both templates, Letter and A4, English and Spanish, standard and large print, with and
without a patient who cannot lie on their stomach (``exclude: [prone]``): 32 handouts.
For each one, from the PDF's own text and drawings (PyMuPDF):

- no page but the last is more than 60% empty (the space between the lowest thing
  printed and the footer, over the text column's height);
- no heading (a section heading, a group title, an exercise's name: bold text larger
  than the body) is the last thing on a page;
- no printed link is broken inside a word: a link split over lines breaks after a "/";
- large print takes at most twice the pages of standard print.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import pymupdf
import pytest

from routinekit import api
from routinekit.contracts import RenderOptions
from routinekit.model import Handout, Patient
from routinekit.plugins.host import PluginHost
from routinekit.render.content import item_texts
from routinekit.render.pdf import render_pdf
from routinekit.render.pdf.fonts import REGULAR
from routinekit.render.pdf.styles import style_for
from routinekit.render.pdf.textflow import Run, fixed, link_text, wrap, wrap_at
from routinekit.render.qr import short_url
from tests.conftest import EXAMPLES

DATE = dt.date(2026, 1, 1)
TEMPLATES = ("back-spasm-acute", "back-spasm-prevention")
#: The example patient, with the long note that makes the patient block as tall as it gets.
PATIENT = Patient(
    name="Zoë Łukasiewicz",
    date=DATE,
    therapist="Dr. Sam Rivera, PT",
    notes="Start gently. Walk for 5 minutes after each session. Call us if the pain "
    "spreads to your leg.",
)
MAX_EMPTY = 0.60
#: "Page 1 of 3" in every language the handouts are printed in here.
PAGE_NUMBER = re.compile(r"^(Page|Página) \d+ (of|de) \d+$")


@functools.cache
def handout(template: str, language: str, no_prone: bool) -> Handout:
    options = api.BuildOptions(language=language, exclude=("prone",) if no_prone else ())
    return api.build_handout(
        template,
        clinic=EXAMPLES / "clinic.yaml",
        patient=PATIENT,
        options=options,
        date=DATE,
        host=PluginHost(entry_points=False),
    ).handout


@functools.cache
def pdf(template: str, size: str, language: str, large: bool, no_prone: bool) -> bytes:
    h = handout(template, language, no_prone)
    return render_pdf(h, RenderOptions(page_size=size, large_print=large))


@dataclass(frozen=True)
class TextLine:
    text: str
    top: float
    bottom: float
    heading: bool


@dataclass(frozen=True)
class PageView:
    number: int
    lines: list[TextLine]
    """The text column's lines (the footer left out), top to bottom."""
    printed: list[TextLine]
    """Every line in the order it was printed (a link's lines follow each other)."""
    content_bottom: float
    """The lowest y (from the top) of any text or drawing above the footer."""
    column_top: float
    column_bottom: float
    """Where the text column may end: just above the footer."""

    @property
    def empty(self) -> float:
        height = self.column_bottom - self.column_top
        return max(0.0, self.column_bottom - self.content_bottom) / height


def pages_of(data: bytes, large: bool) -> list[PageView]:
    style = style_for(large)
    views = []
    for page in pymupdf.open(stream=data):
        raw: list[TextLine] = []
        footer_top = page.rect.height
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", ()):
                spans = [s for s in line["spans"] if s["text"].strip()]
                if not spans:
                    continue
                text = "".join(s["text"] for s in line["spans"]).strip()
                top = min(s["bbox"][1] for s in spans)
                bottom = max(s["bbox"][3] for s in spans)
                if PAGE_NUMBER.match(text) or PAGE_NUMBER.search(text):
                    footer_top = min(footer_top, top)
                # bold and bigger than the body: a heading, a group title or a card's name
                heading = all(
                    s["flags"] & pymupdf.TEXT_FONT_BOLD and s["size"] > style.body + 0.25
                    for s in spans
                )
                raw.append(TextLine(text, top, bottom, heading))
        assert footer_top < page.rect.height, f"page {page.number + 1} has no page number"
        # the footer's rule sits a little above its first line
        limit = footer_top - style.small_leading
        lines = sorted((t for t in raw if t.bottom <= limit), key=lambda t: (t.top, t.text))
        bottoms = [t.bottom for t in lines]
        for d in page.get_drawings():
            r = d["rect"]
            if r.y1 <= limit:
                bottoms.append(r.y1)
        for info in page.get_image_info():
            y1 = info["bbox"][3]
            if y1 <= limit:
                bottoms.append(y1)
        views.append(
            PageView(
                page.number + 1,
                lines,
                raw,
                max(bottoms, default=style.margin_top),
                style.margin_top,
                # the column ends 8 pt above the footer's rule (Footer.content_bottom)
                limit - 8.0,
            )
        )
    return views


def links_of(h: Handout) -> list[str]:
    urls = [h.video_url, *(item.video_url for item in h.items)]
    return [short_url(u) for u in urls if u]


#: Where a printed link may break: after a "/" (or a "," in a list of ids), never in a word.
LINK_BREAKS = "/,"


def broken_links(lines: list[str], links: list[str]) -> list[str]:
    """The places a link printed over several lines breaks other than after a "/" or ","."""
    bad: list[str] = []
    for k, text in enumerate(lines):
        for link in links:
            if link in text:
                continue
            # the line ends with the link's beginning: follow it over the next lines
            starts = [n for n in range(4, len(link)) if text.endswith(link[:n])]
            if not starts:
                continue
            done = starts[-1]
            cuts = []
            for following in lines[k + 1 :]:
                rest = link[done:]
                if rest.startswith(following):
                    cuts.append(done)
                    done += len(following)
                    if done == len(link):
                        break
                elif following.startswith(rest):
                    cuts.append(done)
                    break
                else:
                    cuts = []  # not this link
                    break
            bad += [f"{link[:c]!r} / {link[c:]!r}" for c in cuts if link[c - 1] not in LINK_BREAKS]
    return bad


COMBOS = [
    pytest.param(t, size, lang, large, no_prone, id=f"{t}-{size}-{lang}-{which}-{who}")
    for t in TEMPLATES
    for size in ("letter", "a4")
    for lang in ("en", "es")
    for large, which in ((False, "standard"), (True, "large"))
    for no_prone, who in ((False, "any"), (True, "no-prone"))
]


@pytest.mark.parametrize(("template", "size", "language", "large", "no_prone"), COMBOS)
def test_no_page_but_the_last_is_mostly_empty(
    template: str, size: str, language: str, large: bool, no_prone: bool
) -> None:
    pages = pages_of(pdf(template, size, language, large, no_prone), large)
    empty = {p.number: f"{p.empty:.0%}" for p in pages[:-1] if p.empty > MAX_EMPTY}
    assert empty == {}


@pytest.mark.parametrize(("template", "size", "language", "large", "no_prone"), COMBOS)
def test_no_heading_ends_a_page(
    template: str, size: str, language: str, large: bool, no_prone: bool
) -> None:
    pages = pages_of(pdf(template, size, language, large, no_prone), large)
    ends = [(p.number, p.lines[-1].text) for p in pages if p.lines and p.lines[-1].heading]
    assert ends == []


@pytest.mark.parametrize(("template", "size", "language", "large", "no_prone"), COMBOS)
def test_no_link_is_broken_inside_a_word(
    template: str, size: str, language: str, large: bool, no_prone: bool
) -> None:
    pages = pages_of(pdf(template, size, language, large, no_prone), large)
    lines = [t.text for page in pages for t in page.printed]
    assert broken_links(lines, links_of(handout(template, language, no_prone))) == []


@pytest.mark.parametrize(("language", "label"), [("en", "(continued)"), ("es", "(continuación)")])
def test_a_split_card_says_continued_and_keeps_every_step(language: str, label: str) -> None:
    h = handout("back-spasm-acute", language, False)
    doc = pymupdf.open(stream=pdf("back-spasm-acute", "letter", language, True, False))
    text = " ".join(" ".join(page.get_text().split()) for page in doc)
    split = [i for i in h.items if f"{i.number}. {item_texts(i, language)[0]} {label}" in text]
    assert split, "large print splits a card between its steps"
    for item in h.items:
        for step in item_texts(item, language)[2]:
            assert " ".join(step.split()) in text


def test_a_link_wraps_after_a_slash() -> None:
    link = "videos.example-clinic.org/exercises/side-lying-spinal-rotation"
    lines = wrap([Run(link_text(link))], 18.0, fixed(300.0))
    printed = ["".join(seg[3] for seg in line) for line in lines]
    assert printed == ["videos.example-clinic.org/", "exercises/", "side-lying-spinal-rotation"]
    assert wrap_at(link, REGULAR, 18.0, 300.0) == printed
    assert "\u200b" not in "".join(printed)


def test_the_measures_can_fail() -> None:
    """A page with a heading at its top and a link cut in a word fails every check."""
    doc = pymupdf.open()
    for k in range(2):
        page = doc.new_page(width=612, height=792)
        if k == 0:
            page.insert_text((36, 60), "youtu.be/supine-spinal-rotati", fontsize=8.5)
            page.insert_text((36, 70), "on", fontsize=8.5)
            page.insert_text((36, 90), "Exercises", fontsize=13.5, fontname="hebo")
        page.insert_text((500, 770), f"Page {k + 1} of 2", fontsize=8.5)
    pages = pages_of(doc.tobytes(), False)
    assert pages[0].empty > MAX_EMPTY
    assert pages[0].lines[-1].heading and pages[0].lines[-1].text == "Exercises"
    assert broken_links([t.text for t in pages[0].printed], ["youtu.be/supine-spinal-rotation"])
    assert pages[0].column_top == style_for(False).margin_top
