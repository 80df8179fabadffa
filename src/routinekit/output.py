"""Writing files safely: to a temporary file next to the target, then renamed into place.

Before anything is written the target is checked (:func:`check_output`): it must be a
file name (not empty, not a folder), and if something already exists there it must be
a regular file, never a pipe (FIFO), a device such as ``/dev/null`` or a socket, which
a rename would replace. It must not be one of the command's inputs (``build --patient
p.yaml -o p.yaml`` would overwrite the patient file with the handout).

The temporary file is created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` (by
:func:`tempfile.mkstemp`), owner-only, so a planted file or link is never written
through. A failed write (a full disk) removes it and leaves the old file in place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from routinekit.errors import Location, UserError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "it is a symbolic link"
    return (exc.strerror or type(exc).__name__).lower()


def write_error(path: Path | str, exc: OSError) -> UserError:
    """The one-line error for a failed write (a full disk, a read-only folder)."""
    return UserError(
        f"cannot write the file ({_reason(exc)})",
        location=Location(file=str(path)),
        hint="free some disk space"
        if exc.errno == errno.ENOSPC
        else "check the folder can be written",
    )


def check_output(path: Path | str, *, inputs: Iterable[Path | str | None] = ()) -> Path:
    """``path`` if a file may be written there; a one-line user error otherwise.

    :param inputs: files the command reads; the output may not be any of them.
    """
    text = os.fspath(path)
    if not text.strip() or text.endswith(("/", os.sep)) or Path(text).name in ("", ".", ".."):
        raise UserError(
            "no output file name given" if not text.strip() else "the output is a folder",
            location=Location(field="--output") if not text.strip() else Location(file=text),
            hint="give a file name, e.g. -o handout.pdf",
        )
    target = Path(text)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UserError(
            f"cannot write here ({_reason(exc)})", location=Location(file=text)
        ) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise UserError(
                "the output is a folder", location=Location(file=text), hint="give a file name"
            )
        if not stat.S_ISREG(st.st_mode):
            raise UserError(
                "the output exists and is not a regular file (a device, pipe or socket)",
                location=Location(file=text),
                hint="write to a plain file name",
            )
        for source in inputs:
            if source is not None and _same_file(st, source):
                raise UserError(
                    "the output is one of the input files; writing would overwrite it",
                    location=Location(file=text),
                    hint="give another output name with -o",
                )
    return target


def _same_file(st: os.stat_result, other: Path | str) -> bool:
    try:
        o = os.stat(other)
    except (OSError, ValueError):
        return False
    return (st.st_dev, st.st_ino) == (o.st_dev, o.st_ino)


def write_atomic(
    path: Path | str,
    data: bytes,
    *,
    private: bool = False,
    inputs: Iterable[Path | str | None] = (),
) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    :param private: the file holds patient data: make it readable by its owner only.
    :param inputs: files the command read; writing over one of them is refused.
    """
    path = check_output(path, inputs=inputs)
    folder = path.parent if str(path.parent) else Path(".")
    where = Location(file=str(path))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise UserError(f"cannot write here ({_reason(exc)})", location=where) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600 if private else 0o644)
        # checked again just before the rename: a pipe or device put there meanwhile stays
        check_output(path)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise write_error(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def open_private_append(path: Path) -> int:
    """A descriptor to append to ``path`` (created owner-only), never through a symlink.

    A link, pipe or device planted at ``path`` is refused rather than written through.
    """
    return _open_plain(path, os.O_WRONLY | os.O_APPEND, "the file to write")


def _open_plain(path: Path, flags: int, what: str) -> int:
    """``os.open`` with ``flags`` (created owner-only), refusing links, pipes and devices."""
    try:
        fd = os.open(path, flags | os.O_CREAT | _NOFOLLOW, 0o600)
    except OSError as exc:
        raise UserError(
            f"cannot open {what} ({_reason(exc)})",
            location=Location(file=str(path)),
            hint="remove it if it is a link; routinekit writes only plain files here",
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UserError(
            "is not a regular file", location=Location(file=str(path)), hint="remove it"
        )
    return fd


def append_line(fd: int, line: bytes) -> None:
    """Append one whole line to ``fd``, or nothing: a short write (a full disk) is undone.

    The file is truncated back to where the line started, so a reader never finds a torn
    line; the error is a one-line user error.
    """
    start = os.lseek(fd, 0, os.SEEK_END)
    written = 0
    try:
        while written < len(line):
            n = os.write(fd, line[written:])
            if n <= 0:
                raise OSError(28, "No space left on device")
            written += n
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, start)
        raise UserError(
            f"cannot write the file ({_reason(exc)})",
            hint="free some disk space" if exc.errno == 28 else None,
        ) from None


def prepare_outdir(path: Path | str) -> Path:
    """Create the output folder if needed and check that files can be written in it.

    A one-line user error for a folder that cannot be made or written (``/proc``, a
    read-only disk, a path that is a file or a device).
    """
    folder = Path(path)
    where = Location(file=str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UserError("is not a folder", location=where, hint="give a folder for -o") from None
    except OSError as exc:
        raise UserError(
            f"cannot create the output folder ({_reason(exc)})", location=where
        ) from None
    if not folder.is_dir():
        raise UserError("is not a folder", location=where, hint="give a folder for -o")
    try:
        fd, probe = tempfile.mkstemp(prefix=".routinekit-probe.", suffix=".part", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UserError(
            f"cannot write in the output folder ({_reason(exc)})",
            location=where,
            hint="choose a folder you can write to",
        ) from None
    return folder.resolve()


def open_lock_file(path: Path) -> int:
    """A read-write descriptor of a lock file (created owner-only), never through a link."""
    return _open_plain(path, os.O_RDWR, "the lock file")
