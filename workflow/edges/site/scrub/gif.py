"""GIF without metadata, by blocks: the image data is copied byte for byte.

Kept: the header and colour tables, every image (descriptor, local colour table, LZW
data), graphic control extensions (delay, transparency), the NETSCAPE2.0/ANIMEXTS1.0
loop count (rebuilt so that it holds nothing else) and an ICC profile. Dropped: comment
extensions, plain-text extensions, every other application extension (XMP among them)
and anything after the trailer. A block this module does not know, or a file that ends
before its trailer, is an error.
"""

from __future__ import annotations

from workflow.edges.site.scrub.plan import CHUNK, IMAGE_BROKEN, Data, Plan, ScrubError, need

_EXTENSION, _IMAGE, _TRAILER = 0x21, 0x2C, 0x3B
_GRAPHIC_CONTROL, _APPLICATION = 0xF9, 0xFF
_LOOPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")
_ICC = b"ICCRGBG1012"


def plan_gif(data: Data) -> Plan:
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ScrubError(IMAGE_BROKEN, "ไม่ใช่ไฟล์ GIF ที่สมบูรณ์")
    need(data, 13, "ส่วนหัวของ GIF")
    pos = 13 + _colour_table(data[10])
    need(data, pos, "ตารางสีของ GIF")
    plan = Plan(data)
    plan.keep(0, pos)
    while True:
        need(data, pos + 1, "GIF")
        block = data[pos]
        if block == _TRAILER:
            plan.keep(pos, pos + 1)
            return plan  # anything after the trailer is left out
        if block == _IMAGE:
            need(data, pos + 11, "ส่วนหัวของภาพใน GIF")
            end = _sub_blocks(data, pos + 11 + _colour_table(data[pos + 9]))
            plan.keep(pos, end)
        elif block == _EXTENSION:
            need(data, pos + 2, "ส่วนขยายของ GIF")
            end = _sub_blocks(data, pos + 2)
            _extension(plan, data[pos + 1], pos, end)
        else:
            raise ScrubError(IMAGE_BROKEN, f"GIF มีส่วนที่ไม่รู้จัก (0x{block:02X}) ที่ไบต์ {pos}")
        pos = end


def _colour_table(packed: int) -> int:
    return 3 << ((packed & 7) + 1) if packed & 0x80 else 0


def _sub_blocks(data: Data, pos: int) -> int:
    """Where a chain of data sub-blocks starting at `pos` ends (after its 0 terminator), read a mebibyte at a time."""
    while True:
        block = bytes(data[pos : pos + CHUNK])
        at = 0
        while at < len(block):
            if block[at] == 0:
                return pos + at + 1
            at += 1 + block[at]
        if len(block) < CHUNK:
            raise ScrubError(IMAGE_BROKEN, "ไฟล์ขาดตอน: ข้อมูลใน GIF ยาวเกินท้ายไฟล์")
        pos += at


def _extension(plan: Plan, label: int, start: int, end: int) -> None:
    data = plan.data
    if label == _GRAPHIC_CONTROL and data[start + 2] == 4 and end >= start + 8:
        plan.swap(start, end, bytes(data[start : start + 7]) + b"\x00")  # the 4 bytes, nothing more
    elif label == _APPLICATION and data[start + 2] == 11 and end >= start + 15:
        name = bytes(data[start + 3 : start + 14])
        if name == _ICC:
            plan.keep(start, end)
        elif name in _LOOPS and data[start + 14] == 3 and data[start + 15] == 1 and end >= start + 19:
            plan.swap(start, end, bytes(data[start : start + 18]) + b"\x00")  # the loop count only
