"""What a card says, shared by the PDF and HTML renderers (so both print the same words)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import msgspec

from routinekit.model import Handout, HandoutGroup, HandoutItem, Regimen
from routinekit.text import dose_text

# re-exported: the message catalog reads POSITION_WORDS (through render.pdf.cards)
from routinekit.vocabulary import POSITION_WORDS as POSITION_WORDS


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


def card_dose_text(item: HandoutItem, regimen: Regimen, language: str = "en") -> str:
    """The card's dose; its frequency is left out when it is the whole routine's."""
    same = item.dose.times_per_day is not None and item.dose.times_per_day == regimen.times_per_day
    return dose_text(item.dose, language, include_frequency=not same)


def shared_cautions(h: Handout) -> tuple[str, ...]:
    """Cautions that more than half the cards (and at least two) repeat word for word.

    They are printed once, above the cards, for every exercise, instead of on each card.
    """
    counts: Counter[str] = Counter()
    for item in h.items:
        counts.update(set(item_texts(item, h.language)[3]))
    n = len(h.items)
    return tuple(c for c, k in counts.items() if k >= 2 and k * 2 > n)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """``text`` split after each full stop, question or exclamation mark."""
    return [t for t in _SENTENCE_END.split(text.strip()) if t]


class GroupCautions(msgspec.Struct, frozen=True):
    """Where each caution of a group is printed, so no card repeats its neighbour's words.

    ``shared`` holds (exercise numbers, sentence) for a caution sentence that two or more
    cards of the group carry, one after the other: it is printed once, under the group's
    intro, naming those exercises (a caution shared by cards far apart stays on each).
    ``on_card`` maps an exercise number to the cautions left on its card.
    """

    shared: list[tuple[tuple[int, ...], str]] = msgspec.field(default_factory=list)
    on_card: dict[int, tuple[str, ...]] = msgspec.field(default_factory=dict)


def group_cautions(h: Handout, group: HandoutGroup, every: tuple[str, ...] = ()) -> GroupCautions:
    """Split a group's cautions (less the handout-wide ``every``) into shared and per card."""
    per_item: dict[int, list[str]] = {}
    for item in group.items:
        cautions = item_texts(item, h.language)[3]
        found: list[str] = []
        for caution in cautions:
            if caution not in every:
                found += [t for t in sentences(caution) if t not in found]
        per_item[item.number] = found
    holders: dict[str, list[int]] = {}
    for number, found in per_item.items():
        for sentence in found:
            holders.setdefault(sentence, []).append(number)
    order = [item.number for item in group.items]
    shared = [
        (tuple(nums), t)
        for t, nums in holders.items()
        if len(nums) >= 2 and _next_to_each_other(nums, order)
    ]
    hoisted = {t for _nums, t in shared}
    on_card = {
        number: tuple(t for t in found if t not in hoisted) for number, found in per_item.items()
    }
    return GroupCautions(shared, on_card)


def _next_to_each_other(numbers: list[int], order: list[int]) -> bool:
    at = sorted(order.index(n) for n in numbers)
    return at[-1] - at[0] == len(at) - 1


def numbers_text(numbers: tuple[int, ...], _: Callable[[str], str]) -> str:
    """``7 and 8``, ``1, 4 and 7`` (the word for "and" from the translation)."""
    if len(numbers) == 1:
        return str(numbers[0])
    rest = ", ".join(str(n) for n in numbers[:-1])
    return _("{rest} and {last}").format(rest=rest, last=numbers[-1])


def alternative_label(item: HandoutItem, position: str, _: Callable[[str], str]) -> str:
    """``Another way (sitting):``; just ``Another way:`` when the position is the same."""
    if position == item.exercise.position.value:
        return _("Another way:")
    return _("Another way ({position}):").format(position=_(POSITION_WORDS[position]))


#: What a card that stands in for another says, by the limit that swapped it.
INSTEAD_WORDS = {
    "floor": "This way you can stay off the floor.",
    "kneeling": "This way keeps weight off your knees.",
    "quadruped": "This way you do not go on hands and knees.",
    "prone": "This way you do not lie on your stomach.",
    "supine": "This way you do not lie on your back.",
    "side-lying": "This way you do not lie on your side.",
    "lying": "This way you do not lie down.",
    "standing": "This way you do not have to stand.",
    "sitting": "This way you do not have to sit.",
    "floor-sitting": "This way you do not sit on the floor.",
    "chair-sitting": "This way you do not sit in a chair.",
    "chair-only": "This way you can stay in your chair.",
    "other": "This way suits you better for now.",
}


def card_notes(item: HandoutItem, _: Callable[[str], str]) -> list[tuple[str, str]]:
    """(label, text) lines a card prints about itself: what it replaces, tip, therapist note."""
    out: list[tuple[str, str]] = []
    if item.replaces is not None:
        why = INSTEAD_WORDS.get(item.replaces.limit or "", INSTEAD_WORDS["other"])
        out.append((_("In place of {name}:").format(name=item.replaces.name), _(why)))
    if item.note:
        out.append((_("Tip:"), item.note))
    if item.therapist_note:
        out.append((_("Note from your therapist:"), item.therapist_note))
    return out


class StageLine(msgspec.Struct, frozen=True):
    """One programme stage as the handout lists it."""

    number: int
    name: str
    text: str
    """When it applies and when to move on."""
    here: bool = False
    """The patient's current stage."""
    next_name: str | None = None
    """On the current stage: the name of the stage that follows."""


def stage_lines(h: Handout) -> list[StageLine]:
    """The programme's stages, the current one marked, with what comes next."""
    lines: list[StageLine] = []
    for i, ph in enumerate(h.phases, 1):
        here = h.stage == i
        following = h.phases[i].name if here and i < len(h.phases) else None
        text = " ".join(t for t in (ph.when, ph.move_on) if t)
        lines.append(StageLine(i, ph.name, text, here, following))
    return lines
