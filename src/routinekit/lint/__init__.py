"""Plain-language lint: reading grade, long sentences, jargon, missing dose or frequency.

Used by ``routinekit validate``; see :func:`routinekit.lint.plain.lint_handout`.
"""

from routinekit.lint.plain import LintFinding, lint_exercise, lint_handout, lint_library

__all__ = ["LintFinding", "lint_exercise", "lint_handout", "lint_library"]
