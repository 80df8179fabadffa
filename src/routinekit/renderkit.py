"""Public helpers for renderer plugins: the words routinekit's own PDF and HTML print.

A renderer receives a finished :class:`~routinekit.model.Handout` (exercise and routine
words are already in its language). What is left is wording that depends on the
language: the regimen line, doses, dates, section headings. Use these helpers instead
of writing your own, so your format says the same as the PDF, in every language::

    from routinekit import renderkit

    def render(self, handout, options):
        _ = renderkit.words(handout)
        lines = [handout.title, renderkit.regimen_text(handout)]
        for section in renderkit.sections(handout, options):
            lines.append(renderkit.section_title(handout, section))
        for item in handout.items:
            dose = renderkit.dose_text(handout, item)
            lines.append(f"{item.number}. {item.exercise.name}: {dose}")

Everything here is a pure function of the handout (and the render options): the same
handout gives the same words.
"""

from __future__ import annotations

from collections.abc import Callable

from routinekit import text
from routinekit.contracts import RenderOptions
from routinekit.i18n import translator
from routinekit.model import Handout, HandoutItem
from routinekit.render import content
from routinekit.render import words as _words

__all__ = [
    "alternatives",
    "contact_parts",
    "dose_text",
    "long_date",
    "position_words",
    "prepared_for",
    "red_flag_groups",
    "regimen_text",
    "section_title",
    "sections",
    "show_tracking_log",
    "words",
]

#: Headings of the handout's sections (English message ids; :func:`section_title` translates).
#: Education has none: each of its entries carries its own heading.
SECTION_TITLES: dict[str, str] = dict(_words.SECTION_TITLES)


def words(handout: Handout, domain: str = "routinekit") -> Callable[[str], str]:
    """``_`` for the handout's language; ``domain`` picks a plugin's own catalog
    (``words(handout, __package__)``), which falls back to routinekit's words."""
    return translator(handout.language, domain=domain)


def regimen_text(handout: Handout) -> str:
    """``About 5 minutes, 2-3 times a day`` in the handout's language."""
    return text.regimen_text(handout.regimen, handout.language)


def dose_text(handout: Handout, item: HandoutItem, *, frequency: bool | None = None) -> str:
    """The card's dose in the handout's language (``Hold 30-60 seconds, each side``).

    By default the frequency is left out when it is the whole routine's (the regimen line
    says it once); ``frequency=True`` or ``False`` forces it.
    """
    if frequency is None:
        return content.card_dose_text(item, handout.regimen, handout.language)
    return text.dose_text(item.dose, handout.language, include_frequency=frequency)


def long_date(handout: Handout) -> str:
    """The handout's date as people write it: ``January 15, 2026``, ``15 de enero de 2026``."""
    return _words.long_date(handout.date, words(handout))


def prepared_for(handout: Handout) -> str | None:
    """``Prepared for NAME on DATE`` for a personalised handout, else None.

    The patient's name belongs on the page only: never in metadata, file names or logs.
    """
    return _words.prepared_for(handout, words(handout))


def contact_parts(handout: Handout) -> list[str]:
    """The clinic's phone, website (without ``https://``), email and address, if any."""
    return _words.contact_parts(handout)


def position_words(handout: Handout, position: str) -> str:
    """``lying on your back`` for ``supine``, in the handout's language."""
    return words(handout)(content.POSITION_WORDS.get(position, position))


def alternatives(handout: Handout, item: HandoutItem) -> list[str]:
    """Each other way to do the exercise, labelled: ``Another way (sitting): ...``."""
    _ = words(handout)
    return [
        f"{content.alternative_label(item, a.position.value, _)} {a.text}"
        for a in item.exercise.alternatives
    ]


def show_tracking_log(handout: Handout, options: RenderOptions) -> bool:
    """Whether to print the tracking log: the option forces it, else the routine decides."""
    return _words.effective_tracking(handout, options.tracking_log)


def sections(handout: Handout, options: RenderOptions | None = None) -> list[str]:
    """The handout's sections that have something to print, in the strategy's order."""
    options = options or RenderOptions()
    present = {
        "education": bool(handout.education),
        "self_care": bool(handout.self_care),
        "red_flags": bool(handout.red_flags),
        "exercises": True,
        "phases": bool(handout.phases),
        "tracking_log": show_tracking_log(handout, options),
    }
    return [s for s in handout.section_order if present.get(s)]


def section_title(handout: Handout, section: str) -> str | None:
    """The heading of a section (``self_care`` -> ``Looking after yourself``), in the
    handout's language; None for ``education``, whose entries have their own headings.
    For ``red_flags`` use :func:`red_flag_groups`: each level has its own heading."""
    title = SECTION_TITLES.get(section)
    return words(handout)(title) if title else None


def red_flag_groups(handout: Handout) -> list[tuple[str, tuple[str, ...]]]:
    """The red flags by level, the most urgent first, each with its heading in the
    handout's language: ``EMERGENCY: go to the emergency department now ...``, then
    ``Call your clinician today ...``, then ``Stop the exercise and rest if:``.

    Print every group, in this order, the first one most prominently.
    """
    _ = words(handout)
    return [
        (_(_words.RED_FLAG_TITLES[level]), items)
        for level, items in _words.red_flag_groups(handout)
    ]
