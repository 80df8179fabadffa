"""routinekit: author exercise routines and print personalised patient handouts.

The public Python API lives in :mod:`routinekit.api` and is re-exported here
lazily, so ``import routinekit`` stays fast and loads no plugins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Version of the plugin contract (hooks, model types). Plugins may state the
#: range they support; see docs/plugins.md.
PLUGIN_API_VERSION = 1

__all__ = [
    "PLUGIN_API_VERSION",
    "__version__",
    "batch",
    "build",
    "build_handout",
    "load_patient",
    "load_routine",
    "validate",
]

if TYPE_CHECKING:
    from routinekit import batch
    from routinekit.api import build, build_handout, load_patient, load_routine, validate


def __getattr__(name: str) -> Any:
    if name in {"build", "build_handout", "load_patient", "load_routine", "validate"}:
        from routinekit import api

        return getattr(api, name)
    if name == "batch":  # routinekit.batch.run_batch(...)
        import importlib

        return importlib.import_module("routinekit.batch")
    raise AttributeError(f"module 'routinekit' has no attribute {name!r}")
