"""Jinja2 pages: one environment, autoescaped, with what every page needs (the CSRF token)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from routinekit.text.dose_words import dose_text

    env.globals["dose_words"] = dose_text  # a dose in plain words (the model has no wording)
    return env


def render_page(
    request: Request, name: str, context: dict[str, Any], *, status: int = 200
) -> HTMLResponse:
    keys = request.app.state.rk.keys
    html = environment().get_template(name).render(**context, csrf=keys.csrf, path=request.url.path)
    return HTMLResponse(html, status_code=status)
