"""Test plugin: one exercise source, one strategy and one renderer."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import click

from routinekit.contracts import ExerciseSource, Renderer, RenderOptions, Strategy
from routinekit.hookspecs import hookimpl
from routinekit.model import (
    Dose,
    Exercise,
    Handout,
    Movement,
    Placement,
    PlanGroup,
    Position,
    Range,
    SequencePlan,
    SequenceRequest,
)
from routinekit.text import dose_text

ROUTINEKIT_PLUGIN_API = 1


class SampleSource(ExerciseSource):
    id = "testplugin"
    description = "Two exercises for routinekit's plugin tests"

    def exercises(self) -> Iterable[Exercise]:
        return (
            Exercise(
                id="tp-wall-push",
                name="Wall Push",
                objective="Test exercise from the test plugin.",
                steps=("Stand facing a wall.", "Push gently, then relax."),
                position=Position.STANDING,
                movements=(Movement.NEUTRAL,),
                dose=Dose(reps=Range(5, 10)),
            ),
            Exercise(
                id="tp-heel-raise",
                name="Heel Raise",
                objective="Test exercise from the test plugin.",
                steps=("Stand tall.", "Rise onto your toes, then lower."),
                position=Position.STANDING,
                movements=(Movement.NEUTRAL,),
                dose=Dose(reps=Range(10)),
            ),
        )


class Reverse(Strategy):
    id = "reverse"
    name = "Reverse"
    description = "Lists the routine's exercises last to first."

    def sequence(self, request: SequenceRequest) -> SequencePlan:
        ordered = sorted(request.candidates, key=lambda c: -c.position)
        items = tuple(
            Placement(exercise_id=c.exercise.id, reason=f"reverse place {n}")
            for n, c in enumerate(ordered, 1)
        )
        return SequencePlan(groups=(PlanGroup(items=items),))


class Lines(Renderer):
    id = "tp-lines"
    name = "Test lines"
    extension = "txt"
    media_type = "text/plain"

    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        lines = [f"TESTPLUGIN {handout.title} [{handout.strategy_id}]"]
        lines += [f"{i.number}. {i.exercise.id}: {dose_text(i.dose)}" for i in handout.items]
        return ("\n".join(lines) + "\n").encode()


@hookimpl
def register_sources(register: Callable[[ExerciseSource], None]) -> None:
    register(SampleSource())


@hookimpl
def register_strategies(register: Callable[[Strategy], None]) -> None:
    register(Reverse())


@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    register(Lines())


@click.command("tp-hello")
@click.argument("who", default="world")
def hello(who: str) -> None:
    """Say hello (a command the test plugin adds)."""
    click.echo(f"hello {who} from testplugin")


@hookimpl
def register_commands(register: Callable[[click.Command], None]) -> None:
    register(hello)
