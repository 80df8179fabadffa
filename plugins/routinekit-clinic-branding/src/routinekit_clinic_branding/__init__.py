"""routinekit plugin: a clinic's house rules on every handout (``adjust_handout``).

Does nothing until configured: set ``ROUTINEKIT_BRANDING`` to a YAML file, or save
one as ``~/.config/routinekit/branding.yaml``::

    advice:                       # added to the self-care list, after the routine's own
      - Bring this sheet to your next visit.
    red_flags:                    # added to the red-flag list
      - A fever together with back pain
    footer: Example Physical Therapy · Open Mon-Fri 8-6 · 555-0100
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec import Meta

from routinekit.hookspecs import hookimpl
from routinekit.model import Handout, RedFlag
from routinekit.model.routine import red_flags_of

#: The plugin API this plugin was written for.
ROUTINEKIT_PLUGIN_API = 1

ENV_VAR = "ROUTINEKIT_BRANDING"

Line = Annotated[str, Meta(min_length=1, max_length=300)]


class Branding(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The branding file's fields."""

    advice: tuple[Line, ...] = ()
    red_flags: tuple[Line, ...] = ()
    footer: Line | None = None


def config_path() -> Path | None:
    """``$ROUTINEKIT_BRANDING``, else ``~/.config/routinekit/branding.yaml`` if it exists."""
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        return Path(value)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    path = base / "routinekit" / "branding.yaml"
    return path if path.is_file() else None


def load_branding(path: Path | str) -> Branding:
    """Read and validate a branding file; errors name the file, line and field."""
    from routinekit.files.decode import decode
    from routinekit.files.yaml_reader import load_yaml_file

    doc = load_yaml_file(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), "must be a mapping with advice, red_flags and footer")
    return decode(doc, Branding)


def _extend(existing: tuple[str, ...], extra: tuple[str, ...]) -> tuple[str, ...]:
    return existing + tuple(x for x in extra if x not in existing)


def apply_branding(handout: Handout, branding: Branding) -> Handout:
    """The handout with the clinic's advice, red flags and footer added (never duplicated).

    The clinic's red flags are "call your clinician" ones, printed after the routine's.
    """
    known = {f.text for f in handout.red_flags}
    return msgspec.structs.replace(
        handout,
        self_care=_extend(handout.self_care, branding.advice),
        red_flags=red_flags_of(
            (*handout.red_flags, *(RedFlag(text=t) for t in branding.red_flags if t not in known))
        ),
        footer=branding.footer or handout.footer,
    )


@hookimpl
def adjust_handout(handout: Handout) -> Handout | None:
    path = config_path()
    if path is None:
        return None  # not configured: leave every handout as it is
    return apply_branding(handout, load_branding(path))
