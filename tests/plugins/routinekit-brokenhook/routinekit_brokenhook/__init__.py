"""Deliberately broken plugin: its hooks raise."""

from __future__ import annotations

from collections.abc import Callable

from routinekit.hookspecs import hookimpl


@hookimpl
def register_sources(register: Callable[[object], None]) -> None:
    raise RuntimeError("brokenhook cannot reach its exercise server")


@hookimpl
def register_renderers(register: Callable[[object], None]) -> None:
    raise RuntimeError("brokenhook renderer is broken")
