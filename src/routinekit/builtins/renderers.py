"""Built-in plugin: renderers (output formats)."""

from __future__ import annotations

from collections.abc import Callable

from routinekit.contracts import Renderer, RenderOptions
from routinekit.hookspecs import hookimpl
from routinekit.model import Handout


class JsonRenderer(Renderer):
    """The resolved handout as JSON, for other systems (patient portals, audits)."""

    id = "json"
    name = "JSON (resolved handout data)"
    extension = "json"
    media_type = "application/json"

    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        import msgspec

        from routinekit.model.dose import enc_hook

        return msgspec.json.format(msgspec.json.encode(handout, enc_hook=enc_hook), indent=2) + b"\n"


@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    register(JsonRenderer())
