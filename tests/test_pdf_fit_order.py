"""The fitting loop lays out as few fits as it can, and chooses what trying each in turn would.

``layout`` tries the loosest fit, then the tightest one with drawings; the fits between are
laid out only when the tightest saves a page (see ``render/pdf/document.py``). Its choice
must be the one of the plain rule: of the fits with drawings, the first (loosest) that
keeps the handout on two pages, else the first with the fewest pages; the fits without
drawings only when that still leaves more than three pages. The rule is checked here
against every fit laid out on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from routinekit import api
from routinekit.contracts import RenderOptions
from routinekit.i18n import translator
from routinekit.model import Handout, Patient
from routinekit.plugins.host import PluginHost
from routinekit.render.pdf import document, reuse
from routinekit.request import BuildOptions
from tests.conftest import EXAMPLES


@pytest.fixture(autouse=True)
def _no_remembered_choices() -> Iterator[None]:
    reuse.set_enabled(False)  # every layout below is worked out, not looked up
    yield
    reuse.set_enabled(True)


def _handout(
    host: PluginHost, template: str, notes: str | None, exclude: tuple[str, ...]
) -> Handout:
    patient = Patient(name="Ana Example", date=dt.date(2026, 1, 2), notes=notes)
    return api.build_handout(
        api.load_routine(template, host=host),
        patient=patient,
        clinic=api.load_clinic(EXAMPLES / "clinic.yaml"),
        strategy="as-written",
        host=host,
        options=BuildOptions(exclude=exclude),
    ).handout


def _pages_per_fit(
    h: Handout, options: RenderOptions, monkeypatch: pytest.MonkeyPatch
) -> list[int]:
    every = document.FIT_STEPS
    counts = []
    for fit in every:
        monkeypatch.setattr(document, "FIT_STEPS", (fit,))
        counts.append(len(document.layout(h, options, translator(h.language))[1]))
    monkeypatch.setattr(document, "FIT_STEPS", every)
    return counts


def _rule(pages: list[int]) -> int:
    """The fit that trying each fit in order chooses."""
    fits = document.FIT_STEPS
    best = None
    for i, fit in enumerate(fits):
        if not fit.drawings and best is not None and pages[best] <= document.TARGET_PAGES + 1:
            break
        if best is None or pages[i] < pages[best]:
            best = i
        if pages[best] <= document.TARGET_PAGES:
            break
    assert best is not None
    return best


CASES = [
    ("back-spasm-acute", None, (), RenderOptions()),  # 4 4 3 ...: the tightest saves a page
    ("back-spasm-acute", None, ("knees-to-chest",), RenderOptions()),  # 3 at every fit
    ("back-spasm-acute", None, (), RenderOptions(page_size="a4")),
    ("back-spasm-acute", "word " * 60, (), RenderOptions(exercise_qr=False)),
    ("back-spasm-prevention", None, (), RenderOptions()),  # two pages at the tightest only
    ("back-spasm-prevention", None, (), RenderOptions(page_size="a4")),
    ("back-spasm-prevention", "word " * 60, (), RenderOptions()),  # three pages at every fit
]


@pytest.mark.parametrize(("template", "notes", "exclude", "options"), CASES)
def test_the_choice_is_the_one_of_trying_every_fit(
    host: PluginHost,
    monkeypatch: pytest.MonkeyPatch,
    template: str,
    notes: str | None,
    exclude: tuple[str, ...],
    options: RenderOptions,
) -> None:
    h = _handout(host, template, notes, exclude)
    pages = _pages_per_fit(h, options, monkeypatch)
    drawn = [p for p, fit in zip(pages, document.FIT_STEPS, strict=True) if fit.drawings]
    assert drawn == sorted(drawn, reverse=True)  # tighter never takes more pages (here)
    expected = _rule(pages)
    style, laid, _footer = document.layout(h, options, translator(h.language))
    base = document.style_for(options.large_print)
    assert style == document._fit_style(base, document.FIT_STEPS[expected])
    assert len(laid) == pages[expected]


def test_a_handout_no_fit_shortens_is_laid_out_twice_only(
    host: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = _handout(host, "back-spasm-acute", None, ("knees-to-chest",))
    calls = []
    real = document.paginate_within

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(document, "paginate_within", counted)
    _style, laid, _footer = document.layout(h, RenderOptions(), translator(h.language))
    assert len(laid) == 3
    assert len(calls) == 2  # the loosest and the tightest fit; three pages keep the drawings
