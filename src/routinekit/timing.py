"""How long a session takes: the doses as printed, plus the time to change position.

Getting down to the floor and back up takes real time, most of all for an older or
stiff patient, and the estimate on the handout should say so. The seconds below are the
project's clinical default (no seed gives a figure): cautious, round numbers for a patient
with back pain who moves slowly and carefully.

* the same position as the exercise before: nothing;
* a change on the floor (rolling from the back to the stomach, from hands and knees to
  lying) or between a chair and standing: :data:`SHIFT_SECONDS`;
* getting down to the floor or up from it: :data:`FLOOR_SECONDS`.

A session starts and ends upright (standing or in a chair): a first exercise on the floor
adds getting down, a last one adds getting up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from routinekit.model import Exercise, Position
from routinekit.vocabulary import FLOOR_POSITIONS

#: Seconds to get down to the floor, or up from it (project's clinical default).
FLOOR_SECONDS = 30
#: Seconds to change position on the floor, or between a chair and standing.
SHIFT_SECONDS = 10


def change_seconds(before: Position | None, after: Position | None) -> int:
    """Seconds to go from position ``before`` to ``after`` (None: upright, off the floor)."""
    if before == after:
        return 0
    down_before = before in FLOOR_POSITIONS
    down_after = after in FLOOR_POSITIONS
    if down_before != down_after:
        return FLOOR_SECONDS
    if before is None or after is None:
        return 0
    return SHIFT_SECONDS


def start_end(ex: Exercise) -> tuple[Position, Position]:
    """The position an exercise starts in and the one it ends in."""
    positions = ex.body_positions
    return positions[0], positions[-1]


def changes_seconds(exercises: Iterable[Exercise]) -> int:
    """All the position changes of a session done in this order, from upright to upright."""
    total = 0
    where: Position | None = None
    for ex in exercises:
        start, end = start_end(ex)
        total += change_seconds(where, start)
        where = end
    return total + change_seconds(where, None)


def position_changes(exercises: Sequence[Exercise]) -> int:
    """How many times the main position changes from one exercise to the next."""
    return sum(1 for a, b in pairwise(exercises) if a.position != b.position)
