"""Built-in plugin: renderers (output formats)."""

from __future__ import annotations

from collections.abc import Callable

from routinekit.contracts import Renderer, RenderOptions
from routinekit.hookspecs import hookimpl
from routinekit.model import Handout

#: Version of the JSON handout format; raised when a field changes meaning or goes away.
#: 2: a range is ``{"low": 30.0, "high": 60.0}`` as msgspec encodes it (1 wrote ``"30-60"``).
JSON_FORMAT_VERSION = 2


class JsonRenderer(Renderer):
    """The resolved handout as JSON, for other systems (patient portals, audits).

    The document is ``msgspec.json.encode(handout)`` (so it decodes back with
    ``msgspec.json.decode(data, type=Handout)``), less ``base_dir`` and starting with
    ``format_version``; it never carries paths of this machine.
    """

    id = "json"
    name = "JSON (resolved handout data)"
    extension = "json"
    media_type = "application/json"

    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        import msgspec

        data = msgspec.to_builtins(handout)
        data.pop("base_dir", None)  # a folder of this machine, for finding images only
        document = {"format_version": JSON_FORMAT_VERSION, **data}
        return msgspec.json.format(msgspec.json.encode(document), indent=2) + b"\n"


class PdfRenderer(Renderer):
    """The printable patient handout: vector QR codes, embedded fonts, two pages."""

    id = "pdf"
    name = "PDF handout"
    extension = "pdf"
    media_type = "application/pdf"

    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        from routinekit.render.pdf import render_pdf

        return render_pdf(handout, options)


class HtmlRenderer(Renderer):
    """The handout as one self-contained web page (inline SVG QR codes, print styles)."""

    id = "html"
    name = "HTML page (self-contained)"
    extension = "html"
    media_type = "text/html"

    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        from routinekit.render.html import render_html

        return render_html(handout, options)


@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    register(JsonRenderer())
    register(PdfRenderer())
    register(HtmlRenderer())
