"""Built-in plugin: the exercise library from the seeds (``library/exercises.yaml``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from routinekit.contracts import ExerciseSource
from routinekit.hookspecs import hookimpl
from routinekit.model import Exercise


class BuiltinLibrary(ExerciseSource):
    id = "builtin"
    description = "Back-spasm exercises from routinekit's clinical source documents"

    def exercises(self) -> Iterable[Exercise]:
        from routinekit.library import BUILTIN_FILE, load_exercise_file

        return load_exercise_file(BUILTIN_FILE)


@hookimpl
def register_sources(register: Callable[[ExerciseSource], None]) -> None:
    register(BuiltinLibrary())
