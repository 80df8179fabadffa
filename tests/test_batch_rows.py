"""Reading patient lists and turning rows into patients, with errors that name row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from routinekit.batch.cells import CellError, parse_dose
from routinekit.batch.convert import RowConverter
from routinekit.batch.rows import PatientList
from routinekit.errors import UserError
from routinekit.library import library_for
from routinekit.model import Dose, Range
from routinekit.plugins.host import PluginHost

DATE = dt.date(2026, 1, 5)


@pytest.fixture(scope="module")
def ids() -> list[str]:
    return [e.id for e in library_for(PluginHost(entry_points=False))]


def converter(path: Path, ids: list[str]) -> RowConverter:
    return RowConverter(path, known_ids=ids, date=DATE, routine_id="back-spasm-acute")


def specs(path: Path, ids: list[str]) -> list[object]:
    plist = PatientList(path)
    conv = converter(path, ids)
    if plist.columns is not None:
        conv.check_header(plist.columns)
    out: list[object] = []
    for raw in plist:
        try:
            out.append(conv.convert(raw))
        except UserError as exc:
            out.append(exc.one_line())
    return out


def test_semicolon_csv_with_bom_and_spreadsheet_headers(tmp_path: Path, ids: list[str]) -> None:
    path = tmp_path / "p.csv"
    text = (
        "First Name;Last-Name;Date;Exclude;dose:Childs-Pose;Minutes\n"
        'Zoë;Łukasiewicz;2026-02-01 00:00:00;prone, rotation;"hold 30-60, reps 3";7,5\n'
        ";;;;;\n"
        "Иван;Петров;;;;\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    first, second = specs(path, ids)
    assert first.patient.name == "Zoë Łukasiewicz"  # type: ignore[attr-defined]
    assert first.patient.date == dt.date(2026, 2, 1)  # type: ignore[attr-defined]
    assert first.patient.exclude == ("prone", "rotation")  # type: ignore[attr-defined]
    assert first.patient.minutes == 7.5  # type: ignore[attr-defined]
    assert first.patient.doses["childs-pose"] == Dose(hold=Range(30, 60), reps=Range(3))  # type: ignore[attr-defined]
    assert second.row == 2 and second.line == 4  # type: ignore[attr-defined]  # the blank row is not counted
    assert second.patient.date == DATE  # type: ignore[attr-defined]  # the batch date
    assert second.fields["last_name"] == "Петров"  # type: ignore[attr-defined]


def test_unknown_columns_are_one_error_listing_the_known_ones(
    tmp_path: Path, ids: list[str]
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "name,dat,shoe size,dose:childs-pse\nAnn,2026-01-01,9,hold 3\n", encoding="utf-8"
    )
    with pytest.raises(UserError) as err:
        specs(path, ids)
    line = err.value.one_line()
    assert "\n" not in line and "line 1" in line
    # header cells by position, never by their text (it may be a patient's data)
    assert "unknown columns 2, 3, 4 in the header" in line
    assert "column 2: did you mean 'date'?" in line
    assert "column 4: did you mean 'dose:childs-pose'?" in line
    assert "dat'" not in line and "shoe" not in line and "childs-pse" not in line
    assert "known columns: id, name, first_name" in line and "dose:<exercise-id>" in line


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("Ann,31/02/2026,,,", "row 1, field 'date': not a date; write it as YYYY-MM-DD"),
        ("Ann,,upside-down,,", "row 1, field 'exclude': cannot exclude 'upside-down'"),
        ("Ann,,,hold forever,", "row 1, field 'dose:childs-pose': expected a number or a range"),
        ("Ann,,,hld 30,", "row 1, field 'dose:childs-pose': unknown dose part 'hld 30'"),
        ("Ann,,,,nine", "row 1, field 'max_difficulty': expected a whole number"),
        ("Ann,,,,9", "row 1, field 'max_difficulty'"),
        ("Ann,,,,,extra", "row 1: this row has 6 cells; the header names 5 columns"),
        ("x" * 301 + ",,,,", "row 1, field 'name'"),
    ],
)
def test_bad_cells_name_row_and_column_never_the_patient(
    tmp_path: Path, ids: list[str], cells: str, expected: str
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        f"name,date,exclude,dose:childs-pose,max_difficulty\n{cells}\n", encoding="utf-8"
    )
    (message,) = specs(path, ids)
    assert isinstance(message, str) and expected in message, message
    assert "line 2" in message and "Ann" not in message and "xxxx" not in message


def test_dose_syntax() -> None:
    assert parse_dose("hold 30-60; reps 3; per_day 2-3; each_side") == Dose(
        hold=Range(30, 60), reps=Range(3), times_per_day=Range(2, 3), per_side=True
    )
    assert parse_dose("hold=20, sets=2, per_side=no") == Dose(
        hold=Range(20), sets=2, per_side=False
    )
    assert parse_dose("minutes 10") == Dose(minutes=Range(10))
    assert parse_dose({"hold": "30-60"}) == Dose(hold=Range(30, 60))
    for bad in ("", "hold", "hold 60-30", "sets 1.5", "per_side maybe", "jump 3"):
        with pytest.raises(CellError):
            parse_dose(bad)


def test_json_yaml_and_json_lines(tmp_path: Path, ids: list[str]) -> None:
    (tmp_path / "a.json").write_text(
        '[{"name": "Ann", "exclude": ["prone"], "doses": {"cat-cow": {"reps": 5}}}, 3]',
        encoding="utf-8",
    )
    ok, bad = specs(tmp_path / "a.json", ids)
    assert ok.patient.doses["cat-cow"] == Dose(reps=Range(5))  # type: ignore[attr-defined]
    assert isinstance(bad, str) and "row 2" in bad and "must be a mapping" in bad
    (tmp_path / "b.yaml").write_text(
        "patients:\n  - name: Ann\n    routine: other.yaml\n  - nmae: Bob\n", encoding="utf-8"
    )
    first, second = specs(tmp_path / "b.yaml", ids)
    assert first.routine == str((tmp_path / "other.yaml").resolve())  # type: ignore[attr-defined]
    assert first.fields["routine"] == "other"  # type: ignore[attr-defined]
    assert (
        isinstance(second, str)
        and "line 4, row 2, field 'key 1'" in second
        and "did you mean 'name'" in second
        and "nmae" not in second
    )
    (tmp_path / "c.jsonl").write_text(
        '{"name": "Ann"}\n\n{"name": \n{"routine": "back-spasm-prevention"}\n'
    )
    a, b, c = specs(tmp_path / "c.jsonl", ids)
    assert a.patient.name == "Ann"  # type: ignore[attr-defined]
    assert isinstance(b, str) and "line 3, row 2" in b and "not valid JSON" in b
    assert c.routine == "back-spasm-prevention"  # type: ignore[attr-defined]


def test_unreadable_lists(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("name\nJos\xe9\n".encode("latin-1"))
    with pytest.raises(
        UserError, match="not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'"
    ):
        list(PatientList(latin1))
    empty = tmp_path / "empty.csv"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(UserError, match="empty"):
        PatientList(empty)
    with pytest.raises(UserError, match="not found"):
        PatientList(tmp_path / "missing.csv")
