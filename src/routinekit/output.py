"""Writing files safely: to a temporary file next to the target, then renamed into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from routinekit.errors import Location, UserError


def write_atomic(path: Path | str, data: bytes, *, private: bool = False) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    :param private: the file holds patient data: make it readable by its owner only.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise UserError(
            f"cannot write here ({exc.strerror})", location=Location(file=str(path))
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600 if private else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
