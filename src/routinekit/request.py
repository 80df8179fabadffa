"""The one build request that every command, the Python API and the web page construct.

A :class:`BuildRequest` says everything that makes one handout: which routine, for
which patient, printed by which clinic, with which choices (:class:`BuildOptions`)
and how it is drawn (:class:`~routinekit.contracts.RenderOptions` and a format).
It is a frozen value: a batch row is the batch's request with that row's patient
(and routine) put in with :func:`msgspec.structs.replace`, and the stages in
:mod:`routinekit.stages` only read it.

Precedence, the same for ``build``, ``batch``, ``sequence``, the API and the web page:
a choice in :class:`BuildOptions` (the command line) wins over the patient's, which
wins over the routine file's. The one exception is ``date``: the patient's own date
wins, and ``BuildOptions.date`` is the default for patients without one.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated

import msgspec
from msgspec import Meta

from routinekit.contracts import RenderOptions
from routinekit.model import ClinicProfile, Patient, Phase

__all__ = ["GUARD_MODES", "PAGE_SIZES", "BuildOptions", "BuildRequest", "RenderOptions"]

#: Values of ``BuildOptions.guards`` (see :mod:`routinekit.guards`).
GUARD_MODES = ("standard", "strict", "warn", "off")
#: Values of ``RenderOptions.page_size``.
PAGE_SIZES = ("letter", "a4")


class BuildOptions(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The choices that win over the patient file and the routine file.

    Every field is optional: ``None`` (or an empty ``exclude``) leaves the choice to
    the patient and the routine.
    """

    strategy: str | None = None
    """Sequencing strategy id (``routinekit strategies``)."""
    minutes: Annotated[float, Meta(ge=0.5, le=240)] | None = None
    """Time budget per session, in minutes."""
    max_difficulty: Annotated[int, Meta(ge=1, le=5)] | None = None
    phase: Phase | None = None
    exclude: tuple[str, ...] = ()
    """Added to the patient's and the routine's exclusions (positions, movements, ids)."""
    guards: str | None = None
    """Clinical guard rails: standard, strict, warn or off (see :mod:`routinekit.guards`)."""
    language: str | None = None
    """Handout language, over the patient's and the routine's."""
    date: dt.date | None = None
    """Date printed on handouts whose patient has no date of their own (default: today)."""
    strict: bool = False
    """A warning (e.g. the routine shrank for this patient's limits) is an error."""

    def __post_init__(self) -> None:
        if self.minutes is not None and not math.isfinite(self.minutes):
            raise ValueError("minutes must be a number")  # msgspec checks decoded values only


class BuildRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Everything that makes one handout. Build it once; replace fields to vary it.

    ``routine`` is a routine file's path or a template id; with ``routine_text`` it is
    only the name that error messages use, and the YAML text is the routine.
    ``patient`` and ``clinic`` are file paths or values already read; ``patient_source``
    names a patient given as a value in error messages (a batch row: ``row 12``).
    """

    routine: str
    routine_text: str | None = None
    patient: str | Patient | None = None
    patient_source: str | None = None
    clinic: str | ClinicProfile | None = None
    default_clinic: bool = True
    """With no ``clinic``, use the default profile (``ROUTINEKIT_CLINIC`` or
    ``~/.config/routinekit/clinic.yaml``) when there is one."""
    options: BuildOptions = BuildOptions()
    render: RenderOptions = RenderOptions()
    format: str = "pdf"
    """Output format: a renderer id (``routinekit renderers``)."""

    def with_options(self, **changes: object) -> BuildRequest:
        """This request with some :class:`BuildOptions` fields changed."""
        return msgspec.structs.replace(
            self, options=msgspec.structs.replace(self.options, **changes)
        )

    def for_patient(
        self, patient: Patient | None, *, source: str | None = None, routine: str | None = None
    ) -> BuildRequest:
        """This request for another patient (and routine): how a batch makes each row's."""
        return msgspec.structs.replace(
            self,
            patient=patient,
            patient_source=source,
            routine=routine if routine is not None else self.routine,
            routine_text=None if routine is not None else self.routine_text,
        )
