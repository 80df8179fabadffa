"""Large-print HTML: every piece of body text computes to 18 pt or more.

Sizes come from the CSS cascade of the actual rendered document (tests/css_cascade.py:
its stylesheets parsed and matched selector by selector, with the browser's own
heading sizes and inheritance), not from reading the stylesheet source; checked for
the screen and for print, both templates, English and Spanish.
"""

from __future__ import annotations

import pytest
from css_cascade import text_sizes

from routinekit import api
from routinekit.contracts import RenderOptions
from routinekit.render.html import render_html
from routinekit.request import BuildOptions
from tests.conftest import EXAMPLES


def _html(template: str, language: str, *, large_print: bool) -> str:
    result = api.build_handout(
        template,
        patient=EXAMPLES / "patient.yaml",
        clinic=EXAMPLES / "clinic.yaml",
        options=BuildOptions(language=language),
    )
    options = RenderOptions(large_print=large_print)
    return render_html(result.handout, options).decode("utf-8")


@pytest.mark.parametrize("medium", ["screen", "print"])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("template", ["back-spasm-acute", "back-spasm-prevention"])
def test_large_print_html_text_is_at_least_18pt(template: str, language: str, medium: str) -> None:
    pieces = text_sizes(_html(template, language, large_print=True), medium)
    assert len(pieces) > 100  # the whole handout was read
    small = [(round(size, 1), text) for size, text in pieces if size < 18.0 - 1e-6]
    assert not small, small[:5]
    body = sorted(size for size, _t in pieces)[len(pieces) // 2]
    assert body >= 18.0


def test_standard_html_is_smaller_so_the_check_can_fail() -> None:
    pieces = text_sizes(_html("back-spasm-acute", "en", large_print=False))
    assert min(size for size, _t in pieces) < 12
    assert sorted(size for size, _t in pieces)[len(pieces) // 2] == pytest.approx(11.0)
