"""Routine files: the YAML a therapist writes (see ``routinekit schema``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from routinekit.files.decode import decode
from routinekit.files.yaml_reader import Document, load_yaml_file, load_yaml_text
from routinekit.model import Routine

FORMAT_VERSION = 1


@dataclass(frozen=True)
class RoutineFile:
    """A routine with where it came from, so later errors can name the line."""

    routine: Routine
    doc: Document
    base_dir: Path

    @property
    def source(self) -> str:
        return self.doc.source

    def entry_line(self, index: int) -> int | None:
        return self.doc.line_of(("exercises", index))


def _normalise(doc: Document) -> Any:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error(
            (), "must be a mapping of fields (title, exercises, ...)", "see `routinekit schema`"
        )
    data = dict(data)
    version = data.get("routinekit", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise doc.error(
            ("routinekit",),
            f"format version {version!r} is not supported",
            f"this routinekit reads version {FORMAT_VERSION}",
        )
    if isinstance(data.get("strategy"), str):
        data["strategy"] = {"id": data["strategy"]}
    entries = data.get("exercises")
    if isinstance(entries, list):
        data["exercises"] = [{"id": e} if isinstance(e, str) else e for e in entries]
    return data


def parse_routine(doc: Document, base_dir: Path) -> RoutineFile:
    routine = decode(doc, Routine, data=_normalise(doc))
    return RoutineFile(routine=routine, doc=doc, base_dir=base_dir)


def load_routine_file(path: Path | str) -> RoutineFile:
    path = Path(path)
    return parse_routine(load_yaml_file(path), path.resolve().parent)


def load_routine_text(
    text: str, *, source: str = "<text>", base_dir: Path | None = None
) -> RoutineFile:
    return parse_routine(load_yaml_text(text, source=source), base_dir or Path.cwd())
