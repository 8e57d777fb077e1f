"""The filled request form (`core/request_form.RequestForm`) as PDF and DOCX, laid out like the paper form.

The paper form is one A4 page: two centred title lines, the date on the right, เรียน …, then
three framed parts (ส่วนที่ 1, 2, 3), each with its fields on dotted lines and its signatures
on the right. Here: the same order and frames; the seven category boxes and the four delivery
boxes with the chosen one marked; the sign-offs the record holds, with names, positions and
times; at the foot, in small print, what the form was filled from (item, digest, commits).
The PDF uses the shipped Sarabun, embedded (`documents.font_faces`); the DOCX, TH Sarabun New.
"""

from __future__ import annotations

import html
import io
from typing import Any

from workflow.core.request_form import PublicationSummary, RequestForm, Signature
from workflow.edges.render.documents import (
    BODY_PT,
    MARGINS_MM,
    PDF_FONT,
    ReportPeople,
    docx_page,
    font_faces,
    html_to_pdf,
    signature_lines,
)

FORM_PT = 12  # Sarabun at 12 pt sets about as TH Sarabun New at 16: the paper form's one page
CHECKED, UNCHECKED = "☑", "☐"  # DOCX (Word finds a symbol font); the PDF draws its boxes


def _signature_lines(s: Signature) -> list[str]:
    lines = [f"(ลงชื่อ) {'.' * 28} {s.role}", f"({s.name})", f"ตำแหน่ง {s.position}"]
    if s.note:
        lines.append(s.note)
    return lines


# -- PDF ------------------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return html.escape(text)


def _boxes(boxes: Any) -> str:
    items = "".join(
        f'<li><span class="box">{"X" if b.checked else "&#160;"}</span> {_esc(b.label)}</li>' for b in boxes
    )
    return f'<ul class="boxes">{items}</ul>'


def _sign(s: Signature) -> str:
    return '<div class="sign">' + "".join(f"<p>{_esc(line)}</p>" for line in _signature_lines(s)) + "</div>"


def form_html(form: RequestForm) -> str:
    m = MARGINS_MM
    steps = "".join(
        "<tr>" + "".join(f"<td>{_esc(v)}</td>" for v in (s.step, s.name, s.position, s.at, s.how, s.status)) + "</tr>"
        for s in form.signoffs
    )
    record = "".join(f"<li>{_esc(k)}: {_esc(v)}</li>" for k, v in form.record)
    return f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><title>{_esc(form.title)}</title>
