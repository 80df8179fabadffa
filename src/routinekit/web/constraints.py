"""The constraints a therapist ticks ("cannot get down to the floor"), in their words.

Each checkbox is one word of the clinical model's exclusion vocabulary (the words
``routinekit build --exclude`` takes), with a label that says it the way a therapist would.
"""

from __future__ import annotations

from dataclasses import dataclass

from routinekit.exclusions import Exclusions, parse_exclusions
from routinekit.model import Exercise, Movement, Position


@dataclass(frozen=True)
class Constraint:
    word: str
    label: str
    tokens: tuple[str, ...]
    """The exclusion tokens this word stands for (what the build is given)."""


#: Positions done lying or kneeling on the floor (the project's clinical default: a patient who
#: cannot get down to the floor cannot do any of them).
FLOOR_POSITIONS = (
    Position.QUADRUPED,
    Position.SUPINE,
    Position.PRONE,
    Position.SIDE_LYING,
    Position.KNEELING,
)

_LABELS = {
    "floor": "No floor: cannot get down to the floor",
    "kneeling": "No kneeling",
    "prone": "No prone: no lying on the stomach",
    "supine": "No supine: no lying on the back",
    "side-lying": "No side-lying: no lying on one side",
    "quadruped": "No quadruped: no hands and knees",
    "seated": "No seated exercises",
    "standing": "No standing exercises",
    "rotation": "No rotation: no twisting",
    "flexion": "No flexion: no bending forward",
    "extension": "No extension: no bending backward",
    "side-bend": "No side-bend: no bending sideways",
}


def constraints() -> tuple[Constraint, ...]:
    """Every constraint the page offers, floor first."""
    out = [
        Constraint("floor", _LABELS["floor"], tuple(p.value for p in FLOOR_POSITIONS)),
    ]
    for p in Position:
        out.append(Constraint(p.value, _LABELS.get(p.value, f"No {p.value}"), (p.value,)))
    for m in (Movement.ROTATION, Movement.FLEXION, Movement.EXTENSION, Movement.SIDE_BEND):
        out.append(Constraint(m.value, _LABELS.get(m.value, f"No {m.value}"), (m.value,)))
    return tuple(out)


def words() -> tuple[str, ...]:
    return tuple(c.word for c in constraints())


def tokens(chosen: tuple[str, ...]) -> tuple[str, ...]:
    """The exclusion tokens for the ticked words, in a stable order, each once."""
    by_word = {c.word: c for c in constraints()}
    out: list[str] = []
    for w in chosen:
        for t in by_word[w].tokens if w in by_word else ():
            if t not in out:
                out.append(t)
    return tuple(out)


def excluded_by(exercise: Exercise) -> tuple[str, ...]:
    """The words whose checkbox would leave this exercise out (for the library filter)."""
    out = []
    for c in constraints():
        if Exclusions.reason(parse_exclusions(c.tokens, ()), exercise):
            out.append(c.word)
    return tuple(out)
