"""Routine files: the YAML a therapist writes (see ``routinekit schema``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec

from routinekit.errors import UserError
from routinekit.files.decode import decode
from routinekit.files.yaml_reader import Document, PathKey, load_yaml_file, load_yaml_text
from routinekit.model import Routine

FORMAT_VERSION = 1


class RoutineFile(msgspec.Struct, frozen=True):
    """A routine with where it came from, so later errors can name the line."""

    routine: Routine
    doc: Document
    base_dir: Path

    @property
    def source(self) -> str:
        return self.doc.source

    def entry_line(self, index: int) -> int | None:
        return self.doc.line_of(("exercises", index))

    def locate(self, err: UserError) -> UserError:
        """``err`` with this file and the line filled in, when it names one of this
        routine's fields but no file (checks made while rendering know the field only)."""
        loc = err.location
        if loc.file or not loc.field:
            return err
        path = self._field_path(loc.field)
        if path is None:
            return err
        return err.at(file=self.source, line=self.doc.line_of(path))

    def _field_path(self, field: str) -> PathKey | None:
        m = _EXERCISE_FIELD.match(field)
        if m:
            ids = [e.id for e in self.routine.exercises]
            return ("exercises", ids.index(m.group(1))) if m.group(1) in ids else None
        m = _ROUTINE_FIELD.match(field)
        if m and m.group(1) in Routine.__struct_fields__:
            return (m.group(1),) if m.group(2) is None else (m.group(1), int(m.group(2)))
        return None


_EXERCISE_FIELD = re.compile(r"^exercise '([a-z0-9-]+)'$")
_ROUTINE_FIELD = re.compile(r"^([a-z_]+)(?:\[(\d+)\])?(?:\..*)?$")


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
    elif isinstance(data.get("strategy"), dict):
        from routinekit.plugin_settings import split_strategy_block

        data["strategy"] = split_strategy_block(data["strategy"])
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
