"""One frequency: how many times a day, set once, so the regimen line and the cards agree.

Precedence, lowest first (see the README, "How often a day"):

1. the routine: ``strategy.times_per_day`` in the routine file;
2. the strategy: a strategy may decide it (``acute`` uses 3-5 times a day and
   ``prevention`` 2-3 when the routine does not say);
3. the patient: ``times_per_day`` in the patient file or batch row.

When none of them says, and every card says the same, that is the routine's frequency.

A card shows its own frequency only where it really differs: where the routine entry or
the patient's dose for that exercise sets a different one on purpose. A library default
("2-3 times a day" on a stretch) gives way to the routine's frequency. ``validate`` flags a
routine entry whose frequency disagrees with the routine's own.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from routinekit.model import Dose, Range


def session_frequency(
    routine: Range | None, strategy: Range | None, patient: Range | None
) -> tuple[Range | None, str | None]:
    """The frequency and who set it (``patient``, ``strategy`` or ``routine``)."""
    for value, source in ((patient, "patient"), (strategy, "strategy"), (routine, "routine")):
        if value is not None:
            return value, source
    return None, None


def unanimous(doses: Iterable[Dose]) -> Range | None:
    """The frequency every dose that names one agrees on, else None."""
    found = {d.times_per_day for d in doses if d.times_per_day is not None}
    return found.pop() if len(found) == 1 else None


def card_dose(dose: Dose, session: Range | None, *, own: bool) -> Dose:
    """The dose a card prints: a different frequency kept only when it is the card's ``own``.

    ``own`` is true when the routine entry or the patient's dose for this exercise sets
    the frequency itself (not a library default).
    """
    if session is None or dose.times_per_day is None or dose.times_per_day == session:
        return dose  # the same as the regimen line: the card does not repeat it
    if not own:
        return msgspec.structs.replace(dose, times_per_day=None)
    return dose


def conflict(entry: Dose | None, routine: Range | None) -> str | None:
    """Why a routine entry's frequency disagrees with the routine's, or None."""
    if entry is None or entry.times_per_day is None or routine is None:
        return None
    if entry.times_per_day == routine:
        return None
    return (
        f"says {entry.times_per_day.text()} times a day, but the routine says "
        f"{routine.text()} (strategy.times_per_day); the card will show its own"
    )
