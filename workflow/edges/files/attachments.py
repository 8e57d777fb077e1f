"""Look inside referenced files for the publish gate: type by content, text, metadata.

The core gets an `Attachment` (plain data), never bytes. Each file is looked
at once per run per content hash (the same PDF named by ten items is read
once). Everything is bounded: files over the office's size limit are not
opened, ZIP members are read only up to a cap (no zip bombs), PDFs only up to
`MAX_PAGES` pages, and any library error becomes "could not be read", not a
crash.
"""

from __future__ import annotations

import html
import io
import logging
import os
import re
import warnings
import zipfile
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from workflow.core.safety import Attachment
from workflow.core.structure import AttachmentPolicy
from workflow.edges.files.repository import Repository

HEAD = 8192
MAX_PAGES = 500
MAX_TEXT = 4_000_000  # characters kept per file
MAX_MEMBER = 50 * 1024 * 1024  # uncompressed bytes read from one ZIP member
_EXE = (
    b"MZ",
    b"\x7fELF",
    b"\xca\xfe\xba\xbe",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"dex\n",
)
_PARAGRAPH = re.compile(rb"</(?:w|a):p>")
_RUN_TEXT = re.compile(rb"<(?:w|a):t(?:\s[^>]*)?>([^<]*)</(?:w|a):t>")
_CELL_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_CELL = re.compile(rb"<c\b([^>]*)>(.*?)</c>", re.DOTALL)
_CELL_VALUE = re.compile(rb"<v>([^<]*)</v>")
_NOT_A_NUMBER = re.compile(rb'\bt="(?:s|b|e|inlineStr)"')  # shared-string index, boolean, error, inline text
_COMMENT_TEXT = re.compile(rb"<(?:p:text|text)(?:\s[^>]*)?>([^<]*)</(?:p:text|text)>")
_ANY_TEXT = re.compile(rb">([^<]+)<")  # the text of any XML part (document properties, XMP)
_CREATOR = re.compile(rb"<(?:dc:creator|cp:lastModifiedBy)(?:\s[^>]*)?>([^<]*)</")
_GPS_IFD, _EXIF_IFD, _ARTIST, _OWNER, _XP_AUTHOR = 0x8825, 0x8769, 0x013B, 0xA430, 0x9C9D


# Leading bytes of each type; none is a prefix of another, so the order does not matter.
_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    *((magic, "exe") for magic in _EXE),
    (b"#!", "script"),
)


def sniff(head: bytes) -> str:
    """The type by content, from the first bytes."""
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return _text_or_unknown(head)


def _text_or_unknown(head: bytes) -> str:
    """Text is UTF-8 without NUL bytes; the sample may end in the middle of a character."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the end of the sample
            return "unknown"
    return "text" if b"\x00" not in head else "unknown"


class Inspector:
    """`inspect(ref)` for the core's `Context`, cached by content hash."""

    def __init__(self, repo: Repository, policy: AttachmentPolicy) -> None:
        self.repo = repo
        self.policy = policy
        self._by_hash: dict[str, Attachment] = {}

    def __call__(self, ref: str) -> Attachment | None:
        sha = self.repo.file_hash(ref)
        if sha is None:
            return None  # missing or outside content/: KS207 says so
        cached = self._by_hash.get(sha)
        if cached is None:
            path = self.repo.asset_path(ref)
            if path is None:
                return None
            cached = self._by_hash[sha] = inspect_file(path, ref, self.policy)
        return cached if cached.ref == ref else replace(cached, ref=ref)


READABLE = frozenset({"pdf", "zip", "jpeg", "png", "gif", "webp", "text"})  # kinds whose insides are read


def inspect_file(path: str, ref: str, policy: AttachmentPolicy) -> Attachment:
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as handle:
            head = handle.read(HEAD)
            kind = sniff(head)
            if size == 0 or kind == "empty":
                return Attachment(ref, 0, "empty", read=False)
            if size > policy.max_bytes or kind not in READABLE:
                return Attachment(ref, size, kind, read=False)
            handle.seek(0)
            data = handle.read(policy.max_bytes + 1)
    except OSError as exc:
        return Attachment(ref, 0, "unknown", error=f"อ่านไฟล์ไม่ได้ ({exc.strerror})", read=False)
    return _look(ref, data, kind)


