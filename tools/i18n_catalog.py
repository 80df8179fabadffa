"""Update the gettext catalogs: extract, merge into each language's .po, compile the .mo.

    .venv/bin/python tools/i18n_catalog.py          # update routinekit.pot, es .po and .mo
    .venv/bin/python tools/i18n_catalog.py --check  # exit 1 if anything is untranslated

Needs Babel (the ``test`` extra). Translate new entries in the .po by hand, then run it
again to compile. Both the .po and the .mo are committed; tests/test_i18n.py checks
they agree and that every message has a Spanish translation.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "routinekit"
sys.path.insert(0, str(ROOT / "src"))

from routinekit.i18n import DOMAIN, LOCALE_DIR  # noqa: E402
from routinekit.plugins.host import get_host  # noqa: E402
from routinekit.text.messages import strategy_messages, table_messages, unique  # noqa: E402

#: A message id that is a bare key (``_(TABLE["self_care"])``) is not printed text.
_KEY = re.compile(r"^[a-z_]+$")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def literal_messages() -> list[str | tuple[str, str]]:
    out: list[str | tuple[str, str]] = []
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            out.append((message[0], message[1]))
        elif not _KEY.match(message):
            out.append(message)
    return out


def template() -> Catalog:
    cat = Catalog(domain=DOMAIN, project="routinekit", charset="utf-8")
    for m in literal_messages():
        cat.add(m)
    for m in unique([*table_messages(), *strategy_messages(get_host())]):
        cat.add(m)
    return cat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report gaps")
    args = parser.parse_args()
    pot = template()
    if not args.check:
        with open(LOCALE_DIR / f"{DOMAIN}.pot", "wb") as f:
            write_po(f, pot, omit_header=False, sort_output=True, no_location=True)
    missing = 0
    for po_path in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with open(po_path, "rb") as f:
            cat = read_po(f)
        cat.update(pot, no_fuzzy_matching=True)
        gaps = [
            m.id
            for m in cat
            if m.id
            and (not m.string or m.fuzzy or (isinstance(m.string, tuple) and not all(m.string)))
        ]
        for g in gaps:
            print(f"{po_path.parent.parent.name}: untranslated: {g!r}")
        missing += len(gaps)
        if not args.check:
            with open(po_path, "wb") as f:
                write_po(
                    f, cat, sort_output=True, no_location=True, ignore_obsolete=True, width=100
                )
            with open(po_path.with_suffix(".mo"), "wb") as f:
                write_mo(f, cat)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
