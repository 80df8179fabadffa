"""One request type: build and batch share every option, with the same meaning.

``build``, ``batch`` and ``sequence`` take their options from one definition
(``routinekit.cli.options``) and turn them into one ``BuildRequest``; invalid choices
are refused before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import msgspec
import pytest

from routinekit.cli.batch import batch
from routinekit.cli.build import build
from routinekit.cli.sequence import sequence
from routinekit.model import Patient
from routinekit.request import BuildOptions, BuildRequest

#: build's own options: one handout from one patient file, written to one path
BUILD_ONLY = {"routine", "patient", "output", "explain"}
#: batch's own options: a list of patients into a folder
BATCH_ONLY = {
    "patients",
    "routine",
    "outdir",
    "storage_options",
    "shard",
    "jobs",
    "name_pattern",
    "resume",
    "force",
    "merge",
    "zip_",
    "scheduler",
    "max_failures",
    "keep_going",
    "quiet",
}


def params(command: click.Command) -> dict[str, click.Parameter]:
    return {p.name: p for p in command.params if p.name}


def describe(p: click.Parameter) -> tuple[Any, ...]:
    """What a user sees of an option: its flags, type, default and help."""
    return (
        tuple(p.opts),
        tuple(p.secondary_opts),
        repr(p.type),
        p.default,
        p.multiple,
        getattr(p, "help", None),
    )


def test_batch_offers_every_build_option_with_the_same_meaning() -> None:
    b, m = params(build), params(batch)
    shared = set(b) - BUILD_ONLY
    assert {
        "page_size",
        "large_print",
        "guards",
        "exercise_qr",
        "tracking_log",
        "strategy",
        "exclude",
        "minutes",
        "max_difficulty",
        "phase",
        "lang",
        "fmt",
        "clinic",
        "date_",
    } <= shared
    assert shared <= set(m), f"batch lacks {sorted(shared - set(m))}"
    for name in shared:
        assert describe(b[name]) == describe(m[name]), name
    assert set(m) - shared == BATCH_ONLY


def test_sequence_takes_the_same_choices() -> None:
    b, s = params(build), params(sequence)
    for name in ("strategy", "exclude", "minutes", "max_difficulty", "phase", "lang", "date_"):
        assert describe(b[name]) == describe(s[name]), name


def write_list(tmp_path: Path) -> Path:
    path = tmp_path / "patients.csv"
    path.write_text("name,minutes\nAnn Lee,30\nBo Chan,\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--lang", "xx"], "--lang"),
        (["--strategy", "nope"], "--strategy"),
        (["-f", "docx"], "--format"),
        (["--exclude", "skiing"], "--exclude"),
        (["--minutes", "nan"], "--minutes"),
        (["--guards", "loud"], "--guards"),
    ],
)
def test_a_bad_choice_stops_batch_before_anything_is_written(
    run_cli: Callable[..., Any], tmp_path: Path, args: list[str], field: str
) -> None:
    out = tmp_path / "out"
    result = run_cli("batch", write_list(tmp_path), "-r", "back-spasm-acute", "-o", out, *args)
    assert result.code == 2, result.err
    assert field in result.err and result.err.count("\n") <= 2, result.err
    assert "Traceback" not in result.err
    assert not out.exists()


@pytest.mark.parametrize("args", [["--lang", "xx"], ["--minutes", "nan"], ["--strategy", "nope"]])
def test_the_same_choices_stop_build(
    run_cli: Callable[..., Any], tmp_path: Path, args: list[str]
) -> None:
    out = tmp_path / "h.pdf"
    result = run_cli("build", "back-spasm-acute", "-o", out, *args)
    assert result.code == 2 and not out.exists()


def test_minutes_wins_over_the_row_in_batch_as_over_the_patient_in_build(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run_cli(
        "batch", write_list(tmp_path), "-r", "back-spasm-acute", "-o", out, "-f", "json",
        "-j", "1", "--minutes", "2", "--strategy", "acute", "-q",
    )  # fmt: skip
    assert result.code == 0, result.err
    handouts = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))]
    patient = tmp_path / "ann.yaml"
    patient.write_text("name: Ann Lee\nminutes: 30\n", encoding="utf-8")
    single = tmp_path / "ann.json"
    result = run_cli(
        "build", "back-spasm-acute", "--patient", patient, "-f", "json", "-o", single,
        "--minutes", "2", "--strategy", "acute",
    )  # fmt: skip
    assert result.code == 0, result.err
    built = json.loads(single.read_text(encoding="utf-8"))
    assert len(handouts) == 2
    for h in handouts:  # both rows: the 2-minute budget, whatever the row said
        assert [i["exercise"]["id"] for g in h["groups"] for i in g["items"]] == [
            i["exercise"]["id"] for g in built["groups"] for i in g["items"]
        ]
    # the doses fit the budget; the handout's estimate adds the time to change position
    regimen = built["regimen"]
    assert regimen["minutes_high"] - regimen.get("change_seconds", 0) / 60 <= 2.5


def test_batch_large_print_and_page_size_reach_every_row(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    import pymupdf

    out = tmp_path / "out"
    result = run_cli(
        "batch", write_list(tmp_path), "-r", "back-spasm-acute", "-o", out, "-j", "1",
        "--page-size", "a4", "--large-print", "--no-exercise-qr", "-q",
    )  # fmt: skip
    assert result.code == 0, result.err
    for pdf in sorted(out.glob("*.pdf")):
        with pymupdf.open(pdf) as doc:
            page = doc[0]
            assert round(page.rect.width) == 595  # A4
            sizes = [
                s["size"]
                for b in page.get_text("dict")["blocks"]
                for line in b.get("lines", ())
                for s in line["spans"]
                if s["text"].strip()
            ]
            assert min(sizes) >= 17.5  # large print


def test_a_request_is_a_frozen_value_that_varies_by_replacing() -> None:
    request = BuildRequest(routine="back-spasm-acute", options=BuildOptions(minutes=5))
    with pytest.raises(AttributeError):
        request.routine = "other"  # type: ignore[misc]
    row = request.for_patient(Patient(name="Ann"), source="row 1")
    assert row.patient == Patient(name="Ann") and row.options == request.options
    assert request.patient is None
    assert request.with_options(strategy="acute").options == BuildOptions(
        minutes=5, strategy="acute"
    )
    encoded = msgspec.json.encode(row)  # requests travel to workers and into input hashes
    assert msgspec.json.decode(encoded, type=BuildRequest) == row
