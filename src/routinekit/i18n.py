"""Translation of fixed strings. See docs/i18n.md (work in progress by the i18n issue)."""

from __future__ import annotations

from collections.abc import Callable


def translator(language: str) -> Callable[[str], str]:
    """Return a gettext-style function for ``language``; English text is the message id."""
    return lambda message: message
