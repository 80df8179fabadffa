"""Exercises: what a library holds, independent of any routine or patient."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec
from msgspec import Meta

from routinekit.model.dose import Dose
from routinekit.model.pose import Pose
from routinekit.model.provenance import ExerciseProvenance
from routinekit.vocabulary import FLOOR_POSITIONS, Joint, Motion, Need, Position

Id = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Text = Annotated[str, Meta(min_length=1, max_length=2000)]
Url = Annotated[str, Meta(pattern=r"^https?://\S+$", max_length=2000)]


class Movement(StrEnum):
    """What the spine does during the exercise (the back strategies order by it)."""

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


class Alternative(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """Another way to do the exercise, e.g. from a chair."""

    position: Position
    """The position of this other way."""
    text: Text
    """What to do differently, in one or two sentences."""
    exercise: Id | None = None
    """Id of a library exercise that describes this alternative in full; routinekit swaps it
    in when the exercise itself breaks a patient's limits and this one does not."""
    needs: tuple[Need, ...] = ()
    """What this way needs at home (floor space is implied by a floor position)."""


class Move(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One body part and how it moves, e.g. ``{joint: knee, motion: flexion}``."""

    joint: Joint
    motion: Motion


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
    """Unique across every source. A plugin's exercise ids should start with the plugin's
    name (``knee-oa-wall-squat``) so they never clash with the library or another plugin."""
    name: Text
    """The name printed on the card, e.g. "Child's Pose"."""
    objective: Text
    """One plain sentence: what the exercise does for the patient."""
    steps: Annotated[tuple[Text, ...], Meta(min_length=1, max_length=20)]
    """What to do, one short step each, in order (1-20 steps)."""
    position: Position
    """The main position (where the exercise starts); patients can leave positions out
    (``exclude: [prone]``, ``exclude: [floor]``)."""
    movements: tuple[Movement, ...] = ()
    """What the spine does; strategies and exclusions use them. Leave it out for exercises
    that do not move the spine (a knee or shoulder exercise says so in ``moves``)."""
    positions: tuple[Position, ...] = ()
    """Every position the exercise puts the body in, the main one included (default: just
    ``position``). Child's Pose: ``[quadruped, kneeling]``."""
    needs: tuple[Need, ...] = ()
    """What it needs at home: ``chair``, ``wall``, ``towel``, ... (``floor-space`` is added
    by itself when a position is on the floor)."""
    moves: tuple[Move, ...] = ()
    """Which body parts move and how (spine, hips, knees, shoulders, neck, ...)."""
    difficulty: Annotated[int, Meta(ge=1, le=5)] = 1
    """1 (easiest) to 5; ``--max-difficulty`` leaves out harder ones."""
    aliases: tuple[Text, ...] = ()
    """Other names the exercise is known by; ``routinekit exercises`` searches them."""
    phases: tuple[Phase, ...] = ()
    """The stages of recovery it suits; none means any stage."""
    tags: tuple[Text, ...] = ()
    """Free labels for filtering (``routinekit exercises --tag TAG``)."""
    dose: Dose = Dose()
    """The library's usual dose; a routine, a strategy and a patient change only the fields
    they name."""
    cautions: tuple[Text, ...] = ()
    """Warnings printed on the card, one sentence or two each."""
    alternatives: tuple[Alternative, ...] = ()
    """Other ways to do it (e.g. from a chair), each with its position and a short text."""
    video_url: Url | None = None
    """A video of the exercise; the card prints a QR code for it."""
    image: str | None = None
    """Path of an illustration (PNG or JPEG), relative to the file that names it."""
    source: str | None = None
    """Where the exercise comes from (a handout, an article), in one line; never printed."""
    provenance: ExerciseProvenance | None = None
    """Where each clinical fact comes from (see ``routinekit exercises show ID --sources``)."""
    licence: str | None = None
    """The licence of the text and picture, when not the library's own."""
    translations: dict[str, ExerciseText] = {}
    """Per-language words by language code, e.g. ``{es: {name: ..., steps: [...]}}``; unset
    fields keep the main text."""
    pose: Pose | None = None
    """How to draw the exercise (see docs/illustrations.md); built-in ids have one by default."""

    @property
    def body_positions(self) -> tuple[Position, ...]:
        """Every position it uses, the main one first, each once."""
        return tuple(dict.fromkeys((self.position, *self.positions)))

    @property
    def all_needs(self) -> tuple[Need, ...]:
        """What it needs, with ``floor-space`` when any of its positions is on the floor."""
        floor = any(p in FLOOR_POSITIONS for p in self.body_positions)
        return tuple(dict.fromkeys((*((Need.FLOOR_SPACE,) if floor else ()), *self.needs)))

    def has_movement(self, movement: Movement | str) -> bool:
        return Movement(movement) in self.movements

    @property
    def flexion_with_rotation(self) -> bool:
        return Movement.FLEXION in self.movements and Movement.ROTATION in self.movements
