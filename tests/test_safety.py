"""Links, pictures, spreadsheet cells and file names derived from user data."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routinekit.errors import UnsafeInputError, UserError
from routinekit.safety import (
    JPEG_MAGIC,
    PNG_MAGIC,
    check_image,
    check_url,
    neutralise_formula,
)


@pytest.mark.parametrize(
    "url", ["https://videos.example.org/cat-cow", "http://x.org", "https://x.org:8443/a?b=c#d"]
)
def test_good_links_pass(url: str) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://x.org/a", "not an http or https URL"),
        ("javascript:alert(1)", "not an http or https URL"),
        ("file:///etc/passwd", "not an http or https URL"),
        ("https://user:secret@x.org/a", "user name or password"),
        ("https://user@x.org/a", "user name or password"),
        ("https://x.org/a b", "a space, a control character or an invisible character"),
        ("https://x.org/\x00", "a space, a control character or an invisible character"),
        ("https://x.org/\u202egpj.exe", "an invisible character"),
        ("https://exa\u200bmple.org/", "an invisible character"),
        ("https://x.org/\u2066a", "an invisible character"),
        ("https:///nohost", "has no web site name"),
        ("https://x.org:99999/", "not a valid web address"),
        ("https://x.org/" + "a" * 2000, "too long"),
    ],
)
def test_bad_links_are_refused(url: str, why: str) -> None:
    with pytest.raises(UnsafeInputError, match=why) as info:
        check_url(url)
    assert "secret" not in info.value.one_line()


def test_pictures_are_local_png_or_jpeg_by_their_bytes(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (8, 4)).save(tmp_path / "ok.png")
    Image.new("RGB", (8, 4)).save(tmp_path / "ok.jpg", "JPEG")
    (tmp_path / "fake.png").write_bytes(b"GIF89a not really")
    (tmp_path / "big.png").write_bytes(PNG_MAGIC + b"0" * 100)
    (tmp_path / "stub.jpg").write_bytes(JPEG_MAGIC + b"rest")
    assert check_image("ok.png", tmp_path) == (tmp_path / "ok.png").resolve()
    assert check_image("ok.jpg", tmp_path).name == "ok.jpg"
    with pytest.raises(UnsafeInputError, match="not a PNG or JPEG"):
        check_image("fake.png", tmp_path)
    with pytest.raises(UnsafeInputError, match="too large"):
        check_image("big.png", tmp_path, max_bytes=50)
    with pytest.raises(UnsafeInputError, match="is cut short"):
        check_image("stub.jpg", tmp_path)
    with pytest.raises(UnsafeInputError, match="never downloads"):
        check_image("https://example.org/a.png", tmp_path)
    with pytest.raises(UserError, match="not found"):
        check_image("missing.png", tmp_path)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1", "'+1"),
        ("-1+1", "'-1+1"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("Ana", "Ana"),
        ("", ""),
        (None, ""),
        (-3, "-3"),
        (2.5, "2.5"),
        (True, "true"),
    ],
)
def test_spreadsheet_formulas_are_neutralised(cell: object, shown: str) -> None:
    assert neutralise_formula(cell) == shown


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_no_text_can_start_a_formula(text: str) -> None:
    assert not neutralise_formula(text).startswith(("=", "+", "-", "@", "\t", "\r"))
