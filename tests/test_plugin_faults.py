"""Misbehaving plugins are caught at the boundary, named, and never produce a handout.

Each test registers an in-process plugin with ``PluginHost(entry_points=False, extra=[...])``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from routinekit import api, pipeline
from routinekit.contracts import ExerciseSource, Renderer, RenderOptions, Strategy
from routinekit.errors import PluginError, UserError
from routinekit.hookspecs import hookimpl
from routinekit.library import library_for
from routinekit.model import (
    Dose,
    Exercise,
    Handout,
    Movement,
    Placement,
    PlanGroup,
    Position,
    SequencePlan,
    SequenceRequest,
)
from routinekit.plugins import host as host_module
from routinekit.plugins.host import PluginHost

ROUTINE = "id: faults\ntitle: Faults\nstrategy: {strategy}\nexercises: [cat-cow, childs-pose]\n"


def routine_file(tmp_path: Path, strategy: str = "as-written") -> Path:
    path = tmp_path / "routine.yaml"
    path.write_text(ROUTINE.format(strategy=strategy), encoding="utf-8")
    return path


def plugin(name: str, **hooks: Callable[..., Any]) -> object:
    """A plugin object named ``name`` with the given hook implementations."""
    cls = type(
        name, (), {"__name__": name, **{k: staticmethod(hookimpl(v)) for k, v in hooks.items()}}
    )
    return cls()


# -- sources ----------------------------------------------------------------------------------


class MalformedSource(ExerciseSource):
    id = "malformed"

    def exercises(self) -> list[Exercise]:
        # Structs are not validated when built in code: an invalid id, no steps, a bad dose
        return [
            Exercise(
                id="Not An Id!",
                name="",
                objective="x",
                steps=(),
                position=Position.PRONE,
                movements=(Movement.FLEXION,),
            )
        ]


class NotExercises(ExerciseSource):
    id = "not-exercises"

    def exercises(self) -> list[Any]:
        return [{"id": "dict-not-exercise"}]


@pytest.mark.parametrize("source", [MalformedSource, NotExercises])
def test_a_bad_source_is_named_and_left_out(source: type[ExerciseSource]) -> None:
    bad = plugin("bad-source", register_sources=lambda register: register(source()))
    host = PluginHost(entry_points=False, extra=[bad])
    library = library_for(host)
    assert "cat-cow" in library and "Not An Id!" not in library
    assert "dict-not-exercise" not in library
    assert any(name == "bad-source" for name, _ in host.errors())


@pytest.mark.parametrize("source", [MalformedSource, NotExercises])
def test_a_bad_source_is_an_error_when_strict(source: type[ExerciseSource]) -> None:
    bad = plugin("bad-source", register_sources=lambda register: register(source()))
    host = PluginHost(entry_points=False, extra=[bad], strict=True)
    with pytest.raises(PluginError) as info:
        library_for(host)
    assert info.value.plugin == "bad-source"


# -- strategies -------------------------------------------------------------------------------


class Inventor(Strategy):
    """Places an exercise it was not given."""

    id = "inventor"
    name = "Inventor"

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        return SequencePlan(
            groups=(PlanGroup(items=(Placement(exercise_id="made-up-walk", reason="made up"),)),)
        )


class BadDose(Strategy):
    """Gives a dose whose hold is a bare int instead of a Range."""

    id = "bad-dose"
    name = "Bad dose"

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        ident = request.candidates[0].exercise.id
        dose = Dose(hold=5)  # type: ignore[arg-type]
        return SequencePlan(
            groups=(PlanGroup(items=(Placement(exercise_id=ident, dose=dose, reason="r"),)),)
        )


class Crasher(Strategy):
    id = "crasher"
    name = "Crasher"

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        raise ZeroDivisionError("oops")


class WrongType(Strategy):
    id = "wrong-type"
    name = "Wrong type"

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        return [c.exercise.id for c in request.candidates]  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("strategy", "message"),
    [
        (Inventor, "placed 'made-up-walk', which it was not given"),
        (BadDose, "dose"),
        (Crasher, "raised ZeroDivisionError: oops"),
        (WrongType, "returned list, not SequencePlan"),
    ],
)
def test_a_misbehaving_strategy_is_named(
    strategy: type[Strategy], message: str, tmp_path: Path
) -> None:
    rogue = plugin("rogue-strategy", register_strategies=lambda register: register(strategy()))
    host = PluginHost(entry_points=False, extra=[rogue])
    out = tmp_path / "h.json"
    with pytest.raises(PluginError) as info:
        api.build(routine_file(tmp_path, strategy.id), out, format="json", host=host)
    assert info.value.plugin == "rogue-strategy"
    assert message in info.value.message
    assert not out.exists()


# -- renderers --------------------------------------------------------------------------------


def renderer(ident: str, result: Callable[[], Any]) -> Renderer:
    class R(Renderer):
        id = ident
        name = ident
        extension = "txt"

        def render(self, handout: Handout, options: RenderOptions) -> bytes:
            return result()  # type: ignore[no-any-return]

    return R()


def _raise() -> bytes:
    raise RuntimeError("printer on fire")


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (lambda: b"", "returned no bytes"),
        (lambda: None, "returned no bytes"),
        (lambda: "text, not bytes", "returned no bytes"),
        (_raise, "raised RuntimeError: printer on fire"),
    ],
)
def test_a_misbehaving_renderer_is_named(
    result: Callable[[], Any], message: str, tmp_path: Path
) -> None:
    rogue = plugin(
        "rogue-renderer", register_renderers=lambda register: register(renderer("rogue", result))
    )
    host = PluginHost(entry_points=False, extra=[rogue])
    out = tmp_path / "h.txt"
    with pytest.raises(PluginError) as info:
        api.build(routine_file(tmp_path), out, format="rogue", host=host)
    assert info.value.plugin == "rogue-renderer"
    assert message in info.value.message
    assert not out.exists()


# -- adjust_handout ---------------------------------------------------------------------------


def test_adjust_handout_returning_junk_is_named(tmp_path: Path) -> None:
    rogue = plugin("rogue-adjuster", adjust_handout=lambda handout: {"not": "a handout"})
    host = PluginHost(entry_points=False, extra=[rogue])
    with pytest.raises(PluginError) as info:
        api.build_handout(routine_file(tmp_path), host=host)
    assert info.value.plugin == "rogue-adjuster"


def test_a_dose_a_plugin_makes_absurd_is_still_guarded(tmp_path: Path) -> None:
    import msgspec

    from routinekit.model.dose import Range

    def absurd(handout: Handout) -> Handout:
        groups = tuple(
            msgspec.structs.replace(
                g,
                items=tuple(
                    msgspec.structs.replace(i, dose=Dose(reps=Range(900))) for i in g.items
                ),
            )
            for g in handout.groups
        )
        return msgspec.structs.replace(handout, groups=groups)

    rogue = plugin("rogue-adjuster", adjust_handout=absurd)
    host = PluginHost(entry_points=False, extra=[rogue])
    with pytest.raises(UserError, match="900 reps"):
        api.build_handout(routine_file(tmp_path), host=host)


# -- the command line -------------------------------------------------------------------------


def test_plugin_faults_exit_3_with_one_line_naming_the_plugin(
    run_cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rogue = plugin("rogue-strategy", register_strategies=lambda register: register(Inventor()))
    monkeypatch.setattr(host_module, "_HOST", PluginHost(entry_points=False, extra=[rogue]))
    result = run_cli(
        "build", routine_file(tmp_path, "inventor"), "-f", "json", "-o", tmp_path / "h.json"
    )
    assert result.code == 3
    assert result.err == (
        "Error: plugin 'rogue-strategy': strategy 'inventor' placed 'made-up-walk', "
        "which it was not given\n"
    )
    assert not (tmp_path / "h.json").exists()


def test_bugs_say_how_to_get_the_traceback(
    run_cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from routinekit.cli import build as build_module

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("internal")

    monkeypatch.setattr(pipeline, "prepare", broken)
    result = run_cli("build", routine_file(tmp_path), "-f", "json", "-o", tmp_path / "h.json")
    assert result.code == 1
    assert result.err.count("\n") == 1 and "--debug" in result.err
    assert "Traceback" not in result.err
    monkeypatch.setenv("ROUTINEKIT_DEBUG", "1")
    with pytest.raises(KeyError):
        run_cli("build", routine_file(tmp_path), "-f", "json", "-o", tmp_path / "h.json")
    assert build_module is not None
