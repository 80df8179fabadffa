"""The same handout through HTML + WeasyPrint: what a web developer would reach for.

Optional (``pip install -e ".[bench]"``); the benchmark skips it with a note when
WeasyPrint cannot be imported. QR codes are segno SVGs cached per URL (so this
baseline is not slowed by QR encoding), fonts are routinekit's DejaVu via @font-face.

    python benchmarks/baselines/weasy.py CONTENT.json -o out.pdf
"""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

FONT_DIR = Path(__file__).resolve().parents[2] / "src" / "routinekit" / "fonts"

CSS = """
@font-face { font-family: HS; src: url("%(dir)s/DejaVuSans.ttf"); }
@font-face { font-family: HS; font-weight: bold; src: url("%(dir)s/DejaVuSans-Bold.ttf"); }
@page { size: letter; margin: 0.55in 0.6in 0.8in 0.6in;
  @bottom-left { content: "%(footer)s"; font: 8pt HS; color: #595959; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt HS;
                  color: #595959; } }
body { font-family: HS; font-size: 11pt; line-height: 14pt; margin: 0; }
.head { display: flex; justify-content: space-between; border-bottom: 1pt solid #1a548c; }
.clinic { font-weight: bold; font-size: 12pt; } .contact { font-size: 9pt; color: #595959; }
h1 { font-size: 20pt; line-height: 24pt; color: #1a548c; margin: 6pt 0 2pt 0; }
h2 { font-size: 13.5pt; color: #1a548c; margin: 10pt 0 4pt 0; break-after: avoid; }
.qrtop { width: 34mm; font-size: 7.5pt; text-align: center; }
.qrtop svg { width: 34mm; height: 34mm; } p { margin: 0 0 4pt 0; }
.flags { border: 1.5pt solid #a61a1a; padding: 6pt 10pt; break-inside: avoid; }
.flags b { color: #a61a1a; } ul { margin: 0; padding-left: 14pt; }
.card { display: flex; justify-content: space-between; break-inside: avoid;
        border-bottom: 0.5pt solid #bfbfbf; padding: 6pt 0; }
.card .n { font-weight: bold; font-size: 12.5pt; } .card .o { color: #595959; }
.card .d { font-weight: bold; color: #1a548c; } .card .c { color: #a61a1a; }
.card .q { width: 26mm; flex: none; font-size: 6pt; color: #595959; }
.card svg { width: 26mm; height: 26mm; } ol { margin: 0; padding-left: 16pt; }
table { border-collapse: collapse; width: 100%%; break-inside: avoid; }
td, th { border: 0.5pt solid #595959; height: 14pt; font-size: 9pt; text-align: left; }
"""


@lru_cache(maxsize=512)
def qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m", boost_error=False, micro=False).svg_inline(
        scale=1, border=4, omitsize=True
    )


def html(c: dict[str, Any]) -> str:
    e = escape
    footer = f"{c['clinic'] or ''} | Prepared for {c['patient']} on {c['date']}".replace('"', "'")
    parts = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(c['title'])}"
        f"</title><style>{CSS % {'dir': FONT_DIR.as_uri(), 'footer': e(footer)}}</style>"
        "</head><body><div class='head'><div>"
    ]
    if c["clinic"]:
        parts.append(
            f"<div class='clinic'>{e(c['clinic'])}</div>"
            f"<div class='contact'>{e(' | '.join(c['contact']))}</div>"
        )
    parts.append(f"<h1>{e(c['title'])}</h1><p class='contact'>{e(c['condition'] or '')}</p>")
    if c["patient"]:
        parts.append(
            f"<p><b>For:</b> {e(c['patient'])}<br><b>Date:</b> {e(c['date'])}<br>"
            f"<b>Therapist:</b> {e(c['therapist'] or '')}</p>"
        )
    parts.append("</div>")
    if c["video_url"]:
        parts.append(f"<div class='qrtop'>{qr_svg(c['video_url'])}Scan to watch the videos</div>")
    parts.append("</div>")
    for sec in c["education"]:
        parts.append(f"<h2>{e(sec['heading'])}</h2><p>{e(sec['text'])}</p>")
    if c["self_care"]:
        parts.append("<h2>Taking care of yourself</h2><ul>")
        parts += [f"<li>{e(t)}</li>" for t in c["self_care"]]
        parts.append("</ul>")
    if c["red_flags"]:
        parts.append("<div class='flags'><b>Stop and call your clinician if you have:</b><ul>")
        parts += [f"<li>{e(t)}</li>" for t in c["red_flags"]]
        parts.append("</ul></div>")
    parts.append(f"<h2>Your exercises</h2><p class='d'><b>{e(c['regimen'])}</b></p>")
    parts += [f"<p>{e(p['name'])}: {e(p['move_on'] or 'keep going')}</p>" for p in c["phases"]]
    for g in c["groups"]:
        if g["title"]:
            parts.append(f"<h2>{e(g['title'])}</h2>")
        for it in g["items"]:
            parts.append(
                f"<div class='card'><div><div class='n'>{it['number']}. {e(it['name'])}</div>"
                f"<div class='o'>{e(it['objective'])}</div><ol>"
            )
            parts += [f"<li>{e(s)}</li>" for s in it["steps"]]
            parts.append(f"</ol><div class='d'>{e(it['dose'])}</div>")
            parts += [f"<div class='c'>Caution: {e(t)}</div>" for t in it["cautions"]]
            parts += [f"<div>Other position: {e(t)}</div>" for t in it["alternatives"]]
            if it["note"]:
                parts.append(f"<div><b>Note from your therapist: {e(it['note'])}</b></div>")
            parts.append("</div>")
            if it["url"]:
                parts.append(f"<div class='q'>{qr_svg(it['url'])}{e(it['url'][-40:])}</div>")
            parts.append("</div>")
    if c["tracking"]:
        days, sessions = c["tracking"]
        head = "".join(f"<th>Session {s + 1}</th>" for s in range(sessions))
        rows = "".join(
            f"<tr><td>{d + 1}</td>{'<td></td>' * (sessions + 1)}</tr>" for d in range(days)
        )
        parts.append(
            f"<h2>Tracking log</h2><table><tr><th>Day</th>{head}<th>Pain 0-10</th></tr>"
            f"{rows}</table>"
        )
    parts.append("</body></html>")
    return "".join(parts)


def render(content: dict[str, Any]) -> bytes:
    import weasyprint

    data: bytes = weasyprint.HTML(string=html(content)).write_pdf()
    return data


def main() -> None:
    ap = argparse.ArgumentParser(description="Render the benchmark handout with WeasyPrint.")
    ap.add_argument("content", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True)
    a = ap.parse_args()
    a.output.write_bytes(render(json.loads(a.content.read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main()
