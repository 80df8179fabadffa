"""Can the PDF print this text? Right-to-left scripts and missing glyphs are refused clearly.

The PDF renderer draws text left to right with the bundled DejaVu Sans. That covers
accented Latin, Greek and Cyrillic. Arabic and Hebrew need the letters reordered
(bidi) and, for Arabic, joined into their connected forms (shaping); reportlab does
neither, so drawn as-is the letters come out reversed and disconnected. Rather than
print a name wrongly, :func:`check_printable` raises :class:`UnsupportedScriptError`
naming the field (never its content: it may be a patient's name). Formats whose viewer
lays out text itself (HTML) need no such check.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from routinekit.errors import Location, UserError
from routinekit.model import Handout

FONT = Path(__file__).resolve().parent.parent / "fonts" / "DejaVuSans.ttf"
#: Explicit right-to-left marks and embeddings count as right-to-left text too.
_RTL_CONTROLS = frozenset("\u200f\u202b\u202e\u2067\u061c")
#: Characters drawn as nothing or as a space: never a missing glyph.
_INVISIBLE = frozenset("\n\r\t\u00ad\u200b\u200c\u200d\u2060\ufeff")


class UnsupportedScriptError(UserError):
    """Text the PDF cannot print correctly (right-to-left, or no glyph in the font)."""


def rtl_script(text: str) -> str | None:
    """The name of the first right-to-left script in ``text`` (``Arabic``, ``Hebrew``), if any."""
    for ch in text:
        if ch in _RTL_CONTROLS:
            return "right-to-left mark"
        if unicodedata.bidirectional(ch) in ("R", "AL"):
            return unicodedata.name(ch, "right-to-left").split()[0].title()
    return None


@lru_cache(maxsize=1)
def font_characters() -> frozenset[int]:
    """Code points the bundled DejaVu Sans can draw.

    Read from the face the PDF renderer registers anyway (parsing the font file a
    second time would cost a cold build ~30 ms).
    """
    from reportlab.pdfbase.pdfmetrics import getFont

    from routinekit.render.pdf.fonts import REGULAR, ensure_fonts

    ensure_fonts()  # registers FONT as REGULAR
    return frozenset(getFont(REGULAR).face.charToGlyph)


def missing_glyph(text: str) -> str | None:
    """The first character in ``text`` the font cannot draw (e.g. ``U+4E2D``), if any."""
    chars = font_characters()
    for ch in unicodedata.normalize("NFC", text):
        if ch in _INVISIBLE or ord(ch) in chars:
            continue
        return f"U+{ord(ch):04X}"
    return None


def handout_texts(handout: Handout) -> Iterator[tuple[str, str, bool]]:
    """Every printed string as ``(field, text, personal)``."""
    p = handout.patient
    if p is not None:
        for name in ("name", "therapist", "clinic", "notes"):
            value = getattr(p, name)
            if value:
                yield f"patient.{name}", value, True
    c = handout.clinic
    if c is not None:
        for name in ("name", "phone", "email", "address"):
            value = getattr(c, name)
            if value:
                yield f"clinic.{name}", value, False
    yield "title", handout.title, False
    if handout.condition:
        yield "condition", handout.condition, False
    for i, sec in enumerate(handout.education):
        yield f"education[{i}]", f"{sec.heading} {sec.text}", False
    for i, text in enumerate(handout.self_care):
        yield f"self_care[{i}]", text, False
    for i, flag in enumerate(handout.red_flags):
        yield f"red_flags[{i}]", flag.text, False
    for i, ph in enumerate(handout.phases):
        yield f"phases[{i}]", " ".join(t for t in (ph.name, ph.when, ph.move_on) if t), False
    for g in handout.groups:
        for t in (g.title, g.intro):
            if t:
                yield "group title", t, False
    for item in handout.items:
        ex = item.exercise
        words = [ex.name, ex.objective, *ex.steps, *ex.cautions, *(a.text for a in ex.alternatives)]
        if item.note:
            words.append(item.note)
        yield f"exercise '{ex.id}'", " ".join(words), False


#: Shared texts (routine, library, clinic, translations) checked per process: the same
#: few hundred strings recur in every handout of a batch. Personal fields are never kept.
PRINTABLE_CACHE_SIZE = 2048


def _problems(text: str) -> tuple[str | None, str | None]:
    """``(right-to-left script, missing glyph)`` of ``text``, either None when fine."""
    script = rtl_script(text)
    return script, (None if script else missing_glyph(text))


_shared_problems = lru_cache(maxsize=PRINTABLE_CACHE_SIZE)(_problems)


def check_printable(handout: Handout) -> None:
    """Raise :class:`UnsupportedScriptError` if the PDF would print any text wrongly."""
    for field, text, personal in handout_texts(handout):
        what = f"the {field.replace('.', ' ')}" if personal else f"'{field}'"
        script, glyph = _problems(text) if personal else _shared_problems(text)
        if script:
            raise UnsupportedScriptError(
                f"{what} contains right-to-left text ({script}), which the PDF cannot print "
                "in the right order",
                location=Location(field=field),
                hint="write it in Latin letters for the PDF, or use -f html "
                "(browsers lay out right-to-left text)",
            )
        if glyph:
            raise UnsupportedScriptError(
                f"{what} contains a character the PDF font cannot draw ({glyph})",
                location=Location(field=field),
                hint="the PDF prints Latin, Greek and Cyrillic letters; use -f html for others",
            )
