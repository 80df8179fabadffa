"""Test plugin: a ``step`` prop and an exercise whose pose stands on it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from routinekit.contracts import ExerciseSource
from routinekit.hookspecs import hookimpl
from routinekit.illustrations import Keyframe, Leg, Point, Pose, Prop
from routinekit.illustrations.props import PropPlace, PropShape
from routinekit.illustrations.shapes import Shape
from routinekit.model import Dose, Exercise, Movement, Position, Range

ROUTINEKIT_PLUGIN_API = 1

#: Half the width of the step (cm). The stale-picture test changes this number.
HALF_WIDTH = 20.0


class Step(PropShape):
    id = "step"
    description = "A low step seen from the side"
    size = 18.0

    def shapes(self, place: PropPlace) -> list[Shape]:
        x0, x1 = place.x - HALF_WIDTH, place.x + HALF_WIDTH
        return [Shape("poly", ((x0, 0.0), (x1, 0.0), (x1, place.top), (x0, place.top)))]


class StepSource(ExerciseSource):
    id = "propplugin"
    description = "One exercise standing on the step prop"

    def exercises(self) -> Iterable[Exercise]:
        pose = Pose(
            keyframes=(Keyframe(trunk=90, leg_near=Leg(hip=10, knee=10)),),
            props=(Prop(kind="step", under=Point.FOOT_NEAR, sit=True),),
        )
        return (
            Exercise(
                id="pp-step-stand",
                name="Step Stand",
                objective="Test exercise from the prop plugin.",
                steps=("Stand on a low step.", "Hold the rail if you need to."),
                position=Position.STANDING,
                movements=(Movement.NEUTRAL,),
                dose=Dose(reps=Range(5)),
                pose=pose,
            ),
        )


@hookimpl
def register_props(register: Callable[[PropShape], None]) -> None:
    register(Step())


@hookimpl
def register_sources(register: Callable[[ExerciseSource], None]) -> None:
    register(StepSource())
