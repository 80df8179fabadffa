"""Clinical guard rails: checks a careful clinician would make before a handout is printed.

The pipeline runs them on the finished handout (final doses, after the patient's
overrides and the strategy), so what is checked is what would be printed.

Rules, with their level in the ``standard`` mode:

* **error** — a dose that cannot be done: a hold, reps, minutes, sets or times a day of 0.
* **error** — a dose outside sane bounds (:data:`DOSE_LIMITS`): a hold over 5 minutes,
  more than 100 reps, more than 10 sets, more than 120 minutes, more than 12 times a day.
  These are almost always typing mistakes (``300`` for ``30``).
* **error** — an acute routine (phase ``acute``, strategy ``acute`` or a programme stage
  using it) with no red flags: the patient must be told when to stop and call.
* **warning** — a dose range starting at 0 (``0-10 reps``).
* **warning** — an exercise kept on the handout whose cautions talk about a position or
  movement this patient is to avoid (e.g. a caution about kneeling for a patient who
  must not kneel).

Modes (``--guards`` on ``build``, or ``ROUTINEKIT_GUARDS``): ``standard`` (the default,
levels as above), ``strict`` (every finding is an error), ``warn`` (every finding is a
warning; the handout is still built) and ``off`` (no checks).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from enum import StrEnum

import msgspec

from routinekit.errors import Location, UserError, ValidationError, single_line
from routinekit.exclusions import Exclusions
from routinekit.files.routine_file import RoutineFile
from routinekit.files.yaml_reader import line_in_file
from routinekit.model import Handout, HandoutItem, Phase, Range

ENV_VAR = "ROUTINEKIT_GUARDS"


class GuardMode(StrEnum):
    STANDARD = "standard"
    STRICT = "strict"
    WARN = "warn"
    OFF = "off"


#: field -> (largest sane value, unit used in messages)
DOSE_LIMITS: dict[str, tuple[float, str]] = {
    "hold": (300, "seconds"),
    "reps": (100, "reps"),
    "sets": (10, "sets"),
    "minutes": (120, "minutes"),
    "times_per_day": (12, "times a day"),
}


#: words in a caution that point at a position or movement
CAUTION_WORDS: dict[str, tuple[str, ...]] = {
    "kneeling": ("kneel",),
    "prone": ("prone", "on your stomach", "on your belly", "face down"),
    "supine": ("supine", "on your back"),
    "side-lying": ("side-lying", "side lying", "on your side"),
    "quadruped": ("hands and knees", "all fours"),
    "seated": ("sitting", "seated"),
    "standing": ("standing",),
    "rotation": ("twist", "rotat", "turning"),
    "flexion": ("bending forward", "bend forward", "bending and"),
    "extension": ("arch", "bend backward", "bending backward"),
    "side-bend": ("side bend", "side-bend", "bend sideways"),
}


class GuardFinding(msgspec.Struct, frozen=True):
    """One thing a guard rail noticed. ``level`` is ``error`` or ``warning``."""

    level: str
    message: str
    location: Location
    hint: str | None = None

    def line(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        return single_line(f"{text}; {self.hint}" if self.hint else text)


def guard_mode(value: str | None = None) -> GuardMode:
    """The mode to use: ``value``, else ``$ROUTINEKIT_GUARDS``, else ``standard``."""
    raw = value if value is not None else os.environ.get(ENV_VAR) or GuardMode.STANDARD.value
    try:
        return GuardMode(raw.strip().lower())
    except ValueError:
        source = "option '--guards'" if value is not None else f"environment variable {ENV_VAR}"
        raise UserError(
            f"unknown guard mode '{raw}' in {source}",
            hint="use standard, strict, warn or off",
        ) from None


def check_handout(
    handout: Handout,
    rf: RoutineFile,
    *,
    exclusions: Exclusions | None = None,
    phase: Phase | None = None,
    patient_source: str | None = None,
) -> list[GuardFinding]:
    """Every finding for this handout, at its ``standard`` level."""
    findings: list[GuardFinding] = []
    for item in handout.items:
        findings.extend(_dose_findings(item, rf, handout, patient_source))
    printed = {item.exercise.id for item in handout.items}
    if handout.patient is not None:
        # a patient's dose is checked even when the budget or a limit leaves it off the page
        for ident, dose in handout.patient.doses.items():
            if ident in printed:
                continue
            for name in DOSE_LIMITS:
                value = getattr(dose, name)
                if value is None:
                    continue
                rng = value if isinstance(value, Range) else Range(float(value))
                if _in_limits(name, rng):
                    continue
                field = f"doses.{ident}.{name}"
                line = line_in_file(patient_source, field) if patient_source else None
                where = Location(file=patient_source, line=line, field=field)
                findings.extend(_range_findings(name, rng, f"'{ident}'", where))
    if rf.routine.strategy.times_per_day is not None and handout.regimen.times_per_day is not None:
        where = Location(
            file=rf.source,
            line=rf.doc.line_of(("strategy", "times_per_day")),
            field="strategy.times_per_day",
        )
        findings.extend(
            _range_findings("times_per_day", handout.regimen.times_per_day, "the routine", where)
        )
    if _is_acute(handout, rf, phase) and not handout.red_flags:
        findings.append(
            GuardFinding(
                "error",
                "an acute routine has no red flags",
                Location(file=rf.source, field="red_flags"),
                "add red_flags: the signs that mean stop and call a doctor",
            )
        )
    if exclusions is not None:
        findings.extend(_caution_findings(handout, rf, exclusions))
    if handout.clinic is not None and handout.clinic.content_signoff is not None:
        from routinekit.content import signoff_warning

        stale = signoff_warning(handout.clinic)
        if stale:
            findings.append(
                GuardFinding(
                    "warning",
                    stale,
                    Location(field="clinic.content_signoff"),
                    "have your lead therapist review `routinekit content doc` and sign off again "
                    "(`routinekit content signoff`)",
                )
            )
    return findings


def apply(findings: Iterable[GuardFinding], mode: GuardMode) -> list[str]:
    """Raise the first error under ``mode``; return the warnings as one-line texts."""
    if mode is GuardMode.OFF:
        return []
    errors: list[GuardFinding] = []
    warnings: list[str] = []
    for f in findings:
        level = {"strict": "error", "warn": "warning"}.get(mode.value, f.level)
        if level == "error":
            errors.append(f)
        else:
            warnings.append(f.line())
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        hint = first.hint or ""
        if mode is not GuardMode.STRICT:
            hint = (
                f"{hint}; or build with --guards warn if you are sure"
                if hint
                else ("build with --guards warn if you are sure")
            )
        raise ValidationError(f"{first.message}{more}", location=first.location, hint=hint or None)
    return warnings


# -- rules ------------------------------------------------------------------------------------


def _dose_findings(
    item: HandoutItem, rf: RoutineFile, handout: Handout, patient_source: str | None
) -> list[GuardFinding]:
    ident = item.exercise.id
    index = next((i for i, e in enumerate(rf.routine.exercises) if e.id == ident), None)
    override = handout.patient.doses.get(ident) if handout.patient is not None else None
    entry_dose = rf.routine.exercises[index].dose if index is not None else None
    out: list[GuardFinding] = []
    for name in DOSE_LIMITS:
        value = getattr(item.dose, name)
        if value is None:
            continue
        rng = value if isinstance(value, Range) else Range(float(value))
        if _in_limits(name, rng):  # no finding: its place in a file is not looked up
            continue
        if override is not None and getattr(override, name) is not None:
            field = f"doses.{ident}.{name}"
            line = line_in_file(patient_source, field) if patient_source else None
            where = Location(file=patient_source, line=line, field=field)
        elif index is not None and entry_dose is not None and getattr(entry_dose, name) is not None:
            path = ("exercises", index, "dose", name)
            where = Location(
                file=rf.source, line=rf.doc.line_of(path), field=f"exercises[{index}].dose.{name}"
            )
        else:
            line = rf.entry_line(index) if index is not None else None
            where = Location(
                file=rf.source,
                line=line,
                field=f"exercises[{index}]" if index is not None else None,
            )
        out.extend(_range_findings(name, rng, f"'{ident}'", where))
    return out


def _in_limits(name: str, rng: Range) -> bool:
    """True when :func:`_range_findings` finds nothing (above 0, within the limit)."""
    return rng.high != 0 and rng.high <= DOSE_LIMITS[name][0] and rng.low != 0


def _range_findings(name: str, rng: Range, whose: str, where: Location) -> list[GuardFinding]:
    limit, unit = DOSE_LIMITS[name]
    label = f"a hold of {rng.text()} {unit}" if name == "hold" else f"{rng.text()} {unit}"
    if rng.high == 0:
        return [
            GuardFinding(
                "error",
                f"{label} for {whose} cannot be done",
                where,
                "give a number above 0, or leave the field out",
            )
        ]
    if rng.high > limit:
        return [
            GuardFinding(
                "error",
                f"{label} for {whose} is over the limit of {_num(limit)} {unit}",
                where,
                "check for a typing mistake",
            )
        ]
    if rng.low == 0:
        return [
            GuardFinding(
                "warning",
                f"{label} for {whose} starts at 0",
                where,
                "give the smallest useful amount as the low end",
            )
        ]
    return []


def _is_acute(handout: Handout, rf: RoutineFile, phase: Phase | None) -> bool:
    routine = rf.routine
    return (
        phase is Phase.ACUTE
        or routine.strategy.phase is Phase.ACUTE
        or handout.strategy_id == "acute"
        or any(p.strategy == "acute" for p in routine.phases)
    )


def _caution_findings(
    handout: Handout, rf: RoutineFile, exclusions: Exclusions
) -> list[GuardFinding]:
    avoided = sorted(exclusions.positions | exclusions.movements)
    out: list[GuardFinding] = []
    for item in handout.items:
        text = " ".join(item.exercise.cautions).lower()
        for token in avoided:
            if any(word in text for word in CAUTION_WORDS.get(token, (token,))):
                index = next(
                    (i for i, e in enumerate(rf.routine.exercises) if e.id == item.exercise.id),
                    None,
                )
                out.append(
                    GuardFinding(
                        "warning",
                        f"a caution on '{item.exercise.id}' is about {token},"
                        " which this patient avoids",
                        Location(
                            file=rf.source,
                            line=rf.entry_line(index) if index is not None else None,
                            field=f"exercises[{index}]" if index is not None else None,
                        ),
                        f"check it suits them, or exclude '{item.exercise.id}'",
                    )
                )
                break
    return out


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
