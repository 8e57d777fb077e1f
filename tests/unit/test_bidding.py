"""workflow.core.bidding: a procurement notice's facts for people and for machines."""

from __future__ import annotations

from support.checking import office

from workflow.core import bidding


def test_baht_keeps_satang_only_when_there_are_some():
    assert bidding.baht(960000) == "960,000 บาท"
    assert bidding.baht(1015.38) == "1,015.38 บาท"
    assert bidding.baht(0.5) == "0.50 บาท"


def test_facts_for_people_and_machines_in_a_bidders_order():
    found = bidding.facts(
        {"egp_project": 69029012345, "bid_deadline": "2026-02-24T09:30:00Z", "method": "specific"},
        office().vocabulary,
        "thai",
    )
    assert found == {
        "method": "specific",
        "method_th": "วิธีเฉพาะเจาะจง",
        "bid_deadline": "2026-02-24T09:30:00+00:00",
        "bid_deadline_th": "๒๔ กุมภาพันธ์ ๒๕๖๙ เวลา ๑๖:๓๐ น.",
        "egp_project": "69029012345",
    }
    assert bidding.lines(found) == [
        ("วิธีจัดซื้อจัดจ้าง", "วิธีเฉพาะเจาะจง"),
        ("กำหนดยื่นข้อเสนอ", "๒๔ กุมภาพันธ์ ๒๕๖๙ เวลา ๑๖:๓๐ น."),
        ("เลขที่โครงการ (e-GP)", "69029012345"),
    ]
    assert bidding.facts(None, office().vocabulary) is None and bidding.lines(None) == []
