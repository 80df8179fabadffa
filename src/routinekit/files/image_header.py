"""The type and pixel size of a PNG or JPEG, read from its header before anything is decoded.

A 20 KB PNG can claim 13,000 x 13,000 pixels (1.9 GB once decoded) and a JPEG header
can claim 65,000 x 65,000. The size is read from the bytes (PNG: the IHDR chunk;
JPEG: the first start-of-frame segment) and checked against the limits before a
decoder ever sees the file.
"""

from __future__ import annotations

import struct

import msgspec

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"

#: start-of-frame markers (baseline, progressive, lossless, ...); not DHT, JPG or DAC
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
#: markers without a length field
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


class BadImage(ValueError):
    """The header is not a PNG or JPEG one, or is cut short; ``str()`` says why."""


class ImageHeader(msgspec.Struct, frozen=True):
    media_type: str
    """``image/png`` or ``image/jpeg``."""
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


def read_header(data: bytes) -> ImageHeader:
    """The type and size of the picture in ``data``; :class:`BadImage` if they cannot be read."""
    if data.startswith(PNG_MAGIC):
        return _png(data)
    if data.startswith(JPEG_MAGIC):
        return _jpeg(data)
    raise BadImage("is not a PNG or JPEG picture")


def _png(data: bytes) -> ImageHeader:
    if len(data) < 33:
        raise BadImage("is cut short (no PNG header)")
    length, kind = struct.unpack(">I4s", data[8:16])
    if kind != b"IHDR" or length != 13:
        raise BadImage("is damaged (its PNG header is missing)")
    width, height = struct.unpack(">II", data[16:24])
    if not width or not height:
        raise BadImage("is damaged (it claims a size of 0 pixels)")
    return ImageHeader("image/png", width, height)


def _jpeg(data: bytes) -> ImageHeader:
    i = 2
    n = len(data)
    while i < n:
        if data[i] != 0xFF:
            raise BadImage("is damaged (a JPEG segment is broken)")
        while i < n and data[i] == 0xFF:  # fill bytes
            i += 1
        if i >= n:
            break
        marker = data[i]
        i += 1
        if marker in _STANDALONE:
            continue
        if marker in (0xD9, 0xDA):  # end of image, or start of scan before any frame
            raise BadImage("is damaged (no JPEG frame header before the picture data)")
        if i + 2 > n:
            break
        (length,) = struct.unpack(">H", data[i : i + 2])
        if length < 2:
            raise BadImage("is damaged (a JPEG segment is broken)")
        if marker in _SOF:
            if i + 7 > n:
                break
            height, width = struct.unpack(">HH", data[i + 3 : i + 7])
            if not width or not height:
                raise BadImage("is damaged (it claims a size of 0 pixels)")
            return ImageHeader("image/jpeg", width, height)
        i += length
    raise BadImage("is cut short (no JPEG frame header)")
