"""Which plugins can change a drawing, as bytes for picture cache keys.

A picture depends on more than its pose: a plugin's prop draws part of it, and an
exercise source gives the pose. So every cache of pictures (in memory and on disk) is
keyed also by this fingerprint of the host's drawing plugins: for each third-party
plugin that registers props or exercise sources, its name, distribution and version
and a hash of its code and data files (its package folder, or its module file, and the
modules its props are defined in). Editing a plugin's prop, even without a new version
number, gives new keys, so a stale picture is never printed.
"""

from __future__ import annotations

import hashlib
import sys
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from routinekit.plugins.host import PluginHost

#: Hooks whose plugins can change a picture.
DRAWING_HOOKS = ("register_props", "register_sources")
#: Files of a plugin's package that are hashed (code and the data poses may be read from).
HASHED_SUFFIXES = frozenset({".py", ".yaml", ".yml", ".json", ".toml", ".csv"})
MAX_FILES = 400
MAX_FILE_BYTES = 4 * 1024 * 1024

_BY_HOST: weakref.WeakKeyDictionary[PluginHost, bytes] = weakref.WeakKeyDictionary()


def drawing_plugins(host: PluginHost) -> list[tuple[str, str, str]]:
    """(plugin name, distribution, version) of each third-party plugin that can change a
    drawing, sorted by name."""
    names: set[str] = set()
    for hook in DRAWING_HOOKS:
        caller = getattr(host.pm.hook, hook, None)
        if caller is None:
            continue
        names.update(impl.plugin_name for impl in caller.get_hookimpls())
    out = []
    for name in sorted(names):
        info = host.infos.get(name)
        if info is not None and info.builtin:
            continue  # routinekit's own code and poses are in the drawing-code hash
        dist = (info.distribution if info else None) or ""
        version = (info.version if info else None) or ""
        out.append((name, dist, version))
    return out


def fingerprint(host: PluginHost) -> bytes:
    """A short hash of every drawing plugin of ``host`` (computed once per host)."""
    found = _BY_HOST.get(host)
    if found is not None:
        return found
    from routinekit.illustrations.props import prop_owners, props

    known = props(host)
    owners = prop_owners(host)
    h = hashlib.blake2b(b"drawing-plugins-1", digest_size=16)
    for name, dist, version in drawing_plugins(host):
        h.update(f"\0{name}\0{dist}\0{version}\0".encode())
        files: set[Path] = set()
        plugin = host.pm.get_plugin(name)
        if plugin is not None:
            files |= _files_of(_module_file(plugin))
        for prop_id, owner in sorted(owners.items()):
            if owner == name:
                module = sys.modules.get(type(known[prop_id]).__module__)
                files |= _files_of(_module_file(module))
        for path in sorted(files)[:MAX_FILES]:
            h.update(str(path.name).encode() + b"\0")
            try:
                if path.stat().st_size <= MAX_FILE_BYTES:
                    h.update(path.read_bytes())
            except OSError:
                h.update(b"unreadable")
    found = h.digest()
    _BY_HOST[host] = found
    return found


def _module_file(obj: object) -> Path | None:
    module = obj if hasattr(obj, "__file__") else sys.modules.get(type(obj).__module__)
    file = getattr(module, "__file__", None)
    return Path(file) if file else None


def _files_of(file: Path | None) -> set[Path]:
    """A package's files (for its ``__init__.py``), else the module file alone."""
    if file is None:
        return set()
    if file.name == "__init__.py":
        folder = file.parent
        found = set()
        for path in folder.rglob("*"):
            if path.suffix in HASHED_SUFFIXES and "__pycache__" not in path.parts:
                found.add(path)
                if len(found) >= MAX_FILES:
                    break
        return found
    return {file}


def reset() -> None:
    """Forget computed fingerprints (tests)."""
    _BY_HOST.clear()
