"""The report documents the manual asks for: Word, Excel and PDF, from the figures.

Input is `workflow.core.metrics.compute()`'s figures, Thai names included (their
`labels`); output is bytes written through `atomic.py` (never half a file; an
existing file is replaced only with `--force`). Thai needs care in each format:

- `.docx`: the font is set in the complex-script slot (`w:cs`, with `w:szCs`
  and `w:lang w:bidi="th-TH"`), where Word looks for Thai, not only the Latin one;
- `.xlsx`: every cell in the Thai font; the chart is a native Excel chart
  (bars: news a month by type; line: on-time rate on the second axis);
- `.pdf`: HTML laid out by WeasyPrint on Pango + libthai, which stacks tone
  marks and breaks lines between Thai words; the chart is a matplotlib PNG.
  Its font is the Sarabun shipped in `fonts/` (OFL), embedded: never the machine's.

What an office files (a government document, not a developer's printout): A4, the
office's name and the period as title, 16 pt body, the Thai margins (left 3 cm, right
2 cm, top 2.5 cm, bottom 2 cm), people by name and position (never a person id), plain
Thai in the main text; how the figures were counted, the commits and the item ids go to
the auditor's appendix; a signature block for the reporter and the certifier
(`office.yml` reports:); a chart whose legend is 10 pt on paper, below the plot.

Heavy libraries are imported only here, and only when a report is asked for.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workflow.core.figures import Figures
from workflow.core.thaitime import THAI_MONTHS_SHORT, format_datetime
from workflow.edges.files.atomic import create_file, replace_file
from workflow.edges.render.metrics import evidence_text, rate_text
from workflow.errors import KhaosanError

DOC_FONT = "TH Sarabun New"  # the Thai government's standard document font (Word, Excel)
FONT_DIR = Path(__file__).parent / "fonts"  # Sarabun (OFL): PDF and chart, embedded, never the machine's
PDF_FONT = "Sarabun"
PDF_FONT_FILES = {"normal": FONT_DIR / "Sarabun-Regular.ttf", "bold": FONT_DIR / "Sarabun-Bold.ttf"}
BODY_PT = 16
TITLE = "รายงานผลการดำเนินงานประชาสัมพันธ์และการเปิดเผยข้อมูลข่าวสาร"
# A4 and the margins of a Thai government document (ระเบียบงานสารบรรณ), in millimetres
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 25, "bottom": 20, "left": 30, "right": 20}
CHART_CM = (16.0, 11.0)  # the chart's size on paper: its fonts are the sizes they print at
TYPE_COLOURS = {"meeting": "#1f77b4", "inspection": "#2ca02c", "press-conference": "#ff7f0e", "general": "#9e9e9e"}
TARGET = 0.8


@dataclass(frozen=True)
class Signer:
    role: str  # ผู้รายงาน, ผู้รับรอง
    name: str  # empty: a line to fill in by hand
    position: str


@dataclass(frozen=True)
class ReportPeople:
    """Who the report names: every person id turned into name and position, and who signs it."""

    names: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # person id -> (name, position)
    signers: tuple[Signer, ...] = (Signer("ผู้รายงาน", "", ""), Signer("ผู้รับรอง", "", ""))

    def text(self, value: object) -> str:
        """`value` as text with every person id replaced by the person's name and position."""
        text = str(value)
        if not self.names:
            return text
        return _ids(tuple(self.names)).sub(lambda m: "{} ({})".format(*self.names[m.group(0)]), text)


def _ids(ids: tuple[str, ...]) -> re.Pattern[str]:
    """Person ids as whole words (`malee.t`, not `malee.t2` or `x.malee.t`), longest first."""
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9._-])(?:{alternatives})(?![A-Za-z0-9_-]|\.[A-Za-z0-9])")


