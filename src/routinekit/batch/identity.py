"""Row identity: a hash of everything that made one handout.

Every manifest entry records ``input``: the SHA-256 of the row's patient as built
(its fields after the batch's defaults, e.g. the date), the routine it used (the
routine's content, not its name), the batch's request (options, render options,
format and the clinic profile with its logo's bytes), and routinekit's and every
plugin's name and version. A row is done only when its file exists, is complete, has
the hash the manifest recorded for it, and its ``input`` is the row's hash now: a
different list in the same folder, an edited dose or another option never counts as
done (see :mod:`routinekit.batch.runner`).

The hash holds no patient data that could be read back (it is a one-way digest of
the row together with the batch's settings).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from routinekit.model import Patient
    from routinekit.plugins.host import PluginHost
    from routinekit.request import BuildRequest

#: Per-row routines whose content digest the coordinator keeps.
_ROUTINE_DIGESTS = 256


def _enc_hook(obj: object) -> object:
    """What msgspec cannot encode (a plugin's object): by type and repr (no patient object)."""
    return f"{type(obj).__qualname__}:{obj!r}"


_ENCODER = msgspec.json.Encoder(order="deterministic", enc_hook=_enc_hook)


def _file_digest(path: str | None) -> str:
    if not path:
        return ""
    try:
        p = Path(path)
        if p.is_file():
            return hashlib.sha256(p.read_bytes()).hexdigest()
    except OSError:
        pass
    return "missing:" + path


def versions(host: PluginHost) -> list[tuple[str, str, str, bool]]:
    """routinekit's version and (name, distribution, version, loaded) of every plugin."""
    import routinekit

    try:
        from importlib.metadata import version

        dist = version("routinekit")
    except Exception:  # not installed as a distribution (a source checkout on sys.path)
        dist = ""
    out = [("routinekit", dist, routinekit.__version__, True)]
    for name, info in sorted(host.infos.items()):
        out.append((name, info.distribution or "", info.version or "", info.loaded))
    return out


class RowIdentity:
    """Computes rows' input hashes for one batch (the batch's part is hashed once)."""

    def __init__(self, request: BuildRequest, host: PluginHost, routine_content: bytes) -> None:
        from routinekit.api import load_routine

        self._load = load_routine
        self._host = host
        h = hashlib.sha256(b"routinekit-batch-row/1\n")
        h.update(_ENCODER.encode(msgspec.structs.replace(request, patient=None, routine="")))
        clinic = request.clinic
        logo = getattr(clinic, "logo", None) if clinic is not None else None
        h.update(_file_digest(logo).encode())
        h.update(_ENCODER.encode(versions(host)))
        self._base = h.digest()
        self._default = hashlib.sha256(routine_content).hexdigest()
        self._routines: OrderedDict[str, str] = OrderedDict()

    def routine_digest(self, ref: str | None) -> str:
        """The digest of a row's routine content (None: the batch's routine)."""
        if ref is None:
            return self._default
        if ref in self._routines:
            self._routines.move_to_end(ref)
            return self._routines[ref]
        from routinekit.errors import UserError

        try:
            rf = self._load(ref, host=self._host)
            digest = hashlib.sha256(_ENCODER.encode(rf.routine)).hexdigest()
        except UserError:
            digest = "unreadable:" + _file_digest(ref)  # the row fails in the worker
        self._routines[ref] = digest
        if len(self._routines) > _ROUTINE_DIGESTS:
            self._routines.popitem(last=False)
        return digest

    def of(self, patient: Patient, routine: str | None) -> str:
        """The input hash of one row: its patient and routine with the batch's settings."""
        h = hashlib.sha256(self._base)
        h.update(self.routine_digest(routine).encode())
        h.update(b"\0")
        h.update(_ENCODER.encode(patient))
        return h.hexdigest()


def routine_content(rf: object) -> bytes:
    """The batch routine's content as hashed: its parsed routine, deterministically encoded."""
    return _ENCODER.encode(getattr(rf, "routine", None))
