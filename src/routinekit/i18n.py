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

Plugins translate their own words the same way, from a catalog in their own package
(``<package>/locale/<lang>/LC_MESSAGES/<package>.po``, or the compiled ``.mo``)::

    from routinekit.i18n import N_, translator

    TITLE = N_("Start with these")                 # marked, still English
    _ = translator(request.language, domain=__package__)
    title = _(TITLE)                                # "Empiece con estos" in Spanish

A plugin's catalog falls back to routinekit's own, so a plugin need not translate the
words routinekit already has. routinekit reads a plugin's ``.po`` directly when there
is no ``.mo``, so plugin authors need no Babel (see docs/plugins.md, "Translating your
plugin").

Dates and numbers use a small table for the languages routinekit ships (English and
Spanish) rather than Babel's CLDR data: two languages need a dozen month names and a
decimal mark, not a 30 MB dependency at run time.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

DOMAIN = "routinekit"
LOCALE_DIR = Path(__file__).parent / "locale"

#: Languages with a complete catalog and per-language library and template text.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "ar")

_DECIMAL_MARK: dict[str, str] = {"en": ".", "es": ",", "ar": "."}


def base_language(language: str) -> str:
    """``es-MX`` -> ``es``; ``EN`` -> ``en``."""
    return language.split("-")[0].split("_")[0].lower()


def is_supported(language: str) -> bool:
    return base_language(language) in SUPPORTED_LANGUAGES


def N_(message: str) -> str:
    """Mark a fixed string for translation without translating it yet.

    Use it where a string is defined (a module constant, a group title); translate it
    where it is used, with ``translator(language, domain=...)(message)``. Babel and
    ``pybabel extract -k N_`` find the marked strings.
    """
    return message


def _wanted(language: str) -> list[str]:
    base = base_language(language)
    return [language.replace("-", "_"), base] if language != base else [base]


@lru_cache(maxsize=16)
def catalog(language: str) -> gettext.NullTranslations:
    """The gettext catalog for ``language`` (a regional code falls back to its base language)."""
    if base_language(language) == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=_wanted(language))
    except FileNotFoundError:
        return gettext.NullTranslations()


def catalog_dir(domain: str) -> Path | None:
    """The ``locale`` folder of the package ``domain`` names (its top-level package)."""
    package = domain.split(".")[0]
    if package == DOMAIN:
        return LOCALE_DIR
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    for root in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(root) / "locale"
        if path.is_dir():
            return path
    return None


def _plugin_catalog(domain: str, language: str) -> gettext.NullTranslations | None:
    """A plugin's own catalog for ``language``: the ``.mo``, else the ``.po`` read directly."""
    from routinekit.text.po_file import compile_po

    folder = catalog_dir(domain)
    if folder is None:
        return None
    name = domain.split(".")[0]
    for lang in _wanted(language):
        messages = folder / lang / "LC_MESSAGES"
        mo, po = messages / f"{name}.mo", messages / f"{name}.po"
        if mo.is_file():
            with mo.open("rb") as fh:
                return gettext.GNUTranslations(fh)
        if po.is_file():
            data = compile_po(po.read_text(encoding="utf-8"), source=str(po))
            return gettext.GNUTranslations(io.BytesIO(data))
    return None


@lru_cache(maxsize=64)
def domain_catalog(domain: str, language: str) -> gettext.NullTranslations:
    """The catalog of ``domain`` for ``language``, falling back to routinekit's own words.

    ``domain`` is ``routinekit`` or a plugin's top-level package name (``__package__``);
    a plugin without a catalog for that language gets routinekit's catalog alone.
    """
    if domain.split(".")[0] == DOMAIN:
        return catalog(language)
    if base_language(language) == "en":
        return gettext.NullTranslations()
    own = _plugin_catalog(domain, language)
    if own is None:
        return catalog(language)
    own.add_fallback(catalog(language))
    return own


def translator(language: str, domain: str = DOMAIN) -> Callable[[str], str]:
    """Return a gettext-style function for ``language``; English text is the message id.

    ``domain`` selects a plugin's own catalog (its package name; see the module docs).
    """
    return domain_catalog(domain, language).gettext


def plural_translator(language: str, domain: str = DOMAIN) -> Callable[[str, str, int], str]:
    """Return ``ngettext`` for ``language``: ``(singular, plural, n) -> text``."""
    return domain_catalog(domain, language).ngettext


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
