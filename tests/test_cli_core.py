"""The command line as a therapist uses it: listings, validate, new, build, schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result
from tests.test_library import REQUIRED

Run = Callable[..., Result]


def test_version(run_cli: Run) -> None:
    from routinekit import __version__

    r = run_cli("--version")
    assert r.code == 0 and __version__ in r.out


def test_exercises_json_lists_every_exercise_with_fields(run_cli: Run) -> None:
    r = run_cli("exercises", "--json")
    assert r.code == 0, r.err
    rows = {row["id"]: row for row in json.loads(r.out)}
    assert set(REQUIRED) <= set(rows)
    child = rows["childs-pose"]
    for field in (
        "name",
        "objective",
        "steps",
        "position",
        "movements",
        "difficulty",
        "phases",
        "dose",
        "cautions",
        "source",
        "licence",
        "plugin",
    ):
        assert field in child, field
    assert child["dose"]["hold"] == "30-60"


def test_exercise_filters(run_cli: Run) -> None:
    r = run_cli("exercises", "--position", "prone", "--json")
    ids = {row["id"] for row in json.loads(r.out)}
    assert {"prone-on-elbows", "prone-press-up"} <= ids
    assert all(row["position"] == "prone" for row in json.loads(r.out))
    r = run_cli("exercises", "--phase", "acute", "--movement", "aerobic", "--json")
    assert [row["id"] for row in json.loads(r.out)] == ["walking"]


def test_exercises_show(run_cli: Run) -> None:
    r = run_cli("exercises", "show", "cat-cow")
    assert r.code == 0
    assert "Cat" in r.out and "1." in r.out and "Video: none known" in r.out
    r = run_cli("exercises", "show", "catcow")
    assert r.code == 2
    assert r.err.strip() == "Error: unknown exercise 'catcow'; did you mean 'cat-cow'?"


def test_listings_have_json(run_cli: Run) -> None:
    for command in ("templates", "strategies", "renderers", "plugins"):
        r = run_cli(command, "--json")
        assert r.code == 0, (command, r.err)
        assert isinstance(json.loads(r.out), list)
    templates = {t["id"] for t in json.loads(run_cli("templates", "--json").out)}
    assert {"back-spasm-acute", "back-spasm-prevention"} <= templates


def test_validate_broken_routine_exits_2_with_line_and_field(run_cli: Run, tmp_path: Path) -> None:
    p = tmp_path / "r.yaml"
    p.write_text("id: r\ntitle: R\nexercises:\n  - id: childs-pose\n    dose: {hold: forever}\n")
    r = run_cli("validate", p)
    assert r.code == 2
    assert "Traceback" not in r.err
    line = r.err.strip()
    assert line.count("\n") == 0
    assert "line 5" in line and "exercises[0].dose.hold" in line


def test_validate_misspelled_id_suggests(run_cli: Run, tmp_path: Path) -> None:
    p = tmp_path / "r.yaml"
    p.write_text("id: r\ntitle: R\nexercises:\n  - childs-pose\n  - child-pse\n")
    r = run_cli("validate", p)
    assert r.code == 2
    assert "line 5" in r.err and "unknown exercise 'child-pse'" in r.err
    assert "did you mean 'childs-pose'?" in r.err


def test_validate_reports_missing_videos(
    run_cli: Run, tmp_path: Path, example_clinic: Path
) -> None:
    p = tmp_path / "r.yaml"
    p.write_text("id: r\ntitle: R\nred_flags: [Leg weakness]\nexercises:\n  - childs-pose\n")
    r = run_cli("validate", p)
    assert r.code == 0
    assert "'childs-pose' has no video link" in r.out
    r = run_cli("validate", p, "--clinic", example_clinic)
    assert "no video link" not in r.out


def test_new_from_template_then_build(run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    assert run_cli("new", "--template", "back-spasm-prevention", "-o", out).code == 0
    assert "Stretches" in out.read_text()
    again = run_cli("new", "--template", "back-spasm-prevention", "-o", out)
    assert again.code == 2 and "--force" in again.err
    handout = tmp_path / "h.json"
    r = run_cli(
        "build",
        out,
        "-f",
        "json",
        "--strategy",
        "as-written",
        "-o",
        handout,
        "--date",
        "2026-01-02",
    )
    assert r.code == 0, r.err
    data = json.loads(handout.read_text())
    assert data["date"] == "2026-01-02"
    first = data["groups"][0]["items"][0]
    assert first["exercise"]["id"] == "cat-cow"


def test_build_with_patient_and_clinic(
    run_cli: Run, tmp_path: Path, example_clinic: Path, acute_template: Path
) -> None:
    patient = tmp_path / "p.yaml"
    patient.write_text(
        "name: Дмитрий Ø\ndate: 2026-03-04\nexclude: prone\ndoses:\n  childs-pose: {hold: 45}\n"
    )
    out = tmp_path / "h.json"
    r = run_cli(
        "build",
        acute_template,
        "-f",
        "json",
        "--strategy",
        "as-written",
        "--clinic",
        example_clinic,
        "--patient",
        patient,
        "-o",
        out,
    )
    assert r.code == 0, r.err
    data = json.loads(out.read_text())
    ids = [i["exercise"]["id"] for g in data["groups"] for i in g["items"]]
    assert "prone-on-elbows" not in ids and "prone-press-up" not in ids
    assert {lo["exercise_id"] for lo in data["left_out"]} >= {"prone-on-elbows", "prone-press-up"}
    child = next(
        i for g in data["groups"] for i in g["items"] if i["exercise"]["id"] == "childs-pose"
    )
    assert child["dose"]["hold"] == {"low": 45, "high": 45}
    assert child["video_url"] == "https://videos.example-clinic.org/exercises/childs-pose"
    # the routine's video shows the prone stretches: the top QR links to the printed set
    assert data["video_url"].startswith("https://videos.example-clinic.org/sets/childs-pose,")
    assert "prone" not in data["video_url"]
    assert out.stat().st_mode & 0o077 == 0, "a personalised handout is private to its owner"


def test_bad_flag_and_unknown_things_are_one_line(run_cli: Run, acute_template: Path) -> None:
    for args, expected in [
        (
            ("build", acute_template, "-f", "json", "--strategy", "progresive"),
            "unknown strategy 'progresive'",
        ),
        (("build", acute_template, "-f", "jsn"), "unknown format 'jsn'; did you mean 'json'?"),
        (
            (
                "build",
                acute_template,
                "-f",
                "json",
                "--strategy",
                "as-written",
                "--exclude",
                "pronne",
            ),
            "did you mean 'prone'?",
        ),
        (("build", "no-such-template"), "no routine file or template named 'no-such-template'"),
    ]:
        r = run_cli(*args)
        assert r.code == 2, (args, r.err)
        assert expected in r.err and "Traceback" not in r.err
    r = run_cli("build", acute_template, "--minutes", "-3")
    assert r.code == 2 and "Traceback" not in r.err


def test_schema_command(run_cli: Run, tmp_path: Path) -> None:
    r = run_cli("schema")
    assert r.code == 0 and json.loads(r.out)["title"] == "routinekit routine file"
