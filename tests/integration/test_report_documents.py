"""The reports an office files (`khaosan metrics --report`), read back from the files as a clerk,
an auditor and a printer would: A4, the document font at 16 pt, the Thai margins, people by name
and position (never an id), plain Thai before the auditor's appendix, a signature block, the
chart printed at the size it was drawn, and a PDF whose fonts are all embedded Sarabun."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from support.items import PROJECT
from test_metrics_cli import NOW, history  # noqa: F401  (the fixture: a repository with a month of history)

ARTIFACTS = PROJECT / "test-artifacts"
# Every person of the sample office: none may appear as an id in any report.
PEOPLE = re.findall(r"\{id: ([a-z0-9._-]+),", (PROJECT / "office.yml").read_text(encoding="utf-8"))
MM = 36000  # EMU per millimetre


@pytest.fixture
def reports(history):  # noqa: F811
    result = history.khaosan("metrics", "--month", "2569-11", "--report", "reports", "--now", NOW)
    assert result.code == 0, result.output
    folder = history.root / "reports"
    figures = json.loads(history.khaosan("metrics", "--month", "2569-11", "--format", "json", "--now", NOW).out)
    return {ext: folder / f"metrics-2026-11.{ext}" for ext in ("docx", "xlsx", "pdf")}, figures


def docx_text(path) -> tuple[list[str], list[str]]:
    from docx import Document

    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return paragraphs, cells


def pdf_text(path) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(path.read_bytes())
    return [document[n].get_textpage().get_text_range() for n in range(len(document))]


def person_ids_in(text: str) -> set[str]:
    return {i for i in PEOPLE if re.search(rf"(?<![A-Za-z0-9._-]){re.escape(i)}(?![A-Za-z0-9_-])", text)}


def test_no_person_id_in_any_report_and_names_with_positions_instead(reports):
    paths, figures = reports
    # not vacuous: the figures behind the reports do name people by id (sign-offs, the auditor's flags)
    assert person_ids_in(json.dumps(figures, ensure_ascii=False))
    paragraphs, cells = docx_text(paths["docx"])
    from openpyxl import load_workbook

    book = load_workbook(paths["xlsx"])
    xlsx = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    for name, text in (
        ("docx", "\n".join(paragraphs + cells)),
        ("xlsx", "\n".join(xlsx)),
        ("pdf", "".join(pdf_text(paths["pdf"]))),
    ):
        assert person_ids_in(text) == set(), name
    flagged = "\n".join(cells)
    assert "นายอนันต์ วงศ์ไพศาล (ผู้อำนวยการกลุ่มนโยบายและแผน)" in flagged  # the auditor's flags name the signer


def test_the_docx_is_a4_with_thai_margins_and_the_document_font_at_16_pt_everywhere(reports):
    paths, _ = reports
    from docx import Document

    document = Document(str(paths["docx"]))
    section = document.sections[0]
    assert (round(section.page_width / MM), round(section.page_height / MM)) == (210, 297)  # not US Letter
    margins = [section.left_margin, section.right_margin, section.top_margin, section.bottom_margin]
    assert [round(m / MM) for m in margins] == [30, 20, 25, 20]
    normal = document.styles["Normal"]
    assert normal.font.name == "TH Sarabun New" and normal.font.size.pt == 16
    styles = zipfile.ZipFile(paths["docx"]).read("word/styles.xml").decode("utf-8")
    assert "Theme=" not in styles  # no heading takes its font from the theme (it rendered in another font)
    for name in ("Title", "Heading 1", "Heading 2"):
        rpr = document.styles[name].element.rPr
        fonts = rpr.rFonts
        assert {fonts.get(f"{{{fonts.nsmap['w']}}}{slot}") for slot in ("ascii", "hAnsi", "cs")} == {"TH Sarabun New"}
    paragraphs, _ = docx_text(paths["docx"])
    assert paragraphs[:3] == [
        "รายงานผลการดำเนินงานประชาสัมพันธ์และการเปิดเผยข้อมูลข่าวสาร",
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาภูผาหมอก เขต 1",
        "เดือนพฤศจิกายน 2569",
    ]  # the office's name and the period are the title


def test_plain_thai_before_the_appendix_and_the_method_in_it(reports):
    paths, _ = reports
    paragraphs, _ = docx_text(paths["docx"])
    appendix = paragraphs.index("ภาคผนวก สำหรับผู้ตรวจสอบ")
    main_text = "\n".join(paragraphs[:appendix]).lower()
    assert "git" not in main_text and "commit" not in main_text
    assert "commit" in paragraphs[appendix + 1]  # the method and the commit are the auditor's
    pages = pdf_text(paths["pdf"])
    whole = "".join(pages)
    cut = whole.index("ภาคผนวก")
    assert "git" not in whole[:cut].lower() and "commit" not in whole[:cut].lower()
    assert "news/2569/meeting-20261121-late" not in whole[:cut]  # item ids too: the appendix lists them
    assert "news/2569/meeting-20261121-late" in whole[cut:].replace("\r\n", "").replace("\n", "")


def test_a_signature_block_names_the_reporter_and_the_certifier_from_office_yml(reports):
    paths, _ = reports
    paragraphs, _ = docx_text(paths["docx"])
    text = "\n".join(paragraphs)
    for line in ("ผู้รายงาน", "(นายสมชาย ประชาสุข)", "ตำแหน่ง นักประชาสัมพันธ์ปฏิบัติการ", "ผู้รับรอง", "(นางมาลี ทองคำ)"):
        assert line in text
    pdf = "".join(pdf_text(paths["pdf"]))
    assert "ผู้รายงาน" in pdf and "ผู้รับรอง" in pdf and "ลงชื่อ" in pdf


def test_without_signers_in_office_yml_the_block_has_lines_to_fill_in(history):  # noqa: F811
    office = history.root / "office.yml"
    office.write_text(office.read_text(encoding="utf-8").split("\nreports:")[0] + "\n", encoding="utf-8")
    result = history.khaosan("metrics", "--month", "2569-11", "--report", "reports", "--now", NOW)
    assert result.code == 0, result.output
    paragraphs, _ = docx_text(history.root / "reports/metrics-2026-11.docx")
    assert "(" + "." * 30 + ")" in paragraphs and paragraphs.count("ตำแหน่ง " + "." * 30) == 2


def test_the_pdf_is_a4_its_fonts_all_embedded_sarabun_and_the_chart_prints_at_its_drawn_size(reports):
    paths, _ = reports
    from pypdf import PdfReader

    reader = PdfReader(paths["pdf"])
    fonts = set()
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add((str(font["/BaseFont"]).split("+")[-1], embedded))
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert all(name.startswith("Sarabun") for name, _ in fonts), fonts  # never a font of the machine
    # the chart is drawn at 16 cm wide with a 10 pt legend, and placed at 16 cm: 10 pt on paper
    import pypdfium2

    document = pypdfium2.PdfDocument(paths["pdf"].read_bytes())
    widths = []
    for n in range(len(document)):
        for obj in document[n].get_objects():
            if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE:
                left, _, right, _ = obj.get_bounds()
                widths.append(right - left)
    assert widths and abs(widths[0] - 16 / 2.54 * 72) < 1.5, widths
    ARTIFACTS.mkdir(exist_ok=True)
    for n in range(min(4, len(document))):  # looked at: title, chart and legend, signature block, appendix
        document[n].render(scale=2).to_pil().save(ARTIFACTS / f"report-page{n + 1}.png")


def test_the_chart_legend_sits_below_the_plot_at_10_pt():
    from workflow.edges.render import documents

    seen = {}
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    real = plt.Figure.savefig

    def spy(fig, *args, **kwargs):
        legend = fig.legends[0]
        ax = fig.axes[0]
        renderer = fig.canvas.get_renderer()
        seen["legend"] = legend.get_window_extent(renderer)
        seen["axes"] = ax.get_window_extent(renderer)
        seen["size"] = {t.get_fontsize() for t in legend.get_texts()}
        seen["inches"] = tuple(fig.get_size_inches())
        return real(fig, *args, **kwargs)

    figures = _month_figures()
    plt.Figure.savefig = spy
    try:
        png = documents.chart_png(figures)
    finally:
        plt.Figure.savefig = real
    assert png.startswith(b"\x89PNG")
    assert seen["size"] == {10.0}
    assert seen["legend"].y1 <= seen["axes"].y0  # the legend is below the plot: no bar or point over its text
    assert seen["inches"] == pytest.approx((16 / 2.54, 11 / 2.54))


def _month_figures() -> dict:
    months = {
        f"2026-{m:02d}": {
            "by_type": {"meeting": 3, "inspection": 2, "press-conference": 1, "general": 4},
            "on_time_rate": 0.9,
            "label": f"เดือน {m}",
        }
        for m in range(1, 13)
    }
    return {
        "news": {"by_month": months},
        "labels": {
            "news_types": {
                "meeting": "ข่าวสรุปผล/ประเด็นสำคัญจากการประชุม",
                "inspection": "ข่าวการติดตามคณะผู้บริหารตรวจราชการในพื้นที่",
                "press-conference": "ข่าวประชาสัมพันธ์เพื่อการแถลงข่าว",
                "general": "ข่าวทั่วไป",
            }
        },
        "period": {"label": "ปีงบประมาณ 2569"},
    }
