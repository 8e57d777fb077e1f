"""WebP without metadata, by RIFF chunks: the image data is copied byte for byte.

Kept: the image chunks (VP8, VP8L, ALPH, ANIM, ANMF), the ICC profile (ICCP) and the
extended header (VP8X), whose EXIF and XMP flags are set to what is left. EXIF is rebuilt
to hold only the orientation; XMP and every unknown chunk are left out, as is anything
after the RIFF data. A file shorter than its RIFF header says, or one that does not start
with an image chunk, is an error.
"""

from __future__ import annotations

from workflow.edges.site.scrub import exif
from workflow.edges.site.scrub.plan import IMAGE_BROKEN, Data, Plan, ScrubError, need, u32le

_FIRST = frozenset({b"VP8 ", b"VP8L", b"VP8X"})
_KEPT = frozenset({b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF", b"ICCP"})
_EXIF_FLAG, _XMP_FLAG = 0x08, 0x04


def plan_webp(data: Data) -> Plan:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ScrubError(IMAGE_BROKEN, "ไม่ใช่ไฟล์ WebP ที่สมบูรณ์")
    end = 8 + u32le(data, 4)
    need(data, end, "ข้อมูล RIFF ของ WebP")
    body, header, exif_kept, pos = Plan(data), None, False, 12
    while pos < end:
        need(data, pos + 8, "ส่วนของ WebP")
        kind, size = bytes(data[pos : pos + 4]), u32le(data, pos + 4)
        stop = pos + 8 + size + (size & 1)
        if stop > end:
            raise ScrubError(IMAGE_BROKEN, f"ไฟล์ขาดตอน: ส่วน {kind!r} ของ WebP ยาวเกินท้ายข้อมูล")
        if pos == 12 and (kind not in _FIRST or (kind == b"VP8X" and size != 10)):
            raise ScrubError(IMAGE_BROKEN, "WebP ไม่ขึ้นต้นด้วยส่วนหัวหรือข้อมูลภาพ")
        if kind == b"VP8X" and pos == 12:
            header = (pos, stop)
        elif kind in _KEPT:
            body.keep(pos, stop)
        elif kind == b"EXIF" and not exif_kept:
            exif_kept = _exif(body, pos, stop, size)
        pos = stop
    if not body.pieces:
        raise ScrubError(IMAGE_BROKEN, "WebP ไม่มีข้อมูลภาพ")
    return _assemble(body, header, exif_kept)


def _exif(body: Plan, start: int, stop: int, size: int) -> bool:
    value = exif.orientation(bytes(body.data[start + 8 : start + 8 + min(size, exif.MAX_READ)]))
    if value is None:
        return False
    block = exif.orientation_only(value)
    body.swap(start, stop, b"EXIF" + len(block).to_bytes(4, "little") + block)
    return True


def _assemble(body: Plan, header: tuple[int, int] | None, exif_kept: bool) -> Plan:
    """RIFF header with the new size, the extended header's flags set to what is left, the chunks."""
    data, plan = body.data, Plan(body.data)
    size = 4 + body.size() + (header[1] - header[0] if header else 0)
    plan.swap(0, 12, b"RIFF" + size.to_bytes(4, "little") + b"WEBP")
    if header is not None:
        start, stop = header
        flags = data[start + 8] & ~(_EXIF_FLAG | _XMP_FLAG) | (_EXIF_FLAG if exif_kept else 0)
        plan.swap(start, stop, bytes(data[start : start + 8]) + bytes((flags,)) + bytes(data[start + 9 : stop]))
    for piece in body.pieces:
        if isinstance(piece, tuple):
            plan.keep(*piece)
        else:
            plan.put(piece)
    return plan
