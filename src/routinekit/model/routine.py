"""Routines as a therapist writes them, before any patient or strategy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from routinekit.model.dose import Dose, Range
from routinekit.model.exercise import Id, Phase, Text, Url
from routinekit.model.provenance import RoutineProvenance


class EducationSection(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A question heading and a short plain answer."""

    heading: Text
    text: Text


class RedFlagLevel(StrEnum):
    """How urgent a warning sign is; handouts print the levels in this order."""

    EMERGENCY = "emergency"
    """Go to the emergency department now (e.g. losing bladder or bowel control)."""
    CALL = "call"
    """Call your clinician (e.g. burning pain down one leg, a foot that drags)."""
    STOP = "stop"
    """Stop the exercise (e.g. it makes your back worse)."""


#: The order handouts print the levels in: the most urgent first.
RED_FLAG_LEVELS = (RedFlagLevel.EMERGENCY, RedFlagLevel.CALL, RedFlagLevel.STOP)


class RedFlag(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A warning sign and how urgent it is.

    In a routine file, a plain string is a ``call`` flag; write
    ``{text: ..., level: emergency}`` for one that means go to the emergency department now.
    """

    text: Text
    level: RedFlagLevel = RedFlagLevel.CALL


def red_flags_of(
    items: Iterable[str | RedFlag], levels_from: Sequence[str | RedFlag] = ()
) -> tuple[RedFlag, ...]:
    """Red flags as :class:`RedFlag` values, most urgent first (stable within a level).

    A plain string takes the level of the item at the same place in ``levels_from`` (a
    translation keeps the levels of the main list), else ``call``.
    """
    base = [i.level if isinstance(i, RedFlag) else RedFlagLevel.CALL for i in levels_from]
    out: list[RedFlag] = []
    for n, item in enumerate(items):
        if isinstance(item, RedFlag):
            out.append(item)
        else:
            level = base[n] if n < len(base) else RedFlagLevel.CALL
            out.append(RedFlag(text=item, level=level))
    order = {lvl: i for i, lvl in enumerate(RED_FLAG_LEVELS)}
    return tuple(sorted(out, key=lambda f: order[f.level]))


class RoutineEntry(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """One exercise in a routine, with an optional dose override and note."""

    id: Id
    dose: Dose | None = None
    note: Text | None = None
    video_url: Url | None = None


class StrategySettings(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """Which strategy sequences the routine, and its parameters."""

    id: Id = "as-written"
    minutes: Annotated[float, Meta(gt=0, le=240)] | None = None
    """Time budget per session, in minutes."""
    max_difficulty: Annotated[int, Meta(ge=1, le=5)] | None = None
    phase: Phase | None = None
    exclude: tuple[Text, ...] = ()
    """Positions, movements or exercise ids to leave out."""
    times_per_day: Range | None = None
    """Sessions a day for the whole routine."""
    settings: dict[str, Any] = {}
    """The strategy's own settings: every other key of the ``strategy:`` block in the file
    (``{id: knee-oa-graded, standing: false}``), checked against the strategy's
    ``settings_type`` when the handout is built."""


class ProgramPhase(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """One stage of a multi-phase programme, e.g. "Days 1-3" with the acute strategy."""

    name: Text
    strategy: Id | None = None
    when: Text | None = None
    """When this stage applies, e.g. "The first 2-3 days"."""
    move_on: Text | None = None
    """A plain-language rule for when to move to the next stage."""
    title: Text | None = None
    """The handout's title for a patient in this stage (default: the routine's title)."""
    self_care: tuple[Text, ...] = ()
    """Self-care that belongs to this stage only (e.g. ice in the first days)."""
    exercises: tuple[Id, ...] = ()
    """The routine's exercises this stage prints (default: what its strategy picks)."""


class TrackingLog(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """A tick grid printed at the end: days by sessions, with a pain score."""

    days: Annotated[int, Meta(ge=1, le=31)] = 7
    sessions_per_day: Annotated[int, Meta(ge=1, le=8)] = 3
    pain_score: bool = True


class PhaseText(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """The words of one programme stage in another language (matched by position)."""

    name: Text | None = None
    when: Text | None = None
    move_on: Text | None = None
    title: Text | None = None
    self_care: tuple[Text, ...] | None = None


class RoutineText(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """A routine's own words in one language; unset fields fall back to the main text.

    Lists replace the main list whole (``education``, ``self_care``, ``red_flags``);
    ``phases`` match the main phases by position; ``notes`` are by exercise id.
    """

    title: Text | None = None
    condition: Text | None = None
    description: Text | None = None
    education: tuple[EducationSection, ...] | None = None
    self_care: tuple[Text, ...] | None = None
    red_flags: tuple[Text | RedFlag, ...] | None = None
    """Matched by position: a plain string keeps the level of the main list's item."""
    phases: tuple[PhaseText, ...] | None = None
    notes: dict[str, Text] = {}


class Routine(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """A routine file, as authored (see ``routinekit schema``)."""

    id: Id
    title: Text
    exercises: Annotated[tuple[RoutineEntry, ...], Meta(min_length=1, max_length=200)]
    routinekit: int = 1
    """File format version."""
    condition: Text | None = None
    description: Text | None = None
    language: Annotated[str, Meta(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")] = "en"
    video_url: Url | None = None
    """A video for the whole routine; the big QR code at the top links here."""
    strategy: StrategySettings = StrategySettings()
    education: tuple[EducationSection, ...] = ()
    self_care: tuple[Text, ...] = ()
    red_flags: tuple[Text | RedFlag, ...] = ()
    """Warning signs: a string (call your clinician) or ``{text, level}``."""
    phases: tuple[ProgramPhase, ...] = ()
    tracking_log: TrackingLog | None = None
    provenance: RoutineProvenance | None = None
    """Where the routine's own facts come from (education, self-care, red flags, stages)."""
    translations: dict[str, RoutineText] = {}
    """Per-language text, e.g. ``{es: {title: ..., red_flags: [...]}}`` (see docs/i18n.md)."""
