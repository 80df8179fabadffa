"""Words both renderers print: dates, contact lines, labels (all through the translator)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from routinekit.model import Handout
from routinekit.model.routine import RED_FLAG_LEVELS, RedFlagLevel

Translate = Callable[[str], str]

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date, _: Translate) -> str:
    """E.g. ``November 23, 2026`` (the order comes from the translation)."""
    return _("{month} {day}, {year}").format(
        month=_(MONTHS[day.month - 1]), day=day.day, year=day.year
    )


def contact_parts(handout: Handout) -> list[str]:
    """The clinic's phone, website and address, as short printable pieces."""
    clinic = handout.clinic
    if clinic is None:
        return []
    parts = [clinic.phone or "", (clinic.website or "").split("://", 1)[-1].rstrip("/")]
    parts += [clinic.email or "", clinic.address or ""]
    return [p for p in parts if p]


def prepared_for(handout: Handout, _: Translate) -> str | None:
    """``Prepared for NAME on DATE`` when the handout is personalised."""
    patient = handout.patient
    if patient is None or not patient.name:
        return None
    return _("Prepared for {name} on {date}").format(
        name=patient.name, date=long_date(handout.date, _)
    )


def routine_qr_caption(_: Translate) -> str:
    return _("Scan this QR code with your phone to watch a video of this routine.")


def effective_tracking(handout: Handout, option: bool | None) -> bool:
    """Whether to print the tracking log: the option forces it, else the routine decides."""
    return handout.tracking_log is not None if option is None else option


SECTION_TITLES = {
    "self_care": "Looking after yourself",
    "red_flags": "Call your clinician today if you have any of these:",
    "exercises": "Stretches & Exercises",
    "phases": "Your recovery, step by step",
    "tracking_log": "Track your sessions",
}

#: The heading of each red-flag level, printed in this order (the most urgent first).
RED_FLAG_TITLES = {
    RedFlagLevel.EMERGENCY: (
        "EMERGENCY: go to the emergency department now if you have any of these:"
    ),
    RedFlagLevel.CALL: SECTION_TITLES["red_flags"],
    RedFlagLevel.STOP: "Stop the exercise and rest if:",
}


def red_flag_groups(handout: Handout) -> list[tuple[RedFlagLevel, tuple[str, ...]]]:
    """The handout's red flags by level, the most urgent first; empty levels left out."""
    return [
        (level, items)
        for level in RED_FLAG_LEVELS
        if (items := tuple(f.text for f in handout.red_flags if f.level is level))
    ]
