"""PNG (and APNG) without metadata, by chunks: the image data is copied byte for byte.

Kept: the critical chunks, and the ancillary chunks that change how the image looks or
moves (transparency, colour space and profile, gamma, physical size, background,
significant bits, HDR information, APNG frames). EXIF (eXIf) is rebuilt to hold only the
orientation. Every other ancillary chunk is left out: text (tEXt, zTXt, iTXt, where
"Raw profile type exif" and XMP hide), time, content credentials, private chunks. A
critical chunk this module does not know is an error, as is a file that ends before
IEND. Nothing after IEND is kept. Pixels are never decoded, so no size limit of an
image library applies.
"""

from __future__ import annotations

import zlib

from workflow.edges.site.scrub import exif
from workflow.edges.site.scrub.plan import IMAGE_BROKEN, IMAGE_UNKNOWN, Data, Plan, ScrubError, need, u32be

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CRITICAL = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND"})
_KEPT = frozenset(
    {
        b"tRNS",
        b"gAMA",
        b"cHRM",
        b"sRGB",
        b"iCCP",
        b"cICP",
        b"mDCV",
        b"mDCv",
        b"cLLI",
        b"cLLi",
        b"sBIT",
        b"bKGD",
        b"pHYs",
        b"acTL",
        b"fcTL",
        b"fdAT",
    }
)


def plan_png(data: Data) -> Plan:
    if data[:8] != SIGNATURE:
        raise ScrubError(IMAGE_BROKEN, "ไม่ใช่ไฟล์ PNG ที่สมบูรณ์")
    plan, pos = Plan(data), 8
    plan.keep(0, 8)
    while True:
        need(data, pos + 8, "ส่วนของ PNG")
        length, kind = u32be(data, pos), bytes(data[pos + 4 : pos + 8])
        end = pos + 12 + length
        if length > 0x7FFFFFFF or not kind.isalpha() or not kind.isascii():
            raise ScrubError(IMAGE_BROKEN, f"ส่วนของ PNG ที่ไบต์ {pos} ไม่ถูกต้อง")
        need(data, end, f"ส่วน {kind.decode('ascii')} ของ PNG")
        if pos == 8 and kind != b"IHDR":
            raise ScrubError(IMAGE_BROKEN, "PNG ไม่ขึ้นต้นด้วยส่วนหัวของภาพ (IHDR)")
        _chunk(plan, kind, pos, end)
        if kind == b"IEND":
            return plan  # anything after the end of the image is left out
        pos = end


def _chunk(plan: Plan, kind: bytes, start: int, end: int) -> None:
    if kind in _CRITICAL or kind in _KEPT:
        plan.keep(start, end)
    elif kind == b"eXIf":
        value = exif.orientation(bytes(plan.data[start + 8 : min(end - 4, start + 8 + exif.MAX_READ)]))
        if value is not None:
            plan.swap(start, end, chunk(b"eXIf", exif.orientation_only(value)))
    elif kind[0] & 0x20 == 0:  # an uppercase first letter: critical, and unknown here
        raise ScrubError(IMAGE_UNKNOWN, f"PNG มีส่วนสำคัญที่ไม่รู้จัก ({kind.decode('ascii')})")


def chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")
