"""Opening input files: regular files only, and never more bytes than the cap.

A device (``/dev/zero``), a named pipe (FIFO), a socket or a folder given where a file
is expected is refused at once, before anything is read: a pipe would otherwise block
forever and a device reports size 0 and never ends. The file is opened without
blocking, then checked with ``fstat`` on the open descriptor (so the check is about
the file that is read, not a name that may change), and at most ``max_bytes + 1``
bytes are read, whatever size the file claims.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import BinaryIO

from routinekit.errors import Location, UnsafeInputError, ValidationError

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_FLAGS |= getattr(os, "O_BINARY", 0)


def open_regular(path: Path | str, *, where: Location | None = None) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file; a located user error otherwise."""
    where = where or Location(file=str(path))
    try:
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise ValidationError("file not found", location=where, hint="check the path") from None
    except IsADirectoryError:
        raise ValidationError("is a folder, not a file", location=where) from None
    except PermissionError:
        if Path(path).is_dir():  # Windows cannot open a folder at all
            raise ValidationError("is a folder, not a file", location=where) from None
        raise ValidationError(
            "cannot read file (permission denied)", location=where, hint="check who may read it"
        ) from None
    except OSError as exc:
        raise ValidationError(f"cannot read file ({_reason(exc)})", location=where) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ValidationError("is a folder, not a file", location=where)
        if not stat.S_ISREG(mode):
            raise UnsafeInputError(
                f"is not a regular file (it is {_kind(mode)})",
                location=where,
                hint="give the path of a file saved on disk",
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return io.open(fd, "rb", closefd=True)  # noqa: UP020 - io.open takes an fd
    except BaseException:
        os.close(fd)
        raise


def read_capped(
    path: Path | str, *, max_bytes: int, where: Location | None = None, what: str = "file"
) -> bytes:
    """The bytes of a regular file, refusing one that holds more than ``max_bytes``."""
    where = where or Location(file=str(path))
    with open_regular(path, where=where) as fh:
        size = os.fstat(fh.fileno()).st_size
        try:
            data = fh.read(max_bytes + 1) if size <= max_bytes else b""
        except OSError as exc:
            raise ValidationError(f"cannot read {what} ({_reason(exc)})", location=where) from None
    if size > max_bytes or len(data) > max_bytes:  # a file may grow while it is read
        shown = f"{size:,} bytes" if size > max_bytes else f"more than {max_bytes:,} bytes"
        raise UnsafeInputError(
            f"{what} is too large ({shown}; the limit is {max_bytes:,})", location=where
        )
    return data


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def _reason(exc: OSError) -> str:
    """An OS error in plain words, without the path (which the location already names)."""
    return (exc.strerror or type(exc).__name__).lower()
