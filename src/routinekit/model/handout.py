"""The resolved, ordered, personalised handout that renderers receive.

A handout holds everything a renderer needs and nothing it must look up:
exercises are copied in, doses are final, video links are resolved, and the
regimen line is computed. Renderers only lay it out and draw it.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from routinekit.model.dose import Dose, Range
from routinekit.model.exercise import Exercise
from routinekit.model.people import ClinicProfile, Patient
from routinekit.model.plan import SECTIONS
from routinekit.model.routine import EducationSection, ProgramPhase, RedFlag, TrackingLog


class Replaced(msgspec.Struct, frozen=True, kw_only=True):
    """The exercise a card stands in for, and why that one was left out."""

    exercise_id: str
    """The id of the exercise left out."""
    name: str
    """Its name, in the handout's language."""
    reason: str
    """The limit it breaks, e.g. ``it is done on hands and knees, and this patient cannot
    kneel (no weight on the knees)``."""
    limit: str | None = None
    """The limit word (``kneeling``, ``floor``, ``no-chair``, ...), for the card's line."""


class HandoutItem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One exercise card."""

    number: int
    """The card's number on the handout, from 1."""
    exercise: Exercise
    """The exercise, its words already in the handout's language."""
    dose: Dose
    """The final dose (library < routine < strategy < patient, field by field)."""
    note: str | None = None
    """The routine's note on this exercise: a tip for everyone who gets the routine."""
    video_url: str | None = None
    """The resolved video link; None prints no QR code."""
    reason: str | None = None
    """Why the strategy put it here (for --explain and renderers that show it)."""
    therapist_note: str | None = None
    """This patient's note from the therapist (``exercise_notes`` in the patient file)."""
    replaces: Replaced | None = None
    """Set when this card stands in for an exercise this patient cannot do."""
    positions: tuple[str, ...] = ()
    """Every position the card asks for (so other tools can check a handout)."""
    needs: tuple[str, ...] = ()
    """What the card needs at home (floor space, a chair, ...)."""


class HandoutGroup(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    items: tuple[HandoutItem, ...]
    """The cards of this group, in order."""
    title: str | None = None
    """The group's heading, if the strategy gave one."""
    intro: str | None = None
    """A sentence under the heading."""


class LeftOut(msgspec.Struct, frozen=True, kw_only=True):
    exercise_id: str
    """The exercise's id."""
    name: str
    """Its name, in the handout's language."""
    reason: str
    """Why it was left out."""


class Regimen(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """How long one session takes and how often a day, computed from the doses.

    In words: :func:`routinekit.text.regimen_text`."""

    minutes_low: float
    """Shortest estimated session, in minutes."""
    minutes_high: float
    """Longest estimated session, in minutes."""
    times_per_day: Range | None = None
    """How often a day: the one frequency (routine < strategy < patient)."""
    change_seconds: float = 0
    """Seconds of the session spent changing position (already in the minutes)."""


class Handout(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Everything a renderer draws."""

    routine_id: str
    """The routine's id."""
    title: str
    """The routine's title, in the handout's language."""
    language: str
    """The handout's language code (``en``, ``es``)."""
    groups: tuple[HandoutGroup, ...]
    """The exercise groups in order; ``handout.items`` flattens them."""
    regimen: Regimen
    """Session length and frequency; ``routinekit.text.regimen_text`` words it."""
    date: dt.date
    """The date printed on the handout (the patient's date, or the build date)."""
    strategy_id: str
    """The strategy that ordered the handout."""
    strategy_name: str
    """Its name, in the handout's language."""
    condition: str | None = None
    """What the routine is for."""
    clinic: ClinicProfile | None = None
    """The clinic profile, if one was given."""
    patient: Patient | None = None
    """The patient, if the handout is personalised (print the name only on the page)."""
    video_url: str | None = None
    """A video of the whole routine."""
    education: tuple[EducationSection, ...] = ()
    """Questions and answers about the condition."""
    self_care: tuple[str, ...] = ()
    """Advice for looking after yourself."""
    red_flags: tuple[RedFlag, ...] = ()
    """Warning signs with their level, the most urgent first (see ``RED_FLAG_LEVELS``)."""
    phases: tuple[ProgramPhase, ...] = ()
    """Stages of a multi-stage programme."""
    tracking_log: TrackingLog | None = None
    """The tick grid, if the routine asks for one."""
    left_out: tuple[LeftOut, ...] = ()
    """Exercises left out (exclusions, strategy), with the reason."""
    strategy_notes: tuple[str, ...] = ()
    """The strategy's notes on the whole plan."""
    section_order: tuple[str, ...] = SECTIONS
    """The order of the handout's sections."""
    base_dir: str | None = None
    """Folder that relative image paths in the handout are resolved against."""
    footer: str | None = None
    """A clinic's footer line (house rules, opening hours), e.g. set by a branding plugin."""
    stage: int | None = None
    """The patient's current programme stage, numbered from 1 (``phases[stage - 1]``)."""

    @property
    def items(self) -> tuple[HandoutItem, ...]:
        return tuple(i for g in self.groups for i in g.items)
