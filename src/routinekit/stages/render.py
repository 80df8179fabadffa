"""Stage ``render``: draw the handout with the renderer of the request's format."""

from __future__ import annotations

from routinekit.contracts import RenderOptions
from routinekit.errors import PluginError, UserError
from routinekit.files.routine_file import RoutineFile
from routinekit.library import library_for
from routinekit.model import Handout
from routinekit.plugins.host import PluginHost
from routinekit.redaction import redacting


def render(
    handout: Handout,
    host: PluginHost,
    *,
    format: str = "pdf",
    options: RenderOptions | None = None,
    source: RoutineFile | None = None,
) -> bytes:
    """The document's bytes. A renderer that fails or returns nothing is a PluginError
    naming its plugin (a built-in's bug is raised as it is, to be reported).

    :param source: the routine file, so that a check made while rendering (a title the
        PDF cannot print) names its file and line.
    """
    renderer = host.renderer(format)
    plugin = host.renderers()[format].plugin
    try:
        with redacting(handout.patient), host.guard(plugin, f"renderer '{format}'"):
            data = renderer.render(handout, options or RenderOptions())
    except UserError as exc:
        blamed = _pose_plugin(exc, host)
        if blamed is not None:
            raise blamed from None
        raise (source.locate(exc) if source is not None else exc) from None
    if not isinstance(data, bytes | bytearray) or not data:
        raise PluginError(plugin, f"renderer '{format}' returned no bytes")
    return bytes(data)


def _pose_plugin(exc: UserError, host: PluginHost) -> PluginError | None:
    """A picture that cannot be drawn, of an exercise a third-party source gave: the
    plugin's fault (its pose data), named with the exercise, not the user's."""
    from routinekit.illustrations.scene import PoseError

    ident = getattr(exc, "exercise_id", None)
    if not isinstance(exc, PoseError) or ident is None:
        return None
    library = library_for(host)
    if ident not in library:
        return None
    owner = library.owner(ident)
    info = host.infos.get(owner)
    if info is None or info.builtin:
        return None
    return PluginError(owner, exc.message)
