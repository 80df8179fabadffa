"""Exercises: what a library holds, independent of any routine or patient."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec
from msgspec import Meta

from routinekit.illustrations.spec import Pose
from routinekit.model.dose import Dose

Id = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Text = Annotated[str, Meta(min_length=1, max_length=2000)]
Url = Annotated[str, Meta(pattern=r"^https?://\S+$", max_length=2000)]


class Position(StrEnum):
    """The body position an exercise is done in."""

    QUADRUPED = "quadruped"
    SUPINE = "supine"
    PRONE = "prone"
    SIDE_LYING = "side-lying"
    SEATED = "seated"
    KNEELING = "kneeling"
    STANDING = "standing"


class Movement(StrEnum):
    """What the spine does during the exercise."""

    FLEXION = "flexion"
    EXTENSION = "extension"
    ROTATION = "rotation"
    SIDE_BEND = "side-bend"
    NEUTRAL = "neutral"
    AEROBIC = "aerobic"
    BREATHING = "breathing"


class Phase(StrEnum):
    """The stage of recovery an exercise suits."""

    ACUTE = "acute"
    PROGRESSION = "progression"
    PREVENTION = "prevention"


class Alternative(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Another way to do the exercise, e.g. from a chair."""

    position: Position
    text: Text
    exercise: Id | None = None
    """Id of a library exercise that describes this alternative in full."""


class ExerciseText(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """The words of an exercise in one language; unset fields fall back to the main text."""

    name: Text | None = None
    objective: Text | None = None
    steps: tuple[Text, ...] | None = None
    cautions: tuple[Text, ...] | None = None
    alternatives: tuple[Text, ...] | None = None


class Exercise(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """One exercise as a library knows it."""

    id: Id
    name: Text
    objective: Text
    steps: Annotated[tuple[Text, ...], Meta(min_length=1, max_length=20)]
    position: Position
    movements: Annotated[tuple[Movement, ...], Meta(min_length=1)]
    difficulty: Annotated[int, Meta(ge=1, le=5)] = 1
    aliases: tuple[Text, ...] = ()
    phases: tuple[Phase, ...] = ()
    tags: tuple[Text, ...] = ()
    dose: Dose = Dose()
    cautions: tuple[Text, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    video_url: Url | None = None
    image: str | None = None
    """Path of an illustration (PNG or JPEG), relative to the file that names it."""
    source: str | None = None
    licence: str | None = None
    translations: dict[str, ExerciseText] = {}
    pose: Pose | None = None
    """How to draw the exercise (see docs/illustrations.md); built-in ids have one by default."""

    def has_movement(self, movement: Movement | str) -> bool:
        return Movement(movement) in self.movements

    @property
    def flexion_with_rotation(self) -> bool:
        return Movement.FLEXION in self.movements and Movement.ROTATION in self.movements
