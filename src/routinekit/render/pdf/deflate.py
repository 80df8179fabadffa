"""One compressed stream put together from pieces compressed once (zlib format, RFC 1950/1951).

A page's Form XObject is a run of blocks (cards, education, the tracking log), each moved
into place. A batch whose rows differ (exclusions, doses) makes new runs all the time, but
from blocks it has seen before; compressing each new run whole cost a sixth of such a row.
So each block's stream is compressed once, on its own, into a *segment*: raw deflate data
that ends on a byte boundary (a sync flush) and refers to nothing before it. Segments one
after the other are valid deflate data; :func:`assemble` puts the run together from them,
with the few bytes between blocks (``q 1 0 0 1 0 y cm``) as stored (uncompressed) blocks,
behind the two-byte zlib header and ahead of the final empty block and the Adler-32 of the
whole. ``zlib.decompress`` of the result gives exactly the run's bytes (tested).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

#: The zlib header (deflate, 32 KB window, default level).
_HEADER = b"\x78\x9c"
#: An empty final block, as zlib ends a stream after a flush.
_END = zlib.compressobj(6, zlib.DEFLATED, -15).flush()
_STORED_MAX = 0xFFFF


def segment(data: bytes) -> bytes:
    """``data`` as raw deflate that ends byte-aligned and stands on its own (not final)."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)


def stored(data: bytes) -> bytes:
    """``data`` as stored (uncompressed) deflate blocks, not final."""
    out = []
    for i in range(0, len(data), _STORED_MAX):
        piece = data[i : i + _STORED_MAX]
        out.append(b"\x00" + struct.pack("<HH", len(piece), len(piece) ^ 0xFFFF) + piece)
    return b"".join(out)


def assemble(pieces: Sequence[tuple[bytes, bytes | None]]) -> bytes:
    """A zlib stream of the pieces' bytes in order: each is (raw bytes, its :func:`segment`
    or None to store it as it is)."""
    adler = 1
    body = [_HEADER]
    for raw, seg in pieces:
        if not raw:
            continue
        adler = zlib.adler32(raw, adler)
        body.append(seg if seg is not None else stored(raw))
    body.append(_END)
    body.append(struct.pack(">I", adler))
    return b"".join(body)
