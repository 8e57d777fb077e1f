"""`khaosan form`: the seed's request form filled from a disclosure and its git record, as PDF and DOCX,
read back with pypdf and python-docx: every field of the paper form, the record's values, A4."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.cli import run_cli
from support.items import PATHS, PROJECT
from support.site import project_copy
from test_metrics_cli import NOW, history  # noqa: F401  (a repository whose main branch published a disclosure)

ARTIFACTS = PROJECT / "test-artifacts"
SAMPLE = "content/disclosures/procurement/tor-computer-2569.md"
# The paper form's own words (the seed's manual, section 8), in its order.
FORM_WORDS = [
    "แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูลข่าวสาร",
    "บนเว็บไซต์สำนักงานเขตพื้นที่การศึกษาประถมศึกษาภูผาหมอก เขต 1",
    "วันที่",
    "เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาภูผาหมอก เขต 1",
    "ส่วนที่ 1 ผู้ขอเผยแพร่ข้อมูลข่าวสารบนเว็บไซต์",
    "ข้าพเจ้า",
    "กลุ่ม",
    "รายละเอียด",
    "มีความประสงค์ขอเผยแพร่ข้อมูลข่าวสาร เพื่อประชาสัมพันธ์บนเว็บไซต์",
    "ข้อมูลพื้นฐานเกี่ยวกับโครงสร้าง ภารกิจ และผู้บริหาร",
    "นโยบายและยุทธศาสตร์",
    "แผนปฏิบัติราชการประจำปี",
    "ข้อมูลการจัดซื้อจัดจ้าง",
    "มาตรฐานหรือคู่มือการปฏิบัติงานส่วนบุคคล",
    "มาตรฐานและขั้นตอนการให้บริการ",
    "ข้อมูลข่าวสารอื่น ๆ (ระบุ)",
    "เรื่อง",
    "ลักษณะการส่งไฟล์",
    "E-mail :",
    "CD/DVD/แฟลชไดรฟ์",
    "ส่งด้วยตนเอง",
    "ผู้ขออนุญาต",
    "ผู้อนุญาต",
    "ส่วนที่ 2 ผู้ดูแลเว็บไซต์",
    "ได้รับข้อมูลเมื่อ",
    "ดำเนินการแล้วเสร็จ เมื่อ",
    "ผู้ดูแลเว็บไซต์",
    "ส่วนที่ 3 ผอ.กลุ่มของผู้ขอเผยแพร่ข้อมูลข่าวสาร ตรวจสอบความถูกต้องของข้อมูลหลังนำเข้าเว็บไซต์",
    "วันที่เผยแพร่บนเว็บไซต์",
    "ตรวจสอบบนเว็บไซต์แล้ว เมื่อ",
]


def squeeze(text: str) -> str:
    """Text compared as read back: no whitespace (lines wrap anywhere), and ำ as pypdf extracts it (า)."""
    return re.sub(r"\s+", "", text).replace("ำ", "า").replace("ํ", "")


def read_back(folder: Path, item_id: str) -> tuple[str, str, object]:
    from docx import Document
    from pypdf import PdfReader

    stem = "form-" + item_id.replace("/", "-")
    pdf = PdfReader(folder / f"{stem}.pdf")
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    document = Document(str(folder / f"{stem}.docx"))
    parts = [p.text for p in document.paragraphs]

    def cells(table):
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
                for inner in cell.tables:
                    cells(inner)

    for table in document.tables:
        cells(table)
    return pdf_text, "\n".join(parts), (pdf, document)


def assert_holds(text: str, words: list[str], what: str) -> None:
    flat = squeeze(text)
    missing = [w for w in words if squeeze(w) not in flat]
    assert not missing, f"{what} lacks {missing}"


@pytest.fixture(scope="module")
def sample_form(tmp_path_factory):
    root = project_copy(tmp_path_factory.mktemp("form"), content=True)
    out = root / "forms"
    result = run_cli(["form", str(root / SAMPLE), "--root", str(root), "--output", str(out), "--now", NOW])
    assert result.code == 0, result.output
    return root, out


def test_every_field_of_the_paper_form_and_the_items_values_read_back_from_pdf_and_docx(sample_form):
    _, out = sample_form
    pdf_text, docx_text, (pdf, document) = read_back(out, "disclosures/procurement/tor-computer-2569")
    values = [
        "วันที่ 26 เดือน มกราคม พ.ศ. 2569",  # requested_at, in the Buddhist Era
        "นายณัฐพงษ์ ชัยมงคล",  # the requester, by name
        "เจ้าพนักงานพัสดุ",
        "กลุ่มบริหารงานการเงินและสินทรัพย์",
        "ร่างขอบเขตของงาน (TOR) ซื้อครุภัณฑ์คอมพิวเตอร์สำหรับห้องปฏิบัติการ",  # the subject
        "saraban@phuphamok1.example",  # the office's e-mail, as the paper form prints its own
        "นายธนากร รุ่งเรืองศักดิ์",  # who permitted it (a deputy, on the director's behalf)
        "27 มกราคม 2569 เวลา 10:00 น.",  # part 2: the webmaster received it
        "27 มกราคม 2569 เวลา 11:30 น.",  # and completed it
        "นายวีระ ดิจิทัลไทย",
        "นางรัตนา บุญมา",  # part 3: the requester's group director checked the live page
        "27 มกราคม 2569 เวลา 15:00 น.",
        "ผอ.กลุ่มตรวจสอบเนื้อหา",  # the sign-offs with names and times
        "26 มกราคม 2569 เวลา 14:00 น.",
        "disclosures/procurement/tor-computer-2569",
    ]
    for text, what in ((pdf_text, "the PDF"), (docx_text, "the DOCX")):
        assert_holds(text, FORM_WORDS + values, what)
        assert re.search(r"(?<![\w.])(nattapong\.c|rattana\.b|thanakorn\.r|weera\.d)(?![\w])", text) is None
    # the chosen category and delivery are marked, the others are not
    assert "☑ ข้อมูลการจัดซื้อจัดจ้าง" in docx_text and "☐ นโยบายและยุทธศาสตร์" in docx_text
    assert docx_text.count("☑") == 2
    assert re.search(r"X\s+ข้อมูลการจัดซื้อจัดจ้าง", pdf_text) and len(re.findall(r"^X\s", pdf_text, re.M)) == 2
    # A4, both
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    section = document.sections[0]
    assert (round(section.page_width / 36000), round(section.page_height / 36000)) == (210, 297)
    import pypdfium2

    rendered = pypdfium2.PdfDocument((out / "form-disclosures-procurement-tor-computer-2569.pdf").read_bytes())
    ARTIFACTS.mkdir(exist_ok=True)
    rendered[0].render(scale=2).to_pil().save(ARTIFACTS / "request-form-page1.png")


def test_the_publication_date_and_commits_come_from_git(history):  # noqa: F811
    out = history.root / "forms"
    result = history.khaosan("form", PATHS["disclosure"], "--output", str(out), "--now", NOW)
    assert result.code == 0, result.output
    item_id = PATHS["disclosure"].removeprefix("content/").removesuffix(".md")
    pdf_text, docx_text, _ = read_back(out, item_id)
    import subprocess

    added = subprocess.run(
        ["git", "-C", str(history.root), "log", "--format=%H", "--", PATHS["disclosure"]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for text in (pdf_text, docx_text):
        assert_holds(text, ["วันที่เผยแพร่บนเว็บไซต์ 21 พฤศจิกายน 2569", "commit ที่เผยแพร่"], "the form")
    assert re.findall(r"commit ที่เผยแพร่: ([0-9a-f]{40})", docx_text) == [added[-1]]
    # what the record does not hold (no webmaster, no live check yet) stays a line to fill in by hand
    assert "ได้รับข้อมูลเมื่อ " + "." * 24 in docx_text and "ตรวจสอบบนเว็บไซต์แล้ว เมื่อ " + "." * 24 in docx_text


def test_only_a_disclosure_has_a_request_form_and_nothing_is_overwritten(sample_form, tmp_path):
    root, out = sample_form
    news = run_cli(
        ["form", str(root / "content/news/2569/meeting-20260224-personnel-committee.md"), "--root", str(root)]
    )
    assert news.code == 2 and "KS824" in news.err
    again = run_cli(["form", str(root / SAMPLE), "--root", str(root), "--output", str(out), "--now", NOW])
    assert again.code == 2 and "KS822" in again.err
    forced = run_cli(["form", str(root / SAMPLE), "--root", str(root), "--output", str(out), "--force", "--now", NOW])
    assert forced.code == 0, forced.output
    missing = run_cli(["form", str(root / "content/disclosures/other/nothing.md"), "--root", str(root)])
    assert missing.code != 0 and "Traceback" not in missing.output


def test_a_broken_disclosure_gets_its_problems_not_a_form(sample_form, tmp_path):
    root = project_copy(tmp_path, content=True)
    path = root / SAMPLE
    path.write_text(path.read_text(encoding="utf-8").replace("requester: nattapong.c", "requester: nobody.x"))
    out = tmp_path / "forms"
    result = run_cli(["form", str(path), "--root", str(root), "--output", str(out), "--now", NOW])
    assert result.code == 1 and "KS201" in result.output and not out.exists()


def test_the_six_and_twelve_month_summaries_list_what_was_published_from_git(history):  # noqa: F811
    out = history.root / "summaries"
    for args in (("--half", "2570H1"), ("--fiscal-year", "2570"), ("--half", "2569H2")):
        result = history.khaosan("form", *args, "--output", str(out), "--now", NOW)
        assert result.code == 0, result.output
    from docx import Document
    from pypdf import PdfReader

    half = Document(str(out / "disclosures-FY2570H1.docx"))
    cells = [c.text for table in half.tables for row in table.rows for c in row.cells]
    text = "\n".join([p.text for p in half.paragraphs] + cells)
    assert "ประกาศร่างขอบเขตของงาน (TOR) จัดซื้อครุภัณฑ์คอมพิวเตอร์" in cells  # the disclosure the branch published
    assert any("นายณัฐพงษ์ ชัยมงคล" in c for c in cells) and any("นายประเสริฐ ใจดีงาม" in c for c in cells)
    assert "ยังไม่ได้ตรวจบนเว็บไซต์" in cells and "รอผู้อำนวยการกลุ่มตรวจบนเว็บไซต์ 1 เรื่อง" in text
    assert re.search(r"(?<![\w.])(nattapong\.c|prasert\.j|rattana\.b)(?!\w)", text) is None
    section = half.sections[0]
    assert (round(section.page_width / 36000), round(section.page_height / 36000)) == (297, 210)  # A4 landscape
    pdf_text = "".join(p.extract_text() for p in PdfReader(out / "disclosures-FY2570.pdf").pages)
    assert squeeze("สรุปการเผยแพร่ข้อมูลข่าวสารบนเว็บไซต์") in squeeze(pdf_text)
    assert squeeze("ประกาศร่างขอบเขตของงาน (TOR)") in squeeze(pdf_text)
    empty = Document(str(out / "disclosures-FY2569H2.docx"))
    assert "ไม่มีการเผยแพร่ในรอบนี้" in [p.text for p in empty.paragraphs]


def test_a_summary_needs_git_and_takes_a_period_or_a_path_not_both(sample_form):
    root, out = sample_form
    no_git = run_cli(["form", "--half", "2569H1", "--root", str(root), "--output", str(out)])
    assert no_git.code == 2 and "KS825" in no_git.err
    both = run_cli(["form", str(root / SAMPLE), "--half", "2569H1", "--root", str(root)])
    assert both.code == 2 and "KS903" in both.err
    bad = run_cli(["form", "--half", "2569H3", "--root", str(root)])
    assert bad.code == 2 and "KS903" in bad.err
