"""Built-in plugin: the clinic's own exercises ("My exercises"), from a folder of files.

The folder is ``$ROUTINEKIT_LIBRARY`` if set, else ``~/.config/routinekit/exercises/``
(``$XDG_CONFIG_HOME`` is honoured). Every ``*.yaml`` file in it is an exercise list in the
library's format (``exercises: [...]``); a picture named by ``image:`` sits beside it. The
web page (``routinekit serve``) writes one file per exercise there; ``routinekit build``,
``routinekit exercises`` and batch runs read the same folder, so a clinic's exercise works
everywhere. No folder: no exercises, no error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import msgspec

from routinekit.contracts import ExerciseSource
from routinekit.hookspecs import hookimpl
from routinekit.model import Exercise

_folder: Path | None = None


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/routinekit`` (default ``~/.config/routinekit``)."""
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "routinekit"


def folder() -> Path:
    """The clinic library folder (it may not exist yet)."""
    if _folder is not None:
        return _folder
    env = os.environ.get("ROUTINEKIT_LIBRARY")
    return Path(env) if env else config_dir() / "exercises"


def set_folder(path: Path | None) -> None:
    """Use ``path`` as the clinic library in this process (``routinekit serve --library``)."""
    global _folder
    _folder = path


class ClinicLibrary(ExerciseSource):
    id = "clinic"
    description = "The clinic's own exercises (My exercises), from the clinic library folder"

    def exercises(self) -> Iterable[Exercise]:
        from routinekit.library import load_exercise_file

        base = folder()
        if not base.is_dir():
            return []
        out: list[Exercise] = []
        for path in sorted(base.glob("*.yaml")):
            for ex in load_exercise_file(path):
                if ex.image and not Path(ex.image).is_absolute():
                    # pictures are named relative to their file; the renderers get a full path
                    ex = msgspec.structs.replace(ex, image=str((path.parent / ex.image).resolve()))
                out.append(ex)
        return out


@hookimpl
def register_sources(register: Callable[[ExerciseSource], None]) -> None:
    register(ClinicLibrary())
