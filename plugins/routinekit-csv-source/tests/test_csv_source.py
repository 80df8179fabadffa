"""Tests for the CSV exercise source: the column layout, located errors, and a real build."""

from __future__ import annotations

from pathlib import Path

import pytest
import routinekit_csv_source as plugin

from routinekit.errors import ValidationError
from routinekit.library import library_for
from routinekit.model import Movement, Position, Range
from routinekit.testing import check_source, sample_routine

DATA = Path(__file__).parent / "data" / "clinic-exercises.csv"
HEADER = "id,name,objective,steps,position,movements"


def write(tmp_path: Path, text: str, name: str = "ex.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        plugin.read_exercises(path)
    return info.value


def test_reads_the_clinic_layout() -> None:
    wall, bend = plugin.read_exercises(DATA)
    assert wall.id == "wall-slide" and wall.position is Position.STANDING
    assert wall.steps == (
        "Stand with your back against a wall.",
        "Slide your arms up the wall slowly.",
        "Slide them back down.",
    )
    assert wall.dose.reps == Range(8, 10) and wall.dose.times_per_day == Range(2)
    assert wall.video_url == "https://videos.example-clinic.org/wall-slide"
    assert bend.steps[1] == "Reach one arm over your head."  # newlines inside the cell
    assert bend.movements == (Movement.SIDE_BEND,)
    assert [p.value for p in bend.phases] == ["acute", "prevention"]
    assert bend.dose.per_side is True and bend.dose.hold == Range(20, 30)
    assert bend.cautions == ("Stop if you feel pain down a leg.",)


def test_source_keeps_the_contract() -> None:
    assert [e.id for e in check_source(plugin.CsvSource([DATA]))] == [
        "wall-slide",
        "seated-side-bend",
    ]


def test_semicolon_files_and_excel_bom(tmp_path: Path) -> None:
    text = "\ufeffID;Name;Objective;Steps;Position;Movements\nx-one;X;Y.;A|B;Seated;Neutral\n"
    (ex,) = plugin.read_exercises(write(tmp_path, text))
    assert ex.id == "x-one" and ex.steps == ("A", "B") and ex.position is Position.SEATED


@pytest.mark.parametrize(
    ("row", "row_number", "column", "words"),
    [
        ("bad-pos,N,O.,S,lying,flexion", 2, "position", "lying"),
        ("bad-mov,N,O.,S,supine,twisting", 2, "movements", "twisting"),
        ("Bad Id,N,O.,S,supine,flexion", 2, "id", "'Bad Id' is not a usable id"),
        ("no-steps,N,O.,,supine,flexion", 2, "steps", "empty"),
    ],
)
def test_errors_name_the_row_and_column(
    tmp_path: Path, row: str, row_number: int, column: str, words: str
) -> None:
    err = error_of(write(tmp_path, f"{HEADER}\n{row}\n"))
    assert err.location.row == row_number and err.location.field == column
    assert words in err.message
    assert f"row {row_number}, field '{column}'" in err.one_line()


def test_dose_errors_name_the_dose_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER},hold,per_side\nok,N,O.,S,supine,flexion,30-60,\n"
        "x,N,O.,S,supine,flexion,60-30,\n",
    )
    err = error_of(path)
    assert (err.location.row, err.location.field) == (3, "hold")
    assert "backwards" in err.message
    err = error_of(write(tmp_path, f"{HEADER},per_side\nx,N,O.,S,supine,flexion,maybe\n", "b.csv"))
    assert (err.location.row, err.location.field) == (2, "per_side")


def test_unknown_and_missing_columns(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, f"{HEADER},vidoe_url\n"))
    assert err.location.row == 1 and "did you mean 'video_url'" in err.one_line()
    err = error_of(write(tmp_path, "id,name,objective,steps,position\n", "m.csv"))
    assert err.location.field == "movements" and "missing column" in err.message


def test_duplicate_ids_name_both_rows(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, f"{HEADER}\na,N,O.,S,supine,flexion\na,N,O.,S,supine,flexion\n"))
    assert err.location.row == 3 and "row 2" in err.message


def test_does_nothing_unless_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, routinekit_host
) -> None:
    monkeypatch.delenv(plugin.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert plugin.configured_files() == []
    host = routinekit_host(plugin)
    assert "clinic-csv" not in host.sources()
    assert "wall-slide" not in library_for(host)


def test_a_build_uses_the_clinic_exercises(
    monkeypatch: pytest.MonkeyPatch, routinekit_build
) -> None:
    monkeypatch.setenv(plugin.ENV_VAR, str(DATA))
    data = routinekit_build(plugin, routine=sample_routine(["childs-pose", "wall-slide"]))
    assert b'"id": "wall-slide"' in data and b"Slide your arms up the wall slowly." in data


def test_a_broken_file_is_reported_not_fatal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from routinekit.plugins.host import PluginHost

    monkeypatch.setenv(plugin.ENV_VAR, str(write(tmp_path, f"{HEADER}\nx,N,O.,S,lying,flexion\n")))
    host = PluginHost(entry_points=False, extra=[plugin], strict=False)
    assert "childs-pose" in library_for(host)  # the built-in library still works
    ((_, message),) = host.errors()
    assert "row 2, field 'position'" in message
