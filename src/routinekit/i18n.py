"""Translation of fixed strings, and dates and numbers written the way a language writes them.

Every fixed string a renderer prints goes through :func:`translator`::

    _ = translator(handout.language)
    heading = _("What to do")

The English text is the message id. Catalogs are standard gettext files kept in the
package (``locale/<lang>/LC_MESSAGES/routinekit.po`` and the compiled ``.mo`` next to
it, both committed; Babel is only needed to extract and compile them, see
docs/i18n.md). At run time only the standard library's :mod:`gettext` is used. A
message with no translation falls back to its English text; ``routinekit validate
--lang`` reports such gaps.

Dates and numbers use a small table for the languages routinekit ships (English and
Spanish) rather than Babel's CLDR data: two languages need a dozen month names and a
decimal mark, not a 30 MB dependency at run time.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

DOMAIN = "routinekit"
LOCALE_DIR = Path(__file__).parent / "locale"

#: Languages with a complete catalog and per-language library and template text.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es")

_DECIMAL_MARK: dict[str, str] = {"en": ".", "es": ","}


def base_language(language: str) -> str:
    """``es-MX`` -> ``es``; ``EN`` -> ``en``."""
    return language.split("-")[0].split("_")[0].lower()


def is_supported(language: str) -> bool:
    return base_language(language) in SUPPORTED_LANGUAGES


@lru_cache(maxsize=16)
def catalog(language: str) -> gettext.NullTranslations:
    """The gettext catalog for ``language`` (a regional code falls back to its base language)."""
    base = base_language(language)
    if base == "en":
        return gettext.NullTranslations()
    wanted = [language.replace("-", "_"), base] if language != base else [base]
    try:
        return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=wanted)
    except FileNotFoundError:
        return gettext.NullTranslations()


def translator(language: str) -> Callable[[str], str]:
    """Return a gettext-style function for ``language``; English text is the message id."""
    return catalog(language).gettext


def plural_translator(language: str) -> Callable[[str, str, int], str]:
    """Return ``ngettext`` for ``language``: ``(singular, plural, n) -> text``."""
    return catalog(language).ngettext


def has_translation(language: str, message: str) -> bool:
    """True when ``message`` has its own translation in ``language`` (English always has)."""
    if base_language(language) == "en":
        return True
    cat = catalog(language)
    return isinstance(cat, gettext.GNUTranslations) and message in cat._catalog  # type: ignore[attr-defined]


def untranslated(language: str, messages: Iterable[str]) -> list[str]:
    """The messages that would print in English for ``language``, in order, without repeats."""
    seen: dict[str, None] = {}
    for m in messages:
        if m and not has_translation(language, m):
            seen.setdefault(m, None)
    return list(seen)


def format_number(value: float, language: str) -> str:
    """``2.5`` -> ``2.5`` in English, ``2,5`` in Spanish; whole numbers without a decimal part."""
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return text.replace(".", _DECIMAL_MARK.get(base_language(language), "."))


def format_range(low: float, high: float, language: str) -> str:
    """``30-60`` (numbers per language); a single number when low equals high."""
    if low == high:
        return format_number(low, language)
    return f"{format_number(low, language)}-{format_number(high, language)}"
