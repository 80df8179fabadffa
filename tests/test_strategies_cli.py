"""The command line around strategies: `sequence`, `build --explain`, `strategies`, `validate`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result


def test_strategies_lists_every_builtin(run_cli: Callable[..., Result]) -> None:
    r = run_cli("strategies")
    assert r.code == 0, r.err
    for ident in ("as-written", "progressive", "acute", "prevention", "spine-sparing"):
        assert ident in r.out


def test_sequence_prints_order_reasons_left_out_and_phases(
    run_cli: Callable[..., Result],
) -> None:
    r = run_cli("sequence", "back-spasm-acute", "--strategy", "spine-sparing", "--exclude", "prone")
    assert r.code == 0, r.err
    out = r.out
    assert "Strategy: Spine-sparing (spine-sparing)" in out
    assert "why:" in out
    assert "Left out:" in out
    assert "Prone on Elbows: left out for this patient: it is done lying on your stomach" in out
    assert "Single Leg Over: bends forward and twists" in out
    assert "Programme phases:" in out
    assert "1. Days 1-3 — strategy acute (Acute relief)" in out
    assert "move on: Move on when you can get up from a chair without sharp pain." in out


def test_sequence_each_phase_runs_each_phase_strategy(run_cli: Callable[..., Result]) -> None:
    r = run_cli("sequence", "back-spasm-acute", "--each-phase", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["strategy"]["id"] == "progressive"
    assert [p["strategy"] for p in data["phases"]] == ["acute", "progressive", "prevention"]
    assert [p["strategy"]["id"] for p in data["each_phase"]] == [
        "acute",
        "progressive",
        "prevention",
    ]
    acute = data["each_phase"][0]
    assert acute["section_order"][:2] == ["red_flags", "self_care"]
    assert all(item["reason"] for g in acute["groups"] for item in g["items"])


def test_sequence_options_reach_the_strategy(run_cli: Callable[..., Result]) -> None:
    r = run_cli(
        "sequence", "back-spasm-prevention", "--minutes", "2", "--max-difficulty", "2", "--json"
    )
    assert r.code == 0, r.err
    data = json.loads(r.out)
    seconds = sum(i["seconds_low"] for g in data["groups"] for i in g["items"])
    assert seconds <= 150
    reasons = {lo["id"]: lo["reason"] for lo in data["left_out"]}
    assert "limit of level 2" in reasons["pigeon-stretch"]
    assert re.match(r"\d+ exercises?, (about \d+ minutes?|under a minute)", data["notes"][0])


def test_build_explain_on_the_acute_template(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "a.json"
    r = run_cli("build", "back-spasm-acute", "-f", "json", "-o", out, "--explain")
    assert r.code == 0, r.err
    assert out.exists()
    assert "Start with these" in r.out and "When these feel easier" in r.out
    assert "Programme phases:" in r.out


def test_build_with_every_cli_parameter(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    r = run_cli(
        "build",
        "back-spasm-acute",
        "-f",
        "json",
        "-o",
        out,
        "--strategy",
        "progressive",
        "--exclude",
        "prone",
        "--minutes",
        "5",
        "--max-difficulty",
        "3",
        "--phase",
        "acute",
    )
    assert r.code == 0, r.err
    handout = json.loads(out.read_text(encoding="utf-8"))
    text = json.dumps(handout)
    assert "prone-on-elbows" in text  # it is listed as left out ...
    placed = [i["exercise"]["id"] for g in handout["groups"] for i in g["items"]]
    assert "prone-on-elbows" not in placed  # ... but not placed
    assert "single-leg-over" not in placed


def test_validate_names_the_line_of_an_unknown_phase_strategy(
    run_cli: Callable[..., Result], acute_template: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        acute_template.read_text(encoding="utf-8").replace("strategy: acute", "strategy: acut"),
        encoding="utf-8",
    )
    for command in ("validate", "sequence"):
        r = run_cli(command, bad)
        assert r.code == 2
        assert "bad.yaml, line" in r.err
        assert "phases[0].strategy" in r.err
        assert "unknown strategy 'acut'" in r.err and "did you mean 'acute'?" in r.err