def report_people(office: Any) -> ReportPeople:
    """From the typed office: names and positions, and `reports.reporter` / `reports.certifier`."""
    names = {p.id: (p.name, p.position) for p in office.people.values()}

    def signer(role: str, person_id: str | None) -> Signer:
        return Signer(role, *names[person_id]) if person_id in names else Signer(role, "", "")

    return ReportPeople(names, (signer("ผู้รายงาน", office.reporter), signer("ผู้รับรอง", office.certifier)))


def _when(value: str | None) -> str:
    if not value:
        return "–"
    from datetime import datetime

    return format_datetime(datetime.fromisoformat(value))


MONTH_HEADINGS = ("เดือน", "ข่าว", "ทันเวลา", "ล่าช้า", "เลยกำหนด", "ร้อยละทันเวลา")


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"


def _month_tick(key: str) -> str:
    year, month = int(key[:4]), int(key[5:])
    return f"{THAI_MONTHS_SHORT[month - 1]} {str(year + 543)[-2:]}"


def summary_rows(figures: Figures) -> list[tuple[str, str, str]]:
    """(figure, value, target) rows shared by every format: each value with the count behind it."""
    news, disc, clip = figures["news"], figures["disclosures"], figures["clippings"]
    hours = disc["request_to_publication_hours"]
    verdict = "ผ่าน" if news["meets_target"] else "ไม่ผ่าน" if news["meets_target"] is False else "ยังประเมินไม่ได้"
    return [
        ("ร้อยละของข่าวที่เผยแพร่ทันตามมาตรฐานเวลา", rate_text(news, news["rate_minimum"]), f"≥ 80% ({verdict})"),
        ("จำนวนข่าวประชาสัมพันธ์", str(news["produced"]), ""),
        ("ข่าวที่มีมาตรฐานเวลา", str(news["time_bound"]), ""),
        (
            "ทันเวลา / ล่าช้า / เลยกำหนด / ยังไม่ถึงกำหนด",
            f"{news['on_time']} / {news['late']} / {news['overdue']} / {news['pending']}",
            "",
        ),
        ("ข่าวทั่วไป (ไม่มีมาตรฐานเวลา)", str(news["untimed"]), ""),
        ("ข่าวที่เผยแพร่บนเว็บไซต์เดิมก่อนใช้ระบบ (ไม่นับในร้อยละ)", str(news["earlier"]), ""),
        (
            "ช่องทางเผยแพร่ที่ใช้ (รวม / เฉลี่ยต่อข่าว)",
            f"{news['channels']['uses']} / {news['channels']['per_item_mean'] or 0}",
            "",
        ),
        (
            "โพสต์จริงที่มีใบรับ / ที่ระบุไว้ในรายการ",
            evidence_text(news["channels"]["evidence"], figures["labels"]["channels"]),
            "",
        ),
        (
            "ข่าวนโยบายที่ได้ลงสื่อสิ่งพิมพ์",
            f"{news['policy_in_print']['in_print']}/{news['policy_in_print']['policy']}"
            f" ({_pct(news['policy_in_print']['share'])})",
            "",
        ),
        ("คำขอเผยแพร่ข้อมูลข่าวสาร / เผยแพร่แล้ว", f"{disc['requests']} / {disc['published']}", ""),
        (
            "เวลาจากคำขอถึงเผยแพร่ (มัธยฐาน / P90, ชั่วโมง)",
            f"{hours['median'] if hours['median'] is not None else '–'} / "
            f"{hours['p90'] if hours['p90'] is not None else '–'}",
            "",
        ),
        ("เผยแพร่แล้ว รอ ผอ.กลุ่มตรวจบนเว็บไซต์", str(disc["awaiting_live_check"]), "0"),
        (figures["labels"]["kinds"]["clipping"], str(clip["total"]), ""),
        ("ข้อสังเกตสำหรับผู้ตรวจสอบ", str(len(figures["trust"])), "0"),
    ]


