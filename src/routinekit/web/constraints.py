"""The constraints a therapist ticks ("cannot get down to the floor"), in their words.

Each checkbox is one word of the clinical model's exclusion vocabulary (the words
``routinekit build --exclude`` takes), with a label that says it the way a therapist would.
"""

from __future__ import annotations

from dataclasses import dataclass

from routinekit.exclusions import parse_exclusions
from routinekit.model import Exercise


@dataclass(frozen=True)
class Constraint:
    word: str
    label: str
    tokens: tuple[str, ...]
    """The exclusion tokens this word stands for (what the build is given)."""


#: The words the page offers, in routinekit's own limit vocabulary (routinekit.constraints):
#: ``floor`` is every floor position (lying, kneeling, hands and knees, sitting on the floor).
_LABELS = {
    "floor": "No floor: cannot get down to the floor",
    "kneeling": "No kneeling: no weight on the knees (hands and knees too)",
    "prone": "No prone: no lying on the stomach",
    "supine": "No supine: no lying on the back",
    "side-lying": "No side-lying: no lying on one side",
    "lying": "No lying down at all",
    "quadruped": "No quadruped: no hands and knees",
    "sitting": "No sitting exercises",
    "standing": "No standing exercises",
    "rotation": "No rotation: no twisting",
    "flexion": "No flexion: no bending forward",
    "extension": "No extension: no bending backward",
    "side-bend": "No side-bend: no bending sideways",
}
_NEEDS = ("chair", "wall", "counter", "towel", "ball", "band")


def constraints() -> tuple[Constraint, ...]:
    """Every constraint the page offers, floor first (each is one word ``--exclude`` takes)."""
    out = [Constraint(word, label, (word,)) for word, label in _LABELS.items()]
    for need in _NEEDS:
        out.append(Constraint(f"no-{need}", f"No {need} at home", (f"no-{need}",)))
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
        if parse_exclusions(c.tokens, ()).reason(exercise):
            out.append(c.word)
    return tuple(out)
