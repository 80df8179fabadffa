"""Lint a handout's words: reading grade per section and instruction, long sentences, jargon,
missing dose, frequency or red flags, and (for another language) text left in English.

Grades use English formulas (Flesch-Kincaid and SMOG, see :mod:`.readability`), so they
are reported for English text only; other languages get the sentence-length, jargon and
translation checks. Target: grade 8 or below (6 is ideal), sentences of 20 words or fewer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import msgspec

from routinekit.i18n import base_language, has_translation
from routinekit.lint.jargon import find_jargon
from routinekit.lint.readability import long_sentences, readability
from routinekit.model import Exercise, Handout
from routinekit.model.routine import Routine

#: A section or instruction above this grade is a warning.
MAX_GRADE = 8.0
#: Sentences longer than this many words are a warning.
MAX_SENTENCE_WORDS = 20

LineOf = Callable[[tuple[str | int, ...]], "int | None"]


@dataclass(frozen=True)
class LintFinding:
    level: str  # "warning" or "info"
    message: str
    where: str = ""


def _where(source: str, line: int | None, what: str) -> str:
    loc = f"{source}, line {line}" if source and line else source
    return f"{loc}: {what}" if loc else what


class _Linter:
    def __init__(self, language: str, source: str = "", line_of: LineOf | None = None) -> None:
        self.language = language
        self.english = base_language(language) == "en"
        self.source = source
        self.line_of = line_of or (lambda path: None)
        self.findings: list[LintFinding] = []

    def add(self, level: str, message: str, what: str, path: tuple[str | int, ...] = ()) -> None:
        line = self.line_of(path) if path else None
        self.findings.append(LintFinding(level, message, _where(self.source, line, what)))

    def grade(
        self, text: str, what: str, path: tuple[str | int, ...] = (), *, report: bool = True
    ) -> None:
        """Reading grade of a section or instruction: info always, warning above the target."""
        if not self.english or not text.strip():
            return
        r = readability(text)
        fk, smog = r.flesch_kincaid, r.smog
        judged = max(fk, smog) if r.sentences >= 3 else fk
        msg = (
            f"reading grade {fk:.1f} (Flesch-Kincaid), {smog:.1f} (SMOG); "
            f"{r.sentences} sentence{'s' if r.sentences != 1 else ''}, {r.words} words"
        )
        if judged > MAX_GRADE:
            self.add(
                "warning",
                f"{msg}: above grade {MAX_GRADE:g}; use shorter words and "
                "sentences (grade 6 is ideal)",
                what,
                path,
            )
        elif report:
            self.add("info", msg, what, path)

    def words(
        self, text: str, what: str, path: tuple[str | int, ...] = (), *, context: str = ""
    ) -> None:
        """Long sentences and jargon."""
        for sentence, n in long_sentences(text, MAX_SENTENCE_WORDS):
            self.add(
                "warning",
                f"sentence of {n} words (keep to {MAX_SENTENCE_WORDS} or fewer): "
                f"'{sentence[:50]}...'",
                what,
                path,
            )
        for hit in find_jargon(text, self.language, context=context):
            self.add("warning", f"jargon '{hit.term}': say '{hit.plain}'", what, path)

    def exercise(self, ex: Exercise, what: str, path: tuple[str | int, ...] = ()) -> None:
        body = " ".join((ex.objective, *ex.steps))
        self.words(ex.name, f"{what} name", path, context=body)
        self.words(ex.objective, f"{what} objective", path)
        for i, step in enumerate(ex.steps):
            self.words(step, f"{what} step {i + 1}", path)
            self.grade(step, f"{what} step {i + 1}", path, report=False)
        for i, c in enumerate(ex.cautions):
            self.words(c, f"{what} caution {i + 1}", path)
        for i, a in enumerate(ex.alternatives):
            self.words(a.text, f"{what} alternative {i + 1}", path)
        self.grade(" ".join((ex.objective, *ex.steps, *ex.cautions)), f"{what} instructions", path)
        if ex.dose.is_empty:
            self.add("warning", "no dose: say how long to hold or how many times", what, path)


def lint_exercise(ex: Exercise, language: str = "en", where: str = "") -> list[LintFinding]:
    linter = _Linter(language, where)
    linter.exercise(ex, f"exercise '{ex.id}'")
    return linter.findings


def lint_library(exercises: Iterable[Exercise], language: str = "en") -> list[LintFinding]:
    """Lint every exercise (in ``language``, where the exercise has a translation)."""
    from routinekit.text.localise import localise_exercise

    out: list[LintFinding] = []
    for ex in exercises:
        out.extend(lint_exercise(localise_exercise(ex, language), language, "library"))
    return out


def lint_handout(
    handout: Handout,
    *,
    source: str = "",
    line_of: LineOf | None = None,
    entry_path: Callable[[str], tuple[str | int, ...]] | None = None,
) -> list[LintFinding]:
    """Lint a built (and localised) handout in its own language."""
    linter = _Linter(handout.language, source, line_of)
    entry_path = entry_path or (lambda ident: ())
    linter.words(handout.title, "title", ("title",))
    if handout.condition:
        linter.words(handout.condition, "condition", ("condition",))
    for i, sec in enumerate(handout.education):
        what = f"education {i + 1} '{sec.heading}'"
        linter.words(sec.heading, what, ("education", i))
        linter.words(sec.text, what, ("education", i))
        linter.grade(sec.text, what, ("education", i))
    for i, advice in enumerate(handout.self_care):
        linter.words(advice, f"self-care {i + 1}", ("self_care", i))
    if handout.self_care:
        linter.grade("\n".join(handout.self_care), "self-care", ("self_care",))
    for i, flag in enumerate(handout.red_flags):
        linter.words(flag.text, f"red flag {i + 1}", ("red_flags", i))
    if handout.red_flags:  # none at all is a warning of `routinekit validate` itself
        linter.grade("\n".join(f.text for f in handout.red_flags), "red flags", ("red_flags",))
    for i, ph in enumerate(handout.phases):
        for text in (ph.when, ph.move_on):
            if text:
                linter.words(text, f"phase '{ph.name}'", ("phases", i))
    for item in handout.items:
        path = entry_path(item.exercise.id)
        linter.exercise(item.exercise, f"exercise '{item.exercise.id}'", path)
        if item.note:
            linter.words(item.note, f"exercise '{item.exercise.id}' note", path)
    if handout.regimen.times_per_day is None and not any(
        i.dose.times_per_day is not None for i in handout.items
    ):
        linter.add(
            "warning",
            "no frequency: say how many times a day (strategy.times_per_day, "
            "or times_per_day in the doses)",
            "strategy",
            ("strategy",),
        )
    return linter.findings


def missing_translations(
    handout: Handout,
    routine: Routine,
    language: str,
    entry_path: Callable[[str], tuple[str | int, ...]] | None = None,
    source: str = "",
    line_of: LineOf | None = None,
) -> list[LintFinding]:
    """What would print in English in ``language``: each is a warning naming the field.

    ``handout`` is the handout before localisation (in the routine's own language).
    """
    from routinekit.text.localise import exercise_text, routine_text

    linter = _Linter(language, source, line_of)
    if base_language(language) == base_language(routine.language):
        return []
    entry_path = entry_path or (lambda ident: ())
    rt = routine_text(routine, language)

    def gap(what: str, path: tuple[str | int, ...] = ()) -> None:
        linter.add("warning", f"no '{language}' translation: prints in English", what, path)

    if not rt.title:
        gap("title", ("title",))
    for name in ("condition", "description"):
        if getattr(routine, name) and not getattr(rt, name):
            gap(name, (name,))
    for name in ("education", "self_care", "red_flags", "phases"):
        mine, theirs = getattr(routine, name), getattr(rt, name)
        if mine and (theirs is None or len(theirs) != len(mine)):
            gap(name if theirs is None else f"{name} ({len(theirs)} of {len(mine)} items)", (name,))
    for i, e in enumerate(routine.exercises):
        if e.note and e.id not in rt.notes:
            gap(f"note of exercise '{e.id}'", ("exercises", i))
    for item in handout.items:
        ex, t = item.exercise, exercise_text(item.exercise, language)
        missing = [f for f in ("name", "objective", "steps") if not getattr(t, f)]
        if ex.cautions and t.cautions is None:
            missing.append("cautions")
        if ex.alternatives and (
            t.alternatives is None or len(t.alternatives) != len(ex.alternatives)
        ):
            missing.append("alternatives")
        if missing:
            gap(f"exercise '{ex.id}' {', '.join(missing)}", entry_path(ex.id))
    fixed = [g.title for g in handout.groups] + [g.intro for g in handout.groups]
    for text in fixed:
        if text and not has_translation(language, text):
            gap(f"'{text[:50]}' (from strategy '{handout.strategy_id}', needs a catalog entry)")
    return linter.findings


def in_language(handout: Handout, language: str) -> Handout:
    return msgspec.structs.replace(handout, language=language)
