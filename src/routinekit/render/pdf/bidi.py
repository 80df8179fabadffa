"""The Unicode bidirectional algorithm for one line of text (UAX #9, without embeddings).

A handout's lines are plain text: explicit embeddings, overrides and isolates are dropped
before layout (:data:`routinekit.render.pdf.fallback.BIDI_CONTROLS`), so the weak, neutral
and implicit rules (W1-W7, N1-N2, I1-I2) and the reordering rule L2 are the whole job.
Numbers keep their left-to-right order inside right-to-left text, and a right-to-left
name inside an English sentence reads right to left.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

_STRONG = {"L": "L", "R": "R", "AL": "R"}
_NEUTRAL = frozenset({"B", "S", "WS", "ON", "BN"})


def _class(ch: str) -> str:
    return unicodedata.bidirectional(ch) or "L"


def is_rtl_char(ch: str) -> bool:
    return _class(ch) in ("R", "AL")


def has_rtl(text: str) -> bool:
    """Does ``text`` hold a right-to-left letter (Hebrew, Arabic, ...)?"""
    return any(is_rtl_char(ch) for ch in text)


def levels(text: str, base: int) -> list[int]:
    """The embedding level of every character of ``text`` (``base`` 0: LTR, 1: RTL)."""
    sor = "R" if base % 2 else "L"
    types = [_class(ch) for ch in text]
    n = len(types)
    # W1: a combining mark takes the type of the character before it
    for i, t in enumerate(types):
        if t == "NSM":
            types[i] = types[i - 1] if i else sor
    # W2, W3: European numbers after Arabic letters are Arabic numbers; AL is R
    last = sor
    for i, t in enumerate(types):
        if t in ("L", "R", "AL"):
            last = t
        elif t == "EN" and last == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]
    # W4: one separator between two numbers of the same kind joins them
    for i in range(1, n - 1):
        a, t, b = types[i - 1], types[i], types[i + 1]
        if (t == "ES" and a == b == "EN") or (t == "CS" and a == b and a in ("EN", "AN")):
            types[i] = a
    # W5: terminators (%, currency) next to European numbers are numbers
    for i, t in enumerate(types):
        if t == "EN":
            j = i - 1
            while j >= 0 and types[j] == "ET":
                types[j] = "EN"
                j -= 1
            j = i + 1
            while j < n and types[j] == "ET":
                types[j] = "EN"
                j += 1
    # W6: other separators and terminators are neutral
    types = ["ON" if t in ("ES", "ET", "CS") else t for t in types]
    # W7: European numbers after left-to-right text are left-to-right
    last = sor
    for i, t in enumerate(types):
        if t in ("L", "R"):
            last = t
        elif t == "EN" and last == "L":
            types[i] = "L"
    # N1, N2: neutrals between two like directions take it, others the base direction
    i = 0
    while i < n:
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < n and types[j] in _NEUTRAL:
            j += 1
        before = _strong_dir(types[i - 1]) if i else sor
        after = _strong_dir(types[j]) if j < n else sor
        fill = before if before == after else sor
        for k in range(i, j):
            types[k] = fill
        i = j
    # I1, I2: implicit levels
    out = []
    for t in types:
        if base % 2 == 0:
            out.append(base + (1 if t == "R" else 2 if t in ("AN", "EN") else 0))
        else:
            out.append(base + (1 if t in ("L", "EN", "AN") else 0))
    return out


def _strong_dir(t: str) -> str:
    return "R" if t in ("R", "AN", "EN") else "L"


def visual_order(run_levels: Sequence[int]) -> list[int]:
    """Indexes of runs (given their levels, in logical order) from left to right (L2)."""
    order = list(range(len(run_levels)))
    if not order:
        return order
    top = max(run_levels)
    lowest_odd = min((lv for lv in run_levels if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if run_levels[order[i]] >= level:
                j = i
                while j < len(order) and run_levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order
