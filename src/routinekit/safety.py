"""Checks on things that leave or enter routinekit: links, pictures, file names, spreadsheet cells.

* :func:`check_url` — a link printed as a QR code: http or https only, a host, no
  user name or password, no spaces or control characters, at most 2,000 characters.
* :func:`check_image` — a picture a routine or clinic profile names: a local file
  only (never fetched from the network), PNG or JPEG by its first bytes, size-capped.
* :func:`neutralise_formula` — a cell for a CSV file or manifest that a spreadsheet
  must not run as a formula (``=``, ``+``, ``-``, ``@`` at the start).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from routinekit.errors import Location, UnsafeInputError, ValidationError
from routinekit.files.image_header import JPEG_MAGIC as JPEG_MAGIC
from routinekit.files.image_header import PNG_MAGIC as PNG_MAGIC
from routinekit.files.image_header import BadImage, ImageHeader, read_header
from routinekit.files.regular import read_capped

MAX_URL_LENGTH = 2000
MAX_IMAGE_BYTES = 5_000_000
#: pictures are checked for pixel size from their header, before any decoding
MAX_IMAGE_SIDE = 10_000
MAX_IMAGE_PIXELS = 25_000_000

#: Characters a spreadsheet reads as the start of a formula (tab and CR too, as OWASP advises).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def check_url(url: str, *, where: Location | None = None, what: str = "video link") -> str:
    """Return ``url`` if it is safe to print as a link or QR code, else raise UnsafeInputError."""
    hint = "use a web address starting with https://"
    text = shown(url)
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeInputError(
            f"{what} is too long ({len(url):,} characters; the limit is {MAX_URL_LENGTH:,})",
            location=where,
            hint="use a shorter link",
        )
    if any(unicodedata.category(c) in _HIDDEN or c.isspace() for c in url):
        raise UnsafeInputError(
            f"{what} '{text}' contains a space, a control character or an invisible "
            "character (such as U+202E or U+200B)",
            location=where,
            hint="type the link again by hand, or copy it from the address bar",
        )
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a bad port
    except ValueError:
        raise UnsafeInputError(
            f"{what} '{text}' is not a valid web address", location=where, hint=hint
        ) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeInputError(
            f"{what} '{text}' is not an http or https URL", location=where, hint=hint
        )
    if not parts.hostname:
        raise UnsafeInputError(f"{what} '{text}' has no web site name", location=where, hint=hint)
    if parts.username is not None or parts.password is not None:
        raise UnsafeInputError(
            f"{what} contains a user name or password",
            location=where,
            hint="remove the part before '@'; never put passwords in a handout",
        )
    return url


def check_image(
    name: str,
    base_dir: Path | str,
    *,
    where: Location | None = None,
    what: str = "picture",
    max_bytes: int = MAX_IMAGE_BYTES,
) -> Path:
    """Resolve a picture named in a file against ``base_dir`` and check it; return its path.

    The picture must be a local PNG or JPEG file (checked by its first bytes) of at most
    ``max_bytes``. Links are refused: routinekit never fetches anything from the network.
    """
    if "://" in name or name.lower().startswith(("data:", "file:")):
        raise UnsafeInputError(
            f"{what} '{shown(name)}' is a link; routinekit never downloads pictures",
            location=where,
            hint="save the picture next to the routine file and give its file name",
        )
    if any(unicodedata.category(c) == "Cc" for c in name) or not name.strip():
        raise ValidationError(
            f"{what} file name is empty or has a control character", location=where
        )
    path = (Path(base_dir) / name).resolve()
    if not path.exists():
        raise ValidationError(
            f"{what} file not found: {shown(name)}", location=where, hint="check the path"
        )
    data = read_capped(path, max_bytes=max_bytes, where=where, what=f"{what} file")
    check_image_bytes(data, name, where=where, what=what)
    return path


def check_image_bytes(
    data: bytes, name: str, *, where: Location | None = None, what: str = "picture"
) -> ImageHeader:
    """The header of a PNG or JPEG, refusing a bad one or one too many pixels to decode."""
    try:
        header = read_header(data)
    except BadImage as exc:
        raise UnsafeInputError(
            f"{what} '{shown(name)}' {exc}",
            location=where,
            hint="save it as .png or .jpg" if "PNG or JPEG" in str(exc) else "save it again",
        ) from None
    if max(header.width, header.height) > MAX_IMAGE_SIDE or header.pixels > MAX_IMAGE_PIXELS:
        raise UnsafeInputError(
            f"{what} '{shown(name)}' is too large ({header.width:,} x {header.height:,} pixels; "
            f"the limit is {MAX_IMAGE_SIDE:,} a side and {MAX_IMAGE_PIXELS // 1_000_000} "
            "million in all)",
            location=where,
            hint="save a smaller copy (about 1,000 pixels across is plenty for print)",
        )
    return header


_SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss")


def check_scheduler_address(address: str) -> str:
    """A Dask scheduler address ``SCHEME://HOST:PORT`` checked before any connection is tried.

    Malformed addresses (``tcp://[::1``, ``tcp://``, a missing or bad port), addresses with
    a user name or password, and ``inproc://`` (only meaningful inside one Python
    process) are one-line user errors instead of the distributed library's exceptions.
    """
    where = Location(field="--scheduler")
    hint = "use 'local' or an address like tcp://HOST:8786"
    text = shown(address)
    scheme, sep, _ = address.partition("://")
    if scheme == "inproc":
        raise ValidationError(
            f"'{text}' is an in-process address, which a separate batch cannot reach",
            location=where,
            hint=hint,
        )
    if not sep or scheme not in _SCHEDULER_SCHEMES:
        raise ValidationError(f"'{text}' is not a scheduler address", location=where, hint=hint)
    if any(unicodedata.category(c) in _HIDDEN or c.isspace() for c in address):
        raise ValidationError(
            f"'{text}' contains a space or an invisible character", location=where, hint=hint
        )
    try:
        parts = urlsplit(address)
        port = parts.port
        host = parts.hostname
    except ValueError:
        raise ValidationError(
            f"'{text}' is not a valid address (check the brackets around an IPv6 address "
            "and the port)",
            location=where,
            hint=hint,
        ) from None
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            "the scheduler address contains a user name or password",
            location=where,
            hint="remove the part before '@'",
        )
    if not host:
        raise ValidationError(f"'{text}' names no host", location=where, hint=hint)
    if port is None or port == 0:
        raise ValidationError(f"'{text}' has no port", location=where, hint=hint)
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ValidationError(
            f"'{text}' has more than a host and a port", location=where, hint=hint
        )
    return address


def neutralise_formula(value: object) -> str:
    """A cell value a spreadsheet shows as text, never runs: ``=SUM(A1)`` becomes ``'=SUM(A1)``.

    Use it on every cell of a CSV report or manifest that holds text from users or patients.
    Numbers pass through unchanged (``-3`` stays ``-3``); anything else becomes ``str``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def shown(text: str, limit: int = 60) -> str:
    """Text safe to show in a one-line message: control and invisible formatting characters
    (such as U+202E, which reverses what follows) escaped, cut short."""
    out = "".join(
        c
        if unicodedata.category(c) not in _HIDDEN
        else (f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}")
        for c in text
    )
    return out if len(out) <= limit else out[: limit - 3] + "..."


#: Unicode categories never shown as is: controls, format characters (bidi overrides,
#: zero-width spaces), line and paragraph separators, unassigned and private-use code points.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cn", "Co", "Cs"})
