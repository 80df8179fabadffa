"""The published JSON Schema of routine files (``routinekit schema``)."""

from __future__ import annotations

from typing import Any

from routinekit.model import Routine
from routinekit.model.file_form import file_schema


def routine_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) for a routine file, generated from the model."""
    schema = file_schema(Routine)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "routinekit routine file"
    defs = schema.get("$defs", {})
    routine = defs.get("Routine", {})
    props = routine.get("properties", {})
    # Shorthands the loader accepts: an exercise as a bare id, a strategy as a bare id.
    if "exercises" in props:
        item = props["exercises"].get("items")
        props["exercises"]["items"] = {"anyOf": [item, {"type": "string"}]}
    if "strategy" in props:
        props["strategy"] = {"anyOf": [props["strategy"], {"type": "string"}]}
    # A strategy's own settings are written beside id (checked when the handout is built).
    settings = defs.get("StrategySettings", {})
    settings.get("properties", {}).pop("settings", None)
    if settings:
        settings["additionalProperties"] = True
    return schema
