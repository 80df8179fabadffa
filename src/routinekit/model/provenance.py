"""Where a clinical fact comes from: a source passage, or the project's own clinical default.

Every built-in fact (an exercise's name, steps, dose, cautions; a routine's education,
self-care, red flags and stage rules; a strategy's rules) carries one or more
:class:`Source` entries. A source either names a seed document and a short quote of the
passage it rests on, or says the fact is the project's clinical default and gives a
one-line reason. ``docs/clinical-content.md`` lists them all for a clinic's review.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import Meta

Short = Annotated[str, Meta(min_length=1, max_length=400)]


class Source(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """One passage a fact rests on, or the project's clinical default with its reason.

    Write ``{seed: "002", quote: "Hold for 30 seconds on each side"}`` for a source
    passage (``quote`` is a short, exact locator, not a copy of the text), or
    ``{default: "why the project chose this"}`` for a clinical default.
    """

    seed: Annotated[str, Meta(pattern=r"^[0-9]{3}$")] | None = None
    """The seed document, by its number (``000`` .. ``004``; see the seeds README)."""
    quote: Short | None = None
    """A short exact quote that locates the passage in the seed."""
    default: Short | None = None
    """The project's clinical default: a one-line rationale."""

    def __post_init__(self) -> None:
        if self.default is None and (self.seed is None or self.quote is None):
            raise ValueError("a source needs 'seed' and 'quote', or 'default' with a reason")
        if self.default is not None and self.seed is None and self.quote is not None:
            raise ValueError("a 'quote' needs its 'seed'")

    @property
    def is_default(self) -> bool:
        return self.seed is None

    def text(self) -> str:
        """E.g. ``seed 002: "Hold for 30 seconds"`` or ``clinical default: why``."""
        parts: list[str] = []
        if self.seed is not None:
            parts.append(f'seed {self.seed}: "{self.quote}"')
        if self.default is not None:
            parts.append(f"clinical default: {self.default}")
        return "; ".join(parts)


#: A fact rests on one source or on several, written as a list.
Sources = tuple[Source, ...]


class ExerciseProvenance(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """The sources of each clinical field of one exercise.

    ``cautions`` and ``alternatives`` hold one entry per caution or alternative, in order.
    """

    name: Sources
    objective: Sources
    steps: Sources
    position: Sources
    movements: Sources
    difficulty: Sources
    phases: Sources
    dose: Sources
    cautions: tuple[Sources, ...] = ()
    alternatives: tuple[Sources, ...] = ()


class RoutineProvenance(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """The sources of a routine's own facts, one entry per item, in order.

    ``notes`` and ``doses`` are by exercise id: a note or a dose the routine sets for it.
    """

    education: tuple[Sources, ...] = ()
    self_care: tuple[Sources, ...] = ()
    red_flags: tuple[Sources, ...] = ()
    phases: tuple[Sources, ...] = ()
    """The stage rules: each stage's timing and its move-on rule."""
    notes: dict[str, Sources] = {}
    doses: dict[str, Sources] = {}


class ClinicalRule(msgspec.Struct, frozen=True, kw_only=True):
    """One clinical rule a strategy follows (or a text it prints), with its sources."""

    rule: str
    """The rule in plain words, e.g. ``leaves out stretches that bend and twist together``."""
    sources: Sources
    """The passages it rests on, or the project's clinical default and why."""


class ContentSignoff(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """A clinic's lead therapist's review of one version of the built-in content.

    It names clinic staff, never a patient; a handout's PDF metadata may carry it.
    """

    by: Annotated[str, Meta(min_length=1, max_length=200)]
    """Who reviewed it, e.g. ``Dr. Sam Rivera, PT (lead therapist)``."""
    date: dt.date
    """When, as YYYY-MM-DD."""
    content_version: Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9.-]{2,60}$")]
    """The content version reviewed (``routinekit content version``)."""
