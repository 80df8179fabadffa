"""Video links are checked once per process (``stages.resolve._CHECKED``), not once per row.

Only links that passed are remembered, by the link alone (the library's, the routine's, the
clinic's: never a patient's words); a bad link is refused every time, naming where it is,
and the memory is bounded.
"""

from __future__ import annotations

import importlib

import pytest

from routinekit.errors import Location, UserError

resolve = importlib.import_module("routinekit.stages.resolve")  # the package exports the stage


def test_a_good_link_is_remembered_and_a_bad_one_refused_every_time() -> None:
    resolve._CHECKED.clear()
    url = "https://example.org/videos/cat-cow"
    assert resolve.check_video_url(url, where=Location(field="a")) == url
    assert (url, False) in resolve._CHECKED
    assert resolve.check_video_url(url, where=Location(field="b")) == url
    assert (url, True) not in resolve._CHECKED  # the routine's code has its own limit
    for field in ("first", "second"):
        with pytest.raises(UserError) as info:
            resolve.check_video_url("javascript:alert(1)", where=Location(field=field))
        assert info.value.location.field == field
    too_long = "https://example.org/" + "x" * 900
    for _ in range(2):
        with pytest.raises(UserError):
            resolve.check_video_url(too_long, where=Location(field="c"))
    assert len(resolve._CHECKED) == 1


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    resolve._CHECKED.clear()
    monkeypatch.setattr(resolve, "CHECKED_MAX", 4)
    for i in range(10):
        resolve.check_video_url(f"https://example.org/v/{i}", where=Location())
    assert len(resolve._CHECKED) == 4
    assert ("https://example.org/v/9", False) in resolve._CHECKED