<style>
{font_faces()}
@page {{ size: A4; margin: {m["top"]}mm {m["right"]}mm {m["bottom"]}mm {m["left"]}mm; }}
body {{ font-family: '{PDF_FONT}-report'; font-size: {FORM_PT}pt; line-height: 1.3; }}
h1 {{ font-size: {FORM_PT + 3}pt; text-align: center; margin: 0; }}
.subtitle {{ text-align: center; font-weight: bold; margin: 0 0 3mm; }}
.date {{ text-align: right; margin: 0 0 2mm; }}
p {{ margin: 0 0 1mm; }}
.part {{ border: 0.75pt solid #000; padding: 2mm 3mm; margin: 0 0 -0.75pt; break-inside: avoid; }}
.part h2 {{ font-size: {FORM_PT}pt; margin: 0 0 1mm; }}
.boxes {{ list-style: none; margin: 0 0 1mm; padding: 0; columns: 2; column-gap: 6mm; }}
.boxes li {{ margin: 0 0 0.5mm; break-inside: avoid; }}
.box {{ display: inline-block; width: 3.6mm; height: 3.6mm; border: 0.75pt solid #000; text-align: center;
  line-height: 3.6mm; font-size: 9pt; font-weight: bold; }}
.signs {{ display: flex; justify-content: space-between; margin-top: 2mm; }}
.sign {{ width: 48%; }} .sign p {{ margin: 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: {FORM_PT - 2}pt; margin: 1mm 0; }}
th, td {{ border: 0.5pt solid #555; padding: 0.5mm 1mm; text-align: left; vertical-align: top; }}
.record {{ font-size: {FORM_PT - 2}pt; margin-top: 3mm; }} .record ul {{ margin: 0; padding-left: 4mm; }}
</style></head><body>
<h1>{_esc(form.title)}</h1>
<p class="subtitle">{_esc(form.subtitle)}</p>
<p class="date">{_esc(form.date)}</p>
<p>{_esc(form.to)}</p>
<section class="part"><h2>ส่วนที่ 1 ผู้ขอเผยแพร่ข้อมูลข่าวสารบนเว็บไซต์</h2>
<p>ข้าพเจ้า {_esc(form.requester)} ตำแหน่ง {_esc(form.position)}</p>
<p>กลุ่ม {_esc(form.group)}</p>
<p>รายละเอียด {_esc(form.detail)}</p>
<p>{_esc(form.intent)}</p>
{_boxes(form.categories)}
<p>เรื่อง {_esc(form.subject)}</p>
<p>ลักษณะการส่งไฟล์</p>
{_boxes(form.deliveries)}
<div class="signs">{"".join(_sign(s) for s in form.part1)}</div>
</section>
<section class="part"><h2>ส่วนที่ 2 ผู้ดูแลเว็บไซต์</h2>
<p>ได้รับข้อมูลเมื่อ {_esc(form.received)}</p>
<p>ดำเนินการแล้วเสร็จ เมื่อ {_esc(form.completed)}</p>
<div class="signs"><div class="sign"></div>{_sign(form.webmaster)}</div>
</section>
<section class="part"><h2>ส่วนที่ 3 ผอ.กลุ่มของผู้ขอเผยแพร่ข้อมูลข่าวสาร ตรวจสอบความถูกต้องของข้อมูลหลังนำเข้าเว็บไซต์</h2>
<p>ข้าพเจ้า {_esc(form.checker.name)} ตำแหน่ง {_esc(form.checker.position)}</p>
<p>วันที่เผยแพร่บนเว็บไซต์ {_esc(form.published)}</p>
<p>ตรวจสอบบนเว็บไซต์แล้ว เมื่อ {_esc(form.verified)}</p>
<div class="signs"><div class="sign"></div>{_sign(form.checker)}</div>
</section>
<section class="record"><p><strong>การลงนามตามที่บันทึกไว้ในคลังข้อมูล</strong></p>
<table><thead><tr><th>ขั้น</th><th>ชื่อ</th><th>ตำแหน่ง</th><th>เมื่อ</th><th>วิธีลงนาม</th><th>สถานะ</th></tr></thead>
<tbody>{steps}</tbody></table>
<p>กรอกจากบันทึกในคลังข้อมูล</p><ul>{record}</ul></section>
</body></html>"""


def form_pdf(form: RequestForm) -> bytes:
    return html_to_pdf(form_html(form))


# -- DOCX -----------------------------------------------------------------------------------------


def para(container: Any, text: str, *, bold: bool = False, align: Any = None) -> None:
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if align is not None:
        paragraph.alignment = align


def _docx_record(document: Any, form: RequestForm) -> None:
    """Below the form: the sign-offs as recorded, and what the form was filled from."""
    para(document, "การลงนามตามที่บันทึกไว้ในคลังข้อมูล", bold=True)
    steps = document.add_table(rows=1, cols=6)
    steps.style = document.styles["Table Grid"]
    for cell, text in zip(steps.rows[0].cells, ("ขั้น", "ชื่อ", "ตำแหน่ง", "เมื่อ", "วิธีลงนาม", "สถานะ"), strict=True):
        cell.text = text
    for line in form.signoffs:
        for cell, text in zip(
            steps.add_row().cells, (line.step, line.name, line.position, line.at, line.how, line.status), strict=True
        ):
            cell.text = text
    para(document, "กรอกจากบันทึกในคลังข้อมูล")
    for key, value in form.record:
        para(document, f"{key}: {value}")


def form_docx(form: RequestForm) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    docx_page(document)
    document.styles["Normal"].font.size = Pt(BODY_PT - 2)

    para(document, form.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(document, form.subtitle, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(document, form.date, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(document, form.to)

    def part(title: str) -> Any:
        grid = document.add_table(rows=1, cols=1)
        grid.style = document.styles["Table Grid"]
        cell = grid.rows[0].cells[0]
        cell.paragraphs[0].add_run(title).bold = True
        return cell

    def signatures(cell: Any, signers: tuple[Signature, ...]) -> None:
        grid = cell.add_table(rows=1, cols=2)
        for column, signer in zip(grid.rows[0].cells[2 - len(signers) :], signers, strict=True):
            column.paragraphs[0].text = _signature_lines(signer)[0]
            for line in _signature_lines(signer)[1:]:
                column.add_paragraph(line)

    one = part("ส่วนที่ 1 ผู้ขอเผยแพร่ข้อมูลข่าวสารบนเว็บไซต์")
    for text in (f"ข้าพเจ้า {form.requester} ตำแหน่ง {form.position}", f"กลุ่ม {form.group}"):
        para(one, text)
    para(one, f"รายละเอียด {form.detail}")
    para(one, form.intent)
    for box in form.categories:
        para(one, f"{CHECKED if box.checked else UNCHECKED} {box.label}")
    para(one, f"เรื่อง {form.subject}")
    para(one, "ลักษณะการส่งไฟล์")
    for box in form.deliveries:
        para(one, f"{CHECKED if box.checked else UNCHECKED} {box.label}")
    signatures(one, form.part1)

    two = part("ส่วนที่ 2 ผู้ดูแลเว็บไซต์")
    para(two, f"ได้รับข้อมูลเมื่อ {form.received}")
    para(two, f"ดำเนินการแล้วเสร็จ เมื่อ {form.completed}")
    signatures(two, (form.webmaster,))

    three = part("ส่วนที่ 3 ผอ.กลุ่มของผู้ขอเผยแพร่ข้อมูลข่าวสาร ตรวจสอบความถูกต้องของข้อมูลหลังนำเข้าเว็บไซต์")
    para(three, f"ข้าพเจ้า {form.checker.name} ตำแหน่ง {form.checker.position}")
    para(three, f"วันที่เผยแพร่บนเว็บไซต์ {form.published}")
    para(three, f"ตรวจสอบบนเว็บไซต์แล้ว เมื่อ {form.verified}")
    signatures(three, (form.checker,))

    _docx_record(document, form)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- the six- and twelve-month summaries ------------------------------------------------------------

SUMMARY_HEADINGS = ("ที่", "เรื่อง", "หมวด", "ผู้ขอเผยแพร่", "ขอเมื่อ", "ผู้อนุญาต", "เผยแพร่เมื่อ", "ตรวจบนเว็บไซต์")


def _summary_rows(summary: PublicationSummary) -> list[tuple[str, ...]]:
    return [
        (str(n), r.subject, r.category, r.requester, r.requested, r.permitted, r.published, r.checked)
        for n, r in enumerate(summary.rows, start=1)
    ]


def _summary_totals(summary: PublicationSummary) -> list[str]:
    lines = [f"เผยแพร่ทั้งหมด {len(summary.rows)} เรื่อง"]
    lines += [f"{label} {count} เรื่อง" for label, count in summary.by_category]
    lines.append(f"รอผู้อำนวยการกลุ่มตรวจบนเว็บไซต์ {summary.awaiting_check} เรื่อง")
    return lines


def summary_pdf(summary: PublicationSummary, people: ReportPeople) -> bytes:
    m = MARGINS_MM
    head = "".join(f"<th>{_esc(h)}</th>" for h in SUMMARY_HEADINGS)
    body = (
        "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>" for row in _summary_rows(summary))
        or f'<tr><td colspan="{len(SUMMARY_HEADINGS)}">ไม่มีการเผยแพร่ในรอบนี้</td></tr>'
    )
    totals = "".join(f"<li>{_esc(line)}</li>" for line in _summary_totals(summary))
    signs = "".join(
        '<div class="sign">' + "".join(f"<p>{_esc(line)}</p>" for line in signature_lines(s)) + "</div>"
        for s in people.signers
    )
    document = f"""<!doctype html><html lang="th"><head><meta charset="utf-8"><title>{_esc(summary.title)}</title>
<style>
{font_faces()}
@page {{ size: A4 landscape; margin: 20mm {m["right"]}mm 20mm {m["left"]}mm;
  @bottom-center {{ content: counter(page) " / " counter(pages); font-family: '{PDF_FONT}-report';
  font-size: 10pt; }} }}
body {{ font-family: '{PDF_FONT}-report'; font-size: {FORM_PT}pt; line-height: 1.3; }}
h1 {{ font-size: {FORM_PT + 4}pt; text-align: center; margin: 0; }}
.meta {{ text-align: center; font-weight: bold; margin: 0 0 3mm; }}
table {{ border-collapse: collapse; width: 100%; font-size: {FORM_PT - 2}pt; }}
th, td {{ border: 0.5pt solid #555; padding: 0.5mm 1mm; text-align: left; vertical-align: top; }}
th {{ background: #eeeeee; }} tr {{ break-inside: avoid; }}
.signs {{ display: flex; justify-content: space-around; margin-top: 8mm; break-inside: avoid; }}
.sign p {{ margin: 0; }}
</style></head><body>
<h1>{_esc(summary.title)}</h1>
<p class="meta">{_esc(summary.office)}</p>
<p class="meta">{_esc(summary.period)}</p>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
<ul>{totals}</ul>
<div class="signs">{signs}</div>
</body></html>"""
    return html_to_pdf(document)


def summary_docx(summary: PublicationSummary, people: ReportPeople) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    docx_page(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.styles["Table Grid"].font.size = Pt(FORM_PT + 2)
    for text in (summary.title, summary.office, summary.period):
        para(document, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    grid = document.add_table(rows=1, cols=len(SUMMARY_HEADINGS))
    grid.style = document.styles["Table Grid"]
    for cell, text in zip(grid.rows[0].cells, SUMMARY_HEADINGS, strict=True):
        cell.text = text
    rows = _summary_rows(summary)
    for row in rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text
    if not rows:
        para(document, "ไม่มีการเผยแพร่ในรอบนี้")
    for line in _summary_totals(summary):
        para(document, line)
    for signer in people.signers:
        document.add_paragraph()
        for line in signature_lines(signer):
            para(document, line, align=WD_ALIGN_PARAGRAPH.CENTER)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
