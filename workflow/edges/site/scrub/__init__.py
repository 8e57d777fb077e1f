"""Every file the site serves from content/files/ and content/images/ is published clean or not at all.

Decision (issue 7, widened by issue 13): strip at build rather than block. Phone cameras
record the position in every photo and Office writes the account's name into every
document; a PR officer should not need a metadata tool to publish one. The site must
never show where a photo was taken (a school, a child's home), whose camera took it or
who wrote a document, so the build cleans its *staged* copy of each file it publishes,
whatever the folder, judged by content (`sniff`), never by the extension:
- JPEG, PNG, GIF, WebP: by segments and chunks (jpeg.py, png.py, gif.py, webp.py); the
  image data is copied byte for byte and no pixel is decoded, so no image library's size
  limit applies; EXIF keeps only the orientation (exif.py);
- PDF: rewritten by pypdf without /Info and XMP (pdf.py);
- DOCX, XLSX, PPTX: core.xml, app.xml and custom.xml without names (office.py);
- text (CSV) and empty files hold no container metadata and are published as they are.
A file that cannot be cleaned (truncated, malformed, a structure where metadata could
hide, a PDF pypdf cannot rewrite, any other type) stops the build with its own code
(KS741–KS746) and the file's name, before anything is swapped in: the previous site
stays as it was.

The person's file in the repository is never modified: the staged file is a hard link to
it, so the clean copy is written beside it and renamed over the link (which breaks the
link, never writes through it). Images are read and written a mebibyte at a time
(plan.py): memory stays small whatever their size. PDFs are read whole by pypdf (files
over `attachments.max_bytes`, 30 MB by default, never pass the gate); of an Office file,
only the metadata parts and embedded images are read whole.
`khaosan check --publish` still warns (KS706, KS716) so the person knows their file holds
the data.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from workflow.core.problems import CODES
from workflow.edges.files.attachments import sniff
from workflow.edges.site.scrub.gif import plan_gif
from workflow.edges.site.scrub.jpeg import plan_jpeg
from workflow.edges.site.scrub.office import plan_office
from workflow.edges.site.scrub.pdf import plan_pdf
from workflow.edges.site.scrub.plan import (
    IMAGE_BROKEN,
    NOT_WRITTEN,
    OFFICE_FAILED,
    UNSUPPORTED,
    Data,
    FileData,
    Plan,
    ScrubError,
    render,
    write,
)
from workflow.edges.site.scrub.png import plan_png
from workflow.edges.site.scrub.webp import plan_webp
from workflow.errors import EXIT_CONTENT, KhaosanError

__all__ = ["ScrubError", "clean_for_site", "plan_file", "plan_image", "scrub_bytes", "scrub_staged"]

IMAGES: dict[str, Callable[[Data], Plan]] = {"jpeg": plan_jpeg, "png": plan_png, "gif": plan_gif, "webp": plan_webp}
AS_IS = frozenset({"text", "empty"})  # no container, so no hidden metadata
_HEAD = 8192
_NAMES = {"ole": "เอกสาร Office รุ่นเก่า (.doc .xls .ppt)", "exe": "ไฟล์โปรแกรม", "script": "สคริปต์"}


def plan_image(data: Data) -> Plan:
    """The plan of a clean image of any supported kind (ScrubError for anything else)."""
    planner = IMAGES.get(sniff(bytes(data[:_HEAD])))
    if planner is None:
        raise ScrubError(UNSUPPORTED, "ไม่ใช่ภาพชนิดที่รองรับ (JPEG, PNG, GIF, WebP)")
    return _guarded(planner, data, IMAGE_BROKEN)


def plan_file(data: Data, handle: BinaryIO) -> Plan | None:
    """The plan of the clean file, or None when the file is published as it is (text, empty)."""
    kind = sniff(bytes(data[:_HEAD]))
    if kind in AS_IS:
        return None
    if kind in IMAGES:
        return _guarded(IMAGES[kind], data, IMAGE_BROKEN)
    if kind == "pdf":
        return plan_pdf(data, handle)
    if kind == "zip":
        return _guarded(lambda d: plan_office(d, handle), data, OFFICE_FAILED)
    raise ScrubError(UNSUPPORTED, f"ไฟล์ชนิดนี้ ({_NAMES.get(kind, 'ไม่รู้จักชนิด')}) ล้างข้อมูลแฝงไม่ได้")


def _guarded(planner: Callable[[Data], Plan], data: Data, code: str) -> Plan:
    """Any other failure of a planner on hostile bytes is a ScrubError too: never publish as is."""
    try:
        return planner(data)
    except ScrubError:
        raise
    except Exception as exc:
        raise ScrubError(code, f"อ่านโครงสร้างไฟล์ไม่ได้ ({type(exc).__name__})") from None


def scrub_bytes(data: bytes) -> bytes | None:
    """The clean bytes, or None when `data` is clean already or published as it is."""
    plan = plan_file(data, io.BytesIO(data))
    return None if plan is None or plan.unchanged() else render(plan)


def scrub_staged(path: Path) -> bool:
    """Replace the staged file at `path` by its clean copy; True when it had something to remove.

    Writes a new file and renames it over `path`: when `path` is a hard link to the
    person's file, that file keeps every byte. ScrubError when it cannot be cleaned.
    """
    with open(path, "rb") as handle:
        plan = plan_file(FileData(handle), handle)
        if plan is None or plan.unchanged():
            return False
        temp = path.with_name(f".{path.name}.scrub-{os.getpid()}")
        try:
            with open(temp, "xb") as out:
                write(plan, out)
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)
    return True


def clean_for_site(path: Path, ref: str) -> bool:
    """`scrub_staged` for the build: a file that cannot be cleaned stops it (KhaosanError, the file named)."""
    try:
        return scrub_staged(path)
    except ScrubError as exc:
        code, detail = exc.code, exc.detail
    except OSError as exc:
        code, detail = NOT_WRITTEN, exc.strerror or type(exc).__name__
    said = f"{CODES[code].message}: content/{ref} ({detail})"
    raise KhaosanError(code, f"{said} จึงไม่สร้างเว็บไซต์ใหม่ เว็บไซต์เดิมยังอยู่ครบ", CODES[code].hint, exit_code=EXIT_CONTENT)
