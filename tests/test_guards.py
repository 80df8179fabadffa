"""Clinical guard rails: what a careful clinician would stop, and how to configure it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from routinekit import api
from routinekit.errors import UserError, ValidationError
from routinekit.guards import GuardMode, guard_mode
from routinekit.hookspecs import hookimpl
from routinekit.plugins.host import PluginHost
from routinekit.request import BuildOptions
from routinekit.testing import make_host

HEAD = "id: g\ntitle: Guards\nstrategy: as-written\nred_flags: [Numbness in a leg]\n"


def routine(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "routine.yaml"
    path.write_text(head + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("dose", "message"),
    [
        ("{hold: 1800}", "a hold of 1800 seconds for 'cat-cow' is over the limit of 300 seconds"),
        ("{hold: 301}", "over the limit of 300 seconds"),
        ("{reps: 500}", "500 reps for 'cat-cow' is over the limit of 100 reps"),
        ("{sets: 11}", "11 sets"),
        ("{minutes: 121}", "121 minutes"),
        ("{times_per_day: 13}", "13 times a day"),
        ("{hold: 0}", "a hold of 0 seconds for 'cat-cow' cannot be done"),
        ("{reps: 0}", "0 reps for 'cat-cow' cannot be done"),
        ("{sets: 0}", "0 sets"),
    ],
)
def test_doses_outside_sane_bounds_are_errors(
    dose: str, message: str, tmp_path: Path, host: PluginHost
) -> None:
    path = routine(tmp_path, f"exercises:\n  - id: cat-cow\n    dose: {dose}\n")
    with pytest.raises(ValidationError) as info:
        api.build_handout(path, host=host)
    assert message in info.value.message
    assert info.value.location.line == 7
    assert info.value.location.field is not None and "dose" in info.value.location.field


@pytest.mark.parametrize(
    "dose", ["{hold: 300}", "{reps: 100}", "{times_per_day: 12}", "{sets: 10}"]
)
def test_the_limits_themselves_are_fine(dose: str, tmp_path: Path, host: PluginHost) -> None:
    path = routine(tmp_path, f"exercises:\n  - id: cat-cow\n    dose: {dose}\n")
    assert api.build_handout(path, host=host).warnings == []


def test_warn_mode_builds_and_reports(tmp_path: Path, host: PluginHost) -> None:
    path = routine(tmp_path, "exercises:\n  - id: cat-cow\n    dose: {reps: 500}\n")
    result = api.build_handout(path, host=host, options=BuildOptions(guards="warn"))
    assert len(result.warnings) == 1 and "500 reps" in result.warnings[0]
    assert result.warnings[0].startswith(f"{path}, line 7")


def test_off_mode_checks_nothing(tmp_path: Path, host: PluginHost) -> None:
    path = routine(tmp_path, "exercises:\n  - id: cat-cow\n    dose: {reps: 500}\n")
    assert api.build_handout(path, host=host, options=BuildOptions(guards="off")).warnings == []


def test_a_range_starting_at_zero_warns_and_strict_makes_it_an_error(
    tmp_path: Path, host: PluginHost
) -> None:
    path = routine(tmp_path, "exercises:\n  - id: cat-cow\n    dose: {reps: 0-10}\n")
    assert "starts at 0" in api.build_handout(path, host=host).warnings[0]
    with pytest.raises(ValidationError, match="starts at 0"):
        api.build_handout(path, host=host, options=BuildOptions(guards="strict"))


@pytest.mark.parametrize(
    "head",
    [
        "id: g\ntitle: G\nstrategy: {id: as-written, phase: acute}\n",
        "id: g\ntitle: G\nstrategy: acute\n",
        "id: g\ntitle: G\nstrategy: as-written\nphases: [{name: Days 1-3, strategy: acute}]\n",
    ],
)
def test_an_acute_routine_needs_red_flags(head: str, tmp_path: Path, host: PluginHost) -> None:
    path = routine(tmp_path, "exercises: [cat-cow]\n", head=head)
    with pytest.raises(ValidationError, match="an acute routine has no red flags"):
        api.build_handout(path, host=host)
    fixed = routine(tmp_path, "red_flags: [Numbness in a leg]\nexercises: [cat-cow]\n", head=head)
    api.build_handout(fixed, host=host)


def test_an_acute_phase_from_the_command_line_counts(tmp_path: Path, host: PluginHost) -> None:
    from routinekit.model import Phase

    path = routine(tmp_path, "exercises: [cat-cow]\n", head="id: g\ntitle: G\n")
    api.build_handout(path, host=host)
    with pytest.raises(ValidationError, match="red flags"):
        api.build_handout(path, host=host, options=BuildOptions(phase=Phase.ACUTE))


class _ChairSource:
    """A plugin exercise, done in a chair, whose caution talks about kneeling."""

    @staticmethod
    @hookimpl
    def register_sources(register: Callable[[Any], None]) -> None:
        from routinekit.contracts import ExerciseSource
        from routinekit.model import Exercise, Need, Position

        class Source(ExerciseSource):
            id = "chair-source"
            description = "one chair exercise"

            def exercises(self) -> tuple[Exercise, ...]:
                return (
                    Exercise(
                        id="x-chair-reach",
                        name="Chair Reach",
                        objective="Reach forward from a chair.",
                        steps=("Sit in a chair.", "Reach forward slowly."),
                        position=Position.CHAIR_SITTING,
                        needs=(Need.CHAIR,),
                        cautions=("Kneeling to do it on the floor also works.",),
                    ),
                )

        register(Source())


def test_a_caution_about_what_the_patient_avoids_warns(tmp_path: Path) -> None:
    host = make_host(_ChairSource())
    path = routine(tmp_path, "exercises: [x-chair-reach, cat-cow]\n")
    person = tmp_path / "patient.yaml"
    person.write_text("name: Pat Example\nexclude: [kneeling]\n", encoding="utf-8")
    result = api.build_handout(path, patient=person, host=host)
    assert [i.exercise.id for i in result.handout.items] == ["x-chair-reach"]  # cat-cow kneels
    assert [w for w in result.warnings if "x-chair-reach" in w and "kneeling" in w]
    with pytest.raises(ValidationError, match="kneeling"):
        api.build_handout(path, patient=person, host=host, options=BuildOptions(guards="strict"))


def test_patient_dose_overrides_are_guarded_and_located(tmp_path: Path, host: PluginHost) -> None:
    path = routine(tmp_path, "exercises: [cat-cow]\n")
    person = tmp_path / "patient.yaml"
    person.write_text("name: Pat Example\ndoses:\n  cat-cow:\n    reps: 250\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        api.build_handout(path, patient=person, host=host)
    assert info.value.one_line().startswith(
        f"{person}, line 4, field 'doses.cat-cow.reps': 250 reps for 'cat-cow'"
    )


def test_the_mode_comes_from_the_option_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert guard_mode() is GuardMode.STANDARD
    monkeypatch.setenv("ROUTINEKIT_GUARDS", "warn")
    assert guard_mode() is GuardMode.WARN
    assert guard_mode("Strict") is GuardMode.STRICT
    monkeypatch.setenv("ROUTINEKIT_GUARDS", "loose")
    with pytest.raises(UserError, match="ROUTINEKIT_GUARDS"):
        guard_mode()


def test_build_prints_guard_warnings(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    path = routine(tmp_path, "exercises:\n  - id: cat-cow\n    dose: {reps: 500}\n")
    out = tmp_path / "h.json"
    result = run_cli("build", path, "-f", "json", "-o", out, "--guards", "warn")
    assert result.code == 0 and out.exists()
    assert f"Warning: {path}, line 7, field 'exercises[0].dose.reps': 500 reps" in result.err


def test_validate_reports_guard_warnings(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    path = routine(tmp_path, "exercises:\n  - id: cat-cow\n    dose: {reps: 0-10}\n")
    result = run_cli("validate", path)
    assert result.code == 0
    assert "warning: " in result.out and "starts at 0" in result.out


@pytest.mark.parametrize("template", ["back-spasm-acute", "back-spasm-prevention"])
def test_the_templates_pass_strict_guards(template: str, host: PluginHost) -> None:
    api.build_handout(template, host=host, options=BuildOptions(guards="strict"))
