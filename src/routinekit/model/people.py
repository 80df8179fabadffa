"""The patient a handout is for and the clinic that prints it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from routinekit.model.dose import Dose, Range
from routinekit.model.exercise import Text, Url
from routinekit.model.provenance import ContentSignoff

Name = Annotated[str, Meta(min_length=1, max_length=300)]


class Patient(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """How one patient's handout differs from the routine as written.

    Personal fields (name, notes) are printed on the handout only; they never go
    into logs, PDF metadata, file IDs or QR codes.
    """

    name: Name | None = None
    """Printed on the handout only."""
    date: dt.date | None = None
    """The date printed on the handout (default: today)."""
    therapist: Name | None = None
    """The therapist's name, printed in the patient block."""
    clinic: Name | None = None
    """The clinic or site name shown in the patient block."""
    notes: Text | None = None
    """Notes from the therapist, printed on the handout only."""
    exclude: tuple[Text, ...] = ()
    """Positions (e.g. prone), movements (e.g. rotation) or exercise ids to leave out."""
    language: Annotated[str, Meta(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")] | None = None
    doses: dict[str, Dose] = {}
    """Dose overrides by exercise id."""
    minutes: Annotated[float, Meta(gt=0, le=240)] | None = None
    max_difficulty: Annotated[int, Meta(ge=1, le=5)] | None = None
    exercise_notes: dict[str, Text] = {}
    """The therapist's notes for single exercises, by exercise id; printed on that card as
    "Note from your therapist" (a routine's own notes print as tips)."""
    stage: Annotated[str, Meta(min_length=1, max_length=200)] | int | None = None
    """The programme stage this patient is in: its name (``Weeks 1-2``) or number (``2``)."""
    times_per_day: Range | None = None
    """How often a day, over the routine's and the strategy's (see the README)."""

    def __repr__(self) -> str:
        """Field names and types only: a patient's values must never reach a log or a
        message through ``repr`` (a plugin's error that formats its arguments, say)."""
        fields = (
            f"{name}=<{type(getattr(self, name)).__name__}>"
            for name in self.__struct_fields__
            if getattr(self, name) not in (None, (), {})
        )
        return f"Patient({', '.join(fields)})"

    __str__ = __repr__


class ClinicProfile(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """A clinic's details, applied to every handout it prints."""

    name: Name
    """The clinic's name, on every handout."""
    phone: Annotated[str, Meta(max_length=60)] | None = None
    """Printed in the header."""
    website: Url | None = None
    """Printed in the header."""
    email: Annotated[str, Meta(max_length=200)] | None = None
    """Printed in the header."""
    address: Annotated[str, Meta(max_length=300)] | None = None
    """Printed in the header."""
    logo: str | None = None
    """Path of a PNG or JPEG logo, relative to the profile file."""
    video_url_pattern: Annotated[str, Meta(pattern=r"^https?://\S*\{id\}\S*$")] | None = None
    """Exercise video links, e.g. ``https://videos.example-clinic.org/{id}``."""
    routine_video_url_pattern: Annotated[str, Meta(pattern=r"^https?://\S*\{id\}\S*$")] | None = (
        None
    )
    """Whole-routine video links, ``{id}`` being the routine id."""
    plugins: dict[str, dict[str, Any]] = {}
    """Settings for plugins by plugin name (as ``routinekit plugins`` lists it), e.g.
    ``{knee-oa: {standing: false}}``; a routine's ``strategy:`` block wins field by field."""
    set_video_url_pattern: (
        Annotated[str, Meta(pattern=r"^https?://\S*\{exercises\}\S*$")] | None
    ) = None
    """Links to a video of the exact set a handout prints when it is not the whole routine:
    ``{exercises}`` becomes the printed exercise ids joined by commas, ``{id}`` the routine id."""

    content_signoff: ContentSignoff | None = None
    """The clinic's lead therapist's review of the built-in content (who, when, which
    version; see ``routinekit content``); the PDF metadata carries it, never patient data."""

    def exercise_video(self, exercise_id: str) -> str | None:
        return (
            self.video_url_pattern.replace("{id}", exercise_id) if self.video_url_pattern else None
        )

    def set_video(self, routine_id: str, exercise_ids: Sequence[str]) -> str | None:
        if not self.set_video_url_pattern:
            return None
        return self.set_video_url_pattern.replace("{exercises}", ",".join(exercise_ids)).replace(
            "{id}", routine_id
        )

    def routine_video(self, routine_id: str) -> str | None:
        if not self.routine_video_url_pattern:
            return None
        return self.routine_video_url_pattern.replace("{id}", routine_id)
