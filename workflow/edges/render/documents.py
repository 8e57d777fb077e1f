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

Heavy libraries are imported only here, and only when a report is asked for.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from workflow.core.chart import TARGET, TYPE_COLOURS, month_tick, percent
from workflow.core.figures import Figures
from workflow.core.thaitime import format_datetime
from workflow.edges.files.atomic import create_file, replace_file
from workflow.edges.render.metrics import evidence_text, rate_text
from workflow.errors import KhaosanError

DOC_FONT = "TH Sarabun New"  # the Thai government's standard document font (Word, Excel)
SCREEN_FONTS = ("Sarabun", "Loma", "Garuda", "Waree", "Noto Sans Thai")  # PDF/PNG: the first one installed


def _when(value: str | None) -> str:
    if not value:
        return "–"
    from datetime import datetime

    return format_datetime(datetime.fromisoformat(value))


MONTH_HEADINGS = ("เดือน", "ข่าว", "ทันเวลา", "ล่าช้า", "เลยกำหนด", "ร้อยละทันเวลา")


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
            f" ({percent(news['policy_in_print']['share'])})",
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
        (m["label"], str(m["count"]), str(m["on_time"]), str(m["late"]), str(m["overdue"]), percent(m["on_time_rate"]))
        for m in figures["news"]["by_month"].values()
    ]


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


def thai_font_path() -> tuple[str, str] | None:
    from matplotlib import font_manager

    files = font_manager.findSystemFonts()
    for family in SCREEN_FONTS:
        key = family.replace(" ", "").lower()
        for path in files:
            stem = Path(path).stem.replace(" ", "").replace("-", "").lower()
            if stem in (key, key + "regular"):
                return family, path
    return None


def chart_png(figures: Figures) -> bytes:
    """Monthly news volume by type (stacked bars) and on-time rate (line, right axis) with the 80 % target."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    found = thai_font_path()
    if found:
        font_manager.fontManager.addfont(found[1])
        family = font_manager.FontProperties(fname=found[1]).get_name()
        plt.rcParams["font.family"] = [family, "DejaVu Sans"]
    months = figures["news"]["by_month"]
    keys = list(months)
    ticks = [month_tick(k) for k in keys]
    fig, ax = plt.subplots(figsize=(9, 4.2), dpi=150)
    bottom = [0] * len(keys)
    for news_type, label in figures["labels"]["news_types"].items():
        values = [months[k]["by_type"].get(news_type, 0) for k in keys]
        ax.bar(ticks, values, bottom=bottom, label=label, color=TYPE_COLOURS[news_type], width=0.65)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("จำนวนข่าว")
    pad = max(0.0, (6 - len(keys)) / 2)  # a month alone is one bar in the middle, not the whole width
    ax.set_xlim(-0.75 - pad, len(keys) - 0.25 + pad)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max([*bottom, 1]) * 1.25)
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
    ax.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left", fontsize=7, ncol=3, frameon=False)
    ax.set_title(f"ข่าวรายเดือนตามประเภท และร้อยละที่ทันเวลา: {figures['period']['label']}", fontsize=10)
    ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
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


def docx_bytes(figures: Figures, chart: bytes) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    for name, size in (("Normal", 16), ("Title", 24), ("Heading 1", 20), ("Heading 2", 18), ("Table Grid", 14)):
        style = document.styles[name]
        style.font.name = DOC_FONT
        style.font.size = Pt(size)
        _thai_run_font(style.element.get_or_add_rPr(), size)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)
    document.add_heading("รายงานผลการดำเนินงานประชาสัมพันธ์และการเปิดเผยข้อมูลข่าวสาร", level=0)
    document.add_paragraph(figures["office"]["name"])
    document.add_paragraph(figures["period"]["label"])
    document.add_paragraph(
        f"จัดทำเมื่อ {_when(figures['generated_at'])} จากประวัติ git ({figures['history']['commits']} commit บนสายหลัก)"
    )

    def table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
        grid = document.add_table(rows=1, cols=len(headers))
        grid.style = document.styles["Table Grid"]
        for cell, text in zip(grid.rows[0].cells, headers, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = str(text)

    document.add_heading("ตัวชี้วัดเทียบกับเป้าหมาย", level=1)
    table(("ตัวชี้วัด", "ผล", "เป้าหมาย"), summary_rows(figures))
    document.add_heading("ข่าวรายเดือน", level=1)
    document.add_picture(io.BytesIO(chart), width=Cm(16))
    table(MONTH_HEADINGS, month_rows(figures))
    document.add_heading("ข่าวที่ล่าช้าหรือเลยกำหนด", level=1)
    rows = late_rows(figures)
    if rows:
        table(("รายการ", "ชื่อข่าว", "สถานะ", "กำหนดเผยแพร่", "ช้าไป"), rows)
    else:
        document.add_paragraph("ไม่มี")
    document.add_heading("ข้อมูลข่าวสารที่รอ ผอ.กลุ่มตรวจบนเว็บไซต์", level=1)
    rows2 = awaiting_rows(figures)
    if rows2:
        table(("รายการ", "เรื่อง", "หมวด", "เผยแพร่เมื่อ"), rows2)
    else:
        document.add_paragraph("ไม่มี")
    clip, labels = figures["clippings"], figures["labels"]
    document.add_heading(labels["kinds"]["clipping"], level=1)
    document.add_paragraph(
        f"ทั้งหมด {clip['total']} ชิ้น; ตามประเภทสื่อ: "
        + (", ".join(f"{labels['media'].get(k, k)} {v}" for k, v in clip["by_medium"].items()) or "–")
        + "; ตามผล: "
        + (", ".join(f"{labels['effects'].get(k, k)} {v}" for k, v in clip["by_effect"].items()) or "–")
    )
    document.add_heading("ข้อสังเกตสำหรับผู้ตรวจสอบ", level=1)
    rows3 = trust_rows(figures)
    if rows3:
        table(("รหัส", "ข้อสังเกต", "รายละเอียด"), rows3)
    else:
        document.add_paragraph("ไม่มี")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- Excel -------------------------------------------------------------------------------------


def xlsx_bytes(figures: Figures) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Font

    font, bold = Font(name=DOC_FONT, size=14), Font(name=DOC_FONT, size=14, bold=True)
    book = Workbook()

    def sheet(title: str, headers: tuple[str, ...], rows: list[tuple[Any, ...]], first: bool = False) -> Any:
        ws = book.active if first else book.create_sheet()
        ws.title = title
        ws.append(list(headers))
        for row in rows:
            ws.append(list(row))
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


def _html_table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    if not rows:
        return "<p>ไม่มี</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(figures: Figures, chart: bytes) -> str:
    found = thai_font_path()  # name only an installed font: fontconfig's stand-in for a missing one may be narrow
    fonts = f'"{found[0]}"' if found else ", ".join(f'"{f}"' for f in SCREEN_FONTS)
    image = base64.b64encode(chart).decode("ascii")
    return f"""<!doctype html><html lang="th"><head><meta charset="utf-8">
