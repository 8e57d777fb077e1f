"""Small attachments and images made in memory for the safety tests (not a test module)."""

from __future__ import annotations

import io
import zipfile


def jpeg_with_gps(owner: str = "Somchai Camera") -> bytes:
    from PIL import Image

    image = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    exif[0x0112] = 1  # orientation: must survive the scrub
    exif[0x013B] = owner
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (13.0, 45.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def plain_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, "JPEG")
    return out.getvalue()


def pdf(text: str = "Sample document", *, author: str | None = None, encrypt: bool = False) -> bytes:
    """A one-page PDF whose text layer says `text` (ASCII: the standard Helvetica font)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream.set_data(f"BT /F1 12 Tf 72 700 Td ({escaped}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    if author:
        writer.add_metadata({"/Author": author})
    if encrypt:
        writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(paragraphs: list[str], *, creator: str = "", macro: bool = False) -> bytes:
    """A minimal Word file (what the inspector reads: document.xml and core.xml)."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        kind = "macroEnabled.main+xml" if macro else "document.main+xml"
        archive.writestr(
            "[Content_Types].xml", f'<Types><Override ContentType="application/vnd.ms-word.{kind}"/></Types>'
        )
        archive.writestr("word/document.xml", f'<w:document xmlns:w="x"><w:body>{body}</w:body></w:document>')
        archive.writestr(
            "docProps/core.xml", f"<cp:coreProperties><dc:creator>{creator}</dc:creator></cp:coreProperties>"
        )
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return out.getvalue()
