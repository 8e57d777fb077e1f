"""workflow.core.complaints: complaint statistics as structure (ITA), and what no schema can say."""

from __future__ import annotations

import pytest
from support.checking import check, schemas
from support.items import item_text, line_of

from workflow.core import complaints
from workflow.core.ita import evidence_year
from workflow.core.structure import Item

PATH = "content/disclosures/other/complaints-2569-h1.md"


def stats_text(received=2, done=1, in_progress=1, none=False, start="2025-10-01", end="2026-03-31") -> str:
    value = f"\n  from: {start}\n  to: {end}\n  received: {received}\n  done: {done}\n  in_progress: {in_progress}"
    if none:
        value += "\n  none: true"
    return item_text("disclosure", category="other", category_other="สถิติเรื่องร้องเรียน", complaint_statistics=value)


def codes(text: str) -> set[str]:
    return {p.code for p in check(text, "disclosure", path=PATH).problems}


def test_statistics_that_add_up_pass_and_none_is_said_explicitly():
    assert codes(stats_text()) == set()
    assert codes(stats_text(0, 0, 0, none=True)) == set()


def test_counts_that_do_not_add_up_are_refused_on_their_line():
    text = stats_text(received=3)
    result = check(text, "disclosure", path=PATH)
    found = [p for p in result.problems if p.code == "KS260"]
    assert found and found[0].line == line_of(text, "received: 3")


@pytest.mark.parametrize(("counts", "none"), [((0, 0, 0), False), ((1, 1, 0), True)])
def test_none_must_match_the_numbers(counts, none):
    assert codes(stats_text(*counts, none=none)) == {"KS261"}


def test_a_period_that_ends_before_it_starts_is_refused():
    assert codes(stats_text(start="2026-03-31", end="2025-10-01")) == {"KS262"}


def test_negative_counts_and_a_buddhist_era_date_are_schema_errors():
    assert "KS106" in codes(stats_text(received=-1, done=-1, in_progress=0))
    found = [p for p in check(stats_text(end="2569-03-31"), "disclosure", path=PATH).problems if p.code == "KS215"]
    assert found and "2026-03-31" in found[0].hint


def test_headings_come_from_the_schema_and_the_row_is_thai():
    heads = complaints.headings(schemas().bundled["disclosure"])
    assert heads == {
        "title": "สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
        "columns": ["ช่วงเวลา", "ได้รับ (เรื่อง)", "ดำเนินการแล้วเสร็จ (เรื่อง)", "อยู่ระหว่างดำเนินการ (เรื่อง)"],
    }
    stats = {"from": "2025-10-01", "to": "2026-03-31", "received": 2, "done": 1, "in_progress": 1}
    assert complaints.row(stats) == ["1 ตุลาคม 2568 – 31 มีนาคม 2569", "2", "1", "1"]


def test_statistics_are_evidence_for_the_fiscal_year_their_period_ends_in():
    data = {"requested_at": "2026-10-05T10:00:00+07:00", "complaint_statistics": {"to": "2026-09-30"}}
    assert evidence_year(Item("x", PATH, data, "")) == 2569
