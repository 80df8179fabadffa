"""The typed contracts a plugin implements: exercise sources, strategies, renderers, templates.

Subclass one of these and hand an instance to the ``register`` callable your
``register_*`` hook receives (see :mod:`routinekit.hookspecs`). Every built-in is
written exactly this way, in :mod:`routinekit.builtins`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

import msgspec

from routinekit.model import ClinicalRule, Exercise, Handout, SequencePlan, SequenceRequest


class ExerciseSource(ABC):
    """Supplies exercises to the library (a clinic's list, a spreadsheet, ...).

    ``exercises()`` is called once per process, when the library is first needed.
    Ids must be unique across all sources; a clash is an error naming both plugins.
    """

    #: Short unique id, e.g. ``"builtin"`` or ``"clinic-csv"``.
    id: ClassVar[str]
    #: One-line human description.
    description: ClassVar[str] = ""

    @abstractmethod
    def exercises(self) -> Iterable[Exercise]:
        """Return every exercise this source provides."""


class Strategy(ABC):
    """Decides which of a routine's exercises go on the handout, in what order and groups.

    A strategy must be deterministic, never invent exercises (only ids from
    ``request.candidates``, or from ``request.library`` when it adds work the routine
    lacks), and give a plain reason for each placement and omission. routinekit has
    already removed the patient's exclusions, from both. A strategy whose view contradicts
    the routine's education or self-care replaces it through the plan
    (``SequencePlan.education``, ``self_care``) so that no handout teaches both.
    """

    id: ClassVar[str]
    name: ClassVar[str]
    description: ClassVar[str] = ""
    rules: ClassVar[tuple[ClinicalRule, ...]] = ()
    """The clinical rules it follows and the texts it prints, each with its sources
    (``docs/clinical-content.md`` lists those of the built-in strategies)."""
    #: A ``msgspec.Struct`` of the strategy's own settings (every field with a default), or
    #: None. Extra keys of a routine's ``strategy:`` block, and the clinic profile's
    #: ``plugins: {PLUGIN: {...}}`` block, are validated against it; the result arrives as
    #: ``request.settings``.
    settings_type: ClassVar[type[msgspec.Struct] | None] = None

    @abstractmethod
    def sequence(self, request: SequenceRequest) -> SequencePlan:
        """Return the plan for this request."""


class RenderOptions(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """How to render: options every renderer receives (it may ignore what it cannot do)."""

    page_size: str = "letter"
    """``letter`` or ``a4``."""
    exercise_qr: bool = True
    """Print a QR code on each exercise card that has a video."""
    large_print: bool = False
    tracking_log: bool | None = None
    """Force the tracking log on or off; None follows the routine."""
    show_reasons: bool = False
    """Print why each exercise is where it is."""


class Renderer(ABC):
    """Turns a :class:`~routinekit.model.Handout` into a file's bytes.

    Rendering must be deterministic: the same handout and options give the same
    bytes. Patient data must not leak into metadata.
    """

    id: ClassVar[str]
    name: ClassVar[str]
    #: File extension without the dot, e.g. ``"pdf"``.
    extension: ClassVar[str]
    media_type: ClassVar[str] = "application/octet-stream"

    @abstractmethod
    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        """Return the rendered document."""


class RoutineTemplate(msgspec.Struct, frozen=True, kw_only=True):
    """A starter routine file that ``routinekit new --template ID`` copies."""

    id: str
    title: str
    path: Path
    description: str = ""