def inspect_bytes(data: bytes, ref: str, policy: AttachmentPolicy) -> Attachment:
    """The same look as `inspect_file`, at bytes already in hand (a pull request's file, read
    through GitHub's API): what passes `pr-check` is what the build will pass."""
    kind = sniff(data[:HEAD])
    if not data or kind == "empty":
        return Attachment(ref, 0, "empty", read=False)
    if len(data) > policy.max_bytes or kind not in READABLE:
        return Attachment(ref, len(data), kind, read=False)
    return _look(ref, data, kind)


def _look(ref: str, data: bytes, kind: str) -> Attachment:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "pdf":
            return _pdf(ref, data)
        if kind == "zip":
            return _office_zip(ref, data)
        if kind == "text":
            return _text(ref, data)
        return _image(ref, data, kind)


def _pdf(ref: str, data: bytes) -> Attachment:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken-but-readable PDFs are common
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return Attachment(ref, len(data), "pdf", encrypted=True)
        texts: list[tuple[str, str]] = []
        total = 0
        for number, page in enumerate(reader.pages, start=1):
            if number > MAX_PAGES or total > MAX_TEXT:
                break
            text = page.extract_text() or ""
            total += len(text)
            if text.strip():
                texts.append((f"หน้า {number}", text))
        texts += _pdf_hidden_texts(reader)
        meta = reader.metadata
        author = str(meta.author or "") if meta is not None else ""
        return Attachment(ref, len(data), "pdf", tuple(texts), (author,) if author.strip() else ())
    except Exception as exc:  # pypdf raises many kinds on broken files
        return Attachment(ref, len(data), "pdf", error=f"PDF เสียหรืออ่านไม่ได้ ({type(exc).__name__})")


_PDF_INFO = {"/Title": "ชื่อเรื่อง", "/Subject": "หัวข้อ", "/Keywords": "คำสำคัญ", "/Author": "ผู้สร้าง"}


def _pdf_hidden_texts(reader: Any) -> list[tuple[str, str]]:
    """What a PDF reader shows besides the pages: document properties, XMP, comments (annotations),
    form field values and bookmarks. Each part bounded; a broken part is skipped, not fatal."""
    texts: list[tuple[str, str]] = []
    meta = reader.metadata or {}
    for key, label in _PDF_INFO.items():
        value = meta.get(key)
        if value:
            texts.append((f"คุณสมบัติของเอกสาร ({label})", str(value)[:MAX_TEXT]))
    for place, read in (
        ("ข้อมูล XMP", _pdf_xmp),
        ("ความคิดเห็นบนหน้า (annotation)", _pdf_annotations),
        ("ช่องกรอกในแบบฟอร์ม", _pdf_fields),
        ("ที่คั่นหน้า (bookmark)", _pdf_outline),
    ):
        try:
            text = read(reader)
        except Exception:  # pypdf on a hostile part: the pages were read; this part is left out
            continue
        if text.strip():
            texts.append((place, text[:MAX_TEXT]))
    return texts


def _pdf_xmp(reader: Any) -> str:
    stream = reader.trailer["/Root"].get("/Metadata")
    data = stream.get_object().get_data()[:MAX_MEMBER] if stream is not None else b""
    return _decoded(_ANY_TEXT.findall(data), " ")


def _pdf_annotations(reader: Any) -> str:
    found = []
    for number, page in enumerate(reader.pages, start=1):
        if number > MAX_PAGES:
            break
        for annot in page.get("/Annots") or ():
            entry = annot.get_object()
            found += [str(entry[key]) for key in ("/Contents", "/T", "/Subj") if key in entry]
    return "\n".join(found)


def _pdf_fields(reader: Any) -> str:
    fields = reader.get_fields() or {}
    return "\n".join(str(f.get("/V")) for f in list(fields.values())[:10_000] if f.get("/V") not in (None, ""))