<title>รายงานผลการดำเนินงาน {html.escape(figures["period"]["label"])}</title>
<style>
@page {{ size: A4; margin: 18mm 16mm; @bottom-center {{ content: counter(page) " / " counter(pages);
  font-family: {fonts}; font-size: 9pt; }} }}
body {{ font-family: {fonts}, sans-serif; font-size: 11pt; line-height: 1.5; }}
h1 {{ font-size: 17pt; margin: 0 0 2mm; }} h2 {{ font-size: 13pt; margin: 6mm 0 2mm; color: #1a3d6d; }}
.meta {{ color: #444; margin: 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 10pt; }}
th, td {{ border: 0.5pt solid #999; padding: 1mm 2mm; text-align: left; vertical-align: top; }}
th {{ background: #e8eef6; }} img {{ width: 100%; }} tr {{ break-inside: avoid; }}
</style></head><body>
<h1>รายงานผลการดำเนินงานประชาสัมพันธ์และการเปิดเผยข้อมูลข่าวสาร</h1>
<p class="meta">{html.escape(figures["office"]["name"])}</p>
<p class="meta">{html.escape(figures["period"]["label"])}</p>
<p class="meta">จัดทำเมื่อ {html.escape(_when(figures["generated_at"]))} จากประวัติ git
({figures["history"]["commits"]} commit บนสายหลัก)</p>
<h2>ตัวชี้วัดเทียบกับเป้าหมาย</h2>
{_html_table(("ตัวชี้วัด", "ผล", "เป้าหมาย"), summary_rows(figures))}
<h2>ข่าวรายเดือน</h2>
<img src="data:image/png;base64,{image}" alt="แผนภูมิข่าวรายเดือนและร้อยละที่ทันเวลา">
{_html_table(MONTH_HEADINGS, month_rows(figures))}
<h2>ข่าวที่ล่าช้าหรือเลยกำหนด</h2>
{_html_table(("รายการ", "ชื่อข่าว", "สถานะ", "กำหนดเผยแพร่", "ช้าไป"), late_rows(figures))}
<h2>ข้อมูลข่าวสารที่รอ ผอ.กลุ่มตรวจบนเว็บไซต์</h2>
{_html_table(("รายการ", "เรื่อง", "หมวด", "เผยแพร่เมื่อ"), awaiting_rows(figures))}
<h2>ข้อสังเกตสำหรับผู้ตรวจสอบ</h2>
{_html_table(("รหัส", "ข้อสังเกต", "รายละเอียด"), trust_rows(figures))}
</body></html>"""


def pdf_bytes(figures: Figures, chart: bytes) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise KhaosanError(
            "KS504", f"สร้าง PDF ไม่ได้: {exc}", "ติดตั้ง WeasyPrint และ Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0)"
        ) from None
    result: bytes = HTML(string=report_html(figures, chart)).write_pdf()
    return result


# -- writing -----------------------------------------------------------------------------------


def report_names(figures: Figures) -> dict[str, str]:
    stem = f"metrics-{figures['period']['key'].replace('..', '_to_')}"
    return {ext: f"{stem}.{ext}" for ext in ("docx", "xlsx", "pdf")}


def write_reports(figures: Figures, root: Path, folder: str, *, force: bool) -> list[Path]:
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
        "docx": lambda: docx_bytes(figures, chart),
        "xlsx": lambda: xlsx_bytes(figures),
        "pdf": lambda: pdf_bytes(figures, chart),
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
