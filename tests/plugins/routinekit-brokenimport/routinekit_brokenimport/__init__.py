"""Deliberately broken plugin: its import fails."""

import routinekit_module_that_does_not_exist  # noqa: F401
