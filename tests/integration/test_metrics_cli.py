"""`khaosan metrics` on a real repository: JSON keys, CSV, the Thai table, and the
report documents opened again with their own libraries."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from support.cli import THAI
from support.history import NEWS_SIGNERS, Git, meeting, signed
from support.items import ATTACHMENT, ATTACHMENT_BYTES, PATHS, PROJECT, SIGNERS

NOW = "2026-11-25T12:00:00+07:00"
LATE = "content/news/2569/meeting-20261121-late.md"
ARTIFACTS = PROJECT / "test-artifacts"


@pytest.fixture
def history(repo):
    git = Git(repo.root)
    git.commit("2026-11-01T08:00:00+07:00", message="office")
    # on time: published 15:00:00 for a meeting that ended 12:00 (exactly 3 h)
    git.branch("news-1")
    git.commit("2026-11-20T13:40:00+07:00", {PATHS["news"]: signed("news", NEWS_SIGNERS, **meeting())})
    git.checkout("main")
    git.merge("news-1", "2026-11-20T15:00:00+07:00")
    # late: a meeting on the 21st published 3 h + 1 s after it ended
    late = meeting(
        ends_at="2026-11-21T12:00:00+07:00",
        starts_at="2026-11-21T09:00:00+07:00",
        produced_at="2026-11-21T12:30:00+07:00",
        title="ประชุมคณะกรรมการเขตพื้นที่การศึกษา",
    )
    late_signers = [("anan.w", "facts", "2026-11-21T13:00:00+07:00"), ("malee.t", "check", "2026-11-21T13:30:00+07:00")]
    git.commit("2026-11-21T15:00:01+07:00", {LATE: signed("news", late_signers, **late)})
    # a disclosure published without its live check
    git.commit(
        "2026-11-21T12:00:00+07:00",
        {PATHS["disclosure"]: signed("disclosure", SIGNERS["disclosure"]), f"content/{ATTACHMENT}": ATTACHMENT_BYTES},
    )
    return repo


def test_json_has_the_documented_keys_and_figures(history):
    result = history.khaosan("metrics", "--month", "2569-11", "--format", "json", "--now", NOW)
    assert result.code == 0, result.output
    data = json.loads(result.out)
    assert set(data) >= {"period", "news", "disclosures", "clippings", "items"}
    assert data["period"] == {
        "start": "2026-11-01T00:00:00+07:00",
        "end": "2026-12-01T00:00:00+07:00",
        "label": "เดือนพฤศจิกายน 2569",
        "key": "2026-11",
    }
    news = data["news"]
    assert set(news) >= {"time_bound", "on_time", "late", "overdue", "on_time_rate", "by_type", "by_month"}
    assert (news["time_bound"], news["on_time"], news["late"], news["overdue"]) == (2, 1, 1, 0)
    # two judged items are too few for a rate (one late item is not "50 %"): the page says so instead
    assert news["on_time_rate"] is None and news["judged"] == 2 and news["rate_minimum"] == 5
    items = {i["id"]: i for i in data["items"]}
    assert items["news/2569/meeting-20261120-executives"]["state"] == "on-time"
    assert items["news/2569/meeting-20261121-late"]["state"] == "late"
    assert items["news/2569/meeting-20261121-late"]["published_at"] == "2026-11-21T15:00:01+07:00"
    assert items["news/2569/meeting-20261121-late"]["deadline"] == "2026-11-21T15:00:00+07:00"
    for item in data["items"]:
        assert set(item) >= {"id", "kind", "news_type", "state", "published_at", "deadline"}
        assert item["state"] in ("on-time", "late", "pending", "overdue", "untimed", "earlier")
    # the commit times went backwards (15:00:01 then 12:00): an auditor sees it
    assert "KS512" in [f["code"] for f in data["trust"]]
    assert data["disclosures"]["awaiting_live_check"] == 1


def test_csv_lists_the_items(history):
    result = history.khaosan("metrics", "--month", "2026-11", "--format", "csv", "--now", NOW)
    assert result.code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert {r["id"]: r["state"] for r in rows}["news/2569/meeting-20261121-late"] == "late"


def test_table_is_thai_with_buddhist_era(history):
    result = history.khaosan("metrics", "--fiscal-year", "2570", "--now", NOW)
    assert result.code == 0, result.output
    assert "ปีงบประมาณ พ.ศ. 2570" in result.out and "พฤศจิกายน 2569" in result.out
    assert "ร้อยละที่ทันเวลา" in result.out and "ข้อมูลยังไม่พอ (ครบกำหนด 2 ข่าว ต้องมีอย่างน้อย 5 ข่าว)" in result.out


def test_fiscal_year_before_the_items_is_empty(history):
    data = json.loads(history.khaosan("metrics", "--fiscal-year", "2569", "--format", "json", "--now", NOW).out)
    assert data["news"]["time_bound"] == 0 and data["news"]["on_time_rate"] is None


@pytest.mark.parametrize("args", [["--month", "2569-13"], ["--half", "2569H3"], ["--from", "2026-11-01"]])
def test_bad_period_is_a_thai_usage_error(history, args):
    result = history.khaosan("metrics", *args, "--now", NOW)
    assert result.code == 2 and "KS501" in result.err and THAI.search(result.err)
    assert "Traceback" not in result.output


def test_outside_git_is_a_thai_error(repo):
    result = repo.khaosan("metrics", "--now", NOW)
    assert result.code == 2 and "KS502" in result.err


def test_reports_are_written_reopened_and_never_overwritten(history):
    result = history.khaosan("metrics", "--month", "2569-11", "--report", "reports", "--now", NOW)
    assert result.code == 0, result.output
    folder = history.root / "reports"
    docx_path, xlsx_path, pdf_path = (folder / f"metrics-2026-11.{ext}" for ext in ("docx", "xlsx", "pdf"))

    from docx import Document

    document = Document(str(docx_path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาภูผาหมอก เขต 1" in text and "เดือนพฤศจิกายน 2569" in text
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "ข้อมูลยังไม่พอ (ครบกำหนด 2 ข่าว ต้องมีอย่างน้อย 5 ข่าว)" in cells
    assert "news/2569/meeting-20261121-late" in cells
    styles = zipfile.ZipFile(docx_path).read("word/styles.xml").decode("utf-8")
    assert 'w:cs="TH Sarabun New"' in styles and 'w:bidi="th-TH"' in styles
    assert any(rel.reltype.endswith("/image") for rel in document.part.rels.values())

    from openpyxl import load_workbook

    book = load_workbook(xlsx_path)
    summary = book["สรุป"]
    values = {row[0]: row[1] for row in summary.iter_rows(values_only=True)}
    assert values["ร้อยละทันเวลา (ค่าตัวเลข)"] is None
    assert summary["A1"].font.name == "TH Sarabun New"
    monthly = book["รายเดือน"]
    assert monthly["A2"].value == "พฤศจิกายน 2569"
    assert len(monthly._charts) == 1
    late = list(book["ล่าช้า"].iter_rows(values_only=True))
    assert late[1][0] == "news/2569/meeting-20261121-late"

    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")
    import pypdfium2

    document_pdf = pypdfium2.PdfDocument(pdf)
    page = document_pdf[0]
    text = "".join(document_pdf[n].get_textpage().get_text_range() for n in range(len(document_pdf)))
    assert "ข่าวรายเดือน" in text and "ประชาสัมพันธ์" in text  # text extraction garbles ำ after shaping, so
    # words without it are checked here; the page is looked at in test-artifacts/metrics-report-page1.png
    ARTIFACTS.mkdir(exist_ok=True)
    page.render(scale=1.5).to_pil().save(ARTIFACTS / "metrics-report-page1.png")

    before = {p: p.read_bytes() for p in (docx_path, xlsx_path, pdf_path)}
    again = history.khaosan("metrics", "--month", "2569-11", "--report", "reports", "--now", NOW)
    assert again.code == 2 and "KS503" in again.err
    assert all(p.read_bytes() == data for p, data in before.items())
    forced = history.khaosan("metrics", "--month", "2569-11", "--report", "reports", "--force", "--now", NOW)
    assert forced.code == 0, forced.output
    assert sorted(p.name for p in Path(folder).iterdir()) == sorted(p.name for p in before)


def test_fiscal_year_boundary_is_bangkok_time(repo):
    git = Git(repo.root)
    git.commit("2026-09-01T08:00:00+07:00", message="office")
    before = meeting(
        ends_at="2026-09-30T20:00:00+07:00",
        starts_at="2026-09-30T18:00:00+07:00",
        produced_at="2026-09-30T23:30:00+07:00",
    )  # 16:30 UTC on 30 September: FY 2569
    after = meeting(
        ends_at="2026-10-01T00:05:00+07:00",
        starts_at="2026-09-30T23:00:00+07:00",
        produced_at="2026-10-01T00:10:00+07:00",
    )  # 17:10 UTC on 30 September: FY 2570
    signers = [("anan.w", "facts", "2026-10-01T00:20:00+07:00"), ("malee.t", "check", "2026-10-01T00:30:00+07:00")]
    git.commit(
        "2026-10-01T01:00:00+07:00",
        {
            "content/news/2569/meeting-20260930-late-night.md": signed("news", signers, **before),
            "content/news/2570/meeting-20261001-midnight.md": signed("news", signers, **after),
        },
    )
    ids = {}
    for year in ("2569", "2570"):
        result = repo.khaosan("metrics", "--fiscal-year", year, "--format", "json", "--now", NOW)
        assert result.code == 0, result.output
        ids[year] = [i["id"] for i in json.loads(result.out)["items"]]
    assert ids == {"2569": ["news/2569/meeting-20260930-late-night"], "2570": ["news/2570/meeting-20261001-midnight"]}


def test_report_into_a_file_is_a_thai_error_not_a_traceback(history):
    (history.root / "taken").write_text("x", encoding="utf-8")
    result = history.khaosan("metrics", "--month", "2569-11", "--report", "taken", "--now", NOW)
    assert result.code == 2 and "KS504" in result.err and "Traceback" not in result.output
