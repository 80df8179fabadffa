"""The resolved, ordered, personalised handout that renderers receive.

A handout holds everything a renderer needs and nothing it must look up:
exercises are copied in, doses are final, video links are resolved, and the
regimen line is computed. Renderers only lay it out and draw it.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from routinekit.model.dose import Dose, Range, frequency_text
from routinekit.model.exercise import Exercise
from routinekit.model.people import ClinicProfile, Patient
from routinekit.model.plan import SECTIONS
from routinekit.model.routine import EducationSection, ProgramPhase, TrackingLog


class HandoutItem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One exercise card."""

    number: int
    exercise: Exercise
    dose: Dose
    note: str | None = None
    video_url: str | None = None
    reason: str | None = None
    """Why the strategy put it here (for --explain and renderers that show it)."""


class HandoutGroup(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    items: tuple[HandoutItem, ...]
    title: str | None = None
    intro: str | None = None


class LeftOut(msgspec.Struct, frozen=True, kw_only=True):
    exercise_id: str
    name: str
    reason: str


class Regimen(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """How long one session takes and how often a day, computed from the doses."""

    minutes_low: float
    minutes_high: float
    times_per_day: Range | None = None

    def text(self, language: str = "en") -> str:
        """E.g. ``About 5 minutes, 2-3 times a day`` (other languages through the i18n catalogs)."""
        if language != "en":
            from routinekit.text.dose_words import regimen_text

            return regimen_text(self, language)
        low = max(1, round(self.minutes_low))
        high = max(1, round(self.minutes_high))
        span = f"{low}" if low == high else f"{low}-{high}"
        unit = "minute" if span == "1" else "minutes"
        text = f"About {span} {unit}"
        if self.times_per_day is not None:
            text += ", " + frequency_text(self.times_per_day)
        return text


class Handout(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Everything a renderer draws."""

    routine_id: str
    title: str
    language: str
    groups: tuple[HandoutGroup, ...]
    regimen: Regimen
    date: dt.date
    """The date printed on the handout (the patient's date, or the build date)."""
    strategy_id: str
    strategy_name: str
    condition: str | None = None
    clinic: ClinicProfile | None = None
    patient: Patient | None = None
    video_url: str | None = None
    education: tuple[EducationSection, ...] = ()
    self_care: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    phases: tuple[ProgramPhase, ...] = ()
    tracking_log: TrackingLog | None = None
    left_out: tuple[LeftOut, ...] = ()
    strategy_notes: tuple[str, ...] = ()
    section_order: tuple[str, ...] = SECTIONS
    base_dir: str | None = None
    """Folder that relative image paths in the handout are resolved against."""
    footer: str | None = None
    """A clinic's footer line (house rules, opening hours), e.g. set by a branding plugin."""

    @property
    def items(self) -> tuple[HandoutItem, ...]:
        return tuple(i for g in self.groups for i in g.items)
