"""workflow.core.procurement: the monthly procurement summary (แบบ สขร.1) as structure, and its months."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from support.checking import check, schemas
from support.items import item_text, line_of

from workflow.core import procurement
from workflow.core.ita import Evidence, assess, evidence_year
from workflow.core.schema import Schemas
from workflow.core.structure import Item
from workflow.edges.site.pages import skr1_csv

PATH = "content/disclosures/procurement/summary-2569-10.md"
NOW = datetime.fromisoformat("2026-11-25T12:00:00+07:00")
ENTRY = """
    - item: ซื้อวัสดุสำนักงาน
      budget: 48500
      median_price: 48500
      method: เฉพาะเจาะจง
      bidders:
        - {name: ร้านภูผาเครื่องเขียน, price: 48200}
      winner: {name: ร้านภูผาเครื่องเขียน, price: WINNER}
      reason: ราคาไม่เกินวงเงิน
      contract: {number: ใบสั่งซื้อ 31/2569, date: 2026-10-05}"""


def summary_text(month: str = "2026-10", entries: str | None = ENTRY, none: bool = False, winner: str = "48200") -> str:
    value = f"\n  month: {month}"
    if none:
        value += "\n  none: true"
    if entries is not None:
        value += "\n  entries:" + entries.replace("WINNER", winner)
    return item_text("disclosure", requested_at="2026-11-04T09:30:00+07:00", procurement_summary=value)


def codes(text: str) -> dict[str, str]:
    return {p.code: p.severity for p in check(text, "disclosure", path=PATH).problems}


def test_a_month_with_its_purchases_passes():
    assert codes(summary_text()) == {}


def test_a_month_with_nothing_bought_says_so():
    assert codes(summary_text(entries=None, none=True)) == {}
    assert codes(summary_text(entries=None)) == {"KS256": "error"}  # neither: the month is not accounted for
    assert codes(summary_text(none=True)) == {"KS256": "error"}  # both


def test_a_winner_above_the_budget_is_flagged_on_its_line():
    text = summary_text(winner="49000")
    result = check(text, "disclosure", path=PATH)
    flagged = [p for p in result.problems if p.code == "KS257"]
    assert flagged[0].severity == "warning" and flagged[0].line == line_of(text, "price: 49000")


def test_a_winner_who_did_not_bid_is_refused():
    text = summary_text().replace("winner: {name: ร้านภูผาเครื่องเขียน", "winner: {name: ร้านอื่น")
    assert codes(text) == {"KS259": "error"}


def test_a_month_not_yet_over_when_requested_is_refused():
    assert codes(summary_text(month="2026-11")) == {"KS258": "error"}


@pytest.mark.parametrize(("month", "expected"), [("2569-10", "KS105"), ("2026-13", "KS105"), ("2026-10-01", "KS105")])
def test_a_month_in_the_buddhist_era_or_malformed_is_a_schema_error(month, expected):
    assert expected in codes(summary_text(month=month))


def test_a_negative_price_is_refused():
    assert "KS106" in codes(summary_text(winner="-1"))


def test_headings_are_the_schemas_titles_in_the_forms_order():
    heads = procurement.headings(schemas().bundled["disclosure"])
    assert len(heads) == 10 and heads[0] == "ลำดับที่" and heads[1] == "งานที่จัดซื้อหรือจัดจ้าง"
    assert heads[-2:] == ["เลขที่สัญญาหรือข้อตกลง", "วันที่ของสัญญาหรือข้อตกลง"]


def test_rows_and_csv_in_thai_with_the_buddhist_era():
    result = check(summary_text(), "disclosure", path=PATH)
    summary = procurement.summary_of(result.item)
    rows = procurement.rows(summary)
    assert rows == [
        [
            "1",
            "ซื้อวัสดุสำนักงาน",
            "48,500.00",
            "48,500.00",
            "เฉพาะเจาะจง",
            "ร้านภูผาเครื่องเขียน ราคา 48,200.00 บาท",
            "ร้านภูผาเครื่องเขียน ราคา 48,200.00 บาท",
            "ราคาไม่เกินวงเงิน",
            "ใบสั่งซื้อ 31/2569",
            "5 ตุลาคม 2569",
        ]
    ]
    heads = procurement.headings(schemas().bundled["disclosure"])
    lines = list(csv.reader(io.StringIO(skr1_csv(summary, heads))))
    assert lines == [heads, rows[0]]
    none = list(csv.reader(io.StringIO(skr1_csv({"month": "2026-10", "none": True}, heads))))
    assert none[1][1] == "ไม่มีการจัดซื้อจัดจ้าง"


def test_the_months_a_fiscal_year_needs_by_now():
    assert procurement.fiscal_months(2570, NOW) == ["2026-10"]  # November is not over yet
    assert len(procurement.fiscal_months(2569, NOW)) == 12 and procurement.fiscal_months(2569, NOW)[0] == "2025-10"
    assert procurement.fiscal_months(2571, NOW) == []


def test_a_september_summary_requested_in_october_is_evidence_for_the_year_of_its_month():
    item = Item(
        "x", PATH, {"requested_at": "2026-10-05T10:00:00+07:00", "procurement_summary": {"month": "2026-09"}}, ""
    )
    assert evidence_year(item) == 2569


LIST = """fiscal_year: 2570
items:
  - {code: O1, title: สรุปรายเดือน, requires: ทุกเดือน, current: true, monthly: true}
"""


def test_a_monthly_item_is_complete_only_when_every_ended_month_has_its_summary():
    import json

    from support.items import PROJECT

    from workflow.core.schema import COMMON, SCHEMA_FILES

    files = {
        n: json.loads((PROJECT / "schemas" / n).read_text(encoding="utf-8")) for n in (COMMON, *SCHEMA_FILES.values())
    }
    lists = Schemas(files, {"data/ita/2570.yml": LIST}).ita
    now = datetime.fromisoformat("2027-01-10T12:00:00+07:00")  # October to December 2569 are over
    october = Evidence("disclosures/procurement/s-10", "ต.ค.", 2570, ("O1",), ("2026-10",))
    november = Evidence("disclosures/procurement/s-11", "พ.ย.", 2570, ("O1",), ("2026-11",))
    december = Evidence("disclosures/procurement/s-12", "ธ.ค.", 2570, ("O1",), ("2026-12",))
    untagged = Evidence("disclosures/procurement/s-12b", "ธ.ค.", 2570, (), ("2026-12",))
    row = assess(2570, lists, [october, november, untagged], {}, now).rows[0]
    assert row.state == "missing" and row.note == "ยังไม่มีสรุปของเดือน ธันวาคม 2569"
    assert assess(2570, lists, [october, november, december], {}, now).rows[0].state == "complete"


def test_a_contract_date_in_the_buddhist_era_is_refused_with_the_christian_era_in_the_hint():
    text = summary_text().replace("date: 2026-10-05", "date: 2569-10-05")
    found = [p for p in check(text, "disclosure", path=PATH).problems if p.code == "KS215"]
    assert found and "2026-10-05" in found[0].hint and found[0].line == line_of(text, "date: 2569-10-05")
