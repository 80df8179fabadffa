"""Pagination, the footer, metadata and the finished PDF bytes."""

from __future__ import annotations

import functools
import io
from collections.abc import Hashable, Sequence
from typing import Any

import msgspec

from routinekit.contracts import RenderOptions
from routinekit.errors import ValidationError
from routinekit.model import Handout
from routinekit.render.pdf import reuse, textflow, writer
from routinekit.render.pdf.blocks import Block
from routinekit.render.pdf.fonts import REGULAR, ensure_fonts
from routinekit.render.pdf.footer import Footer
from routinekit.render.pdf.header import Header
from routinekit.render.pdf.painter import Painter
from routinekit.render.pdf.sections import Fit, section_blocks
from routinekit.render.pdf.styles import PAGE_SIZES, Style, style_for
from routinekit.render.qr import sized_qr
from routinekit.render.words import Translate
from routinekit.text.scripts import is_rtl_language

#: Tried in turn until the handout fits two pages, loosest first.
FIT_STEPS = (
    Fit(),
    Fit(space=0.7),
    Fit(space=0.85, compact=True),
    Fit(space=0.5, compact=True),
    Fit(space=0.3, compact=True, leading=1.1),
    Fit(space=0.1, compact=True, leading=1.1),
    Fit(space=0.7, compact=True, drawings=False),
    Fit(space=0.3, compact=True, drawings=False, leading=1.1),
)
TARGET_PAGES = 2

Placed = tuple[Block, float, float]  # block, top y, height
Page = list[Placed]


#: A block that does not fit splits (where it can) when the page would otherwise be left
#: more than this share of its text column empty; else it moves whole to the next page.
SPLIT_ROOM = 0.2


def paginate(blocks: Sequence[Block], width: float, top: float, bottom: float) -> list[Page]:
    """Place blocks top-down (see :func:`paginate_within`)."""
    pages = paginate_within(blocks, width, top, bottom, None)
    assert pages is not None
    return pages


def paginate_within(
    blocks: Sequence[Block], width: float, top: float, bottom: float, max_pages: int | None
) -> list[Page] | None:
    """Place blocks top-down; a block that does not fit splits or starts a new page.

    A block marked ``keep_with_next`` moves to the next page with its follower (with
    the first part of it, when the follower splits). A block that does not fit splits
    when more than ``SPLIT_ROOM`` of the column would be left empty and it can (a long
    paragraph, a card between its steps); else it moves whole. Space before a block is
    dropped at the top of a page.

    ``max_pages``: None as soon as a page beyond it would start (the blocks after that are
    never measured); None: as many pages as it takes.
    """
    queue = list(blocks)
    heights: list[float | None] = [None] * len(queue)

    def height(k: int) -> float:
        found = heights[k]
        if found is None:
            found = heights[k] = queue[k].measure(width)
        return found

    column = top - bottom
    pages: list[Page] = [[]]
    y = top
    i = 0
    while i < len(queue):
        # the run of blocks that must stay together: kept headings + the one they lead to
        j = i
        while j < len(queue) - 1 and queue[j].keep_with_next:
            j += 1
        need = sum(height(k) + queue[k].space_before for k in range(i, j + 1))
        need_here = need if pages[-1] else need - queue[i].space_before
        if y - need_here < bottom:
            room = y - bottom - (need_here - height(j))  # for the run's last block
            parts = None
            if room > column * SPLIT_ROOM or not pages[-1]:
                parts = queue[j].split(room)
            if parts is not None:
                head, tail = parts
                queue[j : j + 1] = [head, tail]
                heights[j : j + 1] = [head.measure(width), tail.measure(width)]
                continue
            if pages[-1]:
                if max_pages is not None and len(pages) >= max_pages:
                    return None
                pages.append([])
                y = top
                continue
        for k in range(i, j + 1):
            if pages[-1]:
                y -= queue[k].space_before
            pages[-1].append((queue[k], y, height(k)))
            y -= height(k)
        i = j + 1
    return pages


@functools.lru_cache(maxsize=64)
def _fit_style(base: Style, fit: Fit) -> Style:
    """The style of ``fit`` (kept: styles hold sizes and colours only, the same for everyone)."""
    style = base.tightened(fit.space)
    if fit.compact:
        style = msgspec.structs.replace(
            style,
            leading=style.body * fit.leading,
            card_name_leading=style.card_name * fit.leading,
            heading_leading=style.heading * fit.leading,
        )
    return style


