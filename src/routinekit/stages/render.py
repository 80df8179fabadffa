"""Stage ``render``: draw the handout with the renderer of the request's format."""

from __future__ import annotations

from routinekit.contracts import RenderOptions
from routinekit.errors import PluginError, UserError
from routinekit.files.routine_file import RoutineFile
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
        raise (source.locate(exc) if source is not None else exc) from None
    if not isinstance(data, bytes | bytearray) or not data:
        raise PluginError(plugin, f"renderer '{format}' returned no bytes")
    return bytes(data)
