"""The one redaction helper: whole words only, short name parts too, and errors scrubbed
in place; plus the smaller one-line errors of the second red-team round."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from routinekit.errors import PluginError, UserError, ValidationError
from routinekit.model import Patient
from routinekit.redaction import MARK, redact, redacting, secrets_of_row

BO = Patient(
    name="Bo Li", notes="Lives near the Halberstadt ferry with a dog", date=dt.date(2026, 1, 5)
)


def test_whole_words_only_and_short_name_parts_too() -> None:
    assert redact("Bo Li asked; Bob and Lisa did not; bo li again", BO) == (
        f"{MARK} asked; Bob and Lisa did not; {MARK} again"
    )
    assert redact("an Annual review", Patient(name="Ann")) == "an Annual review"
    assert redact("ANN, ann and Ann.", Patient(name="Ann")) == f"{MARK}, {MARK} and {MARK}."


def test_notes_by_long_words_and_runs_of_three() -> None:
    text = redact("note 'Lives near the...' and Halberstadt; with a dog; the day", BO)
    assert "Lives near the" not in text and "Halberstadt" not in text and "with a dog" not in text
    assert "the day" in text, "everyday words of the notes on their own are kept"
    assert redact("on 2026-01-05", BO) == f"on {MARK}"


def test_a_name_split_by_punctuation_in_a_message() -> None:
    assert redact("name='Bo'-'Li'", Patient(name="Bo-Li")) == f"name='{MARK}'"


def test_errors_leaving_a_block_are_scrubbed_in_place() -> None:
    with pytest.raises(ValidationError) as user, redacting(BO):
        raise ValidationError("Bo Li is wrong", hint="ask Bo")
    assert user.value.one_line() == f"{MARK} is wrong; ask {MARK}"
    with pytest.raises(PluginError) as plugin, redacting(BO):
        raise PluginError("p", "failed for Bo Li")
    assert plugin.value.one_line() == f"plugin 'p': failed for {MARK}"
    with pytest.raises(KeyError) as other, redacting(BO):
        raise KeyError("Li")
    assert "Li" not in str(other.value)


def test_a_patient_repr_holds_no_values() -> None:
    assert repr(BO) == "Patient(name=<str>, date=<date>, notes=<str>)"
    assert "Bo" not in f"{BO} {[BO]} { ({'p': BO}) }"


def test_a_rows_personal_columns_are_its_secrets() -> None:
    secrets = secrets_of_row({"First Name": "Bo", "Surname": "Li", "dose:cat-cow": "hold 5"})
    assert "Bo" in secrets and "Li" in secrets and "hold 5" not in secrets


# -- smaller one-line errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("tcp://[::1", "is not a valid address"),
        ("tcp://", "names no host"),
        ("inproc://x", "is an in-process address"),
        ("tcp://h", "has no port"),
        ("tcp://h:99999", "is not a valid address"),
        ("tcp://u:secret@h:8786", "contains a user name or password"),
        ("tcp://h:8786/path", "has more than a host and a port"),
        ("udp://h:1", "is not a scheduler address"),
    ],
)
def test_malformed_scheduler_addresses(address: str, message: str) -> None:
    from routinekit.safety import check_scheduler_address

    with pytest.raises(UserError) as err:
        check_scheduler_address(address)
    assert message in err.value.one_line() and "secret" not in err.value.one_line()
    assert check_scheduler_address("tcp://[::1]:8786") == "tcp://[::1]:8786"


def test_a_malformed_address_never_reaches_dask(run_cli: Callable[..., Any], tmp_path: Any) -> None:
    listing = tmp_path / "l.csv"
    listing.write_text("name\nAnn\n", encoding="utf-8")
    result = run_cli(
        "batch",
        listing,
        "-r",
        "back-spasm-acute",
        "-o",
        tmp_path / "o",
        "--scheduler",
        "tcp://[::1",
        "-q",
    )
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert "internal bug" not in result.err


@pytest.mark.parametrize("command", ["build", "batch"])
@pytest.mark.parametrize("value", ["nan", "NaN", "inf"])
def test_minutes_must_be_a_finite_number(
    command: str, value: str, run_cli: Callable[..., Any], tmp_path: Any
) -> None:
    listing = tmp_path / "l.csv"
    listing.write_text("name\nAnn\n", encoding="utf-8")
    first = [listing, "-r"] if command == "batch" else []
    result = run_cli(command, *first, "back-spasm-acute", "--minutes", value, "-o", tmp_path / "o")
    assert result.code == 2 and "Invalid value for '--minutes'" in result.err, result.err


def test_library_type_names_are_plain_words(tmp_path: Any) -> None:
    from routinekit.files.people_files import load_patient_file

    person = tmp_path / "p.yaml"
    person.write_text("name: A\nmax_difficulty: .nan\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_patient_file(person)
    assert err.value.one_line().endswith("expected a whole number, got a number")
