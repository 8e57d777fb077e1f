"""EXIF cut down to the one tag that changes how an image is shown: Orientation.

Everything else in EXIF (GPS position, camera owner and serial numbers, maker notes,
the thumbnail, free-text comments) is of no use to a reader of the site and may say
where a photo was taken or whose camera took it. Rather than deleting tags from a
structure we did not write, the scrubber reads the orientation and writes a new,
minimal EXIF block holding only it; without an Orientation tag no EXIF is kept.
The reader is ours (a few bounded lookups), so a hostile EXIF block never reaches a
library: when it cannot be read, the orientation is simply lost.
"""

from __future__ import annotations

from typing import Literal

PREFIX = b"Exif\x00\x00"  # JPEG APP1 (and some PNG/WebP writers) put this before the TIFF header
ORIENTATION = 0x0112
_SHORT = 3
_MAX_ENTRIES = 1000
MAX_READ = 65536  # the first IFD is near the start; JPEG cannot hold more in one segment


def orientation(block: bytes) -> int | None:
    """The Orientation (1–8) of an EXIF block; None when it has none or cannot be read."""
    tiff = block.removeprefix(PREFIX)
    orders: dict[bytes, Literal["little", "big"]] = {b"II": "little", b"MM": "big"}
    order = orders.get(tiff[:2])
    if order is None or len(tiff) < 8 or int.from_bytes(tiff[2:4], order) != 42:
        return None
    ifd = int.from_bytes(tiff[4:8], order)
    if ifd + 2 > len(tiff):
        return None
    count = int.from_bytes(tiff[ifd : ifd + 2], order)
    for index in range(min(count, _MAX_ENTRIES)):
        entry = tiff[ifd + 2 + 12 * index : ifd + 14 + 12 * index]
        if len(entry) < 12:
            return None
        tag, kind, number = (int.from_bytes(entry[a:b], order) for a, b in ((0, 2), (2, 4), (4, 8)))
        if tag == ORIENTATION and kind == _SHORT and number == 1:
            value = int.from_bytes(entry[8:10], order)
            return value if 1 <= value <= 8 else None
    return None


def orientation_only(value: int) -> bytes:
    """A TIFF-structured EXIF block (without `Exif\\0\\0`) whose only tag is Orientation."""
    entry = ORIENTATION.to_bytes(2, "big") + _SHORT.to_bytes(2, "big") + (1).to_bytes(4, "big")
    entry += value.to_bytes(2, "big") + b"\x00\x00"
    return b"MM\x00\x2a" + (8).to_bytes(4, "big") + (1).to_bytes(2, "big") + entry + (0).to_bytes(4, "big")
