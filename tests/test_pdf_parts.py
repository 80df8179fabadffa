"""PDF building blocks: QR safety and sizing, pagination rules, options, pictures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

import msgspec
import pymupdf
import pytest
from PIL import Image

from routinekit import api
from routinekit.contracts import RenderOptions
from routinekit.errors import UnsafeInputError, ValidationError
from routinekit.model import Handout
from routinekit.plugins.host import PluginHost
from routinekit.render.pdf import render_pdf
from routinekit.render.pdf.blocks import Block
from routinekit.render.pdf.document import paginate, paginate_within
from routinekit.render.pdf.fonts import ensure_fonts
from routinekit.render.pdf.textflow import Run, fixed, wrap
from routinekit.render.qr import MIN_MODULE_MM, check_url, qr_matrix, sized_qr
from tests.conftest import EXAMPLES


def _handout(template: str = "back-spasm-prevention", **kw: object) -> Handout:
    return api.build_handout(
        template,
        strategy="as-written",
        clinic=kw.pop("clinic", EXAMPLES / "clinic.yaml"),  # type: ignore[arg-type]
        date=dt.date(2026, 1, 1),
        host=PluginHost(entry_points=False),
    ).handout


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.get_text().split()) for p in pymupdf.open(stream=data))


# ------------------------------------------------------------------ QR codes
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/a",
        "file:///etc/passwd",
        "example.org/x",
        "https://exa mple.org/",
    ],
)
def test_only_http_urls_make_qr_codes(url: str) -> None:
    with pytest.raises(UnsafeInputError):
        check_url(url)
    with pytest.raises(UnsafeInputError):
        sized_qr(url, 18, 26)


def test_url_too_long_for_printed_size_is_an_error() -> None:
    url = "https://videos.example-clinic.org/" + "x" * 400
    with pytest.raises(ValidationError, match="too long"):
        sized_qr(url, 18, 26)


def test_qr_grows_so_modules_stay_readable() -> None:
    short = qr_matrix("https://e.org/a")
    long = qr_matrix("https://videos.example-clinic.org/exercises/side-lying-spinal-rotation")
    assert sized_qr(short.url, 18, 26)[1] == pytest.approx(18 * 72 / 25.4)
    _m, size = sized_qr(long.url, 18, 26)
    assert size / long.size >= MIN_MODULE_MM * 72 / 25.4 - 1e-9


def test_qr_matrix_is_cached_and_drawn_as_one_path() -> None:
    url = "https://videos.example-clinic.org/exercises/cat-cow"
    assert qr_matrix(url) is qr_matrix(url)
    ops = qr_matrix(url).pdf_ops
    assert ops.endswith(" f") and ops.count(" f") == 1 and " re " in ops
    assert qr_matrix(url).svg_path.startswith("M")


def test_bad_video_link_in_handout_is_refused() -> None:
    h = _handout()
    item = h.groups[0].items[0]
    bad = msgspec.structs.replace(item, video_url="javascript:alert(1)")
    group = msgspec.structs.replace(h.groups[0], items=(bad, *h.groups[0].items[1:]))
    with pytest.raises(UnsafeInputError):
        render_pdf(msgspec.structs.replace(h, groups=(group, *h.groups[1:])), RenderOptions())


# ------------------------------------------------------------------ layout
class Box(Block):
    def __init__(self, height: float, *, keep: bool = False, before: float = 0.0) -> None:
        self.height = height
        self.keep_with_next = keep
        self.space_before = before

    def measure(self, width: float) -> float:
        return self.height

    def draw(self, painter: object, x: float, top: float, width: float) -> None:  # type: ignore[override]
        return None


def test_block_that_does_not_fit_moves_whole_to_next_page() -> None:
    blocks = [Box(60), Box(30), Box(50)]
    pages = paginate(blocks, 100, top=100, bottom=0)
    assert [[b for b, _t, _h in p] for p in pages] == [[blocks[0], blocks[1]], [blocks[2]]]


def test_heading_moves_with_the_block_it_leads() -> None:
    blocks = [Box(60), Box(20, keep=True), Box(30)]
    pages = paginate(blocks, 100, top=100, bottom=0)
    assert [len(p) for p in pages] == [1, 2]


class Lines(Box):
    """A paragraph of 10-pt lines that splits between them (two at least on each side)."""

    def split(self, room: float) -> tuple[Block, Block] | None:
        keep = min(int(room // 10), int(self.height // 10) - 2)
        if keep < 2:
            return None
        return Lines(keep * 10), Lines(self.height - keep * 10)


def test_block_splits_rather_than_leave_the_page_mostly_empty() -> None:
    # 70 of 100 left on page one: the paragraph's first 70 go there, the rest on page two
    pages = paginate([Box(30), Box(10, keep=True), Lines(100)], 100, top=100, bottom=0)
    assert [[h for _b, _t, h in p] for p in pages] == [[30, 10, 60], [40]]
    # a little room left (under SPLIT_ROOM of the page): it moves whole
    pages = paginate([Box(85), Lines(50)], 100, top=100, bottom=0)
    assert [[h for _b, _t, h in p] for p in pages] == [[85], [50]]
    # taller than a page: it splits as often as it needs
    pages = paginate([Lines(250)], 100, top=100, bottom=0)
    assert [[h for _b, _t, h in p] for p in pages] == [[100], [100], [50]]


class Counted(Box):
    measured: ClassVar[list[float]] = []

    def measure(self, width: float) -> float:
        Counted.measured.append(self.height)
        return self.height


def test_pagination_within_a_page_limit_stops_before_the_page_after_it() -> None:
    """A fitting attempt that can no longer beat the best one so far stops there: the blocks
    after the limit are never measured (a varied row tried ~5 fits, each measuring all)."""
    Counted.measured = []
    blocks = [Counted(60), Counted(60), Counted(60), Counted(61), Counted(62)]
    assert paginate_within(blocks, 100, 100, 0, 2) is None
    assert Counted.measured == [60, 60, 60]  # the third page would start at the third block
    Counted.measured = []
    full = paginate_within(blocks, 100, 100, 0, 5)
    assert full is not None and len(full) == 5 and Counted.measured == [60, 60, 60, 61, 62]
    assert full == paginate(blocks, 100, top=100, bottom=0)


def test_space_before_is_dropped_at_top_of_page() -> None:
    pages = paginate([Box(90), Box(50, before=10)], 100, top=100, bottom=0)
    assert pages[1][0][1] == 100


def test_wrap_respects_width_and_keeps_every_word() -> None:
    ensure_fonts()
    text = "Lie on your back with your knees bent and your feet flat on the floor. " * 3
    lines = wrap([Run(text)], 11, fixed(150))
    assert len(lines) > 3
    words = " ".join(seg[3] for line in lines for seg in line).split()
    assert words == text.split()


# ------------------------------------------------------------------ options
def test_exercise_codes_can_be_turned_off() -> None:
    h = _handout()
    data = render_pdf(h, RenderOptions(exercise_qr=False))
    drawings = [
        d for p in pymupdf.open(stream=data) for d in p.get_drawings() if len(d["items"]) > 150
    ]
    assert len(drawings) == 1
    assert "videos.example-clinic.org/exercises" not in _text(data)


def test_no_video_no_code_and_no_caption() -> None:
    h = _handout(clinic=None)
    h = msgspec.structs.replace(
        h,
        video_url=None,
        groups=tuple(
            msgspec.structs.replace(
                g, items=tuple(msgspec.structs.replace(i, video_url=None) for i in g.items)
            )
            for g in h.groups
        ),
    )
    data = render_pdf(h, RenderOptions())
    text = _text(data)
    assert "Scan this QR code" not in text
    assert not [
        d for p in pymupdf.open(stream=data) for d in p.get_drawings() if len(d["items"]) > 150
    ]


def test_tracking_log_option_and_section_order() -> None:
    h = _handout()
    assert "Track your sessions" in _text(render_pdf(h, RenderOptions()))
    assert "Track your sessions" not in _text(render_pdf(h, RenderOptions(tracking_log=False)))
    first = msgspec.structs.replace(
        h, section_order=("red_flags", "self_care", "education", "exercises")
    )
    text = _text(render_pdf(first, RenderOptions()))
    assert text.index("EMERGENCY: go to the emergency department") < text.index(
        "Call your clinician"
    )
    assert text.index("Call your clinician") < text.index(h.education[0].heading)
    assert "Track your sessions" in text  # sections a strategy leaves out still follow


def test_large_print_uses_bigger_text() -> None:
    data = render_pdf(_handout(), RenderOptions(large_print=True))
    sizes = [
        span["size"]
        for page in pymupdf.open(stream=data)
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
    ]
    assert max(sizes) > 20 and sorted(sizes)[len(sizes) // 2] >= 14


def test_unknown_page_size_is_an_error() -> None:
    with pytest.raises(ValidationError, match="page size"):
        render_pdf(_handout(), RenderOptions(page_size="legal"))


# ------------------------------------------------------------------ pictures
def _with_image(h: Handout, image: str, base: Path) -> Handout:
    item = h.groups[0].items[0]
    ex = msgspec.structs.replace(item.exercise, image=image)
    group = msgspec.structs.replace(
        h.groups[0], items=(msgspec.structs.replace(item, exercise=ex), *h.groups[0].items[1:])
    )
    return msgspec.structs.replace(h, groups=(group, *h.groups[1:]), base_dir=str(base))


def test_exercise_image_is_drawn(tmp_path: Path) -> None:
    Image.new("RGB", (120, 90), (200, 60, 60)).save(tmp_path / "pose.png")
    data = render_pdf(_with_image(_handout(), "pose.png", tmp_path), RenderOptions())
    assert sum(len(p.get_images()) for p in pymupdf.open(stream=data)) == 1


def test_image_that_is_not_png_or_jpeg_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pose.png").write_text("not an image")
    with pytest.raises(UnsafeInputError, match="PNG or JPEG"):
        render_pdf(_with_image(_handout(), "pose.png", tmp_path), RenderOptions())
    with pytest.raises(ValidationError, match="not found"):
        render_pdf(_with_image(_handout(), "missing.png", tmp_path), RenderOptions())
    with pytest.raises(UnsafeInputError):
        render_pdf(_with_image(_handout(), "https://e.org/x.png", tmp_path), RenderOptions())
