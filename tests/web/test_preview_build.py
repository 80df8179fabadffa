"""The page's build reads the routine the Save button would write (in-process, no browser)."""

from __future__ import annotations

from pathlib import Path

import yaml
from starlette.datastructures import FormData

from routinekit.pipeline import check_request, prepare
from routinekit.plugins.host import PluginHost
from routinekit.web import building, constraints
from routinekit.web.draft import (
    Draft,
    draft_of_routine,
    draft_routine,
    draft_routine_bytes,
    draft_routine_text,
    read_form,
    routine_yaml,
)


def _draft(template: Path, *extra: tuple[str, str]) -> Draft:
    text = template.read_text()
    ids = [line.split("id: ", 1)[1] for line in text.splitlines() if line.startswith("  - id: ")]
    import base64

    fields = [
        ("base", base64.b64encode(template.read_bytes()).decode()),
        ("base_name", template.name),
        ("patient_name", "Zoë Example"),
        ("patient_date", "2026-11-23"),
        *(("ex", i) for i in ids),
        *extra,
    ]
    return read_form(FormData(fields), constraint_words=constraints.words())


def _by_saved_text(draft: Draft, host: PluginHost) -> building.Built:
    """The build as it was: the saved file's YAML, parsed by the load stage."""
    request = building.request_of(draft, None)
    check_request(request, host)
    result = prepare(request, host)
    return building.Built(result.handout, host, request, result.routine_file)


def test_a_changed_draft_builds_the_same_handout_as_its_saved_file(
    acute_template: Path, host: PluginHost
) -> None:
    changes = [("dose-cat-cow", "hold 12"), ("note-cat-cow", "Go slowly: «gently» # 'no' \\")]
    built = building.build(_draft(acute_template, *changes), host, None)
    before = _by_saved_text(_draft(acute_template, *changes), host)
    assert built.handout == before.handout
    assert built.render("pdf") == before.render("pdf")


def test_an_unchanged_draft_reads_the_base_once(acute_template: Path, host: PluginHost) -> None:
    draft = draft_of_routine(acute_template.read_bytes(), acute_template.name)
    text, rf = draft_routine_text(draft)
    assert text.encode() == acute_template.read_bytes() == draft_routine_bytes(draft)
    assert rf is draft.base_routine() and rf is not None
    assert building.build(draft, host, None).handout == _by_saved_text(draft, host).handout


def test_the_fast_yaml_reads_back_the_same_values(acute_template: Path) -> None:
    draft = _draft(acute_template, ("note-cat-cow", "🙂 a: b # c\u2028'\"\\ \x85 \u00a0é"))
    routine = draft_routine(draft)
    saved, fast = routine_yaml(routine), routine_yaml(routine, fast=True)
    assert yaml.safe_load(fast) == yaml.safe_load(saved)
    assert draft_routine_text(draft)[0] == fast.decode()
