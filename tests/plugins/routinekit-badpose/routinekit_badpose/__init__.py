"""Test plugin: an exercise source whose pose cannot be drawn (a knee bent 175 degrees).

Everything else about the exercise is valid, so only drawing it finds the fault.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from routinekit.contracts import ExerciseSource
from routinekit.hookspecs import hookimpl
from routinekit.illustrations import Keyframe, Leg, Pose
from routinekit.model import Dose, Exercise, Movement, Position, Range

ROUTINEKIT_PLUGIN_API = 1


class BadPoseSource(ExerciseSource):
    id = "badpose"
    description = "One exercise with a knee angle no body can make"

    def exercises(self) -> Iterable[Exercise]:
        return (
            Exercise(
                id="bp-deep-squat",
                name="Deep Squat",
                objective="Test exercise from the bad-pose plugin.",
                steps=("Stand with your feet apart.", "Bend your knees."),
                position=Position.STANDING,
                movements=(Movement.FLEXION,),
                dose=Dose(reps=Range(5)),
                pose=Pose(keyframes=(Keyframe(trunk=90, leg_near=Leg(hip=10, knee=175)),)),
            ),
        )


@hookimpl
def register_sources(register: Callable[[ExerciseSource], None]) -> None:
    register(BadPoseSource())
