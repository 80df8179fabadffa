"""Short constructors for the sources of the built-in strategies' rules and texts.

Each built-in strategy lists its clinical rules (``Strategy.rules``), and the texts it
prints, with the seed passage each rests on or the reason it is the project's clinical
default. ``docs/clinical-content.md`` prints them; ``tests/test_provenance.py`` checks
every built-in strategy has them.
"""

from __future__ import annotations

from routinekit.model import ClinicalRule, EducationSection, Source


def seed(number: str, quote: str, default: str | None = None) -> Source:
    """A seed passage (``seed("003", "Try 30 deep breaths")``), optionally with a note."""
    return Source(seed=number, quote=quote, default=default)


def default(reason: str) -> Source:
    """The project's clinical default, with its one-line reason."""
    return Source(default=reason)


def rule(text: str, *sources: Source) -> ClinicalRule:
    return ClinicalRule(rule=text, sources=sources)


def prints(text: str, *sources: Source) -> ClinicalRule:
    """A text the strategy prints on the handout, as a rule with its sources."""
    return ClinicalRule(rule=f'prints: "{text}"', sources=sources)


def prints_section(section: EducationSection, *sources: Source) -> ClinicalRule:
    return prints(f"{section.heading} {section.text}", *sources)


#: Every exercise card already carries its cautions; this is the stop rule for the back.
STOP_IF_WORSE = seed("004", "stop if they aggravate your back")