def month_rows(figures: Figures) -> list[tuple[str, str, str, str, str, str]]:
    """The chart's numbers as a table: the same figures for people who cannot see the chart."""
    return [
        (m["label"], str(m["count"]), str(m["on_time"]), str(m["late"]), str(m["overdue"]), _pct(m["on_time_rate"]))
        for m in figures["news"]["by_month"].values()
    ]


def late_titles(figures: Figures) -> list[tuple[str, str, str, str]]:
    """The late news for the main text: by title, no id (the ids are in the appendix)."""
    return [row[1:] for row in late_rows(figures)]


def awaiting_titles(figures: Figures) -> list[tuple[str, str, str]]:
    return [row[1:] for row in awaiting_rows(figures)]


def method_text(figures: Figures) -> str:
    history = figures["history"]
    head = (history["head"] or "")[:12] or "–"
    return (
        f"ตัวเลขในรายงานนับจากประวัติการเผยแพร่ในคลังข้อมูล git สายหลัก ({history['ref']}) "
        f"{history['commits']} commit ถึง commit {head} เวลาที่เผยแพร่ของแต่ละรายการคือเวลาของ commit แรก"
        " บนสายหลักที่รายการนั้นผ่านการตรวจก่อนเผยแพร่ครบ (หรือเวลาที่ตั้งให้เผยแพร่ถ้าช้ากว่า)"
        f" จัดทำเมื่อ {_when(figures['generated_at'])}"
    )


def late_rows(figures: Figures) -> list[tuple[str, str, str, str, str]]:
    states = figures["labels"]["states"]
    return [(r["id"], r["title"], states[r["state"]], _when(r["deadline"]), r["late_label"]) for r in figures["late"]]


def awaiting_rows(figures: Figures) -> list[tuple[str, str, str, str]]:
    categories = figures["labels"]["categories"]
    return [
        (r["id"], r["title"], categories.get(r["category"], r["category"]), _when(r["published_at"]))
        for r in figures["disclosures"]["awaiting"]
    ]


def trust_rows(figures: Figures) -> list[tuple[str, str, str]]:
    return [(f["code"], f["label"], f["message"]) for f in figures["trust"]]


# -- chart -------------------------------------------------------------------------------------


def thai_font_path() -> tuple[str, str]:
    """The chart's and the PDF's font: the Sarabun shipped with Khaosan (never whatever the machine has)."""
    return PDF_FONT, str(PDF_FONT_FILES["normal"])


