"""Built-in plugin: the starter routines shipped in ``templates/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from routinekit.contracts import RoutineTemplate
from routinekit.hookspecs import hookimpl

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
#: The on-disk cache's area for template titles (see :mod:`routinekit.render.disk_cache`).
TITLE_AREA = "template-titles"


def _title_and_description(path: Path) -> tuple[str, str]:
    """Read title and description for listings.

    Kept in the on-disk cache by the file's bytes, so listing (and every ``build``, which
    looks its template up among all of them) does not parse every template each time.
    """
    import msgspec

    from routinekit.files.yaml_reader import load_yaml_text, read_text
    from routinekit.render import disk_cache

    text = read_text(path)
    key = disk_cache.digest(b"template-title:1", text.encode("utf-8"))
    kept = disk_cache.read(TITLE_AREA, key)
    if kept is not None:
        try:
            title, description = msgspec.json.decode(kept, type=tuple[str, str])
            return title, description
        except msgspec.DecodeError:
            pass
    data = load_yaml_text(text, source=str(path)).data
    if not isinstance(data, dict):
        data = {}
    found = str(data.get("title", path.stem)), str(data.get("description", ""))
    disk_cache.write(TITLE_AREA, key, msgspec.json.encode(found))
    return found


@hookimpl
def register_templates(register: Callable[[RoutineTemplate], None]) -> None:
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        title, description = _title_and_description(path)
        register(RoutineTemplate(id=path.stem, title=title, description=description, path=path))
