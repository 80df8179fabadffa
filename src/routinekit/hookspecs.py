"""The hook specification: every place a plugin can plug into routinekit.

A plugin is a module (or object) with functions named after these hooks and
decorated with :data:`hookimpl`. Register it through the ``routinekit``
entry-point group in your ``pyproject.toml``::

    [project.entry-points.routinekit]
    my_plugin = "my_package.plugin"

The ``register_*`` hooks are called once per process, when routinekit first needs
what they provide; each receives a ``register`` callable that validates what
you give it and raises on misuse. All hooks run for every plugin (none stops at
the first result).

pluggy calls every hook, in pluggy's order: implementations marked
``tryfirst=True`` first, ``trylast=True`` last, and among equals the plugin
registered later first (built-ins are registered before third-party plugins).
Wrappers (``@hookimpl(wrapper=True)``) work as pluggy documents them.

A plugin whose ``register_*`` hook raises (anything, ``SystemExit`` included) is
reported by name and skipped; it never takes the host down
(``ROUTINEKIT_STRICT_PLUGINS=1`` makes it an error). A failing ``adjust_handout``
fails that one build, naming the plugin: a handout missing a clinic's advice must not
be printed as if it were complete. What a hook prints goes to stderr. The full
reference with examples is in ``docs/plugins.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from routinekit.contracts import ExerciseSource, Renderer, RoutineTemplate, Strategy
    from routinekit.illustrations.props import PropShape
    from routinekit.model import Handout
    from routinekit.render.pdf.fallback import FontFace

PROJECT = "routinekit"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_sources(register: Callable[[ExerciseSource], None]) -> None:
    """Add exercise sources.

    :param register: call ``register(source)`` with an
        :class:`~routinekit.contracts.ExerciseSource` instance, once per source.
    :returns: nothing.
    """


@hookspec
def register_strategies(register: Callable[[Strategy], None]) -> None:
    """Add sequencing strategies.

    :param register: call ``register(strategy)`` with a
        :class:`~routinekit.contracts.Strategy` instance, once per strategy.
    :returns: nothing.
    """


@hookspec
def register_renderers(register: Callable[[Renderer], None]) -> None:
    """Add output formats (``--format ID``).

    :param register: call ``register(renderer)`` with a
        :class:`~routinekit.contracts.Renderer` instance, once per renderer.
    :returns: nothing.
    """


@hookspec
def register_templates(register: Callable[[RoutineTemplate], None]) -> None:
    """Add starter routines for ``routinekit new --template ID``.

    :param register: call ``register(template)`` with a
        :class:`~routinekit.contracts.RoutineTemplate`, once per template.
    :returns: nothing.
    """


@hookspec
def register_props(register: Callable[[PropShape], None]) -> None:
    """Add props that exercise poses can draw (``props: [{kind: ID}]``), besides the
    built-in chair, wall, pillow and mat.

    :param register: call ``register(prop)`` with a
        :class:`~routinekit.illustrations.props.PropShape` instance, once per prop.
    :returns: nothing.
    """


@hookspec
def register_fonts(register: Callable[[FontFace], None]) -> None:
    """Add TrueType faces to the PDF's font fallback chain (more scripts).

    Each character is drawn with the first face that has it: DejaVu Sans, the bundled
    Noto faces (Arabic, Hebrew, Devanagari, Bengali, Tamil, Thai), then plugin faces in
    load order. A character no face has is refused with an error naming the field.

    :param register: call ``register(face)`` with a
        :class:`~routinekit.render.pdf.fallback.FontFace` (``id``, ``regular`` and
        optional ``bold`` paths to ``.ttf`` files with TrueType outlines, ``shaped`` for
        scripts that join or reorder), once per face.
    :returns: nothing.
    """


@hookspec
def adjust_handout(handout: Handout, format: str) -> Handout | None:
    """Change a handout after it is resolved and before it is rendered.

    Called for every build, plugin by plugin in pluggy's order; each receives the
    handout the previous one returned. Use it for clinic branding, extra advice,
    house rules. Return a new handout (use ``msgspec.structs.replace``) or None to
    leave it as it is. Handouts are immutable: do not change the one you receive.
    A wrapper (``wrapper=True``) receives, after its ``yield``, the list of handouts
    the implementations returned; the last one is what gets rendered. If it raises,
    the build fails with an error naming your plugin.

    :param handout: the resolved :class:`~routinekit.model.Handout`.
    :param format: the output format being built (``pdf``, ``html``, ``json``, ...);
        take it only if your change depends on it.
    :returns: a replacement handout, or None.
    """


@hookspec
def register_commands(register: Callable[[click.Command], None]) -> None:
    """Add subcommands to the ``routinekit`` command line (``routinekit NAME ...``).

    Called once, the first time the command line meets a command name it does not
    know, or lists every command (``routinekit --help``). A name routinekit or another
    plugin already uses is an error naming your plugin; your plugin's other commands and
    every built-in one keep working.

    :param register: call ``register(command)`` with a :class:`click.Command` (or
        group), once per command; its ``name`` is what users type.
    :returns: nothing.
    """
