"""The ITA (OIT) readiness of one fiscal year for the person who fills in the ITAS form: URL by URL.

Input is `core/ita.assess`'s `Assessment`; relative links become the office's site URLs.
Formats: a Thai table, JSON, CSV (one line a link, so each URL can be pasted as it is) and
an Excel workbook with the same lines (in the Thai document font).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from workflow.core.ita import STATE_LABELS, Assessment, Link, Row

HEADINGS = ("ข้อ", "รายการ", "สถานะ", "ที่อยู่ (URL)", "หลักฐาน", "ปีงบประมาณของหลักฐาน", "หมายเหตุ")


def absolute(link: Link, site_url: str) -> str:
    return link.url if link.url.startswith(("http://", "https://")) else f"{site_url.rstrip('/')}/{link.url}"


def _lines(assessment: Assessment, site_url: str) -> list[tuple[str, ...]]:
    """One line a link (a row without a link: one line with no URL)."""
    out: list[tuple[str, ...]] = []
    for row in assessment.rows:
        links = row.links or (None,)
        for link in links:
            url = absolute(link, site_url) if link else ""
            year = str(link.year) if link and link.year else ""
            out.append((row.code, row.title, row.label, url, link.title if link else "", year, row.note))
    return out


def _row_json(row: Row, site_url: str) -> dict[str, Any]:
    return {
        "code": row.code,
        "title": row.title,
        "requires": row.requires,
        "current": row.current,
        "state": row.state,
        "state_label": row.label,
        "links": [
            {"title": link.title, "url": absolute(link, site_url), "fiscal_year": link.year} for link in row.links
        ],
        "note": row.note,
    }


def to_json(assessment: Assessment, site_url: str) -> str:
    document = {
        "fiscal_year": assessment.fiscal_year,
        "source": assessment.source,
        "counts": assessment.counts(),
        "state_labels": STATE_LABELS,
        "rows": [_row_json(row, site_url) for row in assessment.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_csv(assessment: Assessment, site_url: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADINGS)
    writer.writerows(_lines(assessment, site_url))
    return out.getvalue()


def table(assessment: Assessment, site_url: str) -> str:
    counts = assessment.counts()
    lines = [
        f"ITA ปีงบประมาณ {assessment.fiscal_year}: รายการข้อมูลสาธารณะ (OIT) {len(assessment.rows)} ข้อ",
        "  " + "  ".join(f"{label} {counts[state]}" for state, label in STATE_LABELS.items()),
        "",
    ]
    for row in assessment.rows:
        lines.append(f"{row.code:<4} {row.label:<18} {row.title}")
        for link in row.links:
            year = f" (ปีงบประมาณ {link.year})" if link.year else ""
            lines.append(f"       {absolute(link, site_url)}  {link.title}{year}")
        if row.note:
            lines.append(f"       → {row.note}")
    if assessment.source:
        lines += ["", f"ที่มาของรายการ: {assessment.source}"]
    return "\n".join(lines) + "\n"


def xlsx_bytes(assessment: Assessment, site_url: str, office_name: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from workflow.edges.render.documents import DOC_FONT

    font, bold = Font(name=DOC_FONT, size=14), Font(name=DOC_FONT, size=14, bold=True)
    book = Workbook()
    sheet = book.active
    sheet.title = f"OIT {assessment.fiscal_year}"
    sheet.append([f"{office_name}: ITA ปีงบประมาณ {assessment.fiscal_year}"])
    sheet.append(list(HEADINGS))
    for line in _lines(assessment, site_url):
        sheet.append(list(line))
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.font = bold if cell.row <= 2 else font
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFG", (6, 48, 16, 60, 48, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
