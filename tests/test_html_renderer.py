"""The html renderer: one self-contained page, inline SVG QR codes, semantic structure."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from html.parser import HTMLParser

import pytest

from routinekit import api
from routinekit.contracts import RenderOptions
from routinekit.errors import UnsafeInputError
from routinekit.model import Handout, Patient
from routinekit.plugins.host import PluginHost
from routinekit.render.html import render_html
from routinekit.render.qr import qr_matrix
from tests.conftest import EXAMPLES


def _handout(template: str = "back-spasm-acute", patient: Patient | None = None) -> Handout:
    return api.build_handout(
        template,
        strategy="as-written",
        clinic=EXAMPLES / "clinic.yaml",
        patient=patient,
        date=dt.date(2026, 1, 1),
        host=PluginHost(entry_points=False),
    ).handout


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _parse(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("template", ["back-spasm-acute", "back-spasm-prevention"])
def test_semantic_and_self_contained(template: str) -> None:
    h = _handout(template)
    html = render_html(h, RenderOptions()).decode("utf-8")
    tags = _parse(html).tags
    names = [t for t, _a in tags]
    assert names[0] == "html" and dict(tags[0][1])["lang"] == "en"
    assert "main" in names and "footer" in names
    assert names.count("ol") >= len(h.items)
    levels = [int(t[1]) for t in names if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    for tag, attrs in tags:
        assert tag not in ("script", "link", "iframe")
        src = attrs.get("src") or ""
        assert not src or src.startswith("data:")
        if tag == "img":
            assert attrs.get("alt")
    assert "@media print" in html and "break-inside:avoid" in html
    assert not re.search(r"url\(\s*['\"]?https?:", html)


def test_every_video_has_an_inline_svg_code_from_the_shared_cache() -> None:
    h = _handout()
    html = render_html(h, RenderOptions()).decode("utf-8")
    urls = [h.video_url, *(i.video_url for i in h.items)]
    for url in urls:
        assert url is not None
        assert qr_matrix(url).svg_path in html
        assert f'href="{url}"' in html
    assert html.count("<svg") >= len(urls)
    off = render_html(h, RenderOptions(exercise_qr=False)).decode("utf-8")
    assert sum(qr_matrix(u).svg_path in off for u in urls if u) == 1


def test_names_doses_order_and_personal_details_escaped() -> None:
    patient = Patient(name="Zoë <b>Łukasiewicz</b> & Дмитрий", date=dt.date(2026, 1, 1))
    h = _handout(patient=patient)
    html = render_html(h, RenderOptions()).decode("utf-8")
    assert "<b>Łukasiewicz</b>" not in html
    assert "Zoë &lt;b&gt;Łukasiewicz&lt;/b&gt; &amp; Дмитрий" in html
    title = re.search(r"<title>(.*?)</title>", html)
    assert title and "Zoë" not in title.group(1)
    pos = 0
    for item in h.items:
        at = html.find(f'id="exercise-{item.exercise.id}"', pos)
        assert at > pos
        pos = at


def test_deterministic_and_rejects_unsafe_links() -> None:
    import msgspec

    h = _handout()
    assert render_html(h, RenderOptions()) == render_html(h, RenderOptions())
    with pytest.raises(UnsafeInputError):
        render_html(msgspec.structs.replace(h, video_url="data:text/html,hi"), RenderOptions())


def test_registered_as_builtin_renderers() -> None:
    host = PluginHost(entry_points=False)
    assert {"pdf", "html", "json"} <= set(host.renderers())
    data = api.build(
        "back-spasm-prevention",
        strategy="as-written",
        format="html",
        clinic=EXAMPLES / "clinic.yaml",
        date=dt.date(2026, 1, 1),
        host=host,
    )
    assert data.startswith(b"<!DOCTYPE html>")
