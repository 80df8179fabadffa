"""Doses: how long, how many, how often (the words are in :mod:`routinekit.text.dose_words`)."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

import msgspec

_RANGE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(\d+(?:\.\d+)?))?\s*$")

#: Rough seconds one repetition takes, used to estimate session length.
SECONDS_PER_REP = 3


def _as_float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number or a range like 30-60, got {value!r}")
    return float(value)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


#: ``Range(30)``: the default of ``high``, read as "the same as ``low``" (compared by identity,
#: so an explicit ``Range(1, float("nan"))`` is still refused as not finite)
_SAME_AS_LOW: float = float("nan")


class Range(msgspec.Struct, frozen=True):
    """A number or an inclusive range such as 30-60. Written ``30`` or ``"30-60"`` in files
    (:mod:`routinekit.model.file_form` reads and writes that form), and ``{"low": 30.0,
    "high": 60.0}`` by msgspec and in the JSON output.

    ``Range(30)`` is 30-30. Immutable, like every model value: ``r.low = 5`` raises
    AttributeError. Finite, not negative and not backwards, however it is made (in code,
    from a file, or decoded by msgspec).
    """

    low: float
    high: float = _SAME_AS_LOW

    def __post_init__(self) -> None:
        low, high = self.low, self.high
        if high is _SAME_AS_LOW:
            high = low
        if type(low) is not float or type(high) is not float or high is not self.high:
            # floats only, so equal ranges encode alike however they were made
            low, high = _as_float(low), _as_float(high)
            msgspec.structs.force_setattr(self, "low", low)
            msgspec.structs.force_setattr(self, "high", high)
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ValueError("must be a finite number")
        if low < 0 or high < 0:
            raise ValueError("must not be negative")
        if high < low:
            raise ValueError(
                f"range {_num(low)}-{_num(high)} runs backwards; write the low end first"
            )

    @classmethod
    def parse(cls, value: Any) -> Range:
        """Read ``30``, ``30.5``, ``"30-60"`` or ``"30 to 60"``; raise ValueError otherwise."""
        if isinstance(value, Range):
            return value
        if isinstance(value, bool):
            raise ValueError("expected a number or a range like 30-60, got true/false")
        if isinstance(value, int | float):
            if isinstance(value, int) and abs(value) > 10**15:
                raise ValueError("the number is too large")
            return cls(float(value))
        if isinstance(value, str):
            m = _RANGE_RE.match(value)
            if m:
                low = float(m.group(1))
                return cls(low, float(m.group(2))) if m.group(2) else cls(low)
        raise ValueError(f"expected a number or a range like 30-60, got {value!r}")

    @property
    def is_single(self) -> bool:
        return self.low == self.high

    def text(self) -> str:
        return _num(self.low) if self.is_single else f"{_num(self.low)}-{_num(self.high)}"

    def scaled(self, factor: float) -> Range:
        return Range(self.low * factor, self.high * factor)

    def __repr__(self) -> str:
        return f"Range({self.text()!r})"


#: The fields of a dose, as ``clear:`` names them.
DoseField = Literal["hold", "reps", "sets", "per_side", "minutes", "times_per_day"]
DOSE_FIELDS: tuple[str, ...] = ("hold", "reps", "sets", "per_side", "minutes", "times_per_day")


class Dose(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """How much of one exercise to do in one session, and how often a day.

    Every field is optional. One rule everywhere: a dose given in a routine, by a
    strategy or in a patient file changes only the fields it names, over the library's
    dose (library < routine < strategy < patient); ``clear: [sets]`` removes a field.
    """

    hold: Range | None = None
    """Seconds to hold each stretch."""
    reps: Range | None = None
    """Repetitions (or breaths) per set."""
    sets: Annotated[int, msgspec.Meta(ge=0)] | None = None
    """Sets (rounds) of the reps; 1 or none prints nothing."""
    per_side: bool | None = None
    """True when the dose is done on each side."""
    minutes: Range | None = None
    """Minutes per session, for timed activities like walking."""
    times_per_day: Range | None = None
    """Sessions a day, e.g. 2-3."""
    clear: tuple[DoseField, ...] = ()
    """Fields to remove from the dose this one changes, e.g. ``{reps: 10, clear: [hold]}``
    turns a held stretch into plain repetitions."""

    def merged(self, override: Dose | None) -> Dose:
        """This dose changed by ``override``: the fields it names replace these, and the
        fields it clears are removed. The result clears nothing itself."""
        if override is None:
            return self
        changes: dict[str, Any] = {f: None for f in override.clear}
        changes.update(
            {f: getattr(override, f) for f in DOSE_FIELDS if getattr(override, f) is not None}
        )
        changes["clear"] = ()
        return msgspec.structs.replace(self, **changes)

    @property
    def is_empty(self) -> bool:
        """True when the dose names nothing (and clears nothing)."""
        return not self.clear and all(getattr(self, f) is None for f in DOSE_FIELDS)

    def seconds(self, end: str = "low") -> float:
        """Estimated seconds for one session of this exercise (``end`` is ``low`` or ``high``)."""

        def pick(r: Range | None) -> float:
            if r is None:
                return 0.0
            return r.low if end == "low" else r.high

        sides = 2 if self.per_side else 1
        sets = self.sets or 1
        if self.minutes is not None:
            return pick(self.minutes) * 60
        if self.hold is not None:
            reps = pick(self.reps) if self.reps is not None else 1
            return pick(self.hold) * reps * sides * sets
        if self.reps is not None:
            return pick(self.reps) * SECONDS_PER_REP * sides * sets
        return 0.0


def range_file_schema() -> dict[str, Any]:
    """JSON Schema of a :class:`Range` as files write it (``30`` or ``"30-60"``)."""
    return {
        "description": 'A number, or a range written low-high such as "30-60".',
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*((-|–|to)\s*\d+(\.\d+)?)?\s*$"},
        ],
    }
