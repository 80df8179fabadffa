"""What a sequencing strategy receives and returns."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from routinekit.model.dose import Dose, Range
from routinekit.model.exercise import Exercise, Phase, Text
from routinekit.model.routine import EducationSection

#: Sections of a handout a strategy may put in order.
SECTIONS = ("education", "self_care", "red_flags", "exercises", "phases", "tracking_log")


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    """An exercise the routine offers, with the dose and note it has in the routine."""

    exercise: Exercise
    """The exercise as the library has it (English words)."""
    dose: Dose
    """Its dose: the library's, with the routine's changes."""
    note: str | None = None
    """The routine's note for this exercise."""
    video_url: str | None = None
    """Its resolved video link (routine, library or clinic pattern)."""
    position: int = 0
    """Its place in the routine file (0-based)."""


class StrategyOptions(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Parameters every strategy understands (routine file < patient < command line)."""

    minutes: Annotated[float, Meta(gt=0)] | None = None
    """Time budget per session (routine file < patient < ``--minutes``)."""
    max_difficulty: int | None = None
    """Leave out exercises harder than this (1-5)."""
    phase: Phase | None = None
    """The stage of recovery the handout is for."""
    times_per_day: Range | None = None
    """Sessions a day, from the routine's strategy block."""
    exclude: tuple[str, ...] = ()
    """The exclusions already applied by routinekit, for the strategy's information."""


class SequenceRequest(msgspec.Struct, frozen=True, kw_only=True):
    """The input of :meth:`routinekit.contracts.Strategy.sequence`."""

    candidates: tuple[Candidate, ...]
    """The routine's exercises, less what the patient and the command line leave out."""
    options: StrategyOptions = StrategyOptions()
    """The options every strategy understands."""
    routine_id: str = ""
    """The routine's id."""
    library: tuple[Candidate, ...] = ()
    """Library exercises outside the routine that this patient may do (their exclusions
    already applied), with the library's dose. A strategy may add some of them, e.g. the
    hip and core work it promises, and says why in each placement's reason."""
    language: str = "en"
    """The handout's language: give group titles, intros and reasons in it
    (``translator(request.language, domain=__package__)``)."""
    settings: Any = None
    """The strategy's own settings: an instance of its ``settings_type``, read from the
    routine's ``strategy:`` block over the clinic's ``plugins:`` block; None when the
    strategy declares no ``settings_type``."""


class Placement(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One exercise placed by a strategy, with the reason for its place."""

    exercise_id: str
    """Id of one of the candidates (or of ``SequenceRequest.library``)."""
    reason: Text
    """Why it is here, in plain words (``build --explain`` prints it)."""
    dose: Dose | None = None
    """The dose to print, when the strategy changes it (e.g. the low end for acute)."""


class PlanGroup(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A group of exercises on the handout, e.g. "Start with these"."""

    items: tuple[Placement, ...]
    """The exercises of this group, in order."""
    title: str | None = None
    """A heading for the group, e.g. "Start with these" (in the handout's language)."""
    intro: str | None = None
    """A sentence under the heading."""


class Omission(msgspec.Struct, frozen=True, kw_only=True):
    """An exercise left out, and why."""

    exercise_id: str
    """Id of one of the candidates."""
    reason: str
    """Why it was left out, in plain words."""


class SequencePlan(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """What a strategy returns: the groups in order, what it left out, how it counted."""

    groups: tuple[PlanGroup, ...]
    """The groups in the order they print."""
    omitted: tuple[Omission, ...] = ()
    """What the strategy left out, and why."""
    notes: tuple[str, ...] = ()
    """Plain explanations of the whole plan (e.g. how the time budget was counted)."""
    section_order: tuple[str, ...] | None = None
    """Order of the handout's sections, from :data:`SECTIONS`; None keeps the default."""
    times_per_day: Range | None = None
    """How often a day to do the routine, when the strategy decides it."""
    education: tuple[EducationSection, ...] | None = None
    """Replaces the routine's education where the strategy's view contradicts it (English
    message ids: routinekit translates them through the catalogs)."""
    self_care: tuple[Text, ...] | None = None
    """Replaces the routine's self-care advice, likewise."""
    more_education: tuple[EducationSection, ...] = ()
    """Added after the routine's (or the replacing) education."""
    more_self_care: tuple[Text, ...] = ()
    """Added after the routine's (or the replacing) self-care advice."""

    @property
    def placements(self) -> tuple[Placement, ...]:
        return tuple(p for g in self.groups for p in g.items)