def _pdf_outline(reader: Any) -> str:
    titles: list[str] = []
    stack = list(reader.outline)
    while stack and len(titles) < 10_000:
        entry = stack.pop()
        if isinstance(entry, list):
            stack.extend(entry)
        elif getattr(entry, "title", None):
            titles.append(str(entry.title))
    return "\n".join(titles)


def _text(ref: str, data: bytes) -> Attachment:
    """A text or CSV file (a list of pupils is the classic leak): scanned in chunks of lines."""
    lines = data[:MAX_TEXT].decode("utf-8", "replace").removesuffix("\n").split("\n")
    texts = tuple(
        (f"บรรทัด {start + 1}–{min(start + 200, len(lines))}", "\n".join(lines[start : start + 200]))
        for start in range(0, len(lines), 200)
    )
    return Attachment(ref, len(data), "text", texts)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER:
        raise ValueError(f"{name} ใหญ่เกินไปเมื่อคลายการบีบอัด")
    with archive.open(info) as handle:
        return handle.read(MAX_MEMBER + 1)[:MAX_MEMBER]


def _office_zip(ref: str, data: bytes) -> Attachment:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            lowered = [n.lower() for n in names]
            types = _member(archive, "[Content_Types].xml") if "[Content_Types].xml" in names else b""
            if any(n.endswith("vbaproject.bin") for n in lowered) or b"macroEnabled" in types:
                return Attachment(ref, len(data), "macro", read=False)
            office = _office_parts(names)
            if office is None:
                return Attachment(ref, len(data), "zip", read=False)
            kind, parts = office
            texts = _office_texts(archive, kind, parts)
            return Attachment(ref, len(data), kind, tuple(texts), _office_authors(archive, names))
    except Exception as exc:  # BadZipFile, zlib.error, bad sizes...: found by fuzzing (docs/safety.md)
        return Attachment(ref, len(data), "zip", error=f"ไฟล์ ZIP/Office เสีย ({type(exc).__name__})")


# Every part of an Office file that reaches a reader who opens it: the text, and the hidden parts
# (comments, notes, footnotes, headers, document properties): (name pattern, what a person calls it).
_HIDDEN_PARTS = {
    "docx": (
        (r"word/(header|footer)\d*\.xml$", "หัวกระดาษหรือท้ายกระดาษ"),
        (r"word/(footnotes|endnotes)\.xml$", "เชิงอรรถ"),
        (r"word/comments\w*\.xml$", "ความคิดเห็น (comment)"),
    ),
    "xlsx": (
        (r"xl/comments\d*\.xml$", "ความคิดเห็น (comment)"),
        (r"xl/threadedComments/threadedComment\d*\.xml$", "ความคิดเห็น (comment)"),
    ),
    "pptx": (
        (r"ppt/notesSlides/notesSlide\d+\.xml$", "บันทึกของผู้บรรยาย"),
        (r"ppt/comments/\w+\.xml$", "ความคิดเห็น (comment)"),
    ),
}
_PROPERTIES = (r"docProps/(core|app|custom)\.xml$", "คุณสมบัติของเอกสาร")


def _office_parts(names: list[str]) -> tuple[str, list[tuple[str, str]]] | None:
    """The Office type and the XML parts that hold its text, in reading order, each with the place a
    person knows it by; None if not Office."""
    if "word/document.xml" in names:
        kind, main = "docx", [("word/document.xml", "")]
    elif "xl/workbook.xml" in names:
        sheets = sorted((n for n in names if re.match(r"xl/worksheets/sheet\d+\.xml$", n)), key=_number)
        shared = [("xl/sharedStrings.xml", "ในตาราง")] if "xl/sharedStrings.xml" in names else []
        kind, main = "xlsx", [*shared, *((n, f"แผ่นงาน {_number(n)}") for n in sheets)]
    elif "ppt/presentation.xml" in names:
        slides = sorted((n for n in names if re.match(r"ppt/slides/slide\d+\.xml$", n)), key=_number)
        kind, main = "pptx", [(n, f"สไลด์ {_number(n)}") for n in slides]
    else:
        return None
    hidden = [
        (n, place)
        for pattern, place in (*_HIDDEN_PARTS[kind], _PROPERTIES)
        for n in sorted(names)
        if re.match(pattern, n)
    ]
    return kind, [*main, *hidden]


