"""The ASGI app of ``routinekit serve``: Starlette routes, Jinja2 pages, the security guard.

Why Starlette + uvicorn + Jinja2: Starlette is a small ASGI toolkit (routing, requests,
responses, static files) with no ORM or validation layer we would not use; uvicorn serves it
with a pure-Python install; Jinja2 renders the pages on the server with autoescaping, so
the page works with very little JavaScript and no build step.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from routinekit.model import ClinicProfile
from routinekit.plugins.host import PluginHost
from routinekit.web.preview import PageStore
from routinekit.web.security import Guard, Secrets, allowed_hosts

HERE = Path(__file__).resolve().parent


@dataclass
class Settings:
    """How this server was started."""

    host: str = "127.0.0.1"
    port: int = 0
    clinic_file: Path | None = None
    """The clinic profile the page edits (default: ~/.config/routinekit/clinic.yaml)."""
    library_dir: Path | None = None
    """The clinic's own exercises ("My exercises"); default: routinekit.builtins.clinic_library."""


@dataclass
class State:
    """What the server keeps between requests: no patient data, except a batch while it runs."""

    settings: Settings
    keys: Secrets = field(default_factory=Secrets)
    pages: PageStore = field(default_factory=PageStore)
    batches: dict[str, Any] = field(default_factory=dict)
    _host: PluginHost | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def host(self) -> PluginHost:
        with self._lock:
            if self._host is None:
                from routinekit.builtins import clinic_library

                if self.settings.library_dir is not None:
                    clinic_library.set_folder(self.settings.library_dir)
                self._host = PluginHost()
            return self._host

    def reload_library(self) -> None:
        """After "My exercises" changed: load every plugin again, with the new exercises."""
        with self._lock:
            self._host = None
        from routinekit.web import catalog

        catalog.forget_pictures()

    def clinic_path(self) -> Path:
        from routinekit.files.people_files import default_clinic_path

        if self.settings.clinic_file is not None:
            return self.settings.clinic_file
        found = default_clinic_path()
        if found is not None:
            return found
        from routinekit.builtins.clinic_library import config_dir

        return config_dir() / "clinic.yaml"

    def clinic(self) -> ClinicProfile | None:
        from routinekit.files.people_files import load_clinic_file

        path = self.clinic_path()
        return load_clinic_file(path) if path.is_file() else None


def create_app(settings: Settings, keys: Secrets | None = None) -> Any:
    """The app, wrapped in the security guard. ``settings.port`` must be the bound port."""
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from routinekit.web import routes_batch, routes_clinic, routes_editor

    state = State(settings=settings, keys=keys or Secrets())
    routes = [
        *routes_editor.routes(),
        *routes_clinic.routes(),
        *routes_batch.routes(),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.rk = state
    return Guard(app, keys=state.keys, hosts=allowed_hosts(settings.host, settings.port))
