"""routinekit plugin: Markdown, plain-text and SMS-length handouts.

``--format markdown`` for patient portals, ``--format text`` for email bodies,
``--format sms`` for a text-message reminder (no personal details).
"""

from __future__ import annotations

from collections.abc import Callable

from routinekit.contracts import Renderer, RenderOptions
from routinekit.hookspecs import hookimpl
from routinekit.model import Handout
from routinekit_markdown.sms import MAX_CHARS, sms_text

__all__ = ["MAX_CHARS", "MarkdownRenderer", "SmsRenderer", "TextRenderer", "md_escape"]

#: The plugin API this plugin was written for.
ROUTINEKIT_PLUGIN_API = 1


class MarkdownRenderer(Renderer):
    """The whole handout as Markdown (patient portals, messaging apps)."""

    id = "markdown"
    name = "Markdown (patient portals)"
    extension = "md"
    media_type = "text/markdown"

    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        from routinekit_markdown.document import layout, to_markdown

        return to_markdown(layout(handout, options)).encode("utf-8")


class TextRenderer(Renderer):
    """The whole handout as plain text (email bodies)."""

    id = "text"
    name = "Plain text (email)"
    extension = "txt"
    media_type = "text/plain"

    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        from routinekit_markdown.document import layout, to_text

        return to_text(layout(handout, options)).encode("utf-8")


class SmsRenderer(Renderer):
    """A reminder that fits a text message; no patient name or notes."""

    id = "sms"
    name = f"SMS summary (at most {MAX_CHARS} characters)"
    extension = "txt"
    media_type = "text/plain"

    def render(self, handout: Handout, options: RenderOptions) -> bytes:
        return (sms_text(handout) + "\n").encode("utf-8")


def __getattr__(name: str) -> object:
    """``md_escape`` comes from the layout module, imported when first used (a PDF build
    loads this plugin but never draws Markdown)."""
    if name == "md_escape":
        from routinekit_markdown.document import md_escape

        return md_escape
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    register(MarkdownRenderer())
    register(TextRenderer())
    register(SmsRenderer())
