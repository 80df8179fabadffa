"""Safe output names: patterns, sanitising, collisions."""

from __future__ import annotations

import unicodedata

import pytest

from routinekit.batch.names import DEFAULT_PATTERN, NameAllocator, NamePattern, safe_name
from routinekit.batch.sample import AWKWARD
from routinekit.errors import UserError


def _is_safe(name: str) -> bool:
    stem = name.rsplit(".", 1)[0]
    return (
        "/" not in name
        and "\\" not in name
        and ".." not in name
        and not name.startswith((".", "-", "=", "+", "@"))
        and len(name.encode("utf-8")) <= 255
        and all(unicodedata.category(c)[0] != "C" for c in name)
        and unicodedata.is_normalized("NFC", name)
        and stem.casefold() not in {"con", "nul", "prn", "aux"}
    )


@pytest.mark.parametrize("raw", [*AWKWARD, "", "   ", "....", "x" * 1000])
def test_every_awkward_name_becomes_one_safe_file_name(raw: str) -> None:
    name = safe_name(raw, "pdf", fallback="row-00001")
    assert _is_safe(name), name
    assert name.endswith(".pdf")


def test_readable_unicode_is_kept_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Zoë Łukasiewicz")
    assert safe_name(decomposed, "pdf", fallback="x") == "Zoë_Łukasiewicz.pdf"
    assert safe_name("Иван Петров", "pdf", fallback="x") == "Иван_Петров.pdf"
    assert safe_name("فاطمة العلي", "pdf", fallback="x") == "فاطمة_العلي.pdf"


def test_tricks_are_defused() -> None:
    assert safe_name("../../etc/passwd", "pdf", fallback="x") == "etc_passwd.pdf"
    assert safe_name("\u202egnp.exe", "pdf", fallback="x") == "gnp.exe.pdf"  # no bidi override
    assert safe_name("=HYPERLINK(1)", "pdf", fallback="x") == "HYPERLINK(1).pdf"
    assert safe_name("CON", "pdf", fallback="x") == "CON_.pdf"
    assert safe_name("", "pdf", fallback="row-00007") == "row-00007.pdf"
    assert safe_name("report.PDF", "pdf", fallback="x") == "report.pdf"
    long = safe_name("Ж" * 300, "pdf", fallback="x")
    assert len(long.encode()) <= 160 and set(long[:-4]) == {"Ж"}


def test_collisions_get_suffixes_in_call_order_case_insensitively() -> None:
    names = NameAllocator(reserved=["manifest.jsonl"])
    got = [names.allocate(n) for n in ["a.pdf", "A.pdf", "a-2.pdf", "a.pdf", "manifest.jsonl"]]
    assert got == ["a.pdf", "A-2.pdf", "a-2-2.pdf", "a-3.pdf", "manifest-2.jsonl"]


def test_pattern_checks() -> None:
    assert not NamePattern(DEFAULT_PATTERN).personal
    assert NamePattern("{last_name}_{date}").personal
    assert (
        NamePattern("{row:05d}_{date}").render({"row": 7, "date": "2026-01-01"})
        == "00007_2026-01-01"
    )
    for bad, words in [
        ("{nme}_{date}", "unknown field '{nme}'"),
        ("{row.__class__}", "unknown field"),
        ("{row!r}", "unknown field"),
        ("{last_name}/{date}", "not folders"),
        ("handout", "uses no field"),
        ("{row:q}", "not valid"),
    ]:
        with pytest.raises(UserError) as err:
            NamePattern(bad)
        assert words in err.value.one_line() and "--name-pattern" in err.value.one_line()
