"""The lint ``routinekit validate`` runs on a routine file, in the handout's language."""

from __future__ import annotations

from collections.abc import Mapping

from routinekit.files.routine_file import RoutineFile
from routinekit.i18n import base_language
from routinekit.lint.plain import LintFinding, in_language, lint_handout, missing_translations
from routinekit.model import Exercise, Handout


def lint_routine(
    rf: RoutineFile,
    handout: Handout,
    language: str | None = None,
    exercises: Mapping[str, Exercise] | None = None,
) -> list[LintFinding]:
    """Plain-language findings for ``handout`` (built from ``rf``) as printed in ``language``.

    When ``language`` differs from the handout's, also report every piece of text that
    has no translation (it would print in English) and lint the translated handout.
    """
    from routinekit.text.localise import localise_handout

    routine = rf.routine
    index = {e.id: i for i, e in enumerate(routine.exercises)}

    def entry_path(ident: str) -> tuple[str | int, ...]:
        return ("exercises", index[ident]) if ident in index else ()

    def line_of(path: tuple[str | int, ...]) -> int | None:
        return rf.doc.line_of(path)

    out: list[LintFinding] = []
    language = language or handout.language
    if base_language(language) != base_language(handout.language):
        out += missing_translations(handout, routine, language, entry_path, rf.source, line_of)
        handout = localise_handout(in_language(handout, language), routine, exercises)
    out += lint_handout(handout, source=rf.source, line_of=line_of, entry_path=entry_path)
    return out