def _number(name: str) -> int:
    return int(re.sub(r"\D", "", name.rsplit("/", 1)[-1]) or 0)


def _office_texts(archive: zipfile.ZipFile, kind: str, parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(place, text) of each part: a sheet's cells (text and numbers), each non-blank paragraph, each
    comment and property; stops after MAX_TEXT."""
    texts: list[tuple[str, str]] = []
    total = 0
    for part, place in parts:
        found = _part_texts(_member(archive, part), kind, part, place)
        texts += found
        total += sum(len(text) for _, text in found)
        if total > MAX_TEXT:
            break
    return texts


def _part_texts(xml: bytes, kind: str, part: str, place: str) -> list[tuple[str, str]]:
    if part.startswith("docProps/"):
        return [(place, _decoded(_ANY_TEXT.findall(xml), " "))]
    if kind == "xlsx":
        text = _decoded(_CELL_TEXT.findall(xml) + _COMMENT_TEXT.findall(xml), "\n")
        return [(place, text), (f"{place} (ตัวเลข)", _numbers(xml))] if "worksheets/" in part else [(place, text)]
    if part.startswith("ppt/comments/"):
        return [(place, _decoded(_COMMENT_TEXT.findall(xml), "\n"))]
    found = []
    for number, para in enumerate(_PARAGRAPH.split(xml), start=1):
        text = _decoded(_RUN_TEXT.findall(para), "")
        if text.strip():
            found.append((place or f"ย่อหน้า {number}", text))
    return found


def _decoded(pieces: list[bytes], joiner: str) -> str:
    return joiner.join(html.unescape(p.decode("utf-8", "replace")) for p in pieces)


def _numbers(sheet: bytes) -> str:
    """Cells typed as numbers, written out whole: Excel keeps a 13-digit ID as `1.234567890121E+12`."""
    values = []
    for m in _CELL.finditer(sheet):
        if _NOT_A_NUMBER.search(m.group(1)):
            continue
        value = _CELL_VALUE.search(m.group(2))
        if value is None:
            continue
        try:
            number = Decimal(value.group(1).decode("ascii", "replace"))
        except InvalidOperation:
            continue
        if number.is_finite() and number == number.to_integral_value() and abs(number) < Decimal(10) ** 20:
            values.append(str(int(number)))
    return "\n".join(values)


def _office_authors(archive: zipfile.ZipFile, names: list[str]) -> tuple[str, ...]:
    """Creator and last editor from docProps/core.xml, each once."""
    if "docProps/core.xml" not in names:
        return ()
    core = _member(archive, "docProps/core.xml")
    found = [html.unescape(m.decode("utf-8", "replace")).strip() for m in _CREATOR.findall(core)]
    return tuple(dict.fromkeys(a for a in found if a))


def _image(ref: str, data: bytes, kind: str) -> Attachment:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            gps = bool(exif.get_ifd(_GPS_IFD)) if _GPS_IFD in exif else False
            owner = str(exif.get(_ARTIST) or exif.get_ifd(_EXIF_IFD).get(_OWNER) or "").strip("\x00 ")
            if not owner and _XP_AUTHOR in exif:
                raw = exif[_XP_AUTHOR]
                owner = raw.decode("utf-16-le", "replace").strip("\x00 ") if isinstance(raw, bytes) else str(raw)
            return Attachment(ref, len(data), kind, gps=gps, owner=owner)
    except Exception as exc:  # Pillow raises many kinds on broken or hostile images
        return Attachment(ref, len(data), kind, error=f"ภาพเสียหรืออ่านไม่ได้ ({type(exc).__name__})")
