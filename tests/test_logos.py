"""Logos and pictures: the size comes from the header before decoding, and a logo is
decoded once per process, however many handouts a batch prints with it."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from routinekit.errors import UserError
from routinekit.files.image_header import BadImage, read_header
from routinekit.render import images

BROKEN = Path(__file__).resolve().parent / "broken"


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_sizes_are_read_from_the_header(tmp_path: Path) -> None:
    Image.new("RGB", (321, 123)).save(tmp_path / "a.png")
    Image.new("RGB", (321, 123)).save(tmp_path / "a.jpg", "JPEG", progressive=True)
    for name in ("a.png", "a.jpg"):
        header = read_header((tmp_path / name).read_bytes())
        assert (header.width, header.height) == (321, 123)
    assert read_header(_png_claiming(13000, 13000)).pixels == 169_000_000
    for bad in (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0\x00\x10JFIF", b"GIF89a", b""):
        with pytest.raises(BadImage):
            read_header(bad)


def test_a_huge_claimed_size_is_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from routinekit.files.people_files import load_clinic_file

    (tmp_path / "logo.png").write_bytes(_png_claiming(13000, 13000))
    (tmp_path / "clinic.yaml").write_text("name: C\nlogo: logo.png\n", encoding="utf-8")

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("the decoder must not run")

    monkeypatch.setattr(Image, "open", no_decoding)
    with pytest.raises(UserError, match=r"too large \(13,000 x 13,000 pixels"):
        load_clinic_file(tmp_path / "clinic.yaml")


def test_a_logo_is_decoded_once_for_a_whole_batch(tmp_path: Path) -> None:
    from routinekit.batch.runner import run_batch

    Image.new("RGBA", (900, 300), (10, 120, 200, 255)).save(tmp_path / "logo.png")
    (tmp_path / "clinic.yaml").write_text("name: C\nlogo: logo.png\n", encoding="utf-8")
    listing = tmp_path / "list.csv"
    listing.write_text("name\n" + "".join(f"P{i}\n" for i in range(6)), encoding="utf-8")
    images._decode.cache_clear()
    summary = run_batch(
        listing,
        BROKEN / "routines" / "valid.yaml",
        tmp_path / "out",
        format="pdf",
        jobs=0,
        clinic=tmp_path / "clinic.yaml",
    )
    assert summary.written == 6, summary
    info = images._decode.cache_info()
    assert info.misses == 1 and info.hits >= 6, info


def test_a_large_picture_is_scaled_down_for_print(tmp_path: Path) -> None:
    Image.new("RGB", (4000, 1000), (1, 2, 3)).save(tmp_path / "wide.jpg", "JPEG")
    picture = images.decoded(str(tmp_path / "wide.jpg"))
    assert max(picture.width, picture.height) <= images.MAX_EDGE
    assert picture.aspect == pytest.approx(0.25, rel=0.01)
