"""The handout as one self-contained HTML page: inline SVG QR codes, a print stylesheet.

No external resources (no fonts, scripts or images fetched): pictures are embedded
as data URIs and QR codes as SVG paths from the same cache the PDF uses.
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import re
from collections.abc import Callable
from html import escape
from pathlib import Path

from routinekit.contracts import RenderOptions
from routinekit.i18n import translator
from routinekit.model import Handout, HandoutItem
from routinekit.model.plan import SECTIONS
from routinekit.render.content import (
    alternative_label,
    card_dose_text,
    card_notes,
    group_cautions,
    item_texts,
    numbers_text,
    shared_cautions,
    stage_lines,
)
from routinekit.render.images import check_image, image_type
from routinekit.render.qr import QUIET_ZONE, qr_matrix, short_url
from routinekit.render.words import (
    RED_FLAG_TITLES,
    SECTION_TITLES,
    Translate,
    contact_parts,
    effective_tracking,
    long_date,
    prepared_for,
    red_flag_groups,
    routine_qr_caption,
)
from routinekit.text import regimen_text
from routinekit.text.scripts import is_rtl_language

CSS = """
:root{--ink:#1a1a1f;--muted:#545a61;--accent:#0a5485;--tint:#ebf2fa;--alert:#b31414;
--alert-tint:#fff2f0;--rule:#c7ccd4}
*{box-sizing:border-box}
body{font:11pt/1.35 "DejaVu Sans",Verdana,Arial,sans-serif;color:var(--ink);margin:0 auto;
max-width:46rem;padding:1.2rem}
h1{font-size:1.7rem;margin:.2rem 0}
h2{font-size:1.2rem;color:var(--accent);border-bottom:1px solid var(--accent);margin:1rem 0 .4rem}
h3,h4{color:var(--accent);margin:.6rem 0 .2rem}
.clinic{color:var(--accent);font-weight:bold;font-size:1.1rem}
.contact,.url,.muted,footer{color:var(--muted)}
.url{font-size:.75rem;word-break:break-all;direction:ltr;unicode-bidi:isolate}
.top{display:flex;gap:1rem;justify-content:space-between;align-items:flex-start}
.qr{text-align:center;margin:0}
.qr svg{display:block;margin:0 auto}
.patient{background:var(--tint);padding:.4rem .6rem;border-radius:4px}
.patient dt{display:inline;font-weight:bold;color:var(--accent)}
.patient dd{display:inline;margin:0;margin-inline:.2rem 1rem;unicode-bidi:isolate}
.red-flags{border:2px solid var(--alert);background:var(--alert-tint);border-radius:6px;
padding:.4rem .8rem;margin:1rem 0}
.red-flags h2{color:var(--alert);border:0;margin:.2rem 0}
.red-flags.emergency{border-width:4px}
.card{display:flex;gap:1rem;border-top:1px solid var(--rule);padding:.5rem 0}
.card .text{flex:1}
.card .num{display:inline-block;min-width:1.6em;height:1.6em;border-radius:50%;
background:var(--accent);color:#fff;text-align:center;margin-inline-end:.4em}
.card ol{margin:.2rem 0;padding-inline-start:1.6rem}
.card p{margin:.2rem 0}
.card .side{width:9rem;flex:none}
.card img,.card .picture svg{max-width:100%;height:auto}
.label{font-weight:bold}
.dose{color:var(--accent);font-weight:bold}
.caution .label{color:var(--alert)}
table.log{border-collapse:collapse}
table.log th,table.log td{border:1px solid var(--rule);padding:.15rem .6rem;text-align:center}
table.log th{background:var(--tint);color:var(--accent)}
footer{border-top:1px solid var(--rule);margin-top:1.5rem;padding-top:.4rem;font-size:.85rem}
@media print{
 body{max-width:none;padding:0}
 .card,.red-flags,figure,table.log{break-inside:avoid}
 h2,h3,h4{break-after:avoid}
 a{color:inherit;text-decoration:none}
}
"""
#: Large print (``--large-print``): the root size is 18 pt, so every size given in rem
#: grows with it, and nothing is printed smaller than 18 pt (links, contact, footer);
#: wider line spacing, and a column of about 65 letters of that size.
LARGE_PRINT_CSS = """
html{font-size:18pt}
body{font-size:18pt;line-height:1.45;max-width:36rem}
.url,.contact,footer,.muted{font-size:1rem}
.card .side{width:11rem}
"""


@functools.lru_cache(maxsize=1024)
def qr_svg(url: str, size_mm: float) -> str:
    """An inline SVG QR code with its quiet zone, ``size_mm`` wide (symbol only)."""
    m = qr_matrix(url)
    q = QUIET_ZONE
    total = m.size + 2 * q
    mm = size_mm * total / m.size
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-q} {-q} {total} {total}" '
        f'width="{mm:.1f}mm" height="{mm:.1f}mm" shape-rendering="crispEdges" role="img" '
        f'aria-label="QR code">'
        f'<rect x="{-q}" y="{-q}" width="{total}" height="{total}" fill="#fff"/>'
        f'<path fill="#000" d="{m.svg_path}"/></svg>'
    )


def _data_uri(path: str) -> str:
    data = Path(path).read_bytes()
    media = image_type(data[:8]) or "application/octet-stream"
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


@functools.cache
def _svg_illustrator() -> Callable[..., str | None] | None:
    if importlib.util.find_spec("routinekit.illustrations") is None:
        return None
    module = importlib.import_module("routinekit.illustrations")
    return getattr(module, "svg_for", None)


def _e(text: str) -> str:
    return escape(text, quote=True)


def _named_svg(svg: str, label: str) -> str:
    """The drawing as one image named ``label`` (already escaped): not an image in an image."""
    head, sep, rest = svg.partition(">")
    head = re.sub(r'\s(?:role|aria-label)="[^"]*"', "", head)
    return f'{head} role="img" aria-label="{label}"{sep}{rest}'


class _Page:
    def __init__(self, h: Handout, options: RenderOptions, _: Translate) -> None:
        self.h = h
        self.o = options
        self.t = _
        self.out: list[str] = []

    def add(self, *parts: str) -> None:
        self.out.extend(parts)

    # --------------------------------------------------------------- top
    def header(self) -> None:
        h, _ = self.h, self.t
        self.add("<header>")
        if h.clinic:
            if h.clinic.logo:
                logo = check_image(h.clinic.logo, h.base_dir, field="logo")
                self.add(
                    f'<img class="logo" src="{_data_uri(logo)}" alt="{_e(h.clinic.name)}" '
                    'style="max-height:3rem">'
                )
            self.add(f'<div class="clinic">{_e(h.clinic.name)}</div>')
            parts = contact_parts(h)
            if parts:
                self.add(f'<div class="contact">{" · ".join(_e(p) for p in parts)}</div>')
        self.add("</header>")

    def title(self) -> None:
        h, _ = self.h, self.t
        self.add('<div class="top"><div>', f"<h1>{_e(h.title)}</h1>")
        if h.video_url:
            self.add(f"<p>{_e(routine_qr_caption(_))}</p>")
        if h.patient is not None:
            p = h.patient
            fields = [
                (_("Patient:"), p.name),
                (_("Date:"), long_date(h.date, _)),
                (_("Therapist:"), p.therapist),
                (_("Clinic:"), p.clinic),
                (_("Note:"), p.notes),
            ]
            self.add('<dl class="patient">')
            for label, value in fields:
                if value:
                    self.add(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
            self.add("</dl>")
        self.add("</div>")
        if h.video_url:
            self.qr_figure(h.video_url, 25.0, _("Video of the whole routine"))
        self.add("</div>")

    def qr_figure(self, url: str, size_mm: float, label: str) -> None:
        svg = qr_svg(url, size_mm).replace('aria-label="QR code"', f'aria-label="{_e(label)}"', 1)
        self.add(
            f'<figure class="qr">{svg}<figcaption class="url">'
            f'<a href="{_e(url)}">{_e(short_url(url))}</a></figcaption></figure>'
        )

    # ---------------------------------------------------------- sections
    def education(self) -> None:
        for sec in self.h.education:
            self.add(
                "<section>", f"<h2>{_e(sec.heading)}</h2>", f"<p>{_e(sec.text)}</p>", "</section>"
            )

    def self_care(self) -> None:
        if self.h.self_care:
            self.add("<section>", f"<h2>{_e(self.t(SECTION_TITLES['self_care']))}</h2><ul>")
            self.add(*(f"<li>{_e(t)}</li>" for t in self.h.self_care))
            self.add("</ul></section>")

    def red_flags(self) -> None:
        for level, items in red_flag_groups(self.h):
            self.add(
                f'<aside class="red-flags {level.value}" role="note">',
                f"<h2>{_e(self.t(RED_FLAG_TITLES[level]))}</h2><ul>",
            )
            self.add(*(f"<li>{_e(t)}</li>" for t in items))
            self.add("</ul></aside>")

    def exercises(self) -> None:
        h, _ = self.h, self.t
        self.add("<section>", f"<h2>{_e(_(SECTION_TITLES['exercises']))}</h2>")
        self.add(
            f'<p class="dose">{_e(_("How long and how often:"))} '
            f"{_e(regimen_text(h.regimen, h.language))}.</p>"
        )
        common = shared_cautions(h)
        if common:
            self.add(
                f'<p class="caution"><span class="label">{_e(_("With every exercise:"))}'
                f"</span> {_e(' '.join(common))}</p>"
            )
        for group in h.groups:
            level = 3
            if group.title:
                self.add(f"<h3>{_e(_(group.title))}</h3>")
                level = 4
            if group.intro:
                self.add(f'<p class="muted">{_e(_(group.intro))}</p>')
            cautions = group_cautions(h, group, common)
            for numbers, sentence in cautions.shared:
                label = _("With exercises {numbers}:").format(numbers=numbers_text(numbers, _))
                self.add(
                    f'<p class="caution"><span class="label">{_e(label)}</span> {_e(sentence)}</p>'
                )
            for item in group.items:
                self.card(item, level, cautions.on_card[item.number])
        self.add("</section>")

    def card(self, item: HandoutItem, level: int, cautions: tuple[str, ...]) -> None:
        """One exercise; ``cautions`` are those not already printed above the cards."""
        h, _ = self.h, self.t
        name, objective, steps, _cautions, alts = item_texts(item, h.language)
        self.add(f'<article class="card" id="exercise-{_e(item.exercise.id)}"><div class="text">')
        self.add(f'<h{level}><span class="num">{item.number}</span>{_e(name)}</h{level}>')
        self.add(
            f'<p class="muted"><span class="label">{_e(_("Objective:"))}</span> '
            f"{_e(objective)}</p><ol>"
        )
        self.add(*(f"<li>{_e(s)}</li>" for s in steps))
        self.add("</ol>")
        dose = card_dose_text(item, h.regimen, h.language)
        if dose:
            self.add(f'<p class="dose">{_e(_("How much:"))} {_e(dose)}</p>')
        if cautions:
            self.add(
                f'<p class="caution"><span class="label">{_e(_("Take care:"))}</span> '
                f"{_e(' '.join(cautions))}</p>"
            )
        for position, text in alts:
            label = alternative_label(item, position, _)
            self.add(f'<p><span class="label">{_e(label)}</span> {_e(text)}</p>')
        for label, text in card_notes(item, _):
            self.add(f'<p><span class="label">{_e(label)}</span> {_e(text)}</p>')
        if self.o.show_reasons and item.reason:
            self.add(
                f'<p class="muted"><span class="label">{_e(_("Why it is here:"))}</span> '
                f"{_e(item.reason)}</p>"
            )
        self.add("</div>")
        picture = self.picture(item, name)
        qr = bool(self.o.exercise_qr and item.video_url)
        if picture or qr:
            self.add('<div class="side">', picture)
            if qr and item.video_url:
                self.qr_figure(item.video_url, 18.0, _("Video of {name}").format(name=name))
            self.add("</div>")
        self.add("</article>")

    def picture(self, item: HandoutItem, name: str) -> str:
        ex, _ = item.exercise, self.t
        alt = _e(_("Drawing of {name}").format(name=name))
        if ex.image:
            path = check_image(ex.image, self.h.base_dir)
            return f'<img src="{_data_uri(path)}" alt="{alt}">'
        svg_for = _svg_illustrator()
        if svg_for is not None:
            svg = svg_for(ex, 40)
            if svg:
                return f'<div class="picture">{_named_svg(svg, alt)}</div>'
        return ""

    def phases(self) -> None:
        if not self.h.phases:
            return
        self.add("<section>", f"<h2>{_e(self.t(SECTION_TITLES['phases']))}</h2><ol>")
        for line in stage_lines(self.h):
            here = f" <strong>{_e(self.t('You are here.'))}</strong>" if line.here else ""
            after = (
                " " + _e(self.t("Next: {name}.").format(name=line.next_name))
                if line.next_name
                else ""
            )
            current = ' aria-current="step"' if line.here else ""
            self.add(
                f'<li{current}><span class="label">{_e(line.name)}.</span>{here} '
                f"{_e(line.text)}{after}</li>"
            )
        self.add("</ol></section>")

    def tracking(self) -> None:
        h, _ = self.h, self.t
        if not effective_tracking(h, self.o.tracking_log):
            return
        log = h.tracking_log
        days, sessions = (log.days, log.sessions_per_day) if log else (7, 3)
        pain = log.pain_score if log else True
        self.add("<section>", f"<h2>{_e(_(SECTION_TITLES['tracking_log']))}</h2>")
        self.add(f'<p class="muted">{_e(_("Tick a box each time you finish the routine."))}</p>')
        heads = [_("Day"), *(_("Session {n}").format(n=n) for n in range(1, sessions + 1))]
        if pain:
            heads.append(_("Pain 0-10"))
        self.add('<table class="log"><thead><tr>')
        self.add(*(f'<th scope="col">{_e(x)}</th>' for x in heads))
        self.add("</tr></thead><tbody>")
        for d in range(1, days + 1):
            cells = "<td>\u2610</td>" * sessions + ("<td></td>" if pain else "")
            self.add(f'<tr><th scope="row">{d}</th>{cells}</tr>')
        self.add("</tbody></table></section>")

    def footer(self) -> None:
        h, _ = self.h, self.t
        parts = ([h.clinic.name] if h.clinic else []) + contact_parts(h)
        self.add("<footer>")
        if parts:
            self.add(f"<div>{' · '.join(_e(p) for p in parts)}</div>")
        prepared = prepared_for(h, _)
        if prepared:
            self.add(f"<div>{_e(prepared)}</div>")
        self.add("</footer>")

    def render(self) -> str:
        h = self.h
        page = "A4" if self.o.page_size == "a4" else "letter"
        direction = "rtl" if is_rtl_language(h.language) else "ltr"
        self.add(
            "<!DOCTYPE html>",
            f'<html lang="{_e(h.language)}" dir="{direction}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(h.title)}</title>",
            f'<meta name="author" content="{_e(h.clinic.name if h.clinic else "routinekit")}">',
            f"<style>{CSS}@page{{size:{page};margin:12mm}}"
            f"{LARGE_PRINT_CSS if self.o.large_print else ''}</style></head><body>",
        )
        self.header()
        self.add("<main>")
        self.title()
        makers = {
            "education": self.education,
            "self_care": self.self_care,
            "red_flags": self.red_flags,
            "exercises": self.exercises,
            "phases": self.phases,
            "tracking_log": self.tracking,
        }
        done: set[str] = set()
        for name in (*h.section_order, *SECTIONS):
            if name in makers and name not in done:
                done.add(name)
                makers[name]()
        self.add("</main>")
        self.footer()
        self.add("</body></html>\n")
        return "\n".join(self.out)


def render_html(handout: Handout, options: RenderOptions) -> bytes:
    """The handout as a self-contained UTF-8 HTML document."""
    return _Page(handout, options, translator(handout.language)).render().encode("utf-8")
