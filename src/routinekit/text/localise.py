"""Put a handout into its language before any renderer sees it.

Renderers only see final text: exercise words come from ``Exercise.translations``,
the routine's own words from ``Routine.translations``, and strategy-made strings
(group titles, notes) from the gettext catalog. Anything without a translation keeps
its English words (``routinekit validate --lang`` reports each one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import msgspec

from routinekit.errors import Location, UserError
from routinekit.i18n import SUPPORTED_LANGUAGES, base_language, is_supported, translator
from routinekit.model import Exercise, ExerciseText, Handout, HandoutGroup, HandoutItem, LeftOut
from routinekit.model.plan import SequencePlan
from routinekit.model.routine import (
    EducationSection,
    ProgramPhase,
    Routine,
    RoutineText,
    red_flags_of,
)

T = TypeVar("T")


class UnsupportedLanguageError(UserError):
    """A handout was asked for in a language routinekit has no words for."""


def pick_language(translations: Mapping[str, T], language: str) -> T | None:
    """``translations[language]``, else the base language's entry (``es-MX`` -> ``es``)."""
    if language in translations:
        return translations[language]
    return translations.get(base_language(language))


def exercise_text(exercise: Exercise, language: str) -> ExerciseText:
    return pick_language(exercise.translations, language) or ExerciseText()


def localise_exercise(exercise: Exercise, language: str) -> Exercise:
    """The exercise with its words in ``language`` where it has them."""
    t = exercise_text(exercise, language)
    alternatives = exercise.alternatives
    if t.alternatives:
        alternatives = tuple(
            msgspec.structs.replace(a, text=t.alternatives[i]) if i < len(t.alternatives) else a
            for i, a in enumerate(exercise.alternatives)
        )
    return msgspec.structs.replace(
        exercise,
        name=t.name or exercise.name,
        objective=t.objective or exercise.objective,
        steps=t.steps or exercise.steps,
        cautions=t.cautions if t.cautions is not None else exercise.cautions,
        alternatives=alternatives,
    )


def routine_text(routine: Routine | None, language: str) -> RoutineText:
    if routine is None:
        return RoutineText()
    return pick_language(routine.translations, language) or RoutineText()


def _phases(phases: tuple[ProgramPhase, ...], rt: RoutineText) -> tuple[ProgramPhase, ...]:
    if not rt.phases:
        return phases
    out: list[ProgramPhase] = []
    for i, p in enumerate(phases):
        t = rt.phases[i] if i < len(rt.phases) else None
        if t is None:
            out.append(p)
            continue
        out.append(
            msgspec.structs.replace(
                p,
                name=t.name or p.name,
                when=t.when or p.when,
                move_on=t.move_on or p.move_on,
                title=t.title or p.title,
                self_care=t.self_care if t.self_care is not None else p.self_care,
            )
        )
    return tuple(out)


def check_language(language: str, routine: Routine | None) -> None:
    """Refuse a language with no catalog unless the routine itself is written in it."""
    if is_supported(language):
        return
    if routine is not None and (
        routine.language == language or pick_language(routine.translations, language) is not None
    ):
        return
    raise UnsupportedLanguageError(
        f"routinekit has no translation for language '{language}'",
        location=Location(field="language"),
        hint=f"available: {', '.join(SUPPORTED_LANGUAGES)}; or add translations to the routine",
    )


def localise_handout(
    handout: Handout,
    routine: Routine | None = None,
    exercises: Mapping[str, Exercise] | None = None,
) -> Handout:
    """The handout with every word in ``handout.language`` that has a translation.

    ``exercises`` (by id) lets the names of left-out exercises be translated too.
    """
    language = handout.language
    check_language(language, routine)
    if base_language(language) == "en" and (routine is None or routine.language == language):
        return handout
    _ = translator(language)
    rt = routine_text(routine, language)

    def item(i: HandoutItem) -> HandoutItem:
        note = rt.notes.get(i.exercise.id, i.note) if i.note is not None else None
        return msgspec.structs.replace(
            i, exercise=localise_exercise(i.exercise, language), note=note
        )

    groups = tuple(
        HandoutGroup(
            items=tuple(item(i) for i in g.items),
            title=_(g.title) if g.title else g.title,
            intro=_(g.intro) if g.intro else g.intro,
        )
        for g in handout.groups
    )
    names = dict(exercises or {})
    left_out = tuple(
        LeftOut(
            exercise_id=lo.exercise_id,
            name=(exercise_text(names[lo.exercise_id], language).name or lo.name)
            if lo.exercise_id in names
            else lo.name,
            reason=_(lo.reason),
        )
        for lo in handout.left_out
    )
    return msgspec.structs.replace(
        handout,
        title=rt.title or handout.title,
        condition=rt.condition or handout.condition,
        groups=groups,
        education=rt.education if rt.education is not None else handout.education,
        self_care=rt.self_care if rt.self_care is not None else handout.self_care,
        red_flags=(
            red_flags_of(rt.red_flags, routine.red_flags if routine else ())
            if rt.red_flags is not None
            else handout.red_flags
        ),
        phases=_phases(handout.phases, rt),
        left_out=left_out,
        strategy_name=_(handout.strategy_name),
        strategy_notes=tuple(_(n) for n in handout.strategy_notes),
    )


def with_plan_text(handout: Handout, plan: SequencePlan) -> Handout:
    """The handout with the education and self-care its strategy replaces or adds.

    A strategy writes them in English (message ids); they are translated here, so a
    strategy never has to know the handout's language.
    """
    if (
        plan.education is None
        and plan.self_care is None
        and not (plan.more_education or plan.more_self_care)
    ):
        return handout
    _ = translator(handout.language)

    def sections(items: tuple[EducationSection, ...]) -> tuple[EducationSection, ...]:
        return tuple(EducationSection(heading=_(e.heading), text=_(e.text)) for e in items)

    education = handout.education if plan.education is None else sections(plan.education)
    self_care = handout.self_care if plan.self_care is None else tuple(_(t) for t in plan.self_care)
    return msgspec.structs.replace(
        handout,
        education=(*education, *sections(plan.more_education)),
        self_care=(*self_care, *(_(t) for t in plan.more_self_care)),
    )
