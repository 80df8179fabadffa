"""Reading-grade formulas for English text: Flesch-Kincaid grade level and SMOG.

* Flesch-Kincaid grade = 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59
  (Kincaid et al., 1975).
* SMOG grade = 1.0430 x sqrt(polysyllables x 30 / sentences) + 3.1291 (McLaughlin, 1969),
  where a polysyllable has three or more syllables. SMOG was made for samples of 30
  sentences; on a short section it is a rough guide, so routinekit reports it but judges
  by the higher of the two only where a section has at least 3 sentences.

Syllables are counted with the usual vowel-group rule (no dictionary), which is within
about one syllable per long word of a dictionary count: enough for a grade estimate.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’-][A-Za-zÀ-ÿ]+)*|\d+(?:[.,]\d+)?")


def sentences(text: str) -> list[str]:
    """Split text into sentences at ``.``, ``!``, ``?`` and line breaks; list items count as one."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and _WORD.search(s)]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


_NOT_LETTER = re.compile(r"[^a-z]")
_SILENT_END = re.compile(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$")
_VOWELS = re.compile(r"[aeiouy]{1,2}")


def syllables(word: str) -> int:
    """Vowel groups, less a silent final -e / -es / -ed; at least one. Numbers count as one."""
    w = _NOT_LETTER.sub("", word.lower())
    if not w:
        return 1
    if len(w) <= 3:
        return 1
    w = _SILENT_END.sub("", w)
    if w.startswith("y"):
        w = w[1:]
    return max(1, len(_VOWELS.findall(w)))


@dataclass(frozen=True)
class Readability:
    """Counts and grades of one piece of text."""

    sentences: int
    words: int
    syllables: int
    polysyllables: int
    longest_sentence: int

    @property
    def flesch_kincaid(self) -> float:
        """Flesch-Kincaid grade level (0 for empty text; never below 0)."""
        if not self.words:
            return 0.0
        grade = 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59
        return max(0.0, round(grade, 1))

    @property
    def smog(self) -> float:
        """SMOG grade (0 for empty text)."""
        if not self.sentences:
            return 0.0
        return round(1.0430 * math.sqrt(self.polysyllables * 30 / self.sentences) + 3.1291, 1)


def readability(text: str) -> Readability:
    sents = sentences(text)
    counts = [words(s) for s in sents]
    all_words = [w for ws in counts for w in ws]
    syl = [syllables(w) for w in all_words]
    return Readability(
        sentences=len(sents),
        words=len(all_words),
        syllables=sum(syl),
        polysyllables=sum(1 for s in syl if s >= 3),
        longest_sentence=max((len(ws) for ws in counts), default=0),
    )


def long_sentences(text: str, limit: int = 20) -> list[tuple[str, int]]:
    """Sentences of more than ``limit`` words, with their word counts."""
    out = []
    for s in sentences(text):
        n = len(words(s))
        if n > limit:
            out.append((s, n))
    return out
