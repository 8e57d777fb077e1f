"""DOCX, XLSX and PPTX without their author data, every other member copied byte for byte.

Office writes the account's name into docProps/core.xml (dc:creator, cp:lastModifiedBy),
the organisation into docProps/app.xml (Company, Manager), and whatever a template or
SharePoint put there into docProps/custom.xml. Those three parts are rewritten with
those elements (and XML comments) left out; a photo pasted into the document
(word/media/, ppt/media/, xl/media/, judged by its content) goes through the image
scrubbers. The ZIP is written afresh: each member's compressed bytes are copied as they
are, behind a new local header; the central directory is rebuilt without extra fields,
member comments or the archive comment (places a name can hide). Anything the rewrite
does not understand (encrypted members, ZIP64, a name twice, DOCTYPE or CDATA in a metadata part,
a name element that would survive) is an error: the file is not published.

The XML is edited with regular expressions, never parsed (no entity expansion), and the
result is checked: the element must be gone.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import BinaryIO

from workflow.edges.files.attachments import sniff
from workflow.edges.site.scrub.plan import OFFICE_FAILED, UNSUPPORTED, Data, Plan, ScrubError, render

MAX_PART = 4 * 1024 * 1024  # a metadata part larger than this is not one Office wrote
MAX_MEDIA = 50 * 1024 * 1024  # uncompressed bytes of one embedded image
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_DOCUMENTS = ("word/document.xml", "xl/workbook.xml", "ppt/presentation.xml")
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_IMAGES = frozenset({"jpeg", "png", "gif", "webp"})


def _without(names: tuple[bytes, ...]) -> Callable[[bytes, str], bytes]:
    """A cleaner that leaves out the elements with these local names (any namespace prefix)."""

    def clean(xml: bytes, part: str) -> bytes:
        if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml or b"<![CDATA[" in xml:
            raise ScrubError(OFFICE_FAILED, f"{part} มี DOCTYPE หรือ CDATA ซึ่งเอกสาร Office ไม่ใช้")
        xml = _COMMENT.sub(b"", xml)
        for name in names:
            element = re.compile(rb"<(" + _PREFIX + name + rb")(?:\s[^>]*)?(?:/>|>.*?</\1\s*>)", re.S)
            xml = element.sub(b"", xml)
            if re.search(rb"<" + _PREFIX + name + rb"[\s/>]", xml):
                raise ScrubError(OFFICE_FAILED, f"ลบ {name.decode()} ออกจาก {part} ไม่ได้")
        return xml

    return clean


PARTS: dict[str, Callable[[bytes, str], bytes]] = {
    "docProps/core.xml": _without((b"creator", b"lastModifiedBy")),
    "docProps/app.xml": _without((b"Company", b"Manager")),
    "docProps/custom.xml": _without((b"property",)),
}


def plan_office(data: Data, handle: BinaryIO) -> Plan:
    """The plan of the clean Office file (ScrubError for a plain ZIP or one this cannot rewrite)."""
    try:
        archive = zipfile.ZipFile(handle)
    except Exception as exc:  # zipfile raises many kinds on broken archives (found by fuzzing)
        raise ScrubError(OFFICE_FAILED, f"ไฟล์ ZIP/Office เสีย ({type(exc).__name__})") from None
    with archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        if not any(name in names for name in _DOCUMENTS):
            raise ScrubError(UNSUPPORTED, "ไฟล์ ZIP ที่ไม่ใช่เอกสาร Office (DOCX, XLSX, PPTX)")
        _check(infos, names)
        plan, central = Plan(data), bytearray()
        for info in infos:
            offset = plan.size()
            _member(plan, archive, info)
            central += _central(info, offset)
        tail = central + _END.pack(b"PK\x05\x06", 0, 0, len(infos), len(infos), len(central), plan.size(), 0)
        plan.swap(archive.start_dir, len(data), bytes(tail))
    return plan


def _check(infos: list[zipfile.ZipInfo], names: list[str]) -> None:
    if len(set(names)) != len(names):
        raise ScrubError(OFFICE_FAILED, "ไฟล์ Office มีชื่อไฟล์ข้างในซ้ำกัน")
    if len(infos) >= 0xFFFF:
        raise ScrubError(OFFICE_FAILED, "ไฟล์ Office มีไฟล์ข้างในมากเกินไป")
    for info in infos:
        if info.flag_bits & 0x1:
            raise ScrubError(OFFICE_FAILED, f"{info.filename} ในไฟล์ Office ถูกเข้ารหัส")
        if max(info.file_size, info.compress_size, info.header_offset) >= 0xFFFFFFFF:
            raise ScrubError(OFFICE_FAILED, "ไฟล์ Office ใช้ ZIP64 ซึ่งไม่รองรับ")


def _member(plan: Plan, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """A new local header, then the member's data: its original bytes, or the clean copy."""
    data, at = plan.data, info.header_offset
    fields = _LOCAL.unpack(bytes(data[at : at + _LOCAL.size])) if 0 <= at <= len(data) - _LOCAL.size else None
    if fields is None or fields[0] != b"PK\x03\x04":
        raise ScrubError(OFFICE_FAILED, f"ไฟล์ Office เสีย: ไม่พบส่วนหัวของ {info.filename}")
    name = bytes(data[at + _LOCAL.size : at + _LOCAL.size + fields[10]])
    if name != _name(info):
        raise ScrubError(OFFICE_FAILED, f"ไฟล์ Office เสีย: ชื่อ {info.filename} ไม่ตรงกัน")
    start = at + _LOCAL.size + fields[10] + fields[11]
    end = start + info.compress_size
    if end > len(data):
        raise ScrubError(OFFICE_FAILED, f"ไฟล์ Office ขาดตอน: {info.filename}")
    clean = _clean_member(archive, info)
    if clean is None:
        plan.swap(at, start, _local(info, name))
        plan.keep(start, end)
        return
    info.CRC, info.file_size = zlib.crc32(clean), len(clean)
    packed = _pack(clean, info)
    info.compress_size = len(packed)
    plan.put(_local(info, name) + packed)


