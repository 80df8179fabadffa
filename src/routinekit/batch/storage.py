"""Where a batch's handouts and manifest go: a local folder or any URL fsspec can write.

    store = open_storage("out/")                        # a local folder
    store = open_storage("s3://bucket/run1", {"anon": False})
    store.write("00001_back_2026-01-05.pdf", data)      # committed whole, or not at all

Two kinds, one interface (:class:`Storage`):

* :class:`LocalStorage` — a folder on this machine (also ``file://`` URLs). Writing is
  :func:`routinekit.output.write_atomic`: an owner-only temporary file opened with
  ``O_EXCL | O_NOFOLLOW``, fsynced, renamed over the name; a name that is a link, pipe or
  device is refused. The manifest is appended line by line
  (:class:`~routinekit.batch.manifest.Journal`).
* :class:`FsspecStorage` — ``s3://``, ``gs://``, ``az://`` (and ``abfs://``), ``memory://``
  (tests). A handout is one ``pipe_file`` of its bytes: one PUT under the final key (s3fs
  switches to a multipart upload only past 100 MB, and that too appears only when
  completed), so a partial upload never shows under the final name; the object's size is
  then read back and compared. Object stores cannot append, so the manifest is written
  as numbered part objects under ``manifest.parts/`` while the batch runs, and merged in
  row order into ``manifest.jsonl`` (one PUT) when it ends.

Configuration is fsspec's: ``--storage-options '{"endpoint_url": ...}'`` (keyword arguments of
the file system) and its own environment variables (``FSSPEC_S3_ENDPOINT_URL``,
``FSSPEC_S3='{"anon": true}'``) and config files; the clouds' own (``AWS_PROFILE``, ...) too.
s3fs, gcsfs and adlfs are optional: ``pip install "routinekit[s3]"`` (``[gcs]``, ``[azure]``).

Names are relative: one file name, or one shard folder and a file name (``000/00001_x.pdf``).
A :class:`StorageSpec` (the URL and options) is what travels to worker processes; each
opens its own :class:`Storage` from it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from routinekit.batch import manifest as mf
from routinekit.errors import Location, UserError

#: Where the manifest's part objects go on an object store (beside manifest.jsonl).
PARTS_FOLDER = "manifest.parts"

#: URL schemes routinekit writes to, and the extra that brings each one's library.
PROTOCOLS: dict[str, tuple[str, str | None]] = {
    "file": ("file", None),
    "local": ("file", None),
    "memory": ("memory", None),
    "s3": ("s3", "s3"),
    "s3a": ("s3", "s3"),
    "gs": ("gcs", "gcs"),
    "gcs": ("gcs", "gcs"),
    "az": ("abfs", "azure"),
    "abfs": ("abfs", "azure"),
    "abfss": ("abfs", "azure"),
}
_LIBRARY = {"s3": "s3fs", "gcs": "gcsfs", "azure": "adlfs"}
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_LOOKS_LIKE_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):/")
_SEGMENT_BAD = re.compile(r"[\x00-\x1f\x7f\\]")


def protocol_of(target: str) -> str | None:
    """The scheme of a URL (``s3`` for ``s3://b/p``), None for a local path."""
    m = _URL.match(target)
    return m.group(1).lower() if m else None


def check_name(name: str) -> str:
    """``name`` if it is a safe relative name (a file, or one shard folder and a file)."""
    parts = name.split("/")
    if (
        not name
        or len(parts) > 2
        or any(not p or p in {".", ".."} or p.startswith(".") for p in parts[:-1])
        or not parts[-1]
        or parts[-1] in {".", ".."}
        or _SEGMENT_BAD.search(name)
    ):
        raise UserError("unsafe output file name")
    return name


def parse_storage_options(text: str | None) -> dict[str, Any]:
    """``--storage-options`` JSON as a dict; one-line user error for anything else."""
    if text is None or not text.strip():
        return {}
    where = Location(field="--storage-options")
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise UserError(
            f"--storage-options is not valid JSON (line {exc.lineno}, column {exc.colno})"
            if isinstance(exc, json.JSONDecodeError)
            else "--storage-options is not valid JSON",
            location=where,
            hint="""give a JSON object, e.g. '{"endpoint_url": "http://127.0.0.1:9000"}'""",
        ) from None
    if not isinstance(value, dict):
        raise UserError(
            "--storage-options must be a JSON object ({...})",
            location=where,
            hint="""e.g. '{"anon": true}'""",
        )
    return value


@dataclass(frozen=True)
class StorageSpec:
    """What a worker needs to open the same storage: picklable, no open connections."""

    url: str
    """A local folder (absolute path) or a URL."""
    options: dict[str, Any] = field(default_factory=dict)

    def open(self) -> Storage:
        return open_storage(self.url, self.options, create=False)


class Journal(Protocol):
    def append(self, entry: mf.Entry) -> None: ...

    def close(self) -> None: ...


class Storage(Protocol):
    """The output of a batch. Every method takes names relative to the output's root."""

    spec: StorageSpec
    local: Path | None
    """The folder, for local storage; None for object stores."""
    shared: bool
    """Other processes see what this one writes (False for ``memory://``)."""

    def display(self, name: str = "") -> str:
        """The output (or one name in it) as shown to the user."""
        ...

    def write(self, name: str, data: bytes, *, entry: mf.Entry | None = None) -> None:
        """Commit ``data`` under ``name`` whole; a one-line UserError if that failed.

        :param entry: the row's manifest entry; an object store that keeps user metadata (S3)
            stores it with the object in the same PUT, so a batch killed before the line
            reached the manifest still finds the row done (:meth:`read_manifest`).
        """
        ...

    def open_write(self, name: str) -> contextlib.AbstractContextManager[IO[bytes]]:
        """A file to write ``name`` through (merged PDFs, zips): committed whole when it closes
        without an error, else discarded."""
        ...

    def size(self, name: str) -> int | None:
        """The size of a committed file, None if there is none (or it is not a plain file)."""
        ...

    def exists(self, name: str) -> bool:
        """Something (of any kind) is at ``name``: nothing is written over it unasked."""
        ...

    def open_read(self, name: str) -> IO[bytes]: ...

    def still_valid(
        self, name: str, entry: mf.Entry, extension: str, *, input: str | None = None
    ) -> bool:
        """The manifest's ``ok`` for ``name`` still holds (the file is there, whole, the same,
        and, given ``input``, made from the same inputs)."""
        ...

    def read_manifest(self, *, max_row: int | None = None) -> dict[int, mf.Entry]: ...

    def journal(self) -> Journal: ...

    def compact_manifest(self, *, rows: int) -> list[mf.Entry]: ...

    def lock(self) -> contextlib.AbstractContextManager[None]: ...


def open_storage(
    target: str | Path, options: dict[str, Any] | None = None, *, create: bool = True
) -> Storage:
    """The storage for ``-o``: a folder (created if ``create``) or a URL fsspec can write.

    :raises UserError: an unknown or unwritable scheme, a missing extra, a folder that
        cannot be made or written, storage that cannot be reached.
    """
    text = os.fspath(target)
    options = dict(options or {})
    if not text.strip():
        raise UserError(
            "no output folder given",
            location=Location(field="--outdir"),
            hint="give a folder or a URL, e.g. -o handouts/ or -o s3://bucket/run1",
        )
    proto = protocol_of(text)
    if proto is None:
        m = _LOOKS_LIKE_URL.match(text)
        if m and m.group(1).lower() in PROTOCOLS and m.group(1).lower() not in {"file", "local"}:
            raise UserError(
                f"'{m.group(1)}:/...' looks like a URL with one slash",
                location=Location(field="--outdir"),
                hint=f"write {m.group(1)}://BUCKET/PREFIX (two slashes), or ./{text} for a folder",
            )
        if options:
            raise UserError(
                "--storage-options are for URLs (s3://, gs://, ...), not a local folder",
                location=Location(field="--storage-options"),
            )
        return LocalStorage(Path(text), create=create)
    if proto not in PROTOCOLS:
        raise UserError(
            f"routinekit cannot write to '{proto}://' URLs",
            location=Location(field="--outdir"),
            hint="give a folder, or an s3://, gs://, az://, file:// or memory:// URL",
        )
    fs_name, extra = PROTOCOLS[proto]
    if fs_name == "file":
        if options:
            raise UserError(
                "--storage-options are for object stores, not file:// folders",
                location=Location(field="--storage-options"),
            )
        return LocalStorage(Path(text[len(proto) + 3 :] or "/"), create=create)
    return FsspecStorage(text, proto, options, extra=extra, create=create)


# ---------------------------------------------------------------- local folders


class LocalStorage:
    """A folder on this machine (see the module docstring)."""

    shared = True

    def __init__(self, folder: Path, *, create: bool = True) -> None:
        if create:
            from routinekit.output import prepare_outdir

            self.root = prepare_outdir(folder)
        else:
            self.root = folder.resolve()
        self.local: Path | None = self.root
        self.spec = StorageSpec(str(self.root))

    def display(self, name: str = "") -> str:
        return str(self.root / name) if name else str(self.root)

    def path(self, name: str) -> Path:
        """``root / name``, refusing names that leave the folder or pass through a link."""
        check_name(name)
        path = self.root / name
        if path.parent != self.root:
            folder = path.parent
            try:
                st = os.lstat(folder)
            except FileNotFoundError:
                return path
            except OSError:
                raise UserError("unsafe output file name") from None
            if not stat.S_ISDIR(st.st_mode):  # a link or a file planted as a shard folder
                raise UserError(
                    "a shard folder is not a plain folder",
                    location=Location(file=str(folder)),
                    hint="remove it; routinekit writes only into plain folders it made",
                )
        return path

    def target(self, name: str) -> Path:
        """:meth:`path` of ``name``, its shard folder made (owner-only) and checked again."""
        path = self.path(name)
        if path.parent != self.root:
            try:
                os.mkdir(path.parent, 0o700)
            except FileExistsError:
                pass
            except OSError as exc:
                from routinekit.output import write_error

                raise write_error(path, exc) from None
            path = self.path(name)  # checked again now that it exists
        return path

    def write(self, name: str, data: bytes, *, entry: mf.Entry | None = None) -> None:
        from routinekit.output import write_atomic

        write_atomic(self.target(name), data, private=True)

    def open_write(self, name: str) -> contextlib.AbstractContextManager[IO[bytes]]:
        return mf.atomic_file(self.path(name), "wb")

    def size(self, name: str) -> int | None:
        try:
            st = os.lstat(self.path(name))
        except (OSError, UserError):
            return None
        return st.st_size if stat.S_ISREG(st.st_mode) else None

    def exists(self, name: str) -> bool:
        return os.path.lexists(self.path(name))

    def open_read(self, name: str) -> IO[bytes]:
        return open(self.path(name), "rb")

    def still_valid(
        self, name: str, entry: mf.Entry, extension: str, *, input: str | None = None
    ) -> bool:
        return mf.still_valid(self.path(name), entry, extension, input=input)

    def read_manifest(self, *, max_row: int | None = None) -> dict[int, mf.Entry]:
        return mf.read_latest(self.root / mf.MANIFEST_NAME, max_row=max_row)

    def journal(self) -> Journal:
        return mf.Journal(self.root / mf.MANIFEST_NAME)

    def compact_manifest(self, *, rows: int) -> list[mf.Entry]:
        return mf.compact(self.root / mf.MANIFEST_NAME, rows=rows)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        from routinekit.batch.runner import _outdir_lock

        with _outdir_lock(self.root):
            yield


# ---------------------------------------------------------------- object stores


def _describe(exc: BaseException) -> str:
    """A short reason for a storage error, without URLs, keys or credentials."""
    if isinstance(exc, FileNotFoundError):
        return "not found (does the bucket exist?)"
    if isinstance(exc, PermissionError):
        return "permission denied"
    name = type(exc).__name__
    return {
        "NoCredentialsError": "no credentials found",
        "ClientError": "the storage service refused the request",
        "EndpointConnectionError": "cannot connect to the storage endpoint",
        "ConnectTimeoutError": "the storage endpoint did not answer",
        "ClientConnectorError": "cannot connect to the storage endpoint",
    }.get(name, f"{name}")


class FsspecStorage:
    """An object store (or ``memory://``) through fsspec (see the module docstring)."""

    local: Path | None = None

    def __init__(
        self,
        url: str,
        proto: str,
        options: dict[str, Any],
        *,
        extra: str | None,
        create: bool = True,
    ) -> None:
        self.protocol = proto
        where = Location(field="--outdir")
        try:
            import fsspec.core
        except ImportError:  # pragma: no cover - dask brings it; the extras do too
            raise UserError(
                "writing to URLs needs fsspec",
                location=where,
                hint=f'pip install "routinekit[{extra or "s3"}]"',
            ) from None
        try:
            fs, root = fsspec.core.url_to_fs(url, **options)
        except ImportError:
            assert extra is not None
            raise UserError(
                f"writing to {proto}:// needs {_LIBRARY[extra]}, which is not installed",
                location=where,
                hint=f'pip install "routinekit[{extra}]"',
            ) from None
        except (TypeError, ValueError) as exc:
            raise UserError(
                f"cannot open the storage ({type(exc).__name__}: check --storage-options)",
                location=where,
            ) from None
        self.fs = fs
        self.root = str(root).rstrip("/")
        if not self.root.strip("/"):
            raise UserError(
                "the URL names no bucket",
                location=where,
                hint=f"give {proto}://BUCKET/PREFIX",
            )
        self.shared = proto != "memory"
        self.spec = StorageSpec(url, options)
        self._sizes: dict[str, int] | None = None
        self._lock = threading.Lock()
        self._run = uuid.uuid4().hex[:8]
        if create:
            self._check_reachable()

    # -- names

    def key(self, name: str) -> str:
        return f"{self.root}/{check_name(name)}"

    def display(self, name: str = "") -> str:
        base = f"{self.protocol}://{self.root.removeprefix('/')}"
        return f"{base}/{name}" if name else base

    def _fail(self, name: str, what: str, exc: BaseException) -> UserError:
        return UserError(
            f"cannot {what} ({_describe(exc)})",
            location=Location(file=self.display(name)),
            hint="check the bucket, credentials and --storage-options",
        )

    def _check_reachable(self) -> None:
        """Fail early, in one line, for a bucket that is missing or unreachable."""
        bucket = self.root.split("/", 1)[0]
        if self.protocol == "memory":
            return
        try:
            if not self.fs.exists(bucket):
                raise FileNotFoundError(bucket)
        except Exception as exc:
            raise self._fail("", "reach the storage", exc) from None

    # -- files

    def write(self, name: str, data: bytes, *, entry: mf.Entry | None = None) -> None:
        key = self.key(name)
        extra: dict[str, Any] = {}
        if entry is not None and self.protocol in {"s3", "s3a"}:
            extra["Metadata"] = _entry_metadata(entry)
        try:
            self.fs.pipe_file(key, data, **extra)  # one PUT of the whole bytes under the final key
            got = self.fs.info(key).get("size")
        except Exception as exc:
            raise self._fail(name, "write the file", exc) from None
        if got != len(data):
            raise UserError(
                f"the stored file has {got} bytes, not {len(data)}",
                location=Location(file=self.display(name)),
                hint="check the storage; re-run with --resume",
            )
        with self._lock:
            if self._sizes is not None:
                self._sizes[name] = len(data)

    @contextlib.contextmanager
    def open_write(self, name: str) -> Iterator[IO[bytes]]:
        key = self.key(name)
        with tempfile.NamedTemporaryFile("w+b", prefix="routinekit-", suffix=".part") as fh:
            yield fh
            fh.flush()
            try:  # a multipart upload appears under the key only once it is complete
                self.fs.put_file(fh.name, key)
                got = self.fs.info(key).get("size")
            except Exception as exc:
                raise self._fail(name, "write the file", exc) from None
            if got != fh.tell():
                raise UserError(
                    f"the stored file has {got} bytes, not {fh.tell()}",
                    location=Location(file=self.display(name)),
                )

    def _listing(self) -> dict[str, int]:
        """Every object under the root and its size, listed once (then kept up to date)."""
        with self._lock:
            if self._sizes is None:
                sizes: dict[str, int] = {}
                try:
                    found = self.fs.find(self.root, detail=True) if self._root_exists() else {}
                except FileNotFoundError:
                    found = {}
                except Exception as exc:
                    raise self._fail("", "list the output", exc) from None
                prefix = self.root + "/"
                for path, info in found.items():
                    p = str(path)
                    if p.startswith(prefix) and info.get("type", "file") == "file":
                        sizes[p[len(prefix) :]] = int(info.get("size") or 0)
                self._sizes = sizes
            return self._sizes

    def _root_exists(self) -> bool:
        try:
            return bool(self.fs.exists(self.root))
        except FileNotFoundError:
            return False

    def size(self, name: str) -> int | None:
        check_name(name)
        return self._listing().get(name)

    def exists(self, name: str) -> bool:
        return self.size(name) is not None

    def open_read(self, name: str) -> IO[bytes]:
        try:
            return self.fs.open(self.key(name), "rb")
        except Exception as exc:
            raise self._fail(name, "read the file", exc) from None

    def read(self, name: str) -> bytes:
        try:
            return bytes(self.fs.cat_file(self.key(name)))
        except Exception as exc:
            raise self._fail(name, "read the file", exc) from None

    def remove(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self.key(name))
        with self._lock:
            if self._sizes is not None:
                self._sizes.pop(name, None)

    def still_valid(
        self, name: str, entry: mf.Entry, extension: str, *, input: str | None = None
    ) -> bool:
        """An object is written in one PUT, so one that is there is whole; its size must match."""
        if input is not None and entry.input != input:
            return False
        if entry.status != "ok" or not entry.sha256 or entry.bytes is None:
            return False
        return self.size(name) == entry.bytes

    # -- the manifest

    def _parts(self) -> list[str]:
        return sorted(n for n in self._listing() if n.startswith(PARTS_FOLDER + "/"))

    def read_manifest(self, *, max_row: int | None = None) -> dict[int, mf.Entry]:
        out: dict[int, mf.Entry] = {}
        names = [mf.MANIFEST_NAME] if self.exists(mf.MANIFEST_NAME) else []
        names += self._parts()
        try:  # all at once: s3fs/gcsfs/adlfs fetch many objects concurrently
            found = self.fs.cat([self.key(n) for n in names]) if names else {}
        except Exception as exc:
            raise self._fail(mf.MANIFEST_NAME, "read the manifest", exc) from None
        if not isinstance(found, dict):  # one name: fsspec returns its bytes
            found = {self.key(names[0]): found}
        for name in names:  # in order: manifest.jsonl, then the parts oldest first
            data = found.get(self.key(name)) or found.get(self.fs._strip_protocol(self.key(name)))
            if data is None:
                continue
            for text in bytes(data).decode("utf-8", errors="replace").splitlines(True):
                entry = mf.Entry.from_json(text) if text.endswith("\n") else None
                if entry is not None and (max_row is None or entry.row <= max_row):
                    out[entry.row] = entry
        self._recover(out, max_row)
        return out

    def _recover(self, out: dict[int, mf.Entry], max_row: int | None) -> None:
        """Rows whose object was committed but whose line never reached the manifest (the
        coordinator was killed first): their entry is in the object's own metadata (S3)."""
        if self.protocol not in {"s3", "s3a"}:
            return
        from routinekit.batch.collect import RESERVED_NAMES

        named = {e.output for e in out.values() if e.output}
        for name in sorted(self._listing()):
            if name in named or name in RESERVED_NAMES or name.startswith(PARTS_FOLDER + "/"):
                continue
            try:
                meta = self.fs.metadata(self.key(name))
            except Exception:
                continue
            entry = _entry_from_metadata(meta, name, self._listing().get(name))
            if entry is None or (max_row is not None and entry.row > max_row):
                continue
            if entry.row not in out or out[entry.row].status != "ok":
                out[entry.row] = entry

    def journal(self) -> Journal:
        return PartJournal(self, self._run)

    def compact_manifest(self, *, rows: int) -> list[mf.Entry]:
        parts = self._parts()
        entries = [e for _, e in sorted(self.read_manifest(max_row=rows).items())]
        self.write(mf.MANIFEST_NAME, "".join(e.to_json() + "\n" for e in entries).encode())
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as fh:
            mf.write_csv_report(fh, entries)
            fh.seek(0)
            self.write(mf.REPORT_NAME, fh.read().encode("utf-8"))
        for name in parts:  # merged into manifest.jsonl: no longer needed
            with contextlib.suppress(Exception):
                self.remove(name)
        return entries

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        # object stores have no advisory locks: one batch per prefix at a time (documented)
        yield


_META_PREFIX = "routinekit-"


def _entry_metadata(entry: mf.Entry) -> dict[str, str]:
    """What of a row's entry travels with its object: numbers and hashes only (ASCII)."""
    fields = {"row": entry.row, "sha256": entry.sha256, "input": entry.input, "line": entry.line}
    return {_META_PREFIX + k: str(v) for k, v in fields.items() if v is not None}


def _entry_from_metadata(meta: dict[str, Any], name: str, size: int | None) -> mf.Entry | None:
    got = {str(k).lower().removeprefix(_META_PREFIX): str(v) for k, v in meta.items()}
    try:
        row = int(got["row"])
        line = int(got["line"]) if "line" in got else None
    except (KeyError, ValueError):
        return None
    if row < 1 or not got.get("sha256") or size is None:
        return None
    return mf.Entry(
        row=row,
        status="ok",
        output=name,
        sha256=got["sha256"],
        bytes=size,
        line=line,
        input=got.get("input"),
    )


class PartJournal:
    """The manifest on an object store: entries written as numbered part objects.

    A part is written once at least ``every`` seconds have passed since the last one, or
    ``most`` entries wait, and when the journal closes; each part is one PUT, so a part
    is whole or absent. Parts sort by time of writing; the latest line for a row wins.
    A batch killed on an object store loses at most the last ``every`` seconds of lines:
    those rows are rebuilt by ``--resume`` (their objects are whole either way).
    """

    def __init__(
        self, storage: FsspecStorage, run: str, *, every: float = 2.0, most: int = 1000
    ) -> None:
        self.storage = storage
        self.run = run
        self.every = every
        self.most = most
        self._lines: list[str] = []
        self._last = time.monotonic()
        self._seq = 0

    def append(self, entry: mf.Entry) -> None:
        self._lines.append(entry.to_json() + "\n")
        if len(self._lines) >= self.most or time.monotonic() - self._last >= self.every:
            self.flush()

    def flush(self) -> None:
        if not self._lines:
            return
        self._seq += 1
        name = f"{PARTS_FOLDER}/{time.time_ns():020d}-{self.run}-{self._seq:06d}.jsonl"
        self.storage.write(name, "".join(self._lines).encode("utf-8"))
        self._lines = []
        self._last = time.monotonic()

    def close(self) -> None:
        self.flush()
