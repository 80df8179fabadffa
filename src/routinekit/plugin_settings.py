"""A plugin's own settings: read from the routine and the clinic profile, checked, handed over.

A strategy declares ``settings_type``, a ``msgspec.Struct`` whose fields all have
defaults. Its settings come from two places, the routine winning field by field::

    # clinic.yaml: the clinic's defaults for the plugin named knee-oa
    plugins:
      knee-oa: {standing: false}

    # routine.yaml: every key of the strategy block besides id, minutes, ... is a setting
    strategy: {id: knee-oa-graded, standing: true}

Mistakes are the usual one-line errors naming the file, the line and the field.
"""

from __future__ import annotations

import difflib
from typing import Any

import msgspec

from routinekit.errors import Location, ValidationError
from routinekit.files.decode import decode
from routinekit.files.yaml_reader import Document
from routinekit.model import StrategySettings

#: The keys of a routine's ``strategy:`` block that routinekit itself reads.
OWN_KEYS: tuple[str, ...] = tuple(f for f in StrategySettings.__struct_fields__ if f != "settings")


def split_strategy_block(block: dict[str, Any]) -> dict[str, Any]:
    """A routine's ``strategy:`` mapping with the strategy's own keys moved under ``settings``."""
    own = {k: v for k, v in block.items() if k in OWN_KEYS}
    extra = {k: v for k, v in block.items() if k not in OWN_KEYS}
    return {**own, "settings": extra} if extra else own


def _wrapper(name: str, settings_type: type[Any], *, key: str | None = None) -> type[Any]:
    """A struct ``{name: settings}`` (or ``{name: {key: settings}}``) so that errors carry
    the whole path in the file (``strategy.limit``, ``plugins.knee-oa.limit``)."""
    inner: Any = settings_type
    if key is not None:
        inner = msgspec.defstruct("Plugin", [("value", settings_type)], rename={"value": key})
    return msgspec.defstruct("Wrapper", [(name, inner)])


def check_settings_type(settings_type: Any, what: str) -> type[msgspec.Struct]:
    """``settings_type`` must be a Struct class whose fields all have defaults."""
    if not (isinstance(settings_type, type) and issubclass(settings_type, msgspec.Struct)):
        raise TypeError(f"{what}: settings_type must be a msgspec.Struct class")
    try:
        settings_type()
    except TypeError:
        raise TypeError(f"{what}: every field of its settings_type needs a default") from None
    return settings_type


def clinic_document(clinic: Any) -> Document | None:
    """The clinic profile's file read again for line numbers, when the request names one
    (or the default profile is used); None for a profile given as a value."""
    from pathlib import Path

    from routinekit.files.people_files import default_clinic_path
    from routinekit.files.yaml_reader import load_yaml_file

    path = Path(clinic) if isinstance(clinic, str | Path) else None
    if clinic is None:
        path = default_clinic_path()
    return load_yaml_file(path) if path is not None and path.is_file() else None


def resolve_settings(
    settings_type: type[msgspec.Struct] | None,
    *,
    strategy_id: str,
    plugin: str,
    routine_settings: dict[str, Any],
    routine_doc: Document | None = None,
    clinic_settings: dict[str, Any] | None = None,
    clinic_doc: Document | None = None,
) -> msgspec.Struct | None:
    """The strategy's settings: the clinic's ``plugins.PLUGIN`` block under the routine's.

    :param routine_settings: the extra keys of the routine's ``strategy:`` block.
    :param routine_doc: the routine file (for lines in errors).
    :param clinic_settings: the clinic profile's ``plugins.PLUGIN`` mapping.
    :param clinic_doc: the clinic profile (for lines in errors), when read from a file.
    :returns: an instance of ``settings_type``, or None when the strategy has none.
    """
    if settings_type is None:
        if routine_settings:
            key = next(iter(routine_settings))
            close = difflib.get_close_matches(key, OWN_KEYS, n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else f"strategy '{strategy_id}' takes no settings of its own; "
                f"known fields: {', '.join(OWN_KEYS)}"
            )
            line = routine_doc.line_of(("strategy", key)) if routine_doc else None
            raise ValidationError(
                f"unknown field '{key}'",
                location=Location(
                    file=routine_doc.source if routine_doc else None,
                    line=line,
                    field=f"strategy.{key}",
                ),
                hint=hint,
            )
        return None
    clinic_settings = clinic_settings or {}
    if clinic_settings:
        doc = clinic_doc or Document(data=None, source="clinic profile")
        data = {"plugins": {plugin: clinic_settings}}
        decode(
            Document(data=data, source=doc.source, lines=doc.lines),
            _wrapper("plugins", settings_type, key=plugin),
        )
    if routine_settings:
        doc = routine_doc or Document(data=None, source="routine")
        data = {"strategy": routine_settings}
        decode(
            Document(data=data, source=doc.source, lines=doc.lines),
            _wrapper("strategy", settings_type),
        )
    merged = {**clinic_settings, **routine_settings}
    doc = routine_doc or Document(data=None, source="routine")
    return decode(Document(data=merged, source=doc.source), settings_type)
