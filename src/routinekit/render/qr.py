"""QR codes shared by every renderer: one encoding per URL, drawn as vectors.

Encoding a QR code costs milliseconds (mask selection in pure Python), while exercise
video links repeat across every handout of a batch. So the module matrix is encoded
once per URL and kept in a bounded cache, together with the two drawings made from it:
PDF path operators (one path of run-length rectangles, in module units) and an SVG path.
"""

from __future__ import annotations

import functools
from typing import Any

import msgspec

from routinekit.errors import Location, ValidationError

#: Modules of white space around the symbol (the QR specification's quiet zone).
QUIET_ZONE = 4
#: The smallest printed module that still scans from paper and from a 150-dpi image.
MIN_MODULE_MM = 0.5
MM = 72.0 / 25.4
#: The data mask every code uses. Choosing the best of the eight (the specification's
#: penalty rules) costs 8 trial encodings, ~5 ms a link, most of a cold build's QR time;
#: every mask decodes, and this one (columns, ``x % 3 == 0``) is the one that choice
#: picks most often for video links, with the lowest penalty on average.
MASK_PATTERN = 2


class QrMatrix(msgspec.Struct, frozen=True, dict=True):
    """A QR symbol without its quiet zone: ``size`` modules square, dark runs per row."""

    url: str
    size: int
    runs: tuple[tuple[int, int, int], ...]
    """Dark runs as ``(row, column, length)``; row 0 is the top."""

    @functools.cached_property
    def pdf_ops(self) -> str:
        """PDF operators filling every dark module, in module units, origin bottom-left.

        The symbol's lower-left corner is (0, 0) and its upper-right is (size, size), so
        a caller places and scales it with one ``cm`` operator.
        """
        n = self.size
        return " ".join(f"{c} {n - r - 1} {ln} 1 re" for r, c, ln in self.runs) + " f"

    @functools.cached_property
    def svg_path(self) -> str:
        """An SVG path ``d`` attribute for the dark modules (origin top-left, module units)."""
        return "".join(f"M{c} {r}h{ln}v1h-{ln}z" for r, c, ln in self.runs)

    def printed_mm(self, minimum_mm: float) -> float:
        """Symbol size in mm: at least ``minimum_mm``, grown so no module is too small."""
        return max(minimum_mm, self.size * MIN_MODULE_MM)


def check_url(url: str) -> str:
    """Return ``url`` if it is an http(s) link a QR code may carry; raise otherwise."""
    from routinekit.safety import check_url as checked

    return checked(url, what="QR code link")


@functools.lru_cache(maxsize=1024)
def qr_matrix(url: str) -> QrMatrix:
    """Encode ``url`` (error correction M) once per process; raise on unsafe links.

    The dark runs are kept in the on-disk cache (:mod:`routinekit.render.disk_cache`, keyed
    by the link, the mask and qrcode's version): a cold build whose links were seen
    before imports no QR encoder at all.
    """
    import marshal

    from routinekit.render import disk_cache

    check_url(url)
    key = _disk_key(url)
    payload = disk_cache.read(_AREA, key)
    if payload is not None:
        try:
            size, runs = marshal.loads(payload)
            return QrMatrix(url=url, size=int(size), runs=tuple(map(tuple, runs)))
        except (ValueError, TypeError, EOFError):
            pass
    matrix = _encode(url)
    disk_cache.write(_AREA, key, marshal.dumps((matrix.size, matrix.runs)))
    return matrix


_AREA = "qr"


@functools.cache
def _qrcode_version() -> str:
    from routinekit.plugins.discovery import version

    return version("qrcode") or "unknown"  # None: a vendored copy


def _disk_key(url: str) -> str:
    from routinekit.render import disk_cache

    # the version is read from the installed metadata, not by importing qrcode
    return disk_cache.digest(
        b"qr-runs-1",
        url.encode("utf-8"),
        str(MASK_PATTERN).encode(),
        b"M",
        _qrcode_version().encode(),
    )


def _import_qrcode() -> None:
    """Import qrcode without its optional PIL drawers (PIL is ~20 ms of a cold process).

    qrcode's ``image.styles.moduledrawers`` imports its PIL drawers if PIL imports (only
    for backwards compatibility; routinekit never draws through PIL). As for uharfbuzz in
    :func:`routinekit.render.pdf.fonts.import_reportlab`, ``None`` in ``sys.modules`` makes
    that one import fail, for the duration of qrcode's import only.
    """
    import sys

    if "qrcode.main" in sys.modules:
        return
    hide = "PIL" not in sys.modules
    if hide:
        sys.modules["PIL"] = None  # type: ignore[assignment]
    try:
        import qrcode.main  # noqa: F401
    finally:
        if hide and sys.modules.get("PIL", 0) is None:
            del sys.modules["PIL"]


def _encode(url: str) -> QrMatrix:
    _import_qrcode()
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK_PATTERN)
    code.add_data(url.encode("utf-8"))
    code.make(fit=True)
    rows = code.modules
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(rows):
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return QrMatrix(url=url, size=len(rows), runs=tuple(runs))


class QrLinkTooLongError(ValidationError):
    """A link too long to print as a QR code a phone can scan; ``url`` is the link."""

    def __init__(self, url: str, maximum_mm: float, *, pattern: bool = False, **kw: Any) -> None:
        self.url = url
        what = "the video links this pattern makes are" if pattern else "the video link is"
        shown = url if len(url) <= 60 else url[:57] + "..."
        super().__init__(
            f"{what} too long for a {maximum_mm:g} mm QR code ({len(url)} characters"
            + ("" if pattern else f": '{shown}'")
            + ")",
            hint=kw.pop("hint", None)
            or "use a shorter link, for example from your video host's share button",
            **kw,
        )


def smallest_qr_mm(*, routine: bool = False) -> float:
    """The largest QR code the tightest layout prints (mm): an exercise card's (or, with
    ``routine``, the routine's code at the top), in standard print."""
    from routinekit.render.pdf.styles import DEFAULT

    return DEFAULT.routine_qr_max_mm if routine else DEFAULT.exercise_qr_max_mm


def check_fits_qr(
    url: str,
    *,
    maximum_mm: float | None = None,
    where: Location | None = None,
    pattern: bool = False,
) -> QrMatrix:
    """The matrix for ``url`` if it prints readably within ``maximum_mm``; raise otherwise.

    Without ``maximum_mm`` the smallest QR code any layout prints is the limit, so a link
    that passes here prints in every layout.
    """
    limit = smallest_qr_mm() if maximum_mm is None else maximum_mm
    matrix = qr_matrix(url)
    if matrix.size * MIN_MODULE_MM > limit + 1e-9:
        raise QrLinkTooLongError(url, limit, pattern=pattern, location=where)
    return matrix


def sized_qr(url: str, minimum_mm: float, maximum_mm: float) -> tuple[QrMatrix, float]:
    """The matrix for ``url`` and its printed symbol size in points.

    The code is printed at ``minimum_mm`` unless its modules would be smaller than
    :data:`MIN_MODULE_MM`; if that makes it larger than ``maximum_mm`` the link is too
    long to print readably and this raises, rather than print a code nobody can scan.
    """
    matrix = check_fits_qr(url, maximum_mm=maximum_mm)
    return matrix, matrix.printed_mm(minimum_mm) * MM


def short_url(url: str) -> str:
    """The link as printed under a code: without the scheme or a trailing slash."""
    text = url.split("://", 1)[-1]
    return text[:-1] if text.endswith("/") and text.count("/") == 1 else text
