"""The plugin host: built-ins are plugins, third parties plug in alike, faults are isolated."""

from __future__ import annotations

import types
from collections.abc import Callable

import msgspec
import pytest

from routinekit import api
from routinekit.contracts import ExerciseSource, Renderer, RenderOptions, Strategy
from routinekit.errors import PluginError
from routinekit.hookspecs import hookimpl
from routinekit.model import (
    Exercise,
    Handout,
    Movement,
    Placement,
    PlanGroup,
    Position,
    SequencePlan,
    SequenceRequest,
)
from routinekit.plugins.host import DEFAULT_PLUGINS, PluginHost

ROUTINE = "id: r\ntitle: R\nstrategy: reverse\nexercises: [wall-lean, childs-pose]\n"


class WallSource(ExerciseSource):
    id = "wall"

    def exercises(self) -> list[Exercise]:
        return [
            Exercise(
                id="wall-lean",
                name="Wall Lean",
                objective="Stretch calves.",
                steps=("Face a wall.", "Lean in."),
                position=Position.STANDING,
                movements=(Movement.NEUTRAL,),
            )
        ]


class Reverse(Strategy):
    id = "reverse"
    name = "Reverse"

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        items = tuple(
            Placement(exercise_id=c.exercise.id, reason="reversed")
            for c in reversed(request.candidates)
        )
        return SequencePlan(groups=(PlanGroup(items=items, title="Backwards"),))


class Names(Renderer):
    id = "names"
    name = "Names"
    extension = "txt"

    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        return "\n".join(i.exercise.name for i in handout.items).encode()


def plugin(**hooks: Callable[..., object]) -> types.SimpleNamespace:
    return types.SimpleNamespace(
        __name__="test-plugin", **{k: hookimpl(v) for k, v in hooks.items()}
    )


def third_party() -> types.SimpleNamespace:
    return plugin(
        register_sources=lambda register: register(WallSource()),
        register_strategies=lambda register: register(Reverse()),
        register_renderers=lambda register: register(Names()),
    )


def test_builtins_are_registered_as_plugins(host: PluginHost) -> None:
    assert {i.module for i in host.infos.values() if i.builtin} == set(DEFAULT_PLUGINS)
    assert "builtin" in host.sources() and "json" in host.renderers()
    assert host.sources()["builtin"].plugin == "library_source"


def test_a_plugin_adds_source_strategy_and_renderer_and_build_uses_them(tmp_path: object) -> None:
    host = PluginHost(entry_points=False, extra=[third_party()])
    from routinekit.files.routine_file import load_routine_text

    data = api.build(load_routine_text(ROUTINE), format="names", host=host)
    assert data.decode().splitlines() == ["Child's Pose", "Wall Lean"]


def test_duplicate_strategy_id_names_both_plugins() -> None:
    class Fake(Strategy):
        id = "as-written"
        name = "Fake"

        def sequence(self, request: SequenceRequest) -> SequencePlan:
            return SequencePlan(groups=())

    bad = plugin(register_strategies=lambda register: register(Fake()))
    with pytest.raises(PluginError) as err:
        PluginHost(entry_points=False, extra=[bad], strict=True).strategies()
    assert "test-plugin" in str(err.value) and "strategies" in str(err.value)
    host = PluginHost(entry_points=False, extra=[bad])
    assert host.strategies()["as-written"].plugin == "strategies"  # the first one stays
    assert any("already registered by plugin 'strategies'" in e for _, e in host.errors())


def test_a_hook_that_raises_is_reported_and_skipped() -> None:
    def boom(register: object) -> None:
        raise RuntimeError("disk on fire")

    host = PluginHost(entry_points=False, extra=[plugin(register_renderers=boom)])
    assert "json" in host.renderers()
    assert host.infos["test-plugin"].errors == [
        "raised in register_renderers: RuntimeError: disk on fire"
    ]
    with pytest.raises(PluginError):
        PluginHost(
            entry_points=False, extra=[plugin(register_renderers=boom)], strict=True
        ).renderers()


def test_register_rejects_the_wrong_type() -> None:
    host = PluginHost(
        entry_points=False,
        extra=[plugin(register_renderers=lambda register: register("not a renderer"))],
    )
    host.renderers()
    assert "expects a Renderer" in host.infos["test-plugin"].errors[0]


def test_adjust_handout_changes_the_handout() -> None:
    def adjust(handout: Handout) -> Handout:
        return msgspec.structs.replace(handout, self_care=(*handout.self_care, "Drink water."))

    host = PluginHost(entry_points=False, extra=[plugin(adjust_handout=adjust)])
    from routinekit.files.routine_file import load_routine_text

    result = api.build_handout(
        load_routine_text("id: r\ntitle: R\nexercises: [childs-pose]\n"), host=host
    )
    assert result.handout.self_care == ("Drink water.",)


def test_block_list_skips_a_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUTINEKIT_BLOCK_PLUGINS", "renderers")
    host = PluginHost(entry_points=False)
    assert "json" not in host.renderers()
    assert not host.infos["renderers"].loaded


def test_nothing_is_loaded_at_import_time() -> None:
    import subprocess
    import sys

    code = (
        "import sys, routinekit, routinekit.hookspecs, routinekit.model; "
        "print(any(m.startswith(('reportlab', 'routinekit.builtins')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
