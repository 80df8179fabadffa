"""The words routinekit uses for what an exercise asks of the body.

Plain enums with no other routinekit imports, so the exercise model and the pose data
(:mod:`routinekit.model.pose`) can both use them. :mod:`routinekit.model` re-exports
every name here.

* :class:`Position`: where the body is (lying on the back, hands and knees, sitting in a
  chair, ...). An exercise lists every position it puts the body in; each keyframe of its
  pose names the one it shows.
* :class:`Need`: what the patient needs at home (floor space, a chair, a wall, ...).
* :class:`Joint` and :class:`Motion`: which body part moves, and how (a :class:`Move` in
  the exercise model pairs them). Beyond the spine, so knee, hip, shoulder and neck
  exercises can say what they do.
"""

from __future__ import annotations

from enum import StrEnum


class Position(StrEnum):
    """A body position an exercise is done in."""

    SUPINE = "supine"
    """Lying on the back."""
    PRONE = "prone"
    """Lying on the stomach."""
    SIDE_LYING = "side-lying"
    """Lying on one side."""
    QUADRUPED = "quadruped"
    """On hands and knees (weight on the knees)."""
    KNEELING = "kneeling"
    """Kneeling: upright, half-kneeling, or sitting back on the heels (weight on the knees)."""
    FLOOR_SITTING = "floor-sitting"
    """Sitting on the floor."""
    CHAIR_SITTING = "chair-sitting"
    """Sitting on a chair (or the edge of a bed)."""
    STANDING = "standing"
    SEATED = "seated"
    """Sitting, without saying on what (older exercise files). It counts as both a chair and
    the floor, so a patient who cannot get down to the floor never gets it: say
    ``chair-sitting`` or ``floor-sitting`` instead."""


#: Positions that need getting down to the floor (``seated`` may be on the floor).
FLOOR_POSITIONS = frozenset(
    {
        Position.SUPINE,
        Position.PRONE,
        Position.SIDE_LYING,
        Position.QUADRUPED,
        Position.KNEELING,
        Position.FLOOR_SITTING,
        Position.SEATED,
    }
)
#: Positions that put weight on the knees.
KNEE_POSITIONS = frozenset({Position.QUADRUPED, Position.KNEELING})
#: Lying positions.
LYING_POSITIONS = frozenset({Position.SUPINE, Position.PRONE, Position.SIDE_LYING})
#: Sitting positions.
SITTING_POSITIONS = frozenset({Position.CHAIR_SITTING, Position.FLOOR_SITTING, Position.SEATED})


class Need(StrEnum):
    """Something an exercise needs at home."""

    FLOOR_SPACE = "floor-space"
    """Room to get down on the floor (a mat or rug helps)."""
    CHAIR = "chair"
    WALL = "wall"
    COUNTER = "counter"
    """A kitchen counter or sturdy table to hold on to."""
    TOWEL = "towel"
    BALL = "ball"
    BAND = "band"
    """An elastic exercise band."""


class Joint(StrEnum):
    """A body part that moves (a joint, or a stretch of the spine)."""

    NECK = "neck"
    UPPER_BACK = "upper-back"
    LOWER_BACK = "lower-back"
    SHOULDER = "shoulder"
    ELBOW = "elbow"
    WRIST = "wrist"
    HIP = "hip"
    KNEE = "knee"
    ANKLE = "ankle"


class Motion(StrEnum):
    """How a body part moves."""

    FLEXION = "flexion"
    """Bending (forward, for the spine)."""
    EXTENSION = "extension"
    """Straightening (backward, for the spine)."""
    ROTATION = "rotation"
    SIDE_BEND = "side-bend"
    ABDUCTION = "abduction"
    """Away from the middle of the body."""
    ADDUCTION = "adduction"
    """Toward the middle of the body."""
    HOLD = "hold"
    """Kept still while it works (e.g. a straight back during a hip hinge)."""


#: Plain words for each position, as a handout says them.
POSITION_WORDS: dict[str, str] = {
    "supine": "lying on your back",
    "prone": "lying on your stomach",
    "side-lying": "lying on your side",
    "quadruped": "on hands and knees",
    "kneeling": "kneeling",
    "floor-sitting": "sitting on the floor",
    "chair-sitting": "sitting in a chair",
    "standing": "standing",
    "seated": "sitting",
}
