"""Every built-in clinical fact names its source; the reviewer's document is current; a clinic's
sign-off reaches the PDF metadata (issue #15.1)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import msgspec
import pymupdf
import pytest

from routinekit import api, content
from routinekit.builtins.templates import TEMPLATE_DIR
from routinekit.files.routine_file import load_routine_file
from routinekit.library import BUILTIN_FILE, load_exercise_file
from routinekit.model import ClinicProfile, ContentSignoff, Exercise, Source
from routinekit.plugins.host import PluginHost
from routinekit.strategies import builtin_strategies
from tests.conftest import EXAMPLES, Result

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "clinical-content.md"


def test_every_builtin_fact_has_a_source() -> None:
    facts = content.builtin_facts()
    assert len(facts) > 200
    assert content.missing(facts) == []
    for f in facts:
        for s in f.sources:
            assert (s.seed and s.quote) or s.default, f.where


def test_per_item_sources_match_the_items_one_to_one() -> None:
    for ex in load_exercise_file(BUILTIN_FILE):
        pv = ex.provenance
        assert pv is not None, ex.id
        assert len(pv.cautions) == len(ex.cautions), ex.id
        assert len(pv.alternatives) == len(ex.alternatives), ex.id
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        r = load_routine_file(path).routine
        pv = r.provenance
        assert pv is not None, path.name
        for field in ("education", "self_care", "red_flags", "phases"):
            assert len(getattr(pv, field)) == len(getattr(r, field)), (path.name, field)
        assert set(pv.notes) == {e.id for e in r.exercises if e.note}, path.name
        assert set(pv.doses) == {e.id for e in r.exercises if e.dose}, path.name


def test_a_fact_without_a_source_is_found() -> None:
    ex = next(e for e in load_exercise_file(BUILTIN_FILE) if e.id == "walking")
    bare = msgspec.structs.replace(ex, provenance=None)
    gaps = content.missing(list(content.exercise_facts(bare)))
    assert "exercise walking: dose" in gaps and "exercise walking: cautions[1]" in gaps
    fewer = msgspec.structs.replace(
        ex, provenance=msgspec.structs.replace(ex.provenance, cautions=ex.provenance.cautions[:1])
    )
    assert content.missing(list(content.exercise_facts(fewer))) == ["exercise walking: cautions[1]"]


def test_every_builtin_strategy_lists_its_rules_with_sources() -> None:
    for strategy in builtin_strategies():
        assert strategy.rules, strategy.id
        assert all(r.sources for r in strategy.rules), strategy.id


def test_strategy_modules_quote_the_source_they_follow() -> None:
    import importlib

    for strategy in builtin_strategies():
        if strategy.id == "as-written":
            continue
        doc = importlib.import_module(type(strategy).__module__).__doc__ or ""
        assert "seed 00" in doc.lower() and '"' in doc, strategy.id


def test_a_source_needs_a_passage_or_a_reason() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"seed": "002"}, Source)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({}, Source)
    assert msgspec.convert({"default": "why"}, Source).is_default


def test_the_committed_clinical_content_document_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == content.document(), (
        "run: .venv/bin/routinekit content doc -o docs/clinical-content.md"
    )
    text = DOC.read_text(encoding="utf-8")
    assert content.current_version() in text
    assert "**no source**" not in text
    assert 'seed 002: "Lying Trunk Rotation"' in text


def test_exercises_show_sources_prints_every_fact_and_its_source(
    run_cli: Callable[..., Result],
) -> None:
    r = run_cli("exercises", "show", "hip-lift", "--sources")
    assert r.code == 0, r.err
    assert "dose: Hold 5 seconds, repeat 5-10 times" in r.out
    assert "clinical default: seed 001 says hold but gives no time" in r.out
    assert 'seed 001: "Hip lifts."' in r.out
    assert "no source given" not in r.out
    j = run_cli("exercises", "show", "cat-cow", "--sources", "--json")
    rows = json.loads(j.out)
    assert {row["fact"] for row in rows} >= {"name", "steps", "dose", "cautions[0]"}
    assert all(row["sources"] for row in rows)


def test_content_version_changes_with_any_fact() -> None:
    facts = content.builtin_facts()
    v = content.content_version(facts)
    assert v == content.current_version()
    changed = [*facts[:-1], content.Fact(facts[-1].where, facts[-1].text + ".", facts[-1].sources)]
    assert content.content_version(changed) != v


def signed(version: str | None = None) -> ClinicProfile:
    clinic = api.load_clinic(EXAMPLES / "clinic.yaml")
    assert clinic is not None
    signoff = ContentSignoff(
        by="Dr. Sam Rivera, PT (lead therapist)",
        date=dt.date(2026, 12, 2),
        content_version=version or content.current_version(),
    )
    return msgspec.structs.replace(clinic, content_signoff=signoff)


def test_a_signoff_rides_in_the_pdf_metadata_without_patient_data() -> None:
    data = api.build(
        "back-spasm-acute",
        clinic=signed(),
        patient=EXAMPLES / "patient.yaml",
        host=PluginHost(entry_points=False),
    )
    meta = pymupdf.open(stream=data).metadata
    keywords = meta["keywords"]
    assert content.current_version() in keywords
    assert "reviewed by Dr. Sam Rivera, PT (lead therapist) on 2026-12-02" in keywords
    assert "Łukasiewicz" not in " ".join(str(v) for v in meta.values())


def test_a_signoff_for_another_version_warns_and_says_so() -> None:
    clinic = signed("content-000000000000")
    host = PluginHost(entry_points=False)
    result = api.build_handout("back-spasm-acute", clinic=clinic, host=host)
    assert any("sign-off is for content-000000000000" in w for w in result.warnings)
    data = api.build("back-spasm-acute", clinic=clinic, host=host)
    assert "not signed off" in pymupdf.open(stream=data).metadata["keywords"]


def test_content_signoff_command_prints_lines_a_clinic_profile_accepts(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    r = run_cli("content", "signoff", "--by", "Dr. Sam Rivera, PT", "--date", "2026-12-02")
    assert r.code == 0, r.err
    profile = tmp_path / "clinic.yaml"
    profile.write_text(
        "name: Example Clinic\n" + "".join(line + "\n" for line in r.out.splitlines()[1:]),
        encoding="utf-8",
    )
    clinic = api.load_clinic(profile)
    assert clinic is not None and clinic.content_signoff is not None
    assert clinic.content_signoff.content_version == content.current_version()
    bad = run_cli("content", "signoff", "--by", "X", "--date", "yesterday")
    assert bad.code == 2 and "YYYY-MM-DD" in bad.err


def test_exercise_model_keeps_provenance_optional_for_plugins() -> None:
    ex = Exercise(
        id="chin-tuck",
        name="Chin Tuck",
        objective="Neck.",
        steps=("Tuck.",),
        position="seated",
        movements=("neutral",),  # type: ignore[arg-type]
    )
    assert ex.provenance is None
