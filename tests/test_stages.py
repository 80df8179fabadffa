"""The named stages, one at a time, as the web page and batch workers run them."""

from __future__ import annotations

import pytest

from routinekit import stages
from routinekit.errors import UserError
from routinekit.model import Handout, Patient
from routinekit.pipeline import build, prepare, run_stages
from routinekit.plugins.host import PluginHost
from routinekit.request import BuildOptions, BuildRequest

ROUTINE = """\
id: four
title: Four Stretches
exercises:
  - childs-pose
  - id: prone-on-elbows
    dose: {hold: 20}
  - cat-cow
  - knees-to-chest
"""


def request(**options: object) -> BuildRequest:
    return BuildRequest(
        routine="four.yaml",
        routine_text=ROUTINE,
        options=BuildOptions(**options),  # type: ignore[arg-type]
    )


def test_load_reads_text_template_and_patient(host: PluginHost) -> None:
    state = stages.load(request(), host)
    assert state.routine_file.routine.id == "four" and state.done == ("load",)
    by_id = stages.load(BuildRequest(routine="back-spasm-acute"), host)
    assert by_id.routine_file.routine.id == "back-spasm-acute"
    with_patient = stages.load(request().for_patient(Patient(name="A")), host)
    assert with_patient.patient == Patient(name="A")


def test_resolve_then_exclude_then_sequence(host: PluginHost) -> None:
    state = stages.resolve(stages.load(request(exclude=("prone",)), host), host)
    assert [c.exercise.id for c in state.candidates] == [
        "childs-pose",
        "prone-on-elbows",
        "cat-cow",
        "knees-to-chest",
    ]
    assert state.candidates[1].dose.hold is not None and state.candidates[1].dose.hold.low == 20
    state = stages.exclude(state, host)
    assert "prone-on-elbows" not in [c.exercise.id for c in state.kept]
    assert [lo.exercise_id for lo in state.left_out] == ["prone-on-elbows"]
    state = stages.sequence(state, host)
    assert state.plan is not None and state.strategy_id == "as-written"
    assert [p.exercise_id for p in state.plan.placements] == [
        "childs-pose",
        "cat-cow",
        "knees-to-chest",
    ]


def test_personalise_adjust_check_render(host: PluginHost) -> None:
    state = stages.load(request(language="es"), host)
    for stage in (stages.resolve, stages.exclude, stages.sequence, stages.personalise):
        state = stage(state, host)
    assert isinstance(state.handout, Handout) and state.handout.language == "es"
    state = stages.check(stages.adjust(state, host), host)
    assert state.done[-2:] == ("adjust", "check")
    pdf = stages.render(state.handout, host, format="pdf")
    assert pdf.startswith(b"%PDF")


def test_stages_refuse_to_run_out_of_order(host: PluginHost) -> None:
    loaded = stages.load(request(), host)
    with pytest.raises(stages.StageError, match="resolve"):
        stages.exclude(loaded, host)


def test_later_stages_rerun_without_loading_again(host: PluginHost) -> None:
    """The web page's case: one load, then a change of exclusions, then the rest again."""
    loaded = stages.load(request(), host)
    first = run_stages(loaded, host)
    again = run_stages(first.with_request(request(exclude=("quadruped",))), host)
    assert again.routine_file is loaded.routine_file  # not read again
    ids = [i.exercise.id for i in again.handout.items]  # type: ignore[union-attr]
    assert "cat-cow" not in ids and "cat-cow" in [
        i.exercise.id
        for i in first.handout.items  # type: ignore[union-attr]
    ]


def test_prepare_and_build_give_the_same_as_the_stages(host: PluginHost) -> None:
    by_stages = run_stages(stages.load(request(), host), host)
    result = prepare(request(), host)
    assert result.handout == by_stages.handout
    _, data = build(request(), host)
    assert data == stages.render(result.handout, host, format="pdf")


def test_errors_still_name_the_line(host: PluginHost) -> None:
    broken = ROUTINE.replace("cat-cow", "cat-cwo")
    with pytest.raises(UserError) as err:
        prepare(BuildRequest(routine="four.yaml", routine_text=broken), host)
    assert "four.yaml, line 7" in err.value.one_line() and "cat-cow" in err.value.one_line()
