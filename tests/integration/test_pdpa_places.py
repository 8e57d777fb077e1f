"""Issue 13: personal data in the places the scanner did not read, refused by the publish gate.

Each test plants one national ID (or phone, e-mail, LINE id) where an attacker
or a careless editor put one, and runs the real `khaosan check --publish`: the
gate must refuse it and say where, in Thai. (That a refused item never reaches
`output/` is the build's promise, tested in test_pdpa_site.py.)
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from support.items import ATTACHMENT, line_of
from support.media import docx, pdf

ID = "1-2345-67890-12-1"
ID_DIGITS = "1234567890121"


def gate(repo, *paths: str) -> list[dict]:
    result = repo.khaosan("check", *paths, "--publish", "--format", "json")
    assert "Traceback" not in result.output
    return [p for p in json.loads(result.out)["problems"] if p["code"].startswith("KS70")]


def disclosure(repo, ref: str, data: bytes, **changes: str) -> str:
    rel = repo.add("disclosure", attachments=f"\n  - file: {ref}\n    title: เอกสาร", **changes)
    repo.write(f"content/{ref}", data)
    return rel


# -- the item's own text: forms and links ------------------------------------------------------


@pytest.mark.parametrize(
    ("planted", "code"),
    [
        ("ผู้ขอ 1234-5678-9012-1", "KS701"),
        ("ผู้ขอ 1.2345.67890.12.1", "KS701"),
        ("ผู้ขอ 1\\-2345\\-67890\\-12\\-1", "KS701"),
        ("ผู้ขอ 1-2345-\u200b67890-12-1", "KS701"),
        ("ผู้ขอ ID1234567890121", "KS701"),
        ("ผู้ขอ &#49;&#50;&#51;&#52;&#53;&#54;&#55;&#56;&#57;&#48;&#49;&#50;&#49;", "KS701"),
        ("ติดต่อ somchai&#64;gmail.com", "KS703"),
        ("ติดต่อ สมชาย@gmail.com", "KS703"),
        ("[โทรหาผู้ปกครอง](tel:0812345678)", "KS702"),
        ("[WhatsApp](https://wa.me/66812345678)", "KS702"),
        ("[LINE ครู](https://line.me/ti/p/~kru.somchai)", "KS708"),
        (f"[ผลสอบ](https://school.example/result?cid={ID_DIGITS})", "KS701"),
        ('<a href="mailto:somchai@gmail.com">อีเมล</a>', "KS703"),
    ],
)
def test_a_planted_form_in_the_body_is_refused_at_its_line(repo, planted, code):
    rel = repo.add("news", body=f"ย่อหน้าแรก\n\n{planted}\n")
    found = gate(repo, rel)
    assert [p["code"] for p in found] == [code], found
    assert found[0]["line"] == line_of(repo.read(rel), planted[:6]) and found[0]["severity"] == "error"


def test_an_id_in_a_front_matter_link_is_refused(repo):
    rel = repo.add("news", summary=f"ดูผลที่ https://school.example/r?cid={ID_DIGITS}")
    assert [p["code"] for p in gate(repo, rel)] == ["KS701"]


# -- names: the item's file, its attachments and images -------------------------------------------


def test_an_id_in_an_attachments_file_name_is_refused(repo):
    ref = f"files/procurement/somchai-{ID_DIGITS}.pdf"
    rel = disclosure(repo, ref, pdf("Sample document"))
    (found,) = gate(repo, rel)
    assert found["code"] == "KS701" and "ชื่อไฟล์" in found["message"]
    assert found["line"] == line_of(repo.read(rel), f"  - file: {ref}")


def test_a_phone_in_the_items_own_file_name_is_refused(repo):
    rel = repo.add("news", rel="content/news/2569/call-0812345678.md")
    (found,) = gate(repo, rel)
    assert found["code"] == "KS702" and "ชื่อไฟล์รายการ" in found["message"]


# -- inside attachments: the hidden parts --------------------------------------------------------


def _pdf_with(**parts: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Text
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf("Sample document"))))
    if "subject" in parts:
        writer.add_metadata({"/Subject": parts["subject"]})
    if "keywords" in parts:
        writer.add_metadata({"/Keywords": parts["keywords"]})
    if "annotation" in parts:
        writer.add_annotation(0, Text(text=parts["annotation"], rect=(50, 550, 200, 650)))
    if "bookmark" in parts:
        writer.add_outline_item(title=parts["bookmark"], page_number=0)
    if "xmp" in parts:
        stream = DecodedStreamObject()
        stream.set_data(
            f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:description>{parts["xmp"]}</dc:description></x:xmpmeta>'.encode()
        )
        stream[NameObject("/Type")] = NameObject("/Metadata")
        stream[NameObject("/Subtype")] = NameObject("/XML")
        writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("part", "place"),
    [
        ("subject", "หัวข้อ"),
        ("keywords", "คำสำคัญ"),
        ("annotation", "ความคิดเห็นบนหน้า"),
        ("bookmark", "ที่คั่นหน้า"),
        ("xmp", "XMP"),
    ],
)
def test_an_id_in_a_pdfs_hidden_part_is_refused(repo, part, place):
    rel = disclosure(repo, ATTACHMENT, _pdf_with(**{part: f"Applicant {ID}"}))
    found = gate(repo, rel)
    assert [p["code"] for p in found] == ["KS701"] and place in found[0]["message"], found


def _office(kind: str, parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}[kind]
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<w:document><w:body><w:p><w:r><w:t>ข้อความ</w:t></w:r></w:p></w:body></w:document>")
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return out.getvalue()


@pytest.mark.parametrize(
    ("kind", "part", "xml", "place"),
    [
        (
            "docx",
            "word/comments.xml",
            f"<w:comments><w:comment><w:p><w:r><w:t>ผู้ขอ {ID}</w:t></w:r></w:p></w:comment></w:comments>",
            "ความคิดเห็น",
        ),
        (
            "docx",
            "word/footnotes.xml",
            f"<w:footnotes><w:footnote><w:p><w:r><w:t>{ID}</w:t></w:r></w:p></w:footnote></w:footnotes>",
            "เชิงอรรถ",
        ),
        (
            "docx",
            "docProps/custom.xml",
            f"<Properties><property><vt:lpwstr>{ID}</vt:lpwstr></property></Properties>",
            "คุณสมบัติ",
        ),
        (
            "xlsx",
            "xl/worksheets/sheet1.xml",
            f'<worksheet><sheetData><row><c r="A1"><v>{ID_DIGITS}</v></c></row></sheetData></worksheet>',
            "แผ่นงาน 1 (ตัวเลข)",
        ),
        (
            "xlsx",
            "xl/worksheets/sheet2.xml",
            '<worksheet><sheetData><row><c r="B2" t="n"><v>1.234567890121E+12</v></c></row></sheetData></worksheet>',
            "แผ่นงาน 2 (ตัวเลข)",
        ),
        (
            "xlsx",
            "xl/comments1.xml",
            f"<comments><commentList><comment><text><r><t>{ID}</t></r></text></comment></commentList></comments>",
            "ความคิดเห็น",
        ),
        (
            "pptx",
            "ppt/notesSlides/notesSlide1.xml",
            f"<p:notes><a:p><a:r><a:t>{ID}</a:t></a:r></a:p></p:notes>",
            "บันทึกของผู้บรรยาย",
        ),
    ],
)
def test_an_id_in_an_office_files_hidden_part_is_refused(repo, kind, part, xml, place):
    ref = f"files/procurement/form.{kind}"
    rel = disclosure(repo, ref, _office(kind, {part: xml}))
    found = gate(repo, rel)
    assert [p["code"] for p in found] == ["KS701"] and place in found[0]["message"], found


def test_number_cells_that_are_not_ids_are_fine(repo):
    sheet = "".join(
        f'<c r="A{n}"><v>{v}</v></c>' for n, v in enumerate(["1500000", "2567", "0.5", "1234567890122", "3"], 1)
    )
    shared = '<c r="B1" t="s"><v>1234567890121</v></c>'  # a shared-string index, not a number
    xml = f"<worksheet><sheetData><row>{sheet}{shared}</row></sheetData></worksheet>"
    rel = disclosure(repo, "files/procurement/budget.xlsx", _office("xlsx", {"xl/worksheets/sheet1.xml": xml}))
    assert gate(repo, rel) == []


def test_a_plain_docx_with_an_ordinary_creator_is_fine(repo):
    rel = disclosure(repo, "files/procurement/form.docx", docx(["แบบฟอร์ม"], creator="กลุ่มอำนวยการ"))
    assert gate(repo, rel) == []
