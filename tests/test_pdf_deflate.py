"""Runs of blocks are compressed from pieces compressed once (render/pdf/deflate)."""

from __future__ import annotations

import os
import zlib

import pytest

from routinekit.render.pdf import deflate


@pytest.mark.parametrize("sizes", [[0], [1], [10, 0, 5], [70_000], [3000, 200_000, 17], [1] * 50])
def test_assembled_pieces_inflate_to_their_bytes(sizes: list[int]) -> None:
    rng = os.urandom  # incompressible and compressible pieces, stored and deflated
    pieces: list[tuple[bytes, bytes | None]] = []
    for k, n in enumerate(sizes):
        raw = rng(n) if k % 2 else (b"BT /F1+0 10 Tf (Knees to chest) Tj ET\n" * n)[:n]
        pieces.append((raw, deflate.segment(raw) if k % 3 != 1 else None))
    data = deflate.assemble(pieces)
    assert zlib.decompress(data) == b"".join(raw for raw, _ in pieces)
    # a reader that inflates in small steps (as PDF viewers stream) gets the same
    d = zlib.decompressobj()
    got = b"".join(d.decompress(data[i : i + 7]) for i in range(0, len(data), 7)) + d.flush()
    assert got == b"".join(raw for raw, _ in pieces) and d.eof


def test_a_segment_stands_on_its_own() -> None:
    """It ends on a byte boundary and refers to nothing before it, so it may follow anything."""
    a = b"q 1 0 0 1 0 10 cm\n" * 40
    seg = deflate.segment(a)
    assert seg.endswith(b"\x00\x00\xff\xff")  # a sync flush: byte-aligned, not final
    for before in (b"", os.urandom(100), a, b"BT (other words) Tj ET\n" * 9):
        pieces = [(before, deflate.segment(before) if before else None), (a, seg)]
        assert zlib.decompress(deflate.assemble(pieces)) == before + a
