"""Doses and regimens in plain words, in any language with a catalog.

This is the one place doses are worded: the English phrases are the catalogs' message
ids, so every language (English included) goes through the same code. The model holds
values only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from routinekit.i18n import format_range, plural_translator, translator

if TYPE_CHECKING:
    from routinekit.model.dose import Dose, Range
    from routinekit.model.handout import Regimen


def _count(r: Range) -> int:
    """The number that picks singular or plural: 1 only for exactly one."""
    return 1 if r.is_single and r.low == 1 else 2


def _span(r: Range, language: str) -> str:
    return format_range(r.low, r.high, language)


def frequency_words(times_per_day: Range, language: str = "en") -> str:
    """``once a day``, ``twice a day``, ``2-3 times a day`` in ``language``."""
    _ = translator(language)
    if times_per_day.is_single and times_per_day.low == 1:
        return _("once a day")
    if times_per_day.is_single and times_per_day.low == 2:
        return _("twice a day")
    return _("{range} times a day").format(range=_span(times_per_day, language))


def dose_text(dose: Dose, language: str = "en", *, include_frequency: bool = True) -> str:
    """The dose in plain words, e.g. ``Mantenga 30-60 segundos, en cada lado, 2-3 veces al día``."""
    _ = translator(language)
    ngettext = plural_translator(language)
    parts: list[str] = []
    if dose.minutes is not None and dose.minutes.high < 1:
        parts.append(
            _("For {range} seconds").format(range=_span(dose.minutes.scaled(60), language))
        )
    elif dose.minutes is not None:
        parts.append(
            ngettext("{range} minute", "{range} minutes", _count(dose.minutes)).format(
                range=_span(dose.minutes, language)
            )
        )
    if dose.hold is not None:
        parts.append(
            ngettext("Hold {range} second", "Hold {range} seconds", _count(dose.hold)).format(
                range=_span(dose.hold, language)
            )
        )
        if dose.reps is not None:
            parts.append(_("repeat {range} times").format(range=_span(dose.reps, language)))
    elif dose.reps is not None:
        n = 1 if dose.reps.high == 1 else 2
        parts.append(
            ngettext("Do {range} time", "Do {range} times", n).format(
                range=_span(dose.reps, language)
            )
        )
    if dose.sets is not None and dose.sets > 1:
        parts.append(_("{n} sets").format(n=dose.sets))
    if dose.per_side:
        parts.append(_("each side"))
    if include_frequency and dose.times_per_day is not None:
        parts.append(frequency_words(dose.times_per_day, language))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def regimen_text(regimen: Regimen, language: str = "en") -> str:
    """E.g. ``Unos 5 minutos, 2-3 veces al día``."""
    ngettext = plural_translator(language)
    low = max(1, round(regimen.minutes_low))
    high = max(1, round(regimen.minutes_high))
    span = format_range(low, high, language)
    text = ngettext("About {span} minute", "About {span} minutes", 1 if span == "1" else 2).format(
        span=span
    )
    if regimen.times_per_day is not None:
        text += ", " + frequency_words(regimen.times_per_day, language)
    return text