def chart_png(figures: Figures) -> bytes:
    """Monthly news volume by type (stacked bars) and on-time rate (line, right axis) with the 80 % target.

    Drawn at the size it is printed (`CHART_CM`), so its 10 pt legend is 10 pt on paper; the legend
    sits below the plot, where no bar or point can cover it."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    for path in PDF_FONT_FILES.values():
        font_manager.fontManager.addfont(str(path))
    plt.rcParams["font.family"] = [PDF_FONT, "DejaVu Sans"]
    plt.rcParams["font.size"] = 10
    months = figures["news"]["by_month"]
    keys = list(months)
    ticks = [_month_tick(k) for k in keys]
    fig, ax = plt.subplots(figsize=(CHART_CM[0] / 2.54, CHART_CM[1] / 2.54), dpi=200)
    bottom = [0] * len(keys)
    for news_type, label in figures["labels"]["news_types"].items():
        values = [months[k]["by_type"].get(news_type, 0) for k in keys]
        ax.bar(ticks, values, bottom=bottom, label=label, color=TYPE_COLOURS[news_type], width=0.65)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("จำนวนข่าว")
    pad = max(0.0, (6 - len(keys)) / 2)  # a month alone is one bar in the middle, not the whole width
    ax.set_xlim(-0.75 - pad, len(keys) - 0.25 + pad)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max([*bottom, 1]) * 1.15)
    right = ax.twinx()
    rates = [months[k]["on_time_rate"] for k in keys]
    right.plot(
        [t for t, r in zip(ticks, rates, strict=True) if r is not None],
        [r * 100 for r in rates if r is not None],
        color="#c62828",
        marker="o",
        linewidth=2,
        label="ร้อยละทันเวลา",
    )
    right.axhline(TARGET * 100, color="#c62828", linestyle="--", linewidth=1, label="เป้าหมาย 80%")
    right.set_ylim(0, 105)
    right.set_ylabel("ร้อยละทันเวลา")
    handles = ax.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    fig.legend(
        handles[0] + more[0],
        handles[1] + more[1],
        loc="lower center",
        ncol=2,
        fontsize=10,
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )
    ax.tick_params(axis="x", labelsize=9, rotation=45 if len(keys) > 6 else 0)
    fig.tight_layout(rect=(0, 0.24, 1, 1))  # the bottom quarter is the legend's
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


# -- Word --------------------------------------------------------------------------------------


def _thai_run_font(rpr: Any, size_pt: float | None = None) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), DOC_FONT)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)
            element.set(qn("w:val"), str(int(size_pt * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:bidi"), "th-TH")
    lang.set(qn("w:val"), "th-TH")


def _plain_style_font(style: Any, size_pt: float, *, bold: bool = False) -> None:
    """The style in the document font and black: Word's heading styles name a theme font
    (`w:asciiTheme`, `w:cstheme`, …) that wins over `w:rFonts` and a colour; both go."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style.font.name = DOC_FONT
    style.font.size = Pt(size_pt)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    _thai_run_font(rpr, size_pt)
    if bold:
        from docx.oxml import OxmlElement

        if rpr.find(qn("w:bCs")) is None:
            rpr.append(OxmlElement("w:bCs"))


def _no_theme_fonts(styles: Any) -> None:
    """Every font in styles.xml (defaults included) named, none taken from the theme: a theme
    attribute wins over the named font in Word, which is how headings came out in another font."""
    from docx.oxml.ns import qn

    themes = [qn(t) for t in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")]
    for fonts in styles.iter(qn("w:rFonts")):
        for theme in themes:
            fonts.attrib.pop(theme, None)
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), DOC_FONT)


