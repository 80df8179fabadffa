"""Doses: how long, how many, how often (the words are in :mod:`routinekit.text.dose_words`)."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

import msgspec

_RANGE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(\d+(?:\.\d+)?))?\s*$")

#: Rough seconds one repetition takes, used to estimate session length.
SECONDS_PER_REP = 3


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class Range:
    """A number or an inclusive range such as 30-60. Written ``30`` or ``"30-60"`` in files.

    Immutable, like every model value: ``r.low = 5`` raises AttributeError.
    """

    __slots__ = ("high", "low")
    low: float
    high: float

    def __init__(self, low: float, high: float | None = None) -> None:
        high = low if high is None else high
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ValueError("must be a finite number")
        if low < 0 or high < 0:
            raise ValueError("must not be negative")
        if high < low:
            raise ValueError(
                f"range {_num(low)}-{_num(high)} runs backwards; write the low end first"
            )
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Range is immutable; make a new one instead of setting {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Range is immutable")

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
                high = float(m.group(2)) if m.group(2) else None
                return cls(low, high)
        raise ValueError(f"expected a number or a range like 30-60, got {value!r}")

    @property
    def is_single(self) -> bool:
        return self.low == self.high

    def text(self) -> str:
        return _num(self.low) if self.is_single else f"{_num(self.low)}-{_num(self.high)}"

    def scaled(self, factor: float) -> Range:
        return Range(self.low * factor, self.high * factor)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Range) and (self.low, self.high) == (other.low, other.high)

    def __hash__(self) -> int:
        return hash((self.low, self.high))

    def __repr__(self) -> str:
        return f"Range({self.text()!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Range, (self.low, self.high))


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


def dec_hook(type_: type, obj: Any) -> Any:
    """msgspec decode hook: turns file values into :class:`Range`."""
    if type_ is Range:
        try:
            return Range.parse(obj)
        except ValueError as exc:
            raise ValueError(str(exc)) from None
    raise NotImplementedError(f"cannot decode {type_!r}")


def enc_hook(obj: Any) -> Any:
    """msgspec encode hook: writes :class:`Range` as ``30`` or ``"30-60"``."""
    if isinstance(obj, Range):
        return int(obj.low) if obj.is_single and float(obj.low).is_integer() else obj.text()
    raise NotImplementedError(f"cannot encode {type(obj)!r}")


def schema_hook(type_: type) -> dict[str, Any]:
    if type_ is Range:
        return {
            "description": 'A number, or a range written low-high such as "30-60".',
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*((-|–|to)\s*\d+(\.\d+)?)?\s*$"},
            ],
        }
    raise NotImplementedError(f"no schema for {type_!r}")
