"""JPEG without metadata, by segments: the compressed image data is copied byte for byte.

Kept: the segments a decoder needs (frame, tables, restart interval, scans), the ICC
colour profile (APP2 ICC_PROFILE) and the Adobe colour transform (APP14), JFIF (APP0)
without its thumbnail, and EXIF rebuilt to hold only the orientation (exif.py). Dropped:
every other EXIF tag, XMP, IPTC and Photoshop data (APP13), comments (COM), MPF and
FlashPix (APP2), every other APPn segment, fill bytes between segments, and everything
after the end of the image (the second images of MPF, phone "motion photo" videos and
vendor trailers live there). A marker that is not in the standard, or a file that ends
before its end-of-image marker, is an error: such a file is not published at all.
"""

from __future__ import annotations

from workflow.edges.site.scrub import exif
from workflow.edges.site.scrub.plan import CHUNK, IMAGE_BROKEN, IMAGE_UNKNOWN, Data, Plan, ScrubError, need, u16be

SOI, EOI, SOS, COM = 0xD8, 0xD9, 0xDA, 0xFE
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and RSTn carry no length
_FRAMES = frozenset({*range(0xC0, 0xD0)} - {0xC4, 0xC8, 0xCC})  # SOF0–SOF15
_TABLES = frozenset({0xC4, 0xCC, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF})  # DHT DAC DQT DNL DRI DHP EXP
_JFIF, _ICC, _ADOBE, _EXIF = b"JFIF\x00", b"ICC_PROFILE\x00", b"Adobe", exif.PREFIX


class _Seen:
    def __init__(self) -> None:
        self.frame = False
        self.scans = 0
        self.orientation_kept = False


def plan_jpeg(data: Data) -> Plan:
    """The plan of the clean JPEG (ScrubError when the file cannot be walked to its end)."""
    if data[:2] != b"\xff\xd8":
        raise ScrubError(IMAGE_BROKEN, "ไม่ใช่ไฟล์ JPEG ที่สมบูรณ์ (ไม่มีจุดเริ่มภาพ)")
    plan, seen, pos = Plan(data), _Seen(), 2
    plan.keep(0, 2)
    while True:
        start, marker, pos = _next_marker(data, pos)
        if marker == EOI:
            if not seen.scans:
                raise ScrubError(IMAGE_BROKEN, "ไฟล์ JPEG ไม่มีข้อมูลภาพ")
            plan.keep(start, pos)
            return plan  # anything after the end of the image is left out
        if marker in _STANDALONE:
            plan.keep(start, pos)
            continue
        need(data, pos + 2, "ส่วนหัวของ JPEG")
        length = u16be(data, pos)
        if length < 2:
            raise ScrubError(IMAGE_BROKEN, f"ส่วนหัวของ JPEG ที่ไบต์ {start} มีความยาวผิด")
        end = pos + length
        need(data, end, "ส่วนหัวของ JPEG")
        _segment(plan, seen, marker, start, end)
        pos = _scan(plan, data, end) if marker == SOS else end


def _next_marker(data: Data, pos: int) -> tuple[int, int, int]:
    """(where the marker starts, the marker byte, where its segment's body starts), skipping fill bytes."""
    if pos >= len(data):
        raise ScrubError(IMAGE_BROKEN, "ไฟล์ JPEG ขาดตอน (ไม่พบจุดสิ้นสุดภาพ)")
    if data[pos] != 0xFF:
        raise ScrubError(IMAGE_BROKEN, f"พบข้อมูลที่ไม่ใช่ส่วนหัวของ JPEG ที่ไบต์ {pos}")
    while pos < len(data) and data[pos] == 0xFF:  # 0xFF fill bytes may precede any marker
        pos += 1
    if pos >= len(data):
        raise ScrubError(IMAGE_BROKEN, "ไฟล์ JPEG ขาดตอน (ไม่พบจุดสิ้นสุดภาพ)")
    marker = data[pos]
    if marker in (0x00, SOI):
        raise ScrubError(IMAGE_BROKEN, f"ส่วนหัวของ JPEG ที่ไบต์ {pos - 1} ไม่ถูกต้อง")
    return pos - 1, marker, pos + 1


def _segment(plan: Plan, seen: _Seen, marker: int, start: int, end: int) -> None:
    """Keep, rewrite or leave out one segment (`data[start:end]`, marker included)."""
    if marker in _FRAMES:
        seen.frame = True
        plan.keep(start, end)
    elif marker == SOS:
        if not seen.frame:
            raise ScrubError(IMAGE_BROKEN, "ไฟล์ JPEG มีข้อมูลภาพก่อนส่วนหัวของภาพ")
        seen.scans += 1
        plan.keep(start, end)
    elif marker in _TABLES:
        plan.keep(start, end)
    elif 0xE0 <= marker <= 0xEF:
        _application(plan, seen, marker, start, end)
    elif marker != COM:  # comments are left out; anything else is not standard JPEG
        raise ScrubError(IMAGE_UNKNOWN, f"ไฟล์ JPEG มีส่วนที่ไม่รู้จัก (0xFF{marker:02X}) ที่ไบต์ {start}")


def _application(plan: Plan, seen: _Seen, marker: int, start: int, end: int) -> None:
    body = bytes(plan.data[start + 4 : end])
    if marker == 0xE0 and body.startswith(_JFIF) and len(body) >= 14:
        plan.swap(start, end, _segment_bytes(0xE0, body[:12] + b"\x00\x00"))  # no thumbnail
    elif marker == 0xE1 and body.startswith(_EXIF) and not seen.orientation_kept:
        value = exif.orientation(body)
        if value is not None:
            seen.orientation_kept = True
            plan.swap(start, end, _segment_bytes(0xE1, _EXIF + exif.orientation_only(value)))
    elif marker == 0xE2 and body.startswith(_ICC):
        plan.keep(start, end)
    elif marker == 0xEE and body.startswith(_ADOBE) and len(body) >= 12:
        plan.swap(start, end, _segment_bytes(0xEE, body[:12]))


def _segment_bytes(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(body) + 2).to_bytes(2, "big") + body


def _scan(plan: Plan, data: Data, pos: int) -> int:
    """Keep the entropy-coded data after a scan header; return where the next marker starts.

    Read a mebibyte at a time: a 0xFF followed by 0x00 (stuffing) or a restart marker is
    image data, any other 0xFF is the next marker.
    """
    start = pos
    while True:
        block = bytes(data[pos : pos + CHUNK + 1])  # one byte more: what follows a 0xFF at the end
        at = block.find(b"\xff")
        while 0 <= at < len(block) - 1:
            following = block[at + 1]
            if following != 0x00 and not 0xD0 <= following <= 0xD7:
                plan.keep(start, pos + at)
                return pos + at
            at = block.find(b"\xff", at + 2)
        if len(block) <= CHUNK:
            raise ScrubError(IMAGE_BROKEN, "ไฟล์ JPEG ขาดตอนระหว่างข้อมูลภาพ")
        pos += at if at >= 0 else len(block)
