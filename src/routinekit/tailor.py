"""Tailoring a routine to one patient: the steps the pipeline runs around the strategy.

Before the strategy (:func:`prepare`): the stage's exercises, the patient's limits (each
excluded exercise swapped for an alternative that meets every limit, or left out, with the
reason), and the patient's own doses, so the strategy counts time with what will print.

After it (:func:`finish_item`, :func:`regimen`, :func:`check`): the card's notes, what it
stands in for, its positions and needs, its frequency, alternatives that meet the limits;
the session's length with position changes; and the warnings a therapist should see.

All of it is pure: plain values in, plain values out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import msgspec

from routinekit.constraints import Exclusions, Substitution, substitute
from routinekit.frequency import card_dose, session_frequency, unanimous
from routinekit.model import (
    Candidate,
    Dose,
    Exercise,
    HandoutItem,
    LeftOut,
    Patient,
    Position,
    Range,
    Regimen,
    Replaced,
)
from routinekit.notes import language_mismatch
from routinekit.printed_set import shrink_warning
from routinekit.timing import changes_seconds


class Prepared(msgspec.Struct, frozen=True):
    """What goes to the strategy, what was left out before it, and what was swapped."""

    kept: tuple[Candidate, ...]
    left_out: tuple[LeftOut, ...]
    substitutions: Mapping[str, Substitution] = msgspec.field(default_factory=dict)
    """By the id of the exercise swapped in."""


def prepare(
    candidates: Sequence[Candidate],
    exclusions: Exclusions,
    lookup: Callable[[str], Exercise | None],
    *,
    video_for: Callable[[Exercise], str | None] = lambda ex: ex.video_url,
    stage_ids: frozenset[str] | None = None,
    stage_name: str | None = None,
    patient: Patient | None = None,
) -> Prepared:
    """Apply the stage, the limits (with substitution) and the patient's doses."""
    kept: list[Candidate] = []
    left_out: list[LeftOut] = []
    subs: dict[str, Substitution] = {}
    offered = {c.exercise.id for c in candidates}
    doses = patient.doses if patient is not None else {}
    for c in candidates:
        ex = c.exercise
        if stage_ids is not None and ex.id not in stage_ids:
            left_out.append(
                LeftOut(exercise_id=ex.id, name=ex.name, reason=f"not part of {stage_name}")
            )
            continue
        why = exclusions.reason(ex)
        if why is None:
            dose = c.dose.merged(doses.get(ex.id))
            kept.append(msgspec.structs.replace(c, dose=dose))
            continue
        taken = offered | {k.exercise.id for k in kept} | set(subs)
        sub = substitute(ex, exclusions, lambda i: lookup(i), taken)
        if sub is None:
            left_out.append(LeftOut(exercise_id=ex.id, name=ex.name, reason=why))
            continue
        alt = sub.replacement
        left_out.append(
            LeftOut(exercise_id=ex.id, name=ex.name, reason=f"{why}; {alt.name} is printed instead")
        )
        subs[alt.id] = sub
        # the routine's dose carries over when it is the same kind (a hold for a hold)
        same_kind = (c.dose.hold is None) == (alt.dose.hold is None)
        base = c.dose if same_kind else alt.dose
        dose = base.merged(doses.get(ex.id)).merged(doses.get(alt.id))
        # the routine's note is about the original (e.g. how to kneel): it does not carry over
        kept.append(
            Candidate(
                exercise=alt, dose=dose, note=None, video_url=video_for(alt), position=c.position
            )
        )
    return Prepared(kept=tuple(kept), left_out=tuple(left_out), substitutions=subs)


def settle(
    left_out: Sequence[LeftOut], substitutions: Mapping[str, Substitution], placed: set[str]
) -> list[LeftOut]:
    """Left-out reasons once the strategy has chosen: a stand-in it did not place is not
    "printed instead"; the original's line says why, and the stand-in has no line of its own."""
    dropped = {alt: sub for alt, sub in substitutions.items() if alt not in placed}
    why_not = {lo.exercise_id: lo.reason for lo in left_out if lo.exercise_id in dropped}
    by_original = {sub.original.id: (alt, sub) for alt, sub in dropped.items()}
    out: list[LeftOut] = []
    for lo in left_out:
        if lo.exercise_id in dropped:
            continue
        if lo.exercise_id in by_original:
            alt, sub = by_original[lo.exercise_id]
            reason = (
                f"left out for this patient: {sub.reason}; its alternative "
                f"{sub.replacement.name} was not chosen either ({why_not.get(alt, 'not placed')})"
            )
            lo = LeftOut(exercise_id=lo.exercise_id, name=lo.name, reason=reason)
        out.append(lo)
    return out


def allowed_alternatives(ex: Exercise, exclusions: Exclusions) -> Exercise:
    """The exercise with only the alternatives (and their translations) that meet the limits."""
    keep = [i for i, a in enumerate(ex.alternatives) if exclusions.alternative_reason(a) is None]
    if len(keep) == len(ex.alternatives):
        return ex
    translations = {
        lang: msgspec.structs.replace(
            t,
            alternatives=tuple(t.alternatives[i] for i in keep if i < len(t.alternatives)) or None,
        )
        if t.alternatives
        else t
        for lang, t in ex.translations.items()
    }
    return msgspec.structs.replace(
        ex,
        alternatives=tuple(ex.alternatives[i] for i in keep),
        translations=translations,
    )


