"""The exercise library: every exercise every source provides, by id."""

from __future__ import annotations

import difflib
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from routinekit.errors import Location, PluginError, UnknownIdError, ValidationError
from routinekit.model import Exercise

if TYPE_CHECKING:
    from routinekit.plugins.host import PluginHost

#: The built-in library file, inside the installed package.
BUILTIN_FILE = Path(__file__).with_name("exercises.yaml")


class LibraryFile(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The layout of an exercise list file (``format: 1``)."""

    exercises: tuple[Exercise, ...]
    format: int = 1


def load_exercise_file(path: Path | str) -> tuple[Exercise, ...]:
    """Read and validate an exercise list file (YAML or JSON); kept parsed (:mod:`.stored`)."""
    from routinekit.files.decode import decode
    from routinekit.files.yaml_reader import load_yaml_text, read_text
    from routinekit.library import stored

    text = read_text(Path(path))
    key = stored.key_of(text.encode("utf-8"))
    kept = stored.load(key)
    if kept is not None:
        return kept
    doc = load_yaml_text(text, source=str(path))
    if not isinstance(doc.data, dict):
        raise doc.error((), "must be a mapping with an 'exercises' list")
    lib = decode(doc, LibraryFile)
    seen: dict[str, int] = {}
    for i, ex in enumerate(lib.exercises):
        if ex.id in seen:
            raise doc.error(
                ("exercises", i, "id"),
                f"duplicate exercise id '{ex.id}' (also entry {seen[ex.id]})",
            )
        seen[ex.id] = i
    stored.save(key, lib.exercises)
    return lib.exercises


#: host -> its merged library; a new host (``reset_host()``) is a new key, so nothing to clear
_BY_HOST: weakref.WeakKeyDictionary[PluginHost, Library] = weakref.WeakKeyDictionary()


def library_for(host: PluginHost) -> Library:
    """The merged exercise library of every source of ``host``, built once per host.

    The library layer keeps this memo, not the host: the host only loads plugins and calls
    hooks, and knows nothing of the domain ``Library``.
    """
    lib = _BY_HOST.get(host)
    if lib is None:
        lib = _BY_HOST[host] = Library.from_host(host)
    return lib


class Library:
    """Exercises by id, with the plugin each came from."""

    def __init__(self, exercises: Iterable[tuple[Exercise, str]] = ()) -> None:
        self._by_id: dict[str, Exercise] = {}
        self._owner: dict[str, str] = {}
        for ex, owner in exercises:
            self.add(ex, owner)

    def add(self, exercise: Exercise, owner: str) -> None:
        if exercise.id in self._by_id:
            raise PluginError(
                owner,
                f"exercise id '{exercise.id}' is already provided by plugin "
                f"'{self._owner[exercise.id]}'",
            )
        self._by_id[exercise.id] = exercise
        self._owner[exercise.id] = owner

    @classmethod
    def from_host(cls, host: PluginHost) -> Library:
        lib = cls()
        for source_id, reg in host.sources().items():
            info = host.infos.get(reg.plugin)
            try:
                items = list(reg.obj.exercises())
                for ex in items:
                    if not isinstance(ex, Exercise):
                        raise TypeError(
                            f"source '{source_id}' returned {type(ex).__name__}, not Exercise"
                        )
                    _check_exercise(ex, source_id, reg.plugin)
                    if host.strict and info is not None and not info.builtin:
                        _check_drawable(ex, host, reg.plugin)
                staged = cls()
                for ex in items:
                    staged.add(ex, reg.plugin)
            except (ValidationError, PluginError) as exc:
                if host.strict or info is None or info.builtin:
                    raise
                info.errors.append(str(exc))
                continue
            except Exception as exc:
                message = f"source '{source_id}' failed: {type(exc).__name__}: {exc}"
                if info is None:
                    raise
                if host.strict:
                    raise PluginError(reg.plugin, message) from exc
                info.errors.append(message)
                continue
            for ex in items:
                try:
                    lib.add(ex, reg.plugin)
                except PluginError as exc:
                    if host.strict or info is None:
                        raise
                    info.errors.append(exc.message)
        return lib

    def __contains__(self, ident: object) -> bool:
        return ident in self._by_id

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def owner(self, ident: str) -> str:
        return self._owner[ident]

    def suggest(self, ident: str) -> str | None:
        """The id closest to a misspelled one (by id, name or alias)."""
        names: dict[str, str] = {}
        for ex in self._by_id.values():
            names[ex.id] = ex.id
            for label in (ex.name, *ex.aliases):
                names.setdefault(label.lower(), ex.id)
                names.setdefault(_slug(label), ex.id)
        close = difflib.get_close_matches(ident.lower(), list(names), n=1, cutoff=0.6)
        return names[close[0]] if close else None

    def get(self, ident: str, *, location: Location | None = None) -> Exercise:
        try:
            return self._by_id[ident]
        except KeyError:
            close = self.suggest(ident)
            hint = f"did you mean '{close}'?" if close else "see `routinekit exercises` for the ids"
            raise UnknownIdError(
                f"unknown exercise '{ident}'", location=location, hint=hint
            ) from None

    def filter(
        self,
        *,
        tag: str | None = None,
        position: str | None = None,
        phase: str | None = None,
        movement: str | None = None,
    ) -> list[Exercise]:
        from routinekit.constraints import LIMITS

        # a position, or a limit word (``kneeling`` also finds hands and knees)
        limit = LIMITS.get(position or "")
        wanted = {p.value for p in limit.positions} if limit else {position}
        out = []
        for ex in self._by_id.values():
            if tag and tag not in ex.tags:
                continue
            if position and not (wanted & {p.value for p in ex.body_positions}):
                continue
            if phase and phase not in ex.phases:
                continue
            if movement and movement not in ex.movements:
                continue
            out.append(ex)
        return out

    def to_builtins(self) -> list[dict[str, Any]]:
        from routinekit.model.file_form import to_file_builtins

        rows = []
        for ex in self._by_id.values():
            # every field, defaults too, each as a file writes it
            full = {
                f.name: to_file_builtins(getattr(ex, f.name), f.type)
                for f in msgspec.structs.fields(ex)
            }
            rows.append({**full, "plugin": self._owner[ex.id]})
        return rows


def _check_exercise(ex: Exercise, source_id: str, plugin: str) -> None:
    """An exercise built in code skips validation: check it as if it came from a file."""
    try:  # msgspec's own round trip: every field checked, ranges as the structs they are
        again = msgspec.convert(msgspec.to_builtins(ex), Exercise)
    except (msgspec.ValidationError, TypeError, ValueError) as exc:
        raise PluginError(
            plugin, f"source '{source_id}' returned an invalid exercise {ex.id!r}: {exc}"
        ) from None
    if again != ex:
        raise PluginError(
            plugin,
            f"source '{source_id}' returned exercise {ex.id!r} with fields of the wrong type",
        )


def _check_drawable(ex: Exercise, host: PluginHost, plugin: str) -> None:
    """``--strict-plugins``: a third-party exercise's pose is drawn when its source loads."""
    from routinekit.illustrations import check_drawable
    from routinekit.illustrations.scene import PoseError

    try:
        check_drawable(ex, host=host)
    except PoseError as exc:
        raise PluginError(plugin, exc.message) from None


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())