def layout(
    h: Handout, options: RenderOptions, _: Translate, *, planned: bool = False
) -> tuple[Style, list[Page], Footer]:
    """The loosest fit that keeps the handout on two pages; failing that, the fewest pages.

    The drawings are dropped only to save more than one page. The fits between the loosest
    and the tightest are laid out only when the tightest saves a page (it squeezes more
    than each of them in every way); ``tests/test_pdf_fit_order.py`` checks the choice is
    the one of trying every fit in turn.

    Large print is never squeezed: it only ever gets the loosest layout.

    Which fit wins is remembered (:func:`reuse.layout_key`): the next patient with the same
    shared content, header and footer heights gets that fit at once, the same result.
    With ``planned`` (rendering), the pages of such a patient are the remembered ones:
    this patient's header, every other block a stored one (:class:`reuse.StoredBlock`).
    """
    base = style_for(options.large_print)
    page_w, page_h = PAGE_SIZES[options.page_size]
    fits = FIT_STEPS[:1] if options.large_print else FIT_STEPS

    def header_of(style: Style) -> Header:
        qr = None
        if h.video_url:
            qr = sized_qr(h.video_url, style.routine_qr_mm, style.routine_qr_max_mm)
        return Header(h, style, _, qr)

    # this render's header and footer in each fit, made once (measuring the patient's words
    # is what dims_of and attempt share); they live as long as this call
    made: dict[int, tuple[Style, float, Header, Footer]] = {}
    shared: dict[Hashable, Any] = {}  # what the attempts share (sections.exercises)

    def parts_of(i: int) -> tuple[Style, float, Header, Footer]:
        if i not in made:
            style = _fit_style(base, fits[i])
            width = page_w - 2 * style.margin_x
            made[i] = (style, width, header_of(style), Footer(h, style, _, width))
        return made[i]

    def attempt(i: int, max_pages: int | None = None) -> tuple[Style, list[Page], Footer] | None:
        """Fit ``i`` laid out; None if it needs more than ``max_pages``."""
        style, width, header, footer = parts_of(i)
        blocks: list[Block] = [header, *section_blocks(h, style, _, options, fits[i], shared)]
        bottom = footer.content_bottom()
        pages = paginate_within(blocks, width, page_h - style.margin_top, bottom, max_pages)
        return None if pages is None else (style, reuse.Planned(pages, key, header), footer)

    def dims_of(i: int) -> tuple[float, float]:
        """The header's height and the text's bottom (above the footer) in fit ``i``."""
        _style, width, header, footer = parts_of(i)
        return header.measure(width), footer.content_bottom()

    key = reuse.layout_key(h, options, dims_of)
    if key is not None:
        known = key.find()
        if known is not None:
            style, width, header, footer = parts_of(known.fit)
            replayed = reuse.planned_pages(known, h, header, width) if planned else None
            if replayed is not None:  # the same pages as last time, but this patient's header
                return style, replayed, footer
            laid = attempt(known.fit)
            assert laid is not None
            return laid
    best: tuple[Style, list[Page], Footer] | None = None
    chosen = 0
    tried: list[int] = []

    def consider(i: int, max_pages: int | None) -> bool:
        """Lay out fit ``i`` (within ``max_pages``); True once the handout is short enough."""
        nonlocal best, chosen
        tried.append(i)
        laid = attempt(i, max_pages)
        if laid is None:
            return False
        if best is None or len(laid[1]) < len(best[1]):
            best, chosen = laid, i
        return len(laid[1]) <= TARGET_PAGES

    drawn = [i for i, fit in enumerate(fits) if fit.drawings]
    done = bool(drawn) and consider(drawn[0], None)
    if not done and len(drawn) > 1:
        # The tightest fit with drawings next: every fit between squeezes less than it in
        # every way (space, run-in text, line spacing), so when even it saves no page, none
        # of them would, and they are not laid out at all (a patient's header is then
        # measured in two fits, not six). When it does save pages, the loosest fit that
        # does as well wins, as if each had been tried in order.
        assert best is not None
        tightest = drawn[-1]
        consider(tightest, len(best[1]) - 1)
        if chosen == tightest:
            enough = max(len(best[1]), TARGET_PAGES)
            for i in drawn[1:-1]:
                tried.append(i)
                laid = attempt(i, enough)
                if laid is not None:
                    best, chosen = laid, i
                    break
            done = len(best[1]) <= TARGET_PAGES
    for i, fit in enumerate(fits):
        if done or fit.drawings:
            continue
        if best is not None and len(best[1]) <= TARGET_PAGES + 1:
            break  # pictures help a patient more than one page saved
        done = consider(i, None if best is None else len(best[1]) - 1)
    assert best is not None
    if key is not None:
        key.remember(tried, chosen)
    return best


def render_pdf(h: Handout, options: RenderOptions, _: Translate) -> bytes:
    from reportlab import rl_config

    # Binary (not ASCII85) streams: a quarter smaller, and no slow pure-Python encoding.
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        with textflow.one_render():
            return _render(h, options, _)
    finally:
        rl_config.useA85 = saved


def _render(h: Handout, options: RenderOptions, _: Translate) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    if options.page_size not in PAGE_SIZES:
        raise ValidationError(f"unknown page size '{options.page_size}'", hint="use letter or a4")
    ensure_fonts()
    style, pages, footer = layout(h, options, _, planned=True)
    page_w, page_h = PAGE_SIZES[options.page_size]
    width = page_w - 2 * style.margin_x
    buf = io.BytesIO()
    canvas = Canvas(
        buf,
        pagesize=(page_w, page_h),
        invariant=1,
        pageCompression=1,
        lang=h.language,
        initialFontName=REGULAR,
    )
    canvas.setTitle(h.title)
    canvas.setSubject(h.condition or h.title)
    canvas.setAuthor(h.clinic.name if h.clinic else "routinekit")
    canvas.setCreator("routinekit")
    canvas.setProducer("routinekit")
    if h.clinic is not None and h.clinic.content_signoff is not None:
        from routinekit.content import signoff_keywords

        canvas.setKeywords(signoff_keywords(h.clinic))
    painter = Painter(canvas, style, rtl=is_rtl_language(h.language))
    # blocks shared by patients are stored once and placed as Form XObjects (see reuse)
    reuse.paint(canvas, painter, style, pages, footer, h, style.margin_x, width)
    return writer.pdf_bytes(canvas)