def finish_item(
    item: HandoutItem,
    *,
    exclusions: Exclusions,
    substitutions: Mapping[str, Substitution],
    patient: Patient | None,
    entry_dose: Dose | None,
    session: Range | None,
) -> HandoutItem:
    """A card with its therapist's note, what it replaces, positions, needs and frequency."""
    ex = item.exercise
    sub = substitutions.get(ex.id)
    notes = patient.exercise_notes if patient is not None else {}
    own_note = notes.get(ex.id)
    patient_dose = patient.doses.get(ex.id) if patient is not None else None
    own_frequency = (patient_dose is not None and patient_dose.times_per_day is not None) or (
        entry_dose is not None
        and entry_dose.times_per_day is not None
        and (patient is None or patient.times_per_day is None)
        and sub is None
    )
    return msgspec.structs.replace(
        item,
        exercise=allowed_alternatives(ex, exclusions),
        dose=card_dose(item.dose, session, own=own_frequency),
        therapist_note=own_note,
        replaces=(
            Replaced(
                exercise_id=sub.original.id,
                name=sub.original.name,
                reason=sub.reason,
                limit=sub.limit,
            )
            if sub is not None
            else None
        ),
        positions=tuple(p.value for p in ex.body_positions),
        needs=tuple(n.value for n in ex.all_needs),
    )


def frequency_of(
    items: Iterable[HandoutItem],
    routine: Range | None,
    strategy: Range | None,
    patient: Patient | None,
) -> Range | None:
    """The one frequency of the session (see :mod:`routinekit.frequency`)."""
    value, _source = session_frequency(
        routine, strategy, patient.times_per_day if patient is not None else None
    )
    return value if value is not None else unanimous(i.dose for i in items)


def regimen(items: Sequence[HandoutItem], times_per_day: Range | None) -> Regimen:
    """Session length from the printed doses plus the time to change position."""
    changes = changes_seconds(i.exercise for i in items)
    low = sum(i.dose.seconds("low") for i in items) + changes
    high = sum(i.dose.seconds("high") for i in items) + changes
    return Regimen(
        minutes_low=low / 60,
        minutes_high=high / 60,
        times_per_day=times_per_day,
        change_seconds=changes,
    )


def check(
    items: Sequence[HandoutItem],
    *,
    offered: int,
    budget: float | None,
    reg: Regimen,
    language: str,
    patient: Patient | None,
    left_out: Iterable[LeftOut],
) -> list[str]:
    """Warnings for the therapist: a routine that shrank, notes that will not be read."""
    out: list[str] = []
    left_out = list(left_out)
    limited = any(lo.reason.startswith(LIMIT_PREFIX) for lo in left_out)
    shrink = shrink_warning(len(items), offered, reg.minutes_high, budget, limited=limited)
    if shrink:
        out.append(shrink)
    if patient is None:
        return out
    printed = {i.exercise.id for i in items}
    gone = {lo.exercise_id for lo in left_out}
    for ident, text in patient.exercise_notes.items():
        other = language_mismatch(text, language)
        if other:
            out.append(
                f"field 'exercise_notes.{ident}': the note seems to be in '{other}', "
                f"but the handout is in '{language}'; translate it, or it may not be read"
            )
        if ident not in printed and ident in gone:
            out.append(
                f"field 'exercise_notes.{ident}': the note is not printed, because "
                f"'{ident}' is left out of this handout"
            )
    return out


SHRINK_PREFIX = "the routine shrank"
LIMIT_PREFIX = "left out for this patient"


def breaches(items: Iterable[HandoutItem], exclusions: Exclusions) -> list[str]:
    """Cards that break a limit (a plugin's ``adjust_handout`` may have put one back)."""
    out: list[str] = []
    for item in items:
        why = exclusions.why(item.exercise) if item.exercise.id not in exclusions.ids else "by id"
        if item.exercise.id in exclusions.ids or why:
            out.append(f"'{item.exercise.id}' ({why})")
        elif any(exclusions.alternative_reason(a) for a in item.exercise.alternatives):
            out.append(f"another way on '{item.exercise.id}'")
    return out


#: Self-care advice that asks for a position, by the words it uses (English).
SELF_CARE_POSITIONS: tuple[tuple[str, frozenset[Position]], ...] = (
    (r"\b(lie|lying) (down )?on the floor\b", frozenset({Position.SUPINE})),
    (r"\b(lie|lying) (down )?on your back\b", frozenset({Position.SUPINE})),
    (r"\b(lie|lying) (down )?on your (stomach|front)\b", frozenset({Position.PRONE})),
    (r"\b(lie|lying) (down )?on your side\b", frozenset({Position.SIDE_LYING})),
    (r"\bkneel", frozenset({Position.KNEELING})),
    (r"\bhands and knees\b", frozenset({Position.QUADRUPED})),
)


def self_care_allowed(advice: Sequence[str], exclusions: Exclusions) -> list[bool]:
    """Which self-care lines (in English) the patient can follow: advice to lie on the floor
    is left out for a patient who cannot get down to it."""
    return [not (_positions_asked(text) & exclusions.positions) for text in advice]


@functools.lru_cache(maxsize=256)
def _positions_asked(text: str) -> frozenset[str]:
    """The positions a self-care line (the routine's, in English) asks for; kept per line."""
    lower = text.lower()
    return frozenset(
        p.value
        for pattern, positions in SELF_CARE_POSITIONS
        if re.search(pattern, lower)
        for p in positions
    )


def keep_self_care(
    printed: Sequence[str], english: Sequence[str], exclusions: Exclusions
) -> tuple[str, ...]:
    """``printed`` (the handout's language) without the lines the patient cannot follow,
    judged on the routine's English lines (the same by position)."""
    if len(printed) != len(english):
        return tuple(printed)
    mask = self_care_allowed(english, exclusions)
    return tuple(t for t, ok in zip(printed, mask, strict=True) if ok)
