"""One dose rule: a dose changes only the fields it names; ``clear`` removes one."""

from __future__ import annotations

from routinekit.model import Dose, Range
from routinekit.model.file_form import from_file
from routinekit.text import dose_text

LIBRARY = Dose(hold=Range(30), reps=Range(3), sets=2, per_side=True)


def read(data: object) -> Dose:
    return from_file(data, Dose)


def test_a_dose_changes_only_what_it_names() -> None:
    assert LIBRARY.merged(read({"reps": 8})) == Dose(
        hold=Range(30), reps=Range(8), sets=2, per_side=True
    )


def test_clear_removes_a_field_explicitly() -> None:
    merged = LIBRARY.merged(read({"reps": 10, "clear": ["hold", "sets"]}))
    assert merged == Dose(reps=Range(10), per_side=True)
    assert merged.clear == ()  # a merged dose clears nothing itself
    assert dose_text(merged, "en") == "Do 10 times, each side"


def test_a_dose_that_only_clears_is_not_empty() -> None:
    assert not read({"clear": ["per_side"]}).is_empty
    assert Dose().is_empty
    assert LIBRARY.merged(read({"clear": ["per_side"]})).per_side is None
