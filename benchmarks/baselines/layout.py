"""Hand layout of the benchmark handout into draw operations, shared by both floors.

The layout is the least a careful reportlab user would write: greedy word wrap with
font metrics, exercise cards that never split, page X of Y, a boxed red-flag panel,
a tracking grid. It returns pages as lists of operations:

    ("t", font, size, rgb, x, y, text)        a line of text
    ("q", url, x, y, size)                    a QR code (incl. quiet zone), lower-left
    ("l", x1, y1, x2, y2, width, rgb)         a line
    ("r", x, y, w, h, width, rgb)             a stroked rectangle
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MM = 72 / 25.4
PAGE_W, PAGE_H = 612.0, 792.0  # US Letter
ML = MR = 0.6 * 72
MT, MB = 0.55 * 72, 0.8 * 72
QR_TOP = 34 * MM  # routine code incl. 4-module quiet zone (symbol >= 25 mm)
QR_EX = 26 * MM  # exercise code incl. quiet zone (symbol >= 18 mm)
ACCENT = (0.10, 0.33, 0.55)
BLACK = (0.0, 0.0, 0.0)
GREY = (0.35, 0.35, 0.35)
RED = (0.65, 0.10, 0.10)
BODY = 11.0
LEAD = 14.0

Op = tuple[Any, ...]
Width = Callable[[str, str, float], float]


def wrap(text: str, font: str, size: float, width: float, measure: Width) -> list[str]:
    """Greedy word wrap."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        cand = f"{line} {word}" if line else word
        if line and measure(cand, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = cand
    if line:
        lines.append(line)
    return lines


class _Flow:
    def __init__(self, fonts: dict[str, str], measure: Width) -> None:
        self.fonts, self.measure = fonts, measure
        self.pages: list[list[Op]] = []
        self.ops: list[Op] = []
        self.y = PAGE_H - MT

    def new_page(self) -> None:
        self.pages.append(self.ops)
        self.ops, self.y = [], PAGE_H - MT

    def need(self, height: float) -> None:
        if self.y - height < MB:
            self.new_page()

    def lines(self, text: str, key: str, size: float, width: float) -> list[str]:
        return wrap(text, self.fonts[key], size, width, self.measure)

    def para(
        self,
        text: str,
        key: str = "R",
        size: float = BODY,
        lead: float = LEAD,
        x: float = ML,
        width: float = PAGE_W - ML - MR,
        rgb: tuple[float, ...] = BLACK,
        keep: bool = False,
    ) -> None:
        lines = self.lines(text, key, size, width)
        if keep:
            self.need(lead * len(lines))
        for line in lines:
            if not keep:
                self.need(lead)
            self.y -= lead
            self.ops.append(
                ("t", self.fonts[key], size, rgb, x, self.y + (lead - size) / 2 + 1, line)
            )

    def heading(self, text: str) -> None:
        self.need(16 + 3 * LEAD)  # never strand a heading at the bottom
        self.y -= 6
        self.para(text, "B", 13.5, 17, rgb=ACCENT)
        self.y -= 2


def layout(c: dict[str, Any], fonts: dict[str, str], measure: Width) -> list[list[Op]]:
    f = _Flow(fonts, measure)
    aw = PAGE_W - ML - MR
    top = f.y
    tw = aw - (QR_TOP + 12 if c["video_url"] else 0)
    if c["video_url"]:
        x = PAGE_W - MR - QR_TOP
        f.ops.append(("q", c["video_url"], x, top - QR_TOP, QR_TOP))
        f.ops.append(
            ("t", fonts["R"], 7.5, BLACK, x + 6, top - QR_TOP - 6, "Scan to watch the videos")
        )
    if c["clinic"]:
        f.para(c["clinic"], "B", 12, 15, width=tw)
        f.para("  |  ".join(c["contact"]), "R", 9, 11.5, width=tw, rgb=GREY)
    f.y -= 6
    f.para(c["title"], "B", 20, 24, width=tw, rgb=ACCENT)
    if c["condition"]:
        f.para(c["condition"], "R", BODY, LEAD, width=tw, rgb=GREY)
    if c["patient"]:
        f.y -= 4
        for label, value in (
            ("For:", c["patient"]),
            ("Date:", c["date"]),
            ("Therapist:", c["therapist"]),
        ):
            if value:
                f.y -= LEAD
                f.ops.append(("t", fonts["B"], BODY, BLACK, ML, f.y + 2.5, label))
                f.ops.append(("t", fonts["R"], BODY, BLACK, ML + 64, f.y + 2.5, value))
    f.y = min(f.y, top - QR_TOP - 14) - 6
    f.ops.append(("l", ML, f.y, PAGE_W - MR, f.y, 1.0, ACCENT))
    f.y -= 4
    for sec in c["education"]:
        f.heading(sec["heading"])
        f.para(sec["text"])
    if c["self_care"]:
        f.heading("Taking care of yourself")
        for tip in c["self_care"]:
            f.para("•  " + tip, keep=True)
    if c["red_flags"]:
        lines = [
            line for flag in c["red_flags"] for line in f.lines("•  " + flag, "R", BODY, aw - 20)
        ]
        height = 24 + LEAD * len(lines) + 10
        f.y -= 8
        f.need(height)
        f.ops.append(("r", ML, f.y - height, aw, height, 1.5, RED))
        f.y -= 6
        f.para("Stop and call your clinician if you have:", "B", 12, 18, x=ML + 10, rgb=RED)
        for line in lines:
            f.y -= LEAD
            f.ops.append(("t", fonts["R"], BODY, BLACK, ML + 10, f.y + 2.5, line))
        f.y -= 10
    f.heading("Your exercises")
    f.para(c["regimen"], "B", 12, 16, rgb=ACCENT)
    for p in c["phases"]:
        f.para(f"{p['name']}: {p['move_on'] or 'keep going'}", size=10, lead=13)
    for g in c["groups"]:
        if g["title"]:
            f.heading(g["title"])
        if g["intro"]:
            f.para(g["intro"])
        for it in g["items"]:
            _card(f, it)
    if c["tracking"]:
        _tracking(f, *c["tracking"])
    f.new_page()
    _footers(f.pages, c, fonts)
    return f.pages


def _card(f: _Flow, it: dict[str, Any]) -> None:
    aw = PAGE_W - ML - MR
    tw = aw - (QR_EX + 10 if it["url"] else 0)
    blocks: list[tuple[str, str, tuple[float, ...], str]] = [
        (f"{it['number']}. {it['name']}", "B", BLACK, "name"),
        (it["objective"], "R", GREY, "body"),
        *((f"{n}. {s}", "R", BLACK, "body") for n, s in enumerate(it["steps"], 1)),
        (it["dose"], "B", ACCENT, "body"),
        *((f"Caution: {t}", "R", RED, "body") for t in it["cautions"]),
        *((f"Other position: {t}", "R", BLACK, "body") for t in it["alternatives"]),
    ]
    if it["note"]:
        blocks.append((f"Note from your therapist: {it['note']}", "B", BLACK, "body"))
    wrapped = [
        (f.lines(t, k, 12.5 if kind == "name" else BODY, tw), k, rgb, kind)
        for t, k, rgb, kind in blocks
    ]
    height = sum((16 if kind == "name" else LEAD) * len(ls) for ls, _, _, kind in wrapped)
    height = max(height, QR_EX + 10 if it["url"] else 0) + 12
    f.need(height)
    f.y -= 6
    btop = f.y
    if it["url"]:
        x = PAGE_W - MR - QR_EX
        f.ops.append(("q", it["url"], x, btop - QR_EX, QR_EX))
        f.ops.append(("t", f.fonts["R"], 6, GREY, x, btop - QR_EX - 6, it["url"][-40:]))
    for ls, k, rgb, kind in wrapped:
        size, lead = (12.5, 16.0) if kind == "name" else (BODY, LEAD)
        for line in ls:
            f.y -= lead
            f.ops.append(("t", f.fonts[k], size, rgb, ML, f.y + (lead - size) / 2 + 1, line))
    f.y = min(f.y, btop - QR_EX - 10) - 6
    f.ops.append(("l", ML, f.y, PAGE_W - MR, f.y, 0.5, (0.75, 0.75, 0.75)))


def _tracking(f: _Flow, days: int, sessions: int) -> None:
    row = 18.0
    f.need(row * (days + 1) + 30)  # heading and grid together
    f.heading("Tracking log")
    cols = ["Day", *(f"Session {s + 1}" for s in range(sessions)), "Pain 0-10"]
    cw = (PAGE_W - ML - MR) / len(cols)
    top = f.y
    for r in range(days + 2):
        y = top - r * row
        f.ops.append(("l", ML, y, PAGE_W - MR, y, 0.5, GREY))
    for k in range(len(cols) + 1):
        x = ML + k * cw
        f.ops.append(("l", x, top, x, top - (days + 1) * row, 0.5, GREY))
    for k, label in enumerate(cols):
        f.ops.append(("t", f.fonts["B"], 9, BLACK, ML + k * cw + 4, top - row + 5, label))
    for d in range(days):
        f.ops.append(("t", f.fonts["R"], 9, BLACK, ML + 4, top - (d + 2) * row + 5, str(d + 1)))
    f.y = top - (days + 1) * row - 6


def _footers(pages: list[list[Op]], c: dict[str, Any], fonts: dict[str, str]) -> None:
    left = " | ".join(x for x in (c["clinic"], *c["contact"][:1]) if x)
    who = f"Prepared for {c['patient']} on {c['date']}" if c["patient"] else ""
    for n, ops in enumerate(pages, 1):
        y = MB - 30
        ops.append(("l", ML, MB - 18, PAGE_W - MR, MB - 18, 0.5, GREY))
        ops.append(("t", fonts["R"], 8, GREY, ML, y, f"{left}   {who}"))
        ops.append(("t", fonts["R"], 8, GREY, PAGE_W - MR - 60, y, f"Page {n} of {len(pages)}"))
