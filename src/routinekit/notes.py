"""Notes on exercise cards: the routine's tips and the therapist's own notes for one patient.

A routine's ``note`` on an exercise is general advice for everyone who gets the routine: it
prints as a tip. A patient file or batch row can carry ``exercise_notes: {ID: text}`` (in a
CSV, a column ``note:ID``): those print as "Note from your therapist". A note written in
another language than the handout's is a warning: the patient may not read it.

:func:`guess_language` is a small, cautious guess from common short words (no model, no
download): it answers only when the note clearly reads as one language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from routinekit.errors import Location, ValidationError


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Common short words by language: enough to tell a sentence's language, not a dictionary.
COMMON_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and you your with for to of is it this that on in do not if when after before "
        "each day time times keep start stop slowly gently knee knees back only far as be are "
        "can will up down one both then feels feel easy more less so than until too very "
        "hurts pain hold slow turn bend walk sit stand lie every first try just how what"
    ),
    "es": _words(
        "el la los las y usted su sus con para del una es si cuando después antes cada día "
        "vez veces mantenga empiece pare despacio suave rodilla rodillas espalda que lo al "
        "por muy más menos hasta dolor sostenga gire camine luego las dos primero"
    ),
    "fr": _words(
        "le les et vous votre avec pour des une est ne pas quand après avant chaque jour "
        "fois doucement genou dos puis très plus moins douleur"
    ),
    "de": _words(
        "der die das und sie ihr mit für zu von ein eine ist nicht wenn nach vor jeden tag "
        "mal langsam knie rücken dann sehr mehr weniger schmerz"
    ),
    "pt": _words(
        "os você seu sua com para do da um uma não se quando depois antes cada dia vez vezes "
        "devagar joelho costas então muito mais menos dor"
    ),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Scripts a note is clearly in when most of its letters are theirs: code point ranges (a
#: compiled character class over the CJK ranges costs milliseconds at every start).
_SCRIPTS: tuple[tuple[tuple[tuple[int, int], ...], str], ...] = (
    (((0x0600, 0x06FF),), "ar"),
    (((0x0400, 0x04FF),), "ru"),
    (((0x3040, 0x30FF), (0x3400, 0x9FFF), (0xAC00, 0xD7AF)), "zh"),
)


def language_scores(text: str) -> dict[str, int]:
    """How many common words of each language the text has."""
    words = [w.lower() for w in _WORD.findall(text)]
    return {lang: sum(w in common for w in words) for lang, common in COMMON_WORDS.items()}


def guess_language(text: str) -> str | None:
    """The language a note is clearly written in, or None when it is not clear."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    for ranges, lang in _SCRIPTS:
        inside = sum(1 for c in letters if any(lo <= ord(c) <= hi for lo, hi in ranges))
        if inside * 2 > len(letters):
            return lang
    scores = language_scores(text)
    best = max(scores, key=lambda k: scores[k])
    runner_up = max(v for k, v in scores.items() if k != best)
    if scores[best] >= 3 and scores[best] >= 2 * runner_up:
        return best
    return None


def language_mismatch(text: str, language: str) -> str | None:
    """The language a note is in when that is clearly not the handout's, else None.

    Cautious: the note must read clearly as another language, and have few words of the
    handout's own (a short English note with one Spanish-looking word is not flagged).
    """
    guess = guess_language(text)
    base = language.split("-", 1)[0].lower()
    if guess is None or guess == base:
        return None
    scores = language_scores(text)
    if base in scores and scores[base] * 2 >= scores.get(guess, 0):
        return None
    return guess


def check_note_ids(
    notes: Mapping[str, str], known: Mapping[str, object] | set[str], source: str | None
) -> None:
    """Every note must be for an exercise that exists (the usual located error if not)."""
    import difflib

    for ident in notes:
        if ident not in known:
            close = difflib.get_close_matches(ident, list(known), n=1)
            raise ValidationError(
                f"note for unknown exercise '{ident}'",
                location=Location(file=source, field=f"exercise_notes.{ident}"),
                hint=f"did you mean '{close[0]}'?" if close else "use an exercise id",
            )