def docx_page(document: Any) -> None:
    """A4 portrait with the Thai margins; every style in the document font, black, body 16 pt."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    for name, size, bold in (
        ("Normal", BODY_PT, False),
        ("Title", 20, True),
        ("Heading 1", 18, True),
        ("Heading 2", BODY_PT, True),
        ("Table Grid", BODY_PT, False),
    ):
        _plain_style_font(document.styles[name], size, bold=bold)
    _no_theme_fonts(document.styles.element)
    document.styles["Normal"].paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])


def docx_bytes(figures: Figures, chart: bytes, people: ReportPeople | None = None) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm

    people = people or ReportPeople()
    document = Document()
    docx_page(document)

    def centred(text: str, style: str | None = None) -> None:
        paragraph = document.add_paragraph(text, style=style)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    centred(TITLE, "Title")
    centred(figures["office"]["name"], "Heading 2")
    centred(figures["period"]["label"], "Heading 2")

    def table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
        if not rows:
            document.add_paragraph("ไม่มี")
            return
        grid = document.add_table(rows=1, cols=len(headers))
        grid.style = document.styles["Table Grid"]
        for cell, text in zip(grid.rows[0].cells, headers, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = people.text(text)

    document.add_heading("1. ตัวชี้วัดเทียบกับเป้าหมาย", level=1)
    table(("ตัวชี้วัด", "ผล", "เป้าหมาย"), summary_rows(figures))
    document.add_heading("2. ข่าวรายเดือน", level=1)
    document.add_picture(io.BytesIO(chart), width=Cm(CHART_CM[0]))
    document.add_paragraph("แผนภูมิ: จำนวนข่าวรายเดือนแยกตามประเภท และร้อยละที่เผยแพร่ทันเวลา (เป้าหมายร้อยละ 80)")
    table(MONTH_HEADINGS, month_rows(figures))
    document.add_heading("3. ข่าวที่ล่าช้าหรือเลยกำหนด", level=1)
    table(("ชื่อข่าว", "สถานะ", "กำหนดเผยแพร่", "ช้าไป"), late_titles(figures))
    document.add_heading("4. ข้อมูลข่าวสารที่รอผู้อำนวยการกลุ่มตรวจบนเว็บไซต์", level=1)
    table(("เรื่อง", "หมวด", "เผยแพร่เมื่อ"), awaiting_titles(figures))
    document.add_heading("5. " + figures["labels"]["kinds"]["clipping"], level=1)
    document.add_paragraph(clippings_text(figures))

    for signer in people.signers:  # the signature block
        document.add_paragraph()
        for line in signature_lines(signer):
            paragraph = document.add_paragraph(line)
            paragraph.paragraph_format.left_indent = Cm(5.5)

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("ภาคผนวก สำหรับผู้ตรวจสอบ", level=1)
    document.add_paragraph(people.text(method_text(figures)))
    document.add_heading("รหัสรายการของข่าวที่ล่าช้า", level=2)
    table(("รายการ", "ชื่อข่าว", "สถานะ", "กำหนดเผยแพร่", "ช้าไป"), late_rows(figures))
    document.add_heading("รหัสรายการที่รอตรวจบนเว็บไซต์", level=2)
    table(("รายการ", "เรื่อง", "หมวด", "เผยแพร่เมื่อ"), awaiting_rows(figures))
    document.add_heading("ข้อสังเกตสำหรับผู้ตรวจสอบ", level=2)
    table(("รหัส", "ข้อสังเกต", "รายละเอียด"), trust_rows(figures))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def clippings_text(figures: Figures) -> str:
    clip, labels = figures["clippings"], figures["labels"]
    return (
        f"ทั้งหมด {clip['total']} ชิ้น ตามประเภทสื่อ: "
        + (", ".join(f"{labels['media'].get(k, k)} {v}" for k, v in clip["by_medium"].items()) or "–")
        + " ตามผลต่อสำนักงาน: "
        + (", ".join(f"{labels['effects'].get(k, k)} {v}" for k, v in clip["by_effect"].items()) or "–")
    )


def signature_lines(signer: Signer) -> list[str]:
    """ลงชื่อ ……… / (name) / ตำแหน่ง … / วันที่ ……: a blank line to fill in where office.yml names nobody."""
    name = signer.name or "." * 30
    position = signer.position or "." * 30
    return [
        f"ลงชื่อ {'.' * 30} {signer.role}",
        f"({name})",
        f"ตำแหน่ง {position}",
        f"วันที่ {'.' * 8}/{'.' * 8}/{'.' * 8}",
    ]


# -- Excel -------------------------------------------------------------------------------------


def xlsx_bytes(figures: Figures, people: ReportPeople | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Font

    font, bold = Font(name=DOC_FONT, size=14), Font(name=DOC_FONT, size=14, bold=True)
    book = Workbook()
    people = people or ReportPeople()

    def sheet(title: str, headers: tuple[str, ...], rows: list[tuple[Any, ...]], first: bool = False) -> Any:
        ws = book.active if first else book.create_sheet()
        ws.title = title
        ws.append(list(headers))
        for row in rows:
            ws.append([people.text(v) if isinstance(v, str) else v for v in row])
        for row_cells in ws.iter_rows():
            for cell in row_cells:
                cell.font = bold if cell.row == 1 else font
        for index, _ in enumerate(headers, start=1):
            ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = 22 if index > 1 else 48
        return ws

    summary = sheet(
        "สรุป",
        ("ตัวชี้วัด", "ผล", "เป้าหมาย"),
        [(figures["office"]["name"], "", ""), (figures["period"]["label"], "", ""), *summary_rows(figures)],
        first=True,
    )
    rate = figures["news"]["on_time_rate"]
    summary.append(["ร้อยละทันเวลา (ค่าตัวเลข)", rate, TARGET])
    for cell in summary[summary.max_row]:
        cell.font = font
    summary.cell(row=summary.max_row, column=2).number_format = "0.0%"
    summary.cell(row=summary.max_row, column=3).number_format = "0.0%"

    months, news_types = figures["news"]["by_month"], figures["labels"]["news_types"]
    monthly = sheet(
        "รายเดือน",
        ("เดือน", *news_types.values(), "ทันเวลา", "ล่าช้า", "เลยกำหนด", "ร้อยละทันเวลา"),
        [
            (
                m["label"],
                *(m["by_type"].get(t, 0) for t in news_types),
                m["on_time"],
                m["late"],
                m["overdue"],
                m["on_time_rate"],
            )
            for m in months.values()
        ],
    )
    last = monthly.max_row
    for row in range(2, last + 1):
        monthly.cell(row=row, column=len(news_types) + 5).number_format = "0.0%"
    bars = BarChart()
    bars.type, bars.grouping, bars.overlap = "col", "stacked", 100
    bars.title = "ข่าวรายเดือนตามประเภท และร้อยละที่ทันเวลา"
    bars.y_axis.title = "จำนวนข่าว"
    bars.add_data(
        Reference(monthly, min_col=2, max_col=1 + len(news_types), min_row=1, max_row=last), titles_from_data=True
    )
    bars.set_categories(Reference(monthly, min_col=1, min_row=2, max_row=last))
    line = LineChart()
    line.add_data(Reference(monthly, min_col=len(news_types) + 5, min_row=1, max_row=last), titles_from_data=True)
    line.y_axis.axId = 200
    line.y_axis.title = "ร้อยละทันเวลา"
    line.y_axis.number_format = "0%"
    line.y_axis.scaling.min, line.y_axis.scaling.max = 0, 1
    line.y_axis.crosses = "max"
    bars += line
    bars.width, bars.height = 24, 12
    monthly.add_chart(bars, f"A{last + 3}")

    sheet(
        "ล่าช้า",
        ("รายการ", "ชื่อข่าว", "สถานะ", "กำหนดเผยแพร่", "ช้าไป", "ช้าไป (ชั่วโมง)"),
        [
            (*row, round((r["late_seconds"] or 0) / 3600, 2))
            for row, r in zip(late_rows(figures), figures["late"], strict=True)
        ],
    )
    sheet("รอตรวจบนเว็บไซต์", ("รายการ", "เรื่อง", "หมวด", "เผยแพร่เมื่อ"), list(awaiting_rows(figures)))
    sheet("ข้อสังเกต", ("รหัส", "ข้อสังเกต", "รายละเอียด"), list(trust_rows(figures)))
    sheet(
        "รายการ",
        ("รายการ", "ชนิด", "ประเภทข่าว", "สถานะ", "เผยแพร่เมื่อ", "กำหนด", "ชื่อเรื่อง"),
        [
            (
                i["id"],
                i["kind"],
                i["news_type"] or "",
                figures["labels"]["states"][i["state"]],
                i["published_at"] or "",
                i["deadline"] or "",
                i["title"],
            )
            for i in figures["items"]
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- PDF ---------------------------------------------------------------------------------------


def _html_table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]], people: ReportPeople) -> str:
    if not rows:
        return "<p>ไม่มี</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(people.text(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def font_faces() -> str:
    """@font-face rules for the shipped Sarabun: WeasyPrint embeds these files, whatever the machine has."""
    return "\n".join(
        f"@font-face {{ font-family: '{PDF_FONT}-report'; font-weight: {weight}; src: url('{path.as_uri()}'); }}"
        for weight, path in (("normal", PDF_FONT_FILES["normal"]), ("bold", PDF_FONT_FILES["bold"]))
    )


def _signature_html(signer: Signer) -> str:
    lines = "".join(f"<p>{html.escape(line)}</p>" for line in signature_lines(signer))
    return f'<div class="signer">{lines}</div>'


def report_html(figures: Figures, chart: bytes, people: ReportPeople | None = None) -> str:
    people = people or ReportPeople()
    fonts = f"'{PDF_FONT}-report'"  # only the embedded face: no fallback to a machine's font
    image = base64.b64encode(chart).decode("ascii")
    m = MARGINS_MM

    def table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
        return _html_table(headers, rows, people)

    signers = "".join(_signature_html(s) for s in people.signers)
    return f"""<!doctype html><html lang="th"><head><meta charset="utf-8">
