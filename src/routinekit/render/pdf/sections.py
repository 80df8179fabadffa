"""The handout's sections as blocks, in the order the strategy chose."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any

import msgspec

from routinekit.contracts import RenderOptions
from routinekit.model import Handout
from routinekit.model.plan import SECTIONS
from routinekit.render.content import (
    card_dose_text,
    group_cautions,
    numbers_text,
    shared_cautions,
    stage_lines,
)
from routinekit.render.pdf.blocks import Block, Heading, Para
from routinekit.render.pdf.cards import Card
from routinekit.render.pdf.panels import BULLET, RedFlagPanel, TrackingGrid
from routinekit.render.pdf.pictures import picture_for
from routinekit.render.pdf.styles import Style
from routinekit.render.pdf.textflow import Run, joined, labelled
from routinekit.render.qr import sized_qr
from routinekit.render.words import (
    RED_FLAG_TITLES,
    SECTION_TITLES,
    Translate,
    effective_tracking,
    red_flag_groups,
)
from routinekit.text import regimen_text


def education(h: Handout, s: Style, _: Translate, fit: Fit) -> list[Block]:
    blocks: list[Block] = []
    for i, sec in enumerate(h.education):
        gap = s.section_gap if i == 0 else s.para_gap + 1.5
        if fit.compact:
            runs = [Run(sec.heading, True, s.accent), Run(" " + sec.text)]
            blocks.append(Para(runs, s.body, s.leading, space_before=gap))
            continue
        blocks.append(
            Para(
                [Run(sec.heading, True, s.accent)],
                s.subheading,
                s.subheading + 3,
                space_before=gap,
                keep_with_next=True,
            )
        )
        blocks.append(Para([Run(sec.text)], s.body, s.leading))
    return blocks


def bullets(items: tuple[str, ...], s: Style, *, first_gap: float = 0.0) -> list[Block]:
    return [
        Para(
            [Run(t)],
            s.body,
            s.leading,
            bullet=BULLET,
            bullet_color=s.accent,
            bullet_width=s.body * 1.1,
            space_before=first_gap if i == 0 else 1.0,
        )
        for i, t in enumerate(items)
    ]


def self_care(h: Handout, s: Style, _: Translate) -> list[Block]:
    if not h.self_care:
        return []
    return [Heading(_(SECTION_TITLES["self_care"]), s), *bullets(h.self_care, s)]


def red_flags(h: Handout, s: Style, _: Translate) -> list[Block]:
    if not h.red_flags:
        return []
    return [
        RedFlagPanel(_(RED_FLAG_TITLES[level]), items, s) for level, items in red_flag_groups(h)
    ]


class Fit(msgspec.Struct, frozen=True):
    """How hard the layout squeezes to keep the handout on two pages."""

    space: float = 1.0
    """Factor on the space between blocks."""
    compact: bool = False
    """Run-in text: each card's steps in one paragraph, its cautions, other ways and note in
    another; education headings run into their text; slightly tighter line spacing."""
    drawings: bool = True
    """Show drawn illustrations (an exercise's own image is always shown)."""
    leading: float = 1.14
    """Line spacing (times the text size) when compact."""


def exercises(
    h: Handout,
    s: Style,
    _: Translate,
    options: RenderOptions,
    fit: Fit,
    memo: dict[Hashable, Any] | None = None,
) -> list[Block]:
    """The exercise cards and what goes above them. ``memo``: what one render's fitting
    attempts share (the same in every fit: cautions, the regimen, the pictures)."""
    known: dict[Hashable, Any] = {} if memo is None else memo

    def once(key: Hashable, make: Callable[[], Any]) -> Any:
        if key not in known:
            known[key] = make()
        return known[key]

    blocks: list[Block] = [Heading(_(SECTION_TITLES["exercises"]), s)]
    regimen = once("regimen", lambda: regimen_text(h.regimen, h.language))
    blocks.append(
        Para(
            labelled(_("How long and how often:"), regimen + ".", s.accent),
            s.body,
            s.leading,
        )
    )
    common = once("common", lambda: shared_cautions(h))
    if common:
        blocks.append(
            Para(
                labelled(_("With every exercise:"), " ".join(common), s.alert),
                s.body,
                s.leading,
                space_before=1.0,
            )
        )
    for g, group in enumerate(h.groups):
        if not group.items:
            continue
        cautions = once(("group", g), functools.partial(group_cautions, h, group, common))
        title = _(group.title) if group.title else ""
        intro = _(group.intro) if group.intro else ""
        if fit.compact and title and intro:
            runs = [Run(title + ".", True, s.accent), Run(" " + intro, False, s.muted)]
            blocks.append(
                Para(runs, s.body, s.leading, space_before=s.section_gap, keep_with_next=True)
            )
        elif title or intro:
            if title:
                blocks.append(
                    Para(
                        [Run(title, True, s.accent)],
                        s.subheading + 0.5,
                        s.subheading + 4,
                        space_before=s.section_gap,
                        keep_with_next=True,
                    )
                )
            if intro:
                blocks.append(
                    Para([Run(intro, False, s.muted)], s.body, s.leading, keep_with_next=True)
                )
        for k, (numbers, sentence) in enumerate(cautions.shared):
            label = _("With exercises {numbers}:").format(numbers=numbers_text(numbers, _))
            blocks.append(
                Para(
                    labelled(label, sentence, s.alert),
                    s.body,
                    s.leading,
                    space_before=1.0 if k or title or intro else s.section_gap,
                    keep_with_next=True,
                )
            )
        for i, item in enumerate(group.items):
            qr = None
            if options.exercise_qr and item.video_url:
                qr = sized_qr(item.video_url, s.exercise_qr_mm, s.exercise_qr_max_mm)
            blocks.append(
                Card(
                    item,
                    s,
                    _,
                    language=h.language,
                    regimen=h.regimen,
                    qr=qr,
                    picture=once(
                        ("picture", item.number, s.picture_mm, fit.drawings),
                        functools.partial(
                            picture_for,
                            item.exercise,
                            h.base_dir,
                            width_mm=s.picture_mm,
                            height_mm=s.picture_mm * 0.75,
                            drawings=fit.drawings,
                        ),
                    ),
                    show_reason=options.show_reasons,
                    rule_above=i > 0 or not group.title,
                    cautions=cautions.on_card[item.number],
                    compact=fit.compact,
                    dose=once(
                        ("dose", item.number),
                        functools.partial(card_dose_text, item, h.regimen, h.language),
                    ),
                )
            )
    return blocks


def phases(h: Handout, s: Style, _: Translate, fit: Fit) -> list[Block]:
    if not h.phases:
        return []
    blocks: list[Block] = [Heading(_(SECTION_TITLES["phases"]), s)]
    stages: list[list[Run]] = []
    for line in stage_lines(h):
        runs = [Run(f"{line.number}. {line.name}.", True, s.accent)]
        if line.here:
            runs.append(Run(" " + _("You are here."), True, s.alert))
        if line.text:
            runs.append(Run(" " + line.text))
        if line.next_name:
            runs.append(Run(" " + _("Next: {name}.").format(name=line.next_name), True))
        stages.append(runs)
    if fit.compact:
        return [*blocks, Para(joined(stages, "\u2003"), s.body, s.leading)]
    return blocks + [Para(runs, s.body, s.leading, space_before=1.0) for runs in stages]


def tracking(h: Handout, s: Style, _: Translate, options: RenderOptions, fit: Fit) -> list[Block]:
    if not effective_tracking(h, options.tracking_log):
        return []
    log = h.tracking_log
    days = log.days if log else 7
    sessions = log.sessions_per_day if log else 3
    pain = log.pain_score if log else True
    return [
        Heading(_(SECTION_TITLES["tracking_log"]), s),
        TrackingGrid(days, sessions, pain, s, _, across=fit.compact),
    ]


def section_blocks(
    h: Handout,
    s: Style,
    _: Translate,
    options: RenderOptions,
    fit: Fit,
    memo: dict[Hashable, Any] | None = None,
) -> list[Block]:
    """All sections, in ``handout.section_order``; any it leaves out follow in the usual order.

    (A strategy reorders sections; it cannot drop the red flags by forgetting them.)
    ``memo``: one dict for every fitting attempt of one render of ``h`` (see
    :func:`exercises`); it must not outlive the render.
    """
    makers = {
        "education": lambda: education(h, s, _, fit),
        "self_care": lambda: self_care(h, s, _),
        "red_flags": lambda: red_flags(h, s, _),
        "exercises": lambda: exercises(h, s, _, options, fit, memo),
        "phases": lambda: phases(h, s, _, fit),
        "tracking_log": lambda: tracking(h, s, _, options, fit),
    }
    blocks: list[Block] = []
    seen: set[str] = set()
    for name in (*h.section_order, *SECTIONS):
        if name in makers and name not in seen:
            seen.add(name)
            blocks += makers[name]()
    return blocks
