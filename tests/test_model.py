"""The domain model: doses read in plain words, ranges parse, overrides merge."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from routinekit.model import Dose, HandoutItem, Range
from routinekit.model.file_form import from_file, to_file_builtins
from routinekit.stages.personalise import regimen_of
from routinekit.text import dose_text, regimen_text

ROOT = Path(__file__).resolve().parents[1]


def dose(**fields: object) -> Dose:
    return from_file(fields, Dose)


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        (
            {"hold": "30-60", "per_side": True, "times_per_day": "2-3"},
            "Hold 30-60 seconds, each side, 2-3 times a day",
        ),
        ({"hold": 30}, "Hold 30 seconds"),
        ({"reps": "10-15", "per_side": True}, "Do 10-15 times, each side"),
        (
            {"hold": 10, "reps": "6-7", "per_side": True},
            "Hold 10 seconds, repeat 6-7 times, each side",
        ),
        ({"minutes": "5-10", "times_per_day": "3-5"}, "5-10 minutes, 3-5 times a day"),
        ({"reps": 10, "sets": 3}, "Do 10 times, 3 sets"),
        ({"hold": 30, "times_per_day": 1}, "Hold 30 seconds, once a day"),
        ({"hold": 30, "times_per_day": 2}, "Hold 30 seconds, twice a day"),
    ],
)
def test_dose_reads_in_plain_words(fields: dict[str, object], text: str) -> None:
    assert dose_text(dose(**fields)) == text


@pytest.mark.parametrize(
    ("raw", "low", "high"),
    [(30, 30, 30), ("30-60", 30, 60), ("10 to 15", 10, 15), ("2–3", 2, 3), (0.5, 0.5, 0.5)],
)
def test_range_parses_numbers_and_ranges(raw: object, low: float, high: float) -> None:
    r = Range.parse(raw)
    assert (r.low, r.high) == (low, high)


@pytest.mark.parametrize("raw", ["abc", "60-30", -5, True, "", "1-2-3"])
def test_range_rejects_nonsense(raw: object) -> None:
    with pytest.raises(ValueError):
        Range.parse(raw)


def test_override_replaces_only_what_it_names() -> None:
    base = dose(hold="30-60", per_side=True, times_per_day="2-3")
    merged = base.merged(dose(hold=20))
    assert dose_text(merged) == "Hold 20 seconds, each side, 2-3 times a day"
    assert base.merged(None) is base


def test_session_seconds_count_sides_reps_and_sets() -> None:
    assert dose(hold="30-60", per_side=True).seconds("low") == 60
    assert dose(hold="30-60", per_side=True).seconds("high") == 120
    assert dose(hold=10, reps="6-7", per_side=True).seconds("high") == 140
    assert dose(reps=10, sets=2).seconds() == 60  # 3 s a repetition
    assert dose(minutes="5-10").seconds("high") == 600


def test_regimen_line_is_computed_from_doses(host: object) -> None:
    from routinekit.model import Exercise, Movement, Position

    ex = Exercise(
        id="x",
        name="X",
        objective="o",
        steps=("s",),
        position=Position.SUPINE,
        movements=(Movement.FLEXION,),
    )
    items = [
        HandoutItem(number=i, exercise=ex, dose=dose(hold=30, per_side=True, times_per_day="2-3"))
        for i in range(5)
    ]
    assert regimen_text(regimen_of(items, None)) == "About 5 minutes, 2-3 times a day"
    assert regimen_text(regimen_of(items[:1], Range(1))) == "About 1 minute, once a day"


def test_range_round_trips_through_pickle_json_and_the_file_form() -> None:
    import pickle

    d = dose(hold="30-60", reps=10)
    assert pickle.loads(pickle.dumps(d)) == d
    assert msgspec.json.decode(msgspec.json.encode(d)) == {
        "hold": {"low": 30.0, "high": 60.0},
        "reps": {"low": 10.0, "high": 10.0},
    }
    assert msgspec.json.decode(msgspec.json.encode(d), type=Dose) == d
    assert to_file_builtins(d) == {"hold": "30-60", "reps": 10}
    assert from_file(to_file_builtins(d), Dose) == d
    assert to_file_builtins(Range(2.5)) == "2.5"


def test_range_is_immutable() -> None:
    r = Range(2, 5)
    with pytest.raises(AttributeError, match="immutable"):
        r.low = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del r.high
    assert r == Range(2, 5) and r.text() == "2-5"
    assert hash(r) == hash(Range(2.0, 5.0)) and {r: 1}[Range(2, 5)] == 1


def test_range_of_one_number_and_its_checks() -> None:
    assert Range(30) == Range(30, 30) and Range(30).is_single and repr(Range(30)) == "Range('30')"
    assert Range(30).scaled(2) == Range(60)
    for args, message in [
        ((-1,), "must not be negative"),
        ((float("inf"),), "must be a finite number"),
        ((1, float("nan")), "must be a finite number"),
        ((5, 2), "range 5-2 runs backwards; write the low end first"),
    ]:
        with pytest.raises(ValueError, match=message):
            Range(*args)
    # msgspec runs the same checks, and names the place
    with pytest.raises(msgspec.ValidationError, match=r"runs backwards.* - at `\$.hold`"):
        msgspec.json.decode(b'{"hold": {"low": 5, "high": 2}}', type=Dose)


def test_file_form_errors_name_the_place() -> None:
    from routinekit.model import Patient

    with pytest.raises(msgspec.ValidationError) as err:
        from_file({"doses": {"cat-cow": {"reps": -1}}}, Patient)
    assert str(err.value) == "must not be negative - at `$.doses[...].reps`"
    with pytest.raises(msgspec.ValidationError) as err:
        from_file([1, "x"], list[Range])
    assert str(err.value) == "expected a number or a range like 30-60, got 'x' - at `$[1]`"
    with pytest.raises(msgspec.ValidationError, match=r"^must not be negative$"):
        from_file(-1, Range)


def test_a_built_handout_encodes_with_plain_msgspec_and_decodes_back() -> None:
    from routinekit.model import Handout
    from routinekit.testing import sample_handout, sample_patient

    handout = sample_handout(patient=sample_patient(), format="pdf")
    assert any(it.dose.hold or it.dose.reps for it in handout.items)
    data = msgspec.json.encode(handout)  # no enc_hook: what a third-party renderer does
    assert msgspec.json.decode(data, type=Handout) == handout


def test_json_output_has_a_format_version_and_no_machine_paths(tmp_path: Path) -> None:
    import json

    from routinekit import api

    data = json.loads(api.build("back-spasm-acute", format="json"))
    assert data["format_version"] == 2 and next(iter(data)) == "format_version"
    assert "base_dir" not in data
    # exactly msgspec's encoding of the handout: it decodes back with msgspec alone
    from routinekit.model import Handout

    del data["format_version"]
    handout = msgspec.convert(data, Handout)
    assert msgspec.json.decode(msgspec.json.encode(handout)) == data
    assert str(Path.cwd()) not in json.dumps(data) and str(ROOT) not in json.dumps(data)
