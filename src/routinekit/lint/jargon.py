"""Clinical words patients often do not know, with plain words to use instead."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Jargon:
    term: str
    plain: str
    explained_by: str = ""
    """A pattern: where the same text says it plainly, the term is explained (used for names)."""
    not_before: str = ""
    """A pattern for an everyday sense to skip, e.g. ``prone to`` (meaning "likely to")."""

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        tail = rf"(?!\s+(?:{self.not_before})\b)" if self.not_before else ""
        return re.compile(rf"\b{self.term}\b{tail}", re.IGNORECASE)


JARGON: dict[str, tuple[Jargon, ...]] = {
    "en": (
        Jargon("myofascial", "muscle and the tissue around it"),
        Jargon("quadratus lumborum", "a deep muscle of the lower back"),
        Jargon("lumbar", "lower back"),
        Jargon("thoracic", "upper back"),
        Jargon("cervical", "neck"),
        Jargon("supine", "lying on your back", explained_by=r"on (?:your|the) back"),
        Jargon(
            "prone", "lying on your stomach", explained_by=r"stomach|face down", not_before="to"
        ),
        Jargon("quadruped", "on your hands and knees", explained_by=r"hands and knees"),
        Jargon("flexion", "bending forward"),
        Jargon("hyperextension", "bending far back"),
        Jargon("dorsiflexion", "pulling your toes up"),
        Jargon("abduction", "moving out to the side"),
        Jargon("adduction", "moving in toward the middle"),
        Jargon("bilateral(?:ly)?", "both sides"),
        Jargon("unilateral(?:ly)?", "one side"),
        Jargon("ipsilateral", "the same side"),
        Jargon("contralateral", "the other side"),
        Jargon("anterior", "front"),
        Jargon("posterior", "back"),
        Jargon("isometric", "tighten without moving"),
        Jargon("paraspinal", "the muscles along your spine"),
        Jargon("erector spinae", "the long back muscles"),
        Jargon("glute(?:al|us)", "buttock", explained_by=r"buttock"),
        Jargon("piriformis", "a deep buttock muscle"),
        Jargon("sacroiliac", "the joint between the lower back and the pelvis"),
        Jargon("vertebra[el]?", "the bones of the spine"),
        Jargon("intervertebral", "between the bones of the spine"),
        Jargon("radiculopathy", "nerve pain that runs down a leg"),
        Jargon("paresthesia", "tingling or pins and needles"),
        Jargon("cauda equina", "nerve trouble that affects the bladder or bowels"),
        Jargon("contraindicated", "not safe for you"),
        Jargon("exacerbat(?:e|es|ed|ion)", "flare-up, or make worse"),
        Jargon("ambulat(?:e|ion)", "walk, walking"),
        Jargon("diaphragmatic", "deep belly"),
        Jargon("range of motion", "how far you can move"),
        Jargon("ROM", "how far you can move"),
        Jargon("neutral spine", "your back in its natural curve"),
        Jargon("cryotherapy", "ice"),
        Jargon("NSAIDs?", "pain pills such as ibuprofen"),
        Jargon("analgesics?", "pain relievers"),
    ),
    "es": (
        Jargon("decúbito supino", "boca arriba"),
        Jargon("decúbito prono", "boca abajo"),
        Jargon("lumbar", "parte baja de la espalda"),
        Jargon("cervical", "cuello"),
        Jargon("glúteos?", "nalgas", explained_by=r"nalga"),
        Jargon("isquiotibiales", "parte de atrás del muslo"),
        Jargon("miofascial", "músculo y el tejido que lo rodea"),
        Jargon("cuadrado lumbar", "un músculo profundo de la parte baja de la espalda"),
        Jargon("contraindicad[oa]s?", "no es seguro para usted"),
    ),
}


@dataclass(frozen=True)
class JargonHit:
    term: str
    plain: str


@functools.cache
def _any_term(language: str) -> re.Pattern[str] | None:
    """One pattern for every term of ``language``: most text has none, and one search of it
    costs what one term's does (the lint of a handout searches ~50 terms in ~80 texts)."""
    terms = JARGON.get(language, ())
    if not terms:
        return None
    return re.compile(r"\b(?:" + "|".join(f"(?:{j.term})" for j in terms) + r")\b", re.IGNORECASE)


def find_jargon(text: str, language: str = "en", *, context: str = "") -> list[JargonHit]:
    """Jargon in ``text``. With ``context`` (e.g. an exercise's steps), a term the context
    explains in plain words is not reported; this is how names like "Prone on Elbows" pass
    when the first step says "Lie on your stomach"."""
    hits: list[JargonHit] = []
    language = language.split("-")[0]
    first = _any_term(language)
    if first is None or not first.search(text):  # a hit of a term is a hit of this one
        return hits
    for j in JARGON[language]:
        m = j.pattern.search(text)
        if not m:
            continue
        if context and j.explained_by and re.search(j.explained_by, context, re.IGNORECASE):
            continue
        hits.append(JargonHit(term=m.group(0), plain=j.plain))
    return hits
