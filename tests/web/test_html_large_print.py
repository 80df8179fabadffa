"""Large-print HTML: every piece of body text computes to 18 pt or more in a real browser.

The rendered document is loaded into Debian's chromium (Playwright, the ``browser``
fixture of tests/web/conftest.py) and every text node's computed ``font-size`` is read
with ``getComputedStyle``, for the screen and for print, both templates, English and
Spanish. Standard print is checked too, so the check can fail.
"""

from __future__ import annotations

from typing import Any

import pytest

from routinekit import api
from routinekit.contracts import RenderOptions
from routinekit.render.html import render_html
from routinekit.request import BuildOptions
from tests.conftest import EXAMPLES

#: (font size in pt, text) of every non-blank text node under <body>, as the browser
#: computes it (1 CSS px = 0.75 pt).
TEXT_SIZES_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('svg')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    out.push([parseFloat(style.fontSize) * 0.75, n.textContent.trim()]);
  }
  return out;
}"""


def _html(template: str, language: str, *, large_print: bool) -> str:
    result = api.build_handout(
        template,
        patient=EXAMPLES / "patient.yaml",
        clinic=EXAMPLES / "clinic.yaml",
        options=BuildOptions(language=language),
    )
    return render_html(result.handout, RenderOptions(large_print=large_print)).decode("utf-8")


def _sizes(browser: Any, html: str, medium: str) -> list[tuple[float, str]]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.emulate_media(media=medium)
        page.set_content(html)
        return [(float(size), text) for size, text in page.evaluate(TEXT_SIZES_JS)]
    finally:
        context.close()


@pytest.mark.parametrize("medium", ["screen", "print"])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("template", ["back-spasm-acute", "back-spasm-prevention"])
def test_large_print_html_text_is_at_least_18pt(
    browser: Any, template: str, language: str, medium: str
) -> None:
    pieces = _sizes(browser, _html(template, language, large_print=True), medium)
    assert len(pieces) > 100  # the whole handout was read
    small = [(round(size, 1), text) for size, text in pieces if size < 18.0 - 0.01]
    assert not small, small[:5]


def test_standard_html_is_smaller_so_the_check_can_fail(browser: Any) -> None:
    pieces = _sizes(browser, _html("back-spasm-acute", "en", large_print=False), "screen")
    assert min(size for size, _t in pieces) < 12
    assert sorted(size for size, _t in pieces)[len(pieces) // 2] == pytest.approx(11.0, abs=0.05)
