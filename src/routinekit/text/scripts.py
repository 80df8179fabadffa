"""Can the PDF print this text? Which languages are written right to left?

The PDF draws each character with the first font of its fallback chain that has it
(:mod:`routinekit.render.pdf.fallback`: DejaVu Sans, the bundled Noto faces for Arabic,
Hebrew, Devanagari, Bengali, Tamil and Thai, then faces from plugins such as
``routinekit-fonts-cjk``). A character no font has (an emoji, say) is refused by
:func:`check_printable` with :class:`UnsupportedScriptError`, naming the field and the
code point (never the text: it may be a patient's name). Formats whose viewer lays out
text itself (HTML) need no such check.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from routinekit.errors import Location, UserError
from routinekit.model import Handout

#: Languages written right to left: a handout in one of them is laid out mirrored.
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
#: Blocks the optional CJK font package covers (its hint names it).
_CJK = ((0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


#: Bidi embeddings, overrides and isolates: invisible characters that reorder the text
#: drawn after them (a trick to make text read differently); refused. Plain direction
#: marks (U+200E, U+200F, U+061C) are fine: the layout orders text itself.
BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class UnsupportedScriptError(UserError):
    """Text the PDF cannot print: no font in the chain has one of its characters."""


def is_rtl_language(language: str | None) -> bool:
    """Is ``language`` (``ar``, ``he-IL``, ...) written right to left?"""
    if not language:
        return False
    return language.replace("_", "-").split("-")[0].lower() in RTL_LANGUAGES


def missing_glyph(text: str) -> str | None:
    """The first character in ``text`` no font can draw (e.g. ``U+1F600``), if any."""
    from routinekit.render.pdf.fallback import has_glyph

    for ch in unicodedata.normalize("NFC", text):
        if not has_glyph(ch):
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


def _missing(text: str) -> str | None:
    """``override:U+202E`` for a bidi override, ``U+1F600`` for a missing glyph, or None."""
    if text.isascii() and text.isprintable():
        return None
    for ch in text:
        if ch in BIDI_OVERRIDES:
            return f"override:U+{ord(ch):04X}"
    return missing_glyph(text)


_shared_missing = lru_cache(maxsize=PRINTABLE_CACHE_SIZE)(_missing)


def _hint(code: str) -> str:
    cp = int(code[2:], 16)
    if any(lo <= cp <= hi for lo, hi in _CJK):
        return "install the routinekit-fonts-cjk package for Chinese, Japanese and Korean"
    return "leave that character out for the PDF, or use -f html"


def check_printable(handout: Handout) -> None:
    """Raise :class:`UnsupportedScriptError` if the PDF cannot draw some character."""
    for field, text, personal in handout_texts(handout):
        glyph = _missing(text) if personal else _shared_missing(text)
        if glyph:
            what = f"the {field.replace('.', ' ')}" if personal else f"'{field}'"
            if glyph.startswith("override:"):
                raise UnsupportedScriptError(
                    f"{what} contains an invisible bidi control ({glyph[9:]}) that would "
                    "reorder the text after it",
                    location=Location(field=field),
                    hint="remove it (right-to-left text prints in the right order without it)",
                )
            raise UnsupportedScriptError(
                f"{what} contains a character no PDF font can draw ({glyph})",
                location=Location(field=field),
                hint=_hint(glyph),
            )
