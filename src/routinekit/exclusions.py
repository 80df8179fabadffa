"""Patient exclusions: a position (prone), a movement (rotation) or an exercise id."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from routinekit.errors import UnknownIdError
from routinekit.model import Exercise, Movement, Position

_POSITIONS = {p.value for p in Position}
_MOVEMENTS = {m.value for m in Movement}
_ALIASES = {
    "sidelying": "side-lying",
    "side lying": "side-lying",
    "twist": "rotation",
    "twisting": "rotation",
    "bending": "flexion",
    "kneel": "kneeling",
}


@dataclass(frozen=True)
class Exclusions:
    positions: frozenset[str] = frozenset()
    movements: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(sorted(self.positions | self.movements | self.ids))

    def reason(self, ex: Exercise) -> str | None:
        """Why this exercise is excluded, or None if it is not."""
        if ex.id in self.ids:
            return "left out for this patient (excluded by id)"
        if ex.position.value in self.positions:
            return f"left out for this patient: no {ex.position.value} positions"
        for m in ex.movements:
            if m.value in self.movements:
                return f"left out for this patient: no {m.value}"
        return None


def parse_exclusions(
    tokens: Iterable[str], known_ids: Iterable[str], *, field: str = "exclude"
) -> Exclusions:
    """Sort tokens into positions, movements and ids; unknown tokens are a user error."""
    ids = set(known_ids)
    pos: set[str] = set()
    mov: set[str] = set()
    exc: set[str] = set()
    for raw in tokens:
        for token in str(raw).split(","):
            t = _ALIASES.get(token.strip().lower(), token.strip().lower())
            if not t:
                continue
            if t in _POSITIONS:
                pos.add(t)
            elif t in _MOVEMENTS:
                mov.add(t)
            elif t in ids:
                exc.add(t)
            else:
                vocab = sorted(_POSITIONS | _MOVEMENTS | ids)
                close = difflib.get_close_matches(t, vocab, n=1)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else "use a position (e.g. prone), a movement (e.g. rotation) or an exercise id"
                )
                raise UnknownIdError(
                    f"cannot exclude '{token.strip()}': not a position, movement or exercise id",
                    hint=hint,
                )
    return Exclusions(frozenset(pos), frozenset(mov), frozenset(exc))
