"""What a patient cannot do, in the words a therapist uses, and what that leaves out.

A routine (``strategy.exclude``), a patient file or batch row (``exclude``) and the
command line (``--exclude``) name limits such as ``floor``, ``kneeling`` or ``no-chair``.
:func:`parse_exclusions` turns them into :class:`Exclusions`; :meth:`Exclusions.reason`
says why an exercise breaks them (it checks every position the exercise uses and every
thing it needs), and :func:`substitute` finds the alternative that meets them all.

Everything here is a pure function of its input.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping

import msgspec

from routinekit.errors import UnknownIdError
from routinekit.model import Alternative, Exercise, Movement, Need, Position
from routinekit.vocabulary import (
    FLOOR_POSITIONS,
    KNEE_POSITIONS,
    LYING_POSITIONS,
    POSITION_WORDS,
    SITTING_POSITIONS,
)

_ALL = frozenset(Position)


class Limit(msgspec.Struct, frozen=True):
    """One word a therapist can write, the positions it rules out, and how to say it."""

    positions: frozenset[Position]
    says: str
    """Completes "this patient ...", e.g. ``cannot get down to the floor``."""


#: Position limits, by the word a therapist writes.
LIMITS: dict[str, Limit] = {
    "floor": Limit(FLOOR_POSITIONS, "cannot get down to the floor"),
    "kneeling": Limit(KNEE_POSITIONS, "cannot kneel (no weight on the knees)"),
    "prone": Limit(frozenset({Position.PRONE}), "cannot lie on the stomach"),
    "supine": Limit(frozenset({Position.SUPINE}), "cannot lie on the back"),
    "side-lying": Limit(frozenset({Position.SIDE_LYING}), "cannot lie on the side"),
    "lying": Limit(LYING_POSITIONS, "cannot lie down"),
    "standing": Limit(frozenset({Position.STANDING}), "cannot stand for exercises"),
    "sitting": Limit(SITTING_POSITIONS, "cannot sit for exercises"),
    "quadruped": Limit(frozenset({Position.QUADRUPED}), "cannot go on hands and knees"),
    "floor-sitting": Limit(
        frozenset({Position.FLOOR_SITTING, Position.SEATED}), "cannot sit on the floor"
    ),
    "chair-sitting": Limit(frozenset({Position.CHAIR_SITTING}), "cannot sit in a chair"),
    "chair-only": Limit(
        _ALL - {Position.CHAIR_SITTING}, "must stay in a chair (no floor, no standing)"
    ),
}

#: Other ways of writing the same limits.
ALIASES: dict[str, str] = {
    "ground": "floor",
    "getting-down": "floor",
    "kneel": "kneeling",
    "knees": "kneeling",
    "knee": "kneeling",
    "hands-and-knees": "quadruped",
    "all-fours": "quadruped",
    "stomach": "prone",
    "face-down": "prone",
    "lying-on-stomach": "prone",
    "back": "supine",
    "lying-on-back": "supine",
    "sidelying": "side-lying",
    "side": "side-lying",
    "lying-down": "lying",
    "lie-down": "lying",
    "stand": "standing",
    "seated": "sitting",
    "sit": "sitting",
    "chair-bound": "chair-only",
    "wheelchair": "chair-only",
    "in-a-chair": "chair-only",
    "twist": "rotation",
    "twisting": "rotation",
    "bending": "flexion",
    "side-bending": "side-bend",
}

#: Spine movements a patient can avoid (the ones that say what the spine does).
MOVEMENT_WORDS = tuple(
    m.value for m in (Movement.FLEXION, Movement.EXTENSION, Movement.ROTATION, Movement.SIDE_BEND)
)
_OTHER_MOVEMENTS = {m.value for m in Movement} - set(MOVEMENT_WORDS)

#: Missing equipment is written ``no-chair`` (also ``no chair``, ``without chair``).
NEED_WORDS = tuple(f"no-{n.value}" for n in Need)


def known_words() -> tuple[str, ...]:
    """Every limit word, as the error message lists them."""
    return (*LIMITS, *MOVEMENT_WORDS, *NEED_WORDS)


def _normal(token: str) -> str:
    t = "-".join(token.strip().lower().replace("_", " ").split())
    for prefix in ("without-", "no-", "missing-"):
        if t.startswith(prefix) and t[len(prefix) :] in {n.value for n in Need}:
            return "no-" + t[len(prefix) :]
    if t in {n.value for n in Need}:
        return "no-" + t
    if t.startswith(("no-", "cannot-", "not-")) and t.split("-", 1)[1] in (*LIMITS, *ALIASES):
        t = t.split("-", 1)[1]
    return ALIASES.get(t, t)


class Exclusions(msgspec.Struct, frozen=True):
    """What to leave out: limit words, spine movements, missing things and exercise ids.

    ``positions`` holds every position the words rule out (``floor`` rules out lying,
    kneeling, hands and knees and sitting on the floor).
    """

    positions: frozenset[str] = frozenset()
    movements: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()
    """The limit words, in the order given (the first one that covers a position names it)."""
    needs: frozenset[str] = frozenset()
    """Things the patient does not have (``chair``, ``band``, ``floor-space``, ...)."""

    @classmethod
    def union(cls, parts: Iterable[Exclusions]) -> Exclusions:
        parts = list(parts)
        words: dict[str, None] = {}
        for p in parts:
            words.update(dict.fromkeys(p.words))
        return cls(
            positions=frozenset().union(*(p.positions for p in parts)),
            movements=frozenset().union(*(p.movements for p in parts)),
            ids=frozenset().union(*(p.ids for p in parts)),
            words=tuple(words),
            needs=frozenset().union(*(p.needs for p in parts)),
        )

    @property
    def tokens(self) -> tuple[str, ...]:
        """Every limit as written in files: words, movements, ``no-THING`` and ids."""
        plain = set(self.words) | self.movements | {f"no-{n}" for n in self.needs}
        return tuple(sorted(plain | self.ids))

    def __bool__(self) -> bool:
        return bool(self.positions or self.movements or self.ids or self.needs)

    def _word(self, position: str) -> str | None:
        for w in self.words:
            limit = LIMITS.get(w)
            if limit is not None and position in limit.positions:
                return w
        return None

    def _says(self, position: str) -> str:
        word = self._word(position)
        if word is not None:
            return LIMITS[word].says
        return f"avoids {POSITION_WORDS.get(position, position)}"

    def limit_of(self, ex: Exercise) -> str | None:
        """The limit word an exercise breaks first (``kneeling``, ``no-chair``, ...)."""
        if not (self.positions or self.needs or self.movements):
            return None
        for p in ex.body_positions:
            if p.value in self.positions:
                return self._word(p.value)
        for n in ex.all_needs:
            if n.value in self.needs:
                return f"no-{n.value}"
        return next((m.value for m in ex.movements if m.value in self.movements), None)

    def position_reason(self, positions: Iterable[str]) -> str | None:
        for p in positions:
            if p in self.positions:
                return f"it is done {POSITION_WORDS.get(p, p)}, and this patient {self._says(p)}"
        return None

    def need_reason(self, needs: Iterable[str]) -> str | None:
        for n in needs:
            if n in self.needs:
                return f"it needs a {n.replace('-', ' ')}, and this patient has none"
        return None

    def reason(self, ex: Exercise) -> str | None:
        """Why this exercise is left out for this patient, or None if it is not."""
        if ex.id in self.ids:
            return "left out for this patient (excluded by id)"
        why = self.why(ex)
        return f"left out for this patient: {why}" if why else None

    def why(self, ex: Exercise) -> str | None:
        """The limit an exercise breaks, in plain words (``it is done kneeling, and ...``)."""
        if not (self.positions or self.needs or self.movements):
            return None  # no limits (most patients): nothing to look at
        why = self.position_reason(p.value for p in ex.body_positions) or self.need_reason(
            n.value for n in ex.all_needs
        )
        if why is None:
            for m in ex.movements:
                if m.value in self.movements:
                    why = f"it moves the spine into {m.value}, which this patient avoids"
                    break
        return why

    def alternative_reason(self, alt: Alternative) -> str | None:
        """Why an alternative way (a line on the card) breaks a limit, or None."""
        if not (self.positions or self.needs):
            return None
        floor = Need.FLOOR_SPACE.value if alt.position in FLOOR_POSITIONS else None
        needs = [*([floor] if floor else []), *(n.value for n in alt.needs)]
        return self.position_reason([alt.position.value]) or self.need_reason(needs)


def parse_exclusions(
    tokens: Iterable[str], known_ids: Iterable[str], *, field: str = "exclude"
) -> Exclusions:
    """Sort tokens (``floor``, ``kneeling``, ``no-chair``, ``rotation``, ids, ...).

    Tokens may be comma-separated. An unknown token is a user error that lists the known
    words and suggests the closest one.
    """
    ids = set(known_ids)
    words: dict[str, None] = {}
    positions: set[str] = set()
    movements: set[str] = set()
    needs: set[str] = set()
    excluded: set[str] = set()
    for raw in tokens:
        for token in str(raw).split(","):
            if not token.strip():
                continue
            t = _normal(token)
            if t in LIMITS:
                words[t] = None
                positions |= {p.value for p in LIMITS[t].positions}
            elif t in MOVEMENT_WORDS or t in _OTHER_MOVEMENTS:
                movements.add(t)
            elif t in NEED_WORDS:
                needs.add(t.removeprefix("no-"))
                words[t] = None
            elif token.strip().lower() in ids:
                excluded.add(token.strip().lower())
            else:
                raise unknown_word(token.strip(), ids)
    return Exclusions(
        positions=frozenset(positions),
        movements=frozenset(movements),
        ids=frozenset(excluded),
        words=tuple(w for w in words if w in LIMITS),
        needs=frozenset(needs),
    )


def unknown_word(token: str, ids: Iterable[str]) -> UnknownIdError:
    vocab = [*known_words(), *ALIASES, *sorted(ids)]
    close = difflib.get_close_matches(_normal(token), vocab, n=1, cutoff=0.6)
    suggestion = f"did you mean '{ALIASES.get(close[0], close[0])}'? " if close else ""
    return UnknownIdError(
        f"cannot exclude '{token}': not a limit routinekit knows",
        hint=(
            f"{suggestion}use {', '.join(known_words())}, or an exercise id "
            "(see `routinekit exercises`)"
        ),
    )


# -- substitution -------------------------------------------------------------------------------


class Substitution(msgspec.Struct, frozen=True):
    """An exercise that breaks a limit, and the alternative printed in its place."""

    original: Exercise
    replacement: Exercise
    reason: str
    """The limit the original breaks (``it is done kneeling, and this patient ...``)."""
    limit: str | None = None
    """The limit word it breaks first (``kneeling``)."""

    @property
    def explanation(self) -> str:
        return (
            f"in place of {self.original.name} ({self.reason}); "
            f"{self.replacement.name} is its alternative and meets every limit"
        )


def substitute(
    ex: Exercise,
    exclusions: Exclusions,
    lookup: Mapping[str, Exercise] | Callable[[str], Exercise | None],
    taken: Iterable[str] = (),
) -> Substitution | None:
    """The first alternative of ``ex`` (a library exercise) that meets every limit.

    None when ``ex`` breaks no limit, when it was excluded by id (the therapist named
    that exercise), or when no alternative fits. ``taken`` holds ids already on the
    handout, which are not used twice.
    """
    why = exclusions.why(ex)
    if why is None or ex.id in exclusions.ids:
        return None
    get = lookup.get if isinstance(lookup, Mapping) else lookup
    used = set(taken)
    for alt in ex.alternatives:
        if alt.exercise is None or alt.exercise in used or exclusions.alternative_reason(alt):
            continue
        other = get(alt.exercise)
        if other is not None and exclusions.reason(other) is None:
            return Substitution(
                original=ex, replacement=other, reason=why, limit=exclusions.limit_of(ex)
            )
    return None
