"""Plugins translate their own words: a catalog in the plugin's package, found by routinekit."""

from __future__ import annotations

import gettext
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from routinekit import i18n
from routinekit.errors import ValidationError
from routinekit.text.po_file import compile_po, parse_po

PO = r"""# Spanish words of a test plugin
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: es\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: routinekit_kneetest/strategy.py:10
msgid "Knee-friendly first"
msgstr "Primero lo que cuida la rodilla"

msgid ""
"A long "
"message"
msgstr ""
"Un mensaje "
"largo"

msgctxt "calendar"
msgid "Day"
msgstr "Día"

msgid "one session"
msgid_plural "{n} sessions"
msgstr[0] "una sesión"
msgstr[1] "{n} sesiones"

#, fuzzy
msgid "Not checked yet"
msgstr "Sin revisar"

msgid "Not translated"
msgstr ""
"""


@pytest.fixture
def plugin_package(tmp_path: Path) -> Iterator[str]:
    """An importable package ``routinekit_kneetest`` with a Spanish ``.po`` (no ``.mo``)."""
    pkg = tmp_path / "routinekit_kneetest"
    messages = pkg / "locale" / "es" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (messages / "routinekit_kneetest.po").write_text(PO, encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    i18n.domain_catalog.cache_clear()
    yield "routinekit_kneetest"
    sys.path.remove(str(tmp_path))
    sys.modules.pop("routinekit_kneetest", None)
    i18n.domain_catalog.cache_clear()


def test_a_plugin_catalog_is_found_in_its_package_and_read_from_the_po(
    plugin_package: str,
) -> None:
    _ = i18n.translator("es", domain=plugin_package)
    assert _("Knee-friendly first") == "Primero lo que cuida la rodilla"
    assert _("A long message") == "Un mensaje largo"
    assert _("Not checked yet") == "Not checked yet"  # fuzzy entries are left out
    assert _("Not translated") == "Not translated"
    # the plugin's catalog falls back to routinekit's own words
    assert _("Another way:") == "Otra forma:"
    # a regional code and a submodule's __package__ find the same catalog
    assert i18n.translator("es-MX", domain=f"{plugin_package}.sub")("Knee-friendly first") == (
        "Primero lo que cuida la rodilla"
    )
    n_ = i18n.plural_translator("es", domain=plugin_package)
    assert n_("one session", "{n} sessions", 3) == "{n} sesiones"
    assert n_("one session", "{n} sessions", 1) == "una sesión"
    cat = i18n.domain_catalog(plugin_package, "es")
    assert cat.pgettext("calendar", "Day") == "Día"
    # English is the message id
    assert i18n.translator("en", domain=plugin_package)("Knee-friendly first") == (
        "Knee-friendly first"
    )


def test_a_compiled_mo_wins_over_the_po(plugin_package: str, tmp_path: Path) -> None:
    messages = tmp_path / plugin_package / "locale" / "es" / "LC_MESSAGES"
    mo = PO.replace("Primero lo que cuida la rodilla", "Compilado")
    (messages / f"{plugin_package}.mo").write_bytes(compile_po(mo))
    assert i18n.translator("es", domain=plugin_package)("Knee-friendly first") == "Compilado"


def test_a_package_without_a_catalog_gets_routinekits_words() -> None:
    _ = i18n.translator("es", domain="json")  # a package with no locale folder
    assert _("Another way:") == "Otra forma:"
    assert i18n.translator("es", domain="no_such_package_here")("April") == "abril"


def test_n_marks_without_translating() -> None:
    assert i18n.N_("Start with these") == "Start with these"
    from routinekit.strategies.common import N_

    assert N_ is i18n.N_


def test_the_po_reader_agrees_with_babels_compiled_catalog() -> None:
    """routinekit's own .po, read by the small reader, gives exactly the shipped .mo."""
    folder = i18n.LOCALE_DIR / "es" / "LC_MESSAGES"
    with (folder / "routinekit.mo").open("rb") as fh:
        shipped = gettext.GNUTranslations(fh)
    ours = parse_po((folder / "routinekit.po").read_text(encoding="utf-8"))
    expected = {
        k if isinstance(k, str) else f"{k[0]}\x00{k[1]}": v
        for k, v in shipped._catalog.items()  # type: ignore[attr-defined]
        if k != ""
    }
    assert len(ours) > 50
    for key, value in expected.items():
        if "\x00" in key:
            continue  # plural forms are keyed differently in the loaded catalog
        assert ours.get(key) == value, key


def test_a_broken_po_names_the_file_and_line() -> None:
    with pytest.raises(ValidationError, match=r"x.po, line 2: expected a quoted string"):
        parse_po('msgid "a"\nmsgstr hola\n', source="x.po")
    with pytest.raises(ValidationError, match=r"line 1: unknown line"):
        parse_po("msgfoo 1\n", source="x.po")
