"""Lay a handout out as a list of blocks, then write them as Markdown or plain text.

Both formats share one layout, so they always hold the same content in the same
order (the order the strategy chose for the handout's sections).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from routinekit import renderkit
from routinekit.contracts import RenderOptions
from routinekit.model import Handout, HandoutItem


@dataclass(frozen=True)
class Block:
    """One piece of the document: a heading, a paragraph, a list, a link or a rule."""

    kind: str  # "title" | "heading" | "subheading" | "para" | "bullets" | "steps" | "link" | "rule"
    text: str = ""
    items: tuple[str, ...] = ()
    url: str = ""


def _item_blocks(handout: Handout, item: HandoutItem, options: RenderOptions) -> list[Block]:
    _ = renderkit.words(handout)
    ex = item.exercise
    blocks = [Block("subheading", f"{item.number}. {ex.name}")]
    if not item.dose.is_empty:
        blocks.append(Block("para", renderkit.dose_text(handout, item)))
    blocks.append(Block("para", ex.objective))
    blocks.append(Block("steps", items=ex.steps))
    if ex.alternatives:
        blocks.append(Block("bullets", items=tuple(renderkit.alternatives(handout, item))))
    if item.note:
        blocks.append(Block("para", f"{_('Note')}: {item.note}"))
    if item.therapist_note:
        blocks.append(Block("para", f"{_('Notes from your therapist')}: {item.therapist_note}"))
    if ex.cautions:
        blocks.append(Block("bullets", items=tuple(f"{_('Caution')}: {c}" for c in ex.cautions)))
    if item.video_url:
        blocks.append(Block("link", _("Video"), url=item.video_url))
    if options.show_reasons and item.reason:
        blocks.append(Block("para", f"{_('Why here')}: {item.reason}"))
    return blocks


def layout(handout: Handout, options: RenderOptions) -> list[Block]:
    """The handout as blocks, sections in ``handout.section_order``."""
    _ = renderkit.words(handout)
    blocks = [Block("title", handout.title)]
    if handout.condition:
        blocks.append(Block("para", handout.condition))
    about: list[str] = []
    p = handout.patient
    if p and p.name:
        about.append(f"{_('For')}: {p.name}")
    about.append(f"{_('Date')}: {renderkit.long_date(handout)}")
    if p and p.therapist:
        about.append(f"{_('Therapist')}: {p.therapist}")
    if handout.clinic:
        about.append(" · ".join([handout.clinic.name, *renderkit.contact_parts(handout)]))
    blocks.append(Block("bullets", items=tuple(about)))
    blocks.append(Block("para", renderkit.regimen_text(handout)))
    if handout.video_url:
        blocks.append(Block("link", _("Video of the whole routine"), url=handout.video_url))
    if p and p.notes:
        blocks.append(Block("para", f"{_('Notes from your therapist')}: {p.notes}"))
    for section in renderkit.sections(handout, options):
        title = renderkit.section_title(handout, section)
        if section == "education":
            for e in handout.education:
                blocks += [Block("heading", e.heading), Block("para", e.text)]
        elif section == "self_care":
            blocks += [Block("heading", title or ""), Block("bullets", items=handout.self_care)]
        elif section == "red_flags":
            for heading, items in renderkit.red_flag_groups(handout):
                blocks += [Block("heading", heading), Block("bullets", items=items)]
        elif section == "exercises":
            blocks.append(Block("heading", title or ""))
            if not handout.items:
                blocks.append(Block("para", _("No exercises on this handout.")))
            for group in handout.groups:
                if group.title:
                    blocks.append(Block("heading", group.title))
                if group.intro:
                    blocks.append(Block("para", group.intro))
                for item in group.items:
                    blocks += _item_blocks(handout, item, options)
        elif section == "phases":
            blocks.append(Block("heading", title or ""))
            blocks.append(
                Block(
                    "bullets",
                    items=tuple(
                        " — ".join(x for x in (ph.name, ph.when, ph.move_on) if x)
                        for ph in handout.phases
                    ),
                )
            )
    if handout.footer:
        blocks += [Block("rule"), Block("para", handout.footer)]
    return blocks


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_escape(text: str, *, line_start: bool = False) -> str:
    """Escape Markdown and HTML syntax in text from files, so it shows as written.

    With ``line_start``, also stop a paragraph that begins like ``1.`` or ``---``
    from turning into a list or a rule.
    """
    text = " ".join(_MD_SPECIAL.sub(r"\\\1", text).split())
    if line_start:
        text = re.sub(r"^(\d+)\.", r"\1\\.", text)
        text = re.sub(r"^([-=]{3,})", r"\\\1", text)
    return text


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "title":
            out.append(f"# {md_escape(b.text)}")
        elif b.kind == "heading":
            out.append(f"## {md_escape(b.text)}")
        elif b.kind == "subheading":
            out.append(f"### {md_escape(b.text)}")
        elif b.kind == "para":
            out.append(md_escape(b.text, line_start=True))
        elif b.kind == "bullets":
            out.append("\n".join(f"- {md_escape(i)}" for i in b.items))
        elif b.kind == "steps":
            out.append("\n".join(f"{n}. {md_escape(i)}" for n, i in enumerate(b.items, 1)))
        elif b.kind == "link":
            out.append(f"[{md_escape(b.text)}](<{b.url}>)")
        elif b.kind == "rule":
            out.append("---")
    return "\n\n".join(out) + "\n"


def to_text(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        text = " ".join(b.text.split())
        if b.kind == "title":
            out.append(f"{text}\n{'=' * len(text)}")
        elif b.kind == "heading":
            out.append(f"{text}\n{'-' * len(text)}")
        elif b.kind in ("subheading", "para"):
            out.append(text)
        elif b.kind == "bullets":
            out.append("\n".join(f"* {' '.join(i.split())}" for i in b.items))
        elif b.kind == "steps":
            out.append("\n".join(f"  {n}. {' '.join(i.split())}" for n, i in enumerate(b.items, 1)))
        elif b.kind == "link":
            out.append(f"{text}: {b.url}")
        elif b.kind == "rule":
            out.append("-" * 40)
    return "\n\n".join(out) + "\n"
