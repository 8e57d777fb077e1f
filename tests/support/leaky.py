"""Images and documents with hidden metadata planted in every place issue 13 found a leak,
made in memory with Pillow, pypdf and zipfile (not a test module).

Every planted value is a distinctive token, so a test can grep the bytes of a whole
site for it (`leaks`). The GPS position in binary EXIF is a rational no real photo
has (31337/1000 seconds), looked for in both byte orders.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

OWNER = "Somchai Leakowner"
AUTHOR = "Malee Leakauthor"
EDITOR = "Anan Leakeditor"
COMMENT = "LEAK-COMMENT-7f3a"
GPS_TEXT = "13.7563N-100.5018E-LEAK"
COMPANY = "Leak Company Limited"
MANAGER = "Leak Manager Person"
CUSTOM = "LEAK-CUSTOM-PROPERTY"
PDF_FIELDS = {
    "/Author": AUTHOR,
    "/Creator": "Leakcreator Writer",
    "/Producer": "Leakproducer Distiller",
    "/Subject": "Leaksubject Text",
    "/Keywords": "Leakkeywords Text",
    "/Title": "Leaktitle Text",
}  # no hyphens: pypdf writes them as \055
TEXT_TOKENS = tuple(
    dict.fromkeys((OWNER, AUTHOR, EDITOR, COMMENT, GPS_TEXT, COMPANY, MANAGER, CUSTOM, *PDF_FIELDS.values()))
)
GPS_SECONDS = (31337, 1000)
GPS_BYTES = tuple(
    struct.pack(f"{order}II", *GPS_SECONDS) for order in ("<", ">")
)  # the rational as EXIF stores it, either byte order
XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    f'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    f'exif:GPSLatitude="{GPS_TEXT}"><dc:creator>{OWNER}</dc:creator></rdf:Description>'
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
).encode()


def leaks(data: bytes) -> list[str]:
    """Every planted value found in `data` (as UTF-8, UTF-16 or hex, or the GPS rational)."""
    found = [t for t in TEXT_TOKENS if any(form in data for form in _forms(t.encode()))]
    return found + ["GPS rational" for gps in GPS_BYTES if gps in data or gps.hex().encode() in data]


def _forms(token: bytes) -> tuple[bytes, ...]:
    return token, token.decode().encode("utf-16-le"), token.decode().encode("utf-16-be"), token.hex().encode()


def exif_block(orientation: int | None = 6) -> bytes:
    """EXIF (`Exif\\0\\0` + TIFF) with GPS, Artist, XPAuthor, CameraOwnerName and a comment."""
    from PIL import Image
    from PIL.TiffImagePlugin import IFDRational

    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    exif[0x013B] = OWNER
    exif[0x9C9D] = OWNER.encode("utf-16-le") + b"\x00\x00"
    exif[0x010E] = COMMENT  # ImageDescription
    exif.get_ifd(0x8769)[0xA430] = OWNER
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (IFDRational(13, 1), IFDRational(45, 1), IFDRational(*GPS_SECONDS))
    gps[0x1B] = b"ASCII\x00\x00\x00" + GPS_TEXT.encode()  # GPSProcessingMethod
    data = exif.tobytes()
    return data if data.startswith(b"Exif\x00\x00") else b"Exif\x00\x00" + data


def icc_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _pixels(size: tuple[int, int]):
    from PIL import Image

    image = Image.new("RGB", size)
    image.putdata(
        [((x * 37) % 256, (y * 53) % 256, ((x + y) * 11) % 256) for y in range(size[1]) for x in range(size[0])]
    )
    return image


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(body) + 2).to_bytes(2, "big") + body


def iptc() -> bytes:
    """An APP13 Photoshop block whose IPTC By-line (2:80) names the owner."""
    record = b"\x1c\x02\x50" + len(OWNER).to_bytes(2, "big") + OWNER.encode()
    block = b"8BIM\x04\x04\x00\x00" + len(record).to_bytes(4, "big") + record
    return _segment(0xED, b"Photoshop 3.0\x00" + block)


def plain_jpeg(size: tuple[int, int] = (24, 16), *, orientation: int | None = 6, icc: bool = True) -> bytes:
    """A JPEG from Pillow with EXIF (GPS, owner) and a comment."""
    out = io.BytesIO()
    options = {"icc_profile": icc_profile()} if icc else {}
    _pixels(size).save(out, "JPEG", exif=exif_block(orientation), comment=COMMENT, quality=90, **options)
    return out.getvalue()


def leaky_jpeg(size: tuple[int, int] = (24, 16), *, fill: bool = True) -> bytes:
    """Everything a JPEG can hide: EXIF, XMP, IPTC, COM, an unknown APPn, fill bytes between
    segments, and a second image with its own EXIF after the end (as MPF and motion photos do)."""
    data = plain_jpeg(size)
    extra = (
        _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP)
        + iptc()
        + _segment(0xE9, b"VENDOR\x00" + OWNER.encode())
        + _segment(0xE2, b"MPF\x00" + GPS_TEXT.encode())
    )
    data = data[:2] + extra + data[2:]
    if fill:  # legal 0xFF fill bytes before the quantisation and frame headers
        data = data.replace(b"\xff\xdb", b"\xff\xff\xff\xdb", 1).replace(b"\xff\xc0", b"\xff\xff\xc0", 1)
    return data + plain_jpeg((8, 8))


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def raw_profile_exif() -> bytes:
    """The body of ImageMagick's "Raw profile type exif" text: the EXIF in hex."""
    hexed = exif_block().hex()
    return f"\nexif\n{len(hexed) // 2:8d}\n{hexed}\n".encode()


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, body) of every chunk of a PNG."""
    found, pos = [], 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        found.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return found


def with_png_chunks(png: bytes, before_idat: list[bytes], after_idat: list[bytes] = ()) -> bytes:
    """`png` with chunks added before its first IDAT and after its last."""
    first = png.index(b"IDAT") - 4
    end = png.index(b"IEND") - 4
    return png[:first] + b"".join(before_idat) + png[first:end] + b"".join(after_idat) + png[end:]


def plain_png(size: tuple[int, int] = (24, 16)) -> bytes:
    out = io.BytesIO()
    _pixels(size).save(out, "PNG", icc_profile=icc_profile(), dpi=(72, 72))
    return out.getvalue()


def text_png() -> bytes:
    """PNG text chunks only (no eXIf: Pillow-based scrubbing left these alone)."""
    raw = raw_profile_exif()
    return with_png_chunks(
        plain_png(),
        [
            png_chunk(b"zTXt", b"Raw profile type exif\x00\x00" + zlib.compress(raw)),
            png_chunk(b"tEXt", b"Raw profile type exif\x00" + raw),
            png_chunk(b"tEXt", b"Comment\x00" + COMMENT.encode()),
            png_chunk(b"tEXt", b"Author\x00" + AUTHOR.encode()),
            png_chunk(b"tIME", b"\x07\xea\x0b\x14\x0a\x00\x00"),
        ],
    )


def xmp_png() -> bytes:
    return with_png_chunks(plain_png(), [png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP)])


def exif_png() -> bytes:
    """An eXIf chunk after the image data (an image library reading only the header misses it)."""
    return with_png_chunks(plain_png(), [], [png_chunk(b"eXIf", exif_block()[6:])])


def bomb_png(width: int = 20000, height: int = 10000) -> bytes:
    """A 1-bit PNG past Pillow's decompression-bomb limit (200 M pixels, 25 MB of rows), made
    row by row so the test never holds the pixels, with GPS in a text chunk."""
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes((1, 0, 0, 0, 0))
    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x55" * ((width + 7) // 8)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"tEXt", b"GPS\x00" + GPS_TEXT.encode())
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def leaky_gif() -> bytes:
    """An animated GIF with a comment, an XMP application extension and a plain-text extension."""
    from PIL import Image

    frames = [Image.new("P", (12, 10), color) for color in (1, 2)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0] + [0] * (256 * 3 - 9))
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0, duration=100, comment=COMMENT)
    data = out.getvalue()
    xmp = b"\x21\xff\x0bXMP DataXMP" + _sub_blocks(XMP) + b"\x00"
    text = b"\x21\x01\x0c" + bytes(12) + _sub_blocks(AUTHOR.encode()) + b"\x00"
    trailer = data.rindex(b"\x3b")
    return data[:trailer] + xmp + text + data[trailer:]


def _sub_blocks(body: bytes) -> bytes:
    return b"".join(bytes((len(body[i : i + 255]),)) + body[i : i + 255] for i in range(0, len(body), 255))


def leaky_webp(*, exif: bool = True) -> bytes:
    """A lossless WebP with XMP (and EXIF) naming the place and the owner."""
    out = io.BytesIO()
    options = {"exif": exif_block()} if exif else {}
    _pixels((24, 16)).save(out, "WEBP", lossless=True, xmp=XMP, icc_profile=icc_profile(), **options)
    return out.getvalue()


# -- documents --------------------------------------------------------------------------

_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
    f"<dc:title>รายงานประจำปี</dc:title><dc:creator>{AUTHOR}</dc:creator>"
    f"<!-- saved by {EDITOR} --><cp:lastModifiedBy>{EDITOR}</cp:lastModifiedBy><cp:revision>3</cp:revision>"
    "</cp:coreProperties>"
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    f"<Application>Microsoft Office Word</Application><Manager>{MANAGER}</Manager>"
    f"<Company>{COMPANY}</Company><Pages>1</Pages></Properties>"
)
_CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Owner">'
    f"<vt:lpwstr>{CUSTOM}</vt:lpwstr></property></Properties>"
)
_MAIN = {
    "docx": (
        "word/document.xml",
        '<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>ประกาศ</w:t></w:r></w:p></w:body></w:document>',
    ),
    "xlsx": ("xl/workbook.xml", '<workbook xmlns="x"><sheets><sheet name="a" sheetId="1"/></sheets></workbook>'),
    "pptx": ("ppt/presentation.xml", '<p:presentation xmlns:p="x"/>'),
}
_MEDIA = {"docx": "word/media/image1.jpeg", "xlsx": "xl/media/image1.jpeg", "pptx": "ppt/media/image1.jpeg"}


def office(kind: str = "docx", *, photo: bool = True) -> bytes:
    """A DOCX/XLSX/PPTX with names in core.xml, app.xml and custom.xml (and a photo with GPS)."""
    main_part, main_xml = _MAIN[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", '<Types xmlns="x"><Default Extension="xml" ContentType="application/xml"/></Types>'
        )
        archive.writestr("_rels/.rels", '<Relationships xmlns="x"/>')
        archive.writestr(main_part, main_xml)
        archive.writestr("docProps/core.xml", _CORE)
        archive.writestr("docProps/app.xml", _APP)
        archive.writestr("docProps/custom.xml", _CUSTOM)
        archive.writestr("docProps/thumbnail.bin", bytes(range(256)) * 64, zipfile.ZIP_STORED)
        if photo:
            archive.writestr(_MEDIA[kind], plain_jpeg(), zipfile.ZIP_STORED)
    return out.getvalue()


def raw_members(data: bytes) -> dict[str, bytes]:
    """Each member's compressed bytes as stored in the ZIP (to compare byte for byte)."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            at = info.header_offset
            start = (
                at
                + 30
                + int.from_bytes(data[at + 26 : at + 28], "little")
                + int.from_bytes(data[at + 28 : at + 30], "little")
            )
            found[info.filename] = data[start : start + info.compress_size]
    return found


def leaky_pdf(text: str = "Annual report 2569") -> bytes:
    """A PDF with every /Info field, XMP, a review comment signed by its author and a JPEG photo
    with GPS; then saved again incrementally with a new author, so the old one stays in the file."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    photo = DecodedStreamObject()
    photo.set_data(plain_jpeg((16, 16)))
    photo.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(16),
            NameObject("/Height"): NumberObject(16),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): font}),
            NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): writer._add_object(photo)}),
        }
    )
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 72 700 Td ({text}) Tj ET q 64 0 0 64 72 600 cm /Im1 Do Q".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    note = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 30, 30)]),
            NameObject("/Contents"): TextStringObject("ตรวจแล้ว"),
            NameObject("/T"): TextStringObject(EDITOR),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    xmp = DecodedStreamObject()
    xmp.set_data(XMP)
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    writer.add_metadata({**PDF_FIELDS, "/Company": COMPANY})
    first = io.BytesIO()
    writer.write(first)
    again = PdfWriter(io.BytesIO(first.getvalue()), incremental=True)
    again.add_metadata({"/Author": "Someone Else"})
    out = io.BytesIO()
    again.write(out)
    return out.getvalue()