<title>{html.escape(TITLE)} {html.escape(figures["period"]["label"])}</title>
<style>
{font_faces()}
@page {{ size: A4; margin: {m["top"]}mm {m["right"]}mm {m["bottom"]}mm {m["left"]}mm;
  @bottom-center {{ content: counter(page) " / " counter(pages); font-family: {fonts}; font-size: 12pt; }} }}
body {{ font-family: {fonts}; font-size: {BODY_PT}pt; line-height: 1.35; }}
h1 {{ font-size: 20pt; text-align: center; margin: 0 0 1mm; }}
.title-meta {{ font-size: {BODY_PT}pt; font-weight: bold; text-align: center; margin: 0; }}
h2 {{ font-size: 18pt; margin: 6mm 0 2mm; }} h3 {{ font-size: {BODY_PT}pt; margin: 4mm 0 2mm; }}
p {{ margin: 0 0 2mm; }}
table {{ border-collapse: collapse; width: 100%; font-size: 14pt; }}
th, td {{ border: 0.5pt solid #555; padding: 0.5mm 1.5mm; text-align: left; vertical-align: top; }}
th {{ background: #eeeeee; }} tr {{ break-inside: avoid; }}
figure {{ margin: 2mm 0; break-inside: avoid; }} figure img {{ width: {CHART_CM[0]}cm; }}
figcaption {{ font-size: 14pt; }}
.signatures {{ break-inside: avoid; margin-top: 10mm; }}
.signer {{ margin: 0 0 8mm 55mm; }} .signer p {{ margin: 0; }} .signer p:first-child {{ white-space: nowrap; }}
.appendix {{ break-before: page; }}
</style></head><body>
<h1>{html.escape(TITLE)}</h1>
<p class="title-meta">{html.escape(figures["office"]["name"])}</p>
<p class="title-meta">{html.escape(figures["period"]["label"])}</p>
<h2>1. ตัวชี้วัดเทียบกับเป้าหมาย</h2>
{table(("ตัวชี้วัด", "ผล", "เป้าหมาย"), summary_rows(figures))}
<h2>2. ข่าวรายเดือน</h2>
<figure><img src="data:image/png;base64,{image}" alt="แผนภูมิข่าวรายเดือนและร้อยละที่ทันเวลา">
<figcaption>แผนภูมิ: จำนวนข่าวรายเดือนแยกตามประเภท และร้อยละที่เผยแพร่ทันเวลา (เป้าหมายร้อยละ 80)</figcaption></figure>
{table(MONTH_HEADINGS, month_rows(figures))}
<h2>3. ข่าวที่ล่าช้าหรือเลยกำหนด</h2>
{table(("ชื่อข่าว", "สถานะ", "กำหนดเผยแพร่", "ช้าไป"), late_titles(figures))}
<h2>4. ข้อมูลข่าวสารที่รอผู้อำนวยการกลุ่มตรวจบนเว็บไซต์</h2>
{table(("เรื่อง", "หมวด", "เผยแพร่เมื่อ"), awaiting_titles(figures))}
<h2>5. {html.escape(figures["labels"]["kinds"]["clipping"])}</h2>
<p>{html.escape(clippings_text(figures))}</p>
<div class="signatures">{signers}</div>
<section class="appendix">
<h2>ภาคผนวก สำหรับผู้ตรวจสอบ</h2>
<p>{html.escape(people.text(method_text(figures)))}</p>
<h3>รหัสรายการของข่าวที่ล่าช้า</h3>
{table(("รายการ", "ชื่อข่าว", "สถานะ", "กำหนดเผยแพร่", "ช้าไป"), late_rows(figures))}
<h3>รหัสรายการที่รอตรวจบนเว็บไซต์</h3>
{table(("รายการ", "เรื่อง", "หมวด", "เผยแพร่เมื่อ"), awaiting_rows(figures))}
<h3>ข้อสังเกตสำหรับผู้ตรวจสอบ</h3>
{table(("รหัส", "ข้อสังเกต", "รายละเอียด"), trust_rows(figures))}
</section>
</body></html>"""


def pdf_bytes(figures: Figures, chart: bytes, people: ReportPeople | None = None) -> bytes:
    return html_to_pdf(report_html(figures, chart, people))


def html_to_pdf(document: str) -> bytes:
    """A PDF from HTML by WeasyPrint (fonts from the @font-face files the HTML names, embedded)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise KhaosanError(
            "KS504", f"สร้าง PDF ไม่ได้: {exc}", "ติดตั้ง WeasyPrint และ Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0)"
        ) from None
    result: bytes = HTML(string=document, base_url=str(FONT_DIR)).write_pdf()
    return result


# -- writing -----------------------------------------------------------------------------------


def report_names(figures: Figures) -> dict[str, str]:
    stem = f"metrics-{figures['period']['key'].replace('..', '_to_')}"
    return {ext: f"{stem}.{ext}" for ext in ("docx", "xlsx", "pdf")}


def write_reports(
    figures: Figures, root: Path, folder: str, *, force: bool, people: ReportPeople | None = None
) -> list[Path]:
    """Write the three documents; refuse before writing any if one exists and `force` is not given."""
    target = Path(folder)
    target = target if target.is_absolute() else Path.cwd() / target
    if target.exists() and not target.is_dir():
        raise KhaosanError(
            "KS504", f"เขียนไฟล์รายงานไม่ได้: {target} เป็นไฟล์ ไม่ใช่โฟลเดอร์", "ระบุโฟลเดอร์สำหรับรายงานหลัง --report"
        )
    names = report_names(figures)
    existing = [target / n for n in names.values() if (target / n).exists()]
    if existing and not force:
        raise KhaosanError(
            "KS503",
            "มีไฟล์รายงานนี้อยู่แล้ว จะไม่เขียนทับ: " + ", ".join(str(p) for p in existing),
            "เลือกโฟลเดอร์อื่น หรือสั่งซ้ำพร้อม --force เพื่อเขียนทับ",
        )
    chart = chart_png(figures)
    makers: dict[str, Callable[[], bytes]] = {
        "docx": lambda: docx_bytes(figures, chart, people),
        "xlsx": lambda: xlsx_bytes(figures, people),
        "pdf": lambda: pdf_bytes(figures, chart, people),
    }
    data = {ext: make() for ext, make in makers.items()}  # all built before any is written
    written = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for ext, name in names.items():
            path = target / name
            if path.exists():
                replace_file(path, data[ext])
            else:
                create_file(path, data[ext])
            written.append(path)
    except FileExistsError as exc:  # created by someone else between the check and the write
        raise KhaosanError("KS503", f"มีไฟล์รายงานนี้อยู่แล้ว จะไม่เขียนทับ: {exc}", "สั่งซ้ำพร้อม --force เพื่อเขียนทับ") from None
    except OSError as exc:
        raise KhaosanError(
            "KS504",
            f"เขียนไฟล์รายงานไม่ได้: {exc.strerror or exc} ({exc.filename or target})",
            "ตรวจว่าโฟลเดอร์เขียนได้และพื้นที่ดิสก์พอ",
        ) from None
    return written