def _clean_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The member's clean bytes, None when it stays as it is."""
    cleaner = PARTS.get(info.filename)
    if cleaner is not None:
        xml = _read(archive, info, MAX_PART)
        clean = cleaner(xml, info.filename)
        return None if clean == xml else clean
    if sniff(_read(archive, info, 16, whole=False)) not in _IMAGES:
        return None
    from workflow.edges.site.scrub import plan_image

    original = _read(archive, info, MAX_MEDIA)
    try:
        plan = plan_image(original)
    except ScrubError as exc:
        raise ScrubError(exc.code, f"ภาพ {info.filename} ในเอกสาร: {exc.detail}") from None
    return None if plan.unchanged() else render(plan)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, *, whole: bool = True) -> bytes:
    """The member's first `limit` bytes; with `whole`, the member, which must not be larger."""
    if whole and info.file_size > limit:
        raise ScrubError(OFFICE_FAILED, f"{info.filename} ในไฟล์ Office ใหญ่เกินไป")
    try:
        with archive.open(info) as handle:
            return handle.read(limit)
    except Exception as exc:  # bad CRC, corrupt DEFLATE, unsupported method...
        raise ScrubError(OFFICE_FAILED, f"อ่าน {info.filename} ในไฟล์ Office ไม่ได้ ({type(exc).__name__})") from None


def _pack(clean: bytes, info: zipfile.ZipInfo) -> bytes:
    if info.compress_type == zipfile.ZIP_STORED:
        return clean
    info.compress_type = zipfile.ZIP_DEFLATED
    info.extract_version = max(info.extract_version, 20)
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(clean) + packer.flush()


def _name(info: zipfile.ZipInfo) -> bytes:
    return info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")


def _dos_time(info: zipfile.ZipInfo) -> tuple[int, int]:
    year, month, day, hour, minute, second = info.date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def _local(info: zipfile.ZipInfo, name: bytes) -> bytes:
    time, date = _dos_time(info)
    flags = info.flag_bits & ~0x08  # sizes and CRC are in the header: no data descriptor
    return _LOCAL.pack(
        b"PK\x03\x04", info.extract_version, info.reserved, flags, info.compress_type, time, date,
        info.CRC, info.compress_size, info.file_size, len(name), 0,
    ) + name  # fmt: skip


def _central(info: zipfile.ZipInfo, offset: int) -> bytes:
    time, date = _dos_time(info)
    name = _name(info)
    return _CENTRAL.pack(
        b"PK\x01\x02", info.create_version, info.create_system, info.extract_version, info.reserved,
        info.flag_bits & ~0x08, info.compress_type, time, date, info.CRC, info.compress_size,
        info.file_size, len(name), 0, 0, 0, info.internal_attr, info.external_attr, offset,
    ) + name  # fmt: skip
