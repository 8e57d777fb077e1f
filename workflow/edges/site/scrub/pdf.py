"""PDFs without their author data: the document information dictionary and XMP are left out.

Office programs write the author's name (from the computer's user account) into /Info
(/Author, /Creator, /Producer, /Title, /Subject, /Keywords, and any private key) and again
into the XMP /Metadata stream; an incremental save keeps the old values in the file even
after a person deletes them. pypdf reads the document and writes it afresh, so only the
objects the document still uses are written (no earlier revision, no orphaned XMP):
- no /Info dictionary at all;
- no /Metadata (XMP) and no /PieceInfo (an application's private data) on any object;
- no author (/T) on review comments and other markup annotations (form fields keep /T:
  there it is the field's name);
- photos embedded as JPEG (DCTDecode) go through the JPEG scrubber: no GPS or owner.
Pages, text, fonts, links, bookmarks, forms and the structure tree are copied as they
are. The result is read back: the same number of pages and no metadata, or an error.

A PDF pypdf cannot read or rewrite (broken, encrypted) is an error (KS743), never
published as it is. The one exception is a file with no PDF object at all, only comment
lines (`%PDF-1.4` / `% ...` / `%%EOF`: the placeholders of tests and sample data):
nothing in it can hold metadata. pypdf holds the whole document in memory: a PDF costs
a few times its size (the gate refuses files over `attachments.max_bytes`, 30 MB by default).
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from typing import Any, BinaryIO

from workflow.edges.site.scrub.jpeg import plan_jpeg
from workflow.edges.site.scrub.plan import PDF_FAILED, Data, Plan, ScrubError, render

_PLACEHOLDER_MAX = 64 * 1024
_DROPPED_KEYS = ("/Metadata", "/PieceInfo")
_MARKUP = frozenset(
    {
        "/Text",
        "/FreeText",
        "/Line",
        "/Square",
        "/Circle",
        "/Polygon",
        "/PolyLine",
        "/Highlight",
        "/Underline",
        "/Squiggly",
        "/StrikeOut",
        "/Stamp",
        "/Caret",
        "/Ink",
        "/FileAttachment",
        "/Sound",
        "/Redact",
    }
)
_MAX_DEPTH = 64


def plan_pdf(data: Data, handle: BinaryIO) -> Plan | None:
    """The rewritten PDF as a plan (one new piece), None for a placeholder without objects."""
    if placeholder(data):
        return None
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken-but-readable PDFs are common
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            new = _rewrite(handle)
        except ScrubError:
            raise
        except Exception as exc:  # pypdf raises many kinds on broken files
            raise ScrubError(PDF_FAILED, f"pypdf อ่านหรือเขียน PDF นี้ใหม่ไม่ได้ ({type(exc).__name__})") from None
    plan = Plan(data)
    plan.swap(0, len(data), new)
    return plan


def placeholder(data: Data) -> bool:
    """Only comment lines: no object, so nowhere for metadata to be."""
    if len(data) > _PLACEHOLDER_MAX:
        return False
    return all(line.startswith(b"%") for line in re.split(rb"[\r\n]+", bytes(data[:])) if line.strip())


def _rewrite(handle: BinaryIO) -> bytes:
    from pypdf import PdfReader, PdfWriter

    handle.seek(0)
    reader = PdfReader(handle, strict=False)
    if reader.is_encrypted:
        raise ScrubError(PDF_FAILED, "PDF ตั้งรหัสผ่านไว้ จึงเขียนใหม่โดยไม่มีข้อมูลผู้สร้างไม่ได้")
    pages = len(reader.pages)
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None  # no /Info
    for obj in list(writer._objects):
        if obj is not None:
            _clean(obj, 0)
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    _verify(out.getvalue(), pages)
    return out.getvalue()


def _clean(obj: Any, depth: int) -> None:
    """Leave out metadata keys in `obj` and the direct objects inside it (indirect ones are visited on their own)."""
    from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

    if depth > _MAX_DEPTH:
        raise ScrubError(PDF_FAILED, "โครงสร้าง PDF ซ้อนลึกเกินไป")
    if isinstance(obj, DictionaryObject):
        for key in _DROPPED_KEYS:
            obj.pop(key, None)
        if obj.get("/Subtype") in _MARKUP and "/T" in obj:
            del obj["/T"]  # the author of a review comment
        if isinstance(obj, StreamObject):
            _clean_photo(obj)
        for value in list(obj.values()):
            _clean(value, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            _clean(value, depth + 1)


def _clean_photo(stream: Any) -> None:
    """A JPEG image XObject (stored as the JPEG file itself) without its EXIF and XMP."""
    if stream.get("/Subtype") != "/Image":
        return
    filters = stream.get("/Filter")
    filters = filters.get_object() if filters is not None else None
    if filters != "/DCTDecode" and not (isinstance(filters, list) and list(filters) == ["/DCTDecode"]):
        return
    try:
        plan = plan_jpeg(stream._data)
    except ScrubError as exc:
        raise ScrubError(PDF_FAILED, f"ภาพ JPEG ใน PDF: {exc.detail}") from None
    if not plan.unchanged():
        stream._data = render(plan)
        stream.decoded_self = None


def _verify(new: bytes, pages: int) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(new), strict=False)
    if len(reader.pages) != pages or reader.metadata is not None or "/Metadata" in reader.root_object:
        raise ScrubError(PDF_FAILED, "PDF ที่เขียนใหม่ไม่ครบหรือยังมีข้อมูลผู้สร้าง")
