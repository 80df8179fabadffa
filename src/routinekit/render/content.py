"""What a card says, shared by the PDF and HTML renderers (so both print the same words)."""

from __future__ import annotations

from collections import Counter

from routinekit.model import Handout, HandoutItem, Regimen

POSITION_WORDS = {
    "quadruped": "on hands and knees",
    "supine": "lying on your back",
    "prone": "lying on your stomach",
    "side-lying": "lying on your side",
    "seated": "sitting",
    "kneeling": "kneeling",
    "standing": "standing",
}


def item_texts(
    item: HandoutItem, language: str
) -> tuple[str, str, tuple[str, ...], tuple[str, ...], list[tuple[str, str]]]:
    """Name, objective, steps, cautions and (position, text) alternatives, translated."""
    ex = item.exercise
    tx = ex.translations.get(language)
    name = (tx.name if tx else None) or ex.name
    objective = (tx.objective if tx else None) or ex.objective
    steps = (tx.steps if tx else None) or ex.steps
    cautions = (tx.cautions if tx else None) or ex.cautions
    alt_texts = tx.alternatives if tx and tx.alternatives else None
    alts = [
        (a.position.value, alt_texts[i] if alt_texts and i < len(alt_texts) else a.text)
        for i, a in enumerate(ex.alternatives)
    ]
    return name, objective, steps, cautions, alts


def dose_text(item: HandoutItem, regimen: Regimen, language: str = "en") -> str:
    """The card's dose; its frequency is left out when it is the whole routine's."""
    same = item.dose.times_per_day is not None and item.dose.times_per_day == regimen.times_per_day
    return item.dose.text(include_frequency=not same, language=language)


def shared_cautions(h: Handout) -> tuple[str, ...]:
    """Cautions that more than half the cards (and at least two) repeat word for word.

    They are printed once, above the cards, for every exercise, instead of on each card.
    """
    counts: Counter[str] = Counter()
    for item in h.items:
        counts.update(set(item_texts(item, h.language)[3]))
    n = len(h.items)
    return tuple(c for c, k in counts.items() if k >= 2 and k * 2 > n)
