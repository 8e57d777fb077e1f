"""Years from the wrong calendar: a Buddhist-Era year typed into a file (KS215) or a year no
file may hold (KS216) is an error on its line, and nothing computes a deadline from it."""

from __future__ import annotations

from datetime import datetime

import pytest
from support.checking import check, office
from support.items import EVENT, NOW_DT, block, item_text, line_of

from workflow.core.deadlines import deadlines
from workflow.core.office import build_office
from workflow.core.rules import written_at
from workflow.core.thaitime import christian_era, typed_year, year_in_range
from workflow.core.validate import parse_item

BE_END = "2569-12-15T12:00:00+07:00"
CE_END = "2026-12-15T12:00:00+07:00"
APPROVAL = "\n  - by: anan.w\n    step: facts\n    at: {at}\n    digest: sha256:" + "0" * 64


def problems_of(text: str, kind: str = "news") -> list[tuple[str, int, str]]:
    result = check(text, kind)
    return [(p.code, p.line, p.fix) for p in result.problems if p.code not in ("KS304",)]


# -- thaitime: which years a file may hold ---------------------------------------------


def test_typed_year_and_its_christian_era_value():
    assert typed_year(BE_END) == 2569 and typed_year("2026-11-20") == 2026
    assert typed_year("20 พ.ย. 2569") is None and typed_year(None) is None
    assert christian_era(BE_END) == CE_END
    assert christian_era("2569-11-20") == "2026-11-20"


@pytest.mark.parametrize(
    ("year", "now", "held"),
    [
        (2026, None, True),
        (2000, None, True),
        (1999, None, False),
        (2542, None, True),  # without a "now", the last year that cannot be this era's Buddhist Era
        (2543, None, False),
        (2569, None, False),
        (2031, NOW_DT, True),  # five years ahead
        (2032, NOW_DT, False),
    ],
)
def test_year_in_range(year, now, held):
    assert year_in_range(year, now) is held


# -- the rule: every time in an item, on its line, with the converted value ---------------


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"event": block({**EVENT, "ends_at": BE_END})}, "ends_at:"),
        ({"event": block({**EVENT, "starts_at": "2569-11-20T09:00:00+07:00"})}, "starts_at:"),
        ({"produced_at": "2569-11-20T14:10:00+07:00"}, "produced_at:"),
        ({"publish_at": "2569-11-26T09:00:00+07:00"}, "publish_at:"),
        ({"approvals": APPROVAL.format(at="2569-11-20T15:00:00+07:00")}, "at: 2569"),
    ],
)
def test_ks215_a_buddhist_era_year_in_a_news_item(changes, needle):
    text = item_text("news", **changes)
    found = problems_of(text)
    assert [(code, line) for code, line, _ in found] == [("KS215", line_of(text, needle))], found
    value = next(v for v in text.split("\n") if needle in v).split(": ", 1)[1].strip()
    assert found[0][2].endswith(f"{value} → {christian_era(value)}")


def test_ks215_hint_converts_the_value_as_typed():
    (found,) = check(item_text("news", event=block({**EVENT, "ends_at": BE_END})), "news").problems
    assert found.code == "KS215" and found.severity == "error"
    assert f"{BE_END} → {CE_END}" in found.fix
    assert "พ.ศ." in found.message


def test_ks215_in_a_disclosure_request_and_a_clipping_date():
    text = item_text("disclosure", requested_at="2569-11-21T09:00:00+07:00")
    assert [c for c, _, _ in problems_of(text, "disclosure")] == ["KS215"]  # not also "in the future" (KS212)
    text = item_text("clipping", published_on="2569-11-21")
    found = problems_of(text, "clipping")
    assert [(c, line) for c, line, _ in found] == [("KS215", line_of(text, "published_on:"))]
    assert found[0][2].endswith("2569-11-21 → 2026-11-21")


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"produced_at": "1999-11-20T14:10:00+07:00"}, "produced_at:"),
        ({"event": block({**EVENT, "ends_at": "2046-11-20T12:00:00+07:00"})}, "ends_at:"),
        ({"publish_at": "2035-01-01T00:00:00+07:00"}, "publish_at:"),
    ],
)
def test_ks216_a_year_no_file_may_hold(changes, needle):
    text = item_text("news", **changes)
    assert [(c, line) for c, line, _ in problems_of(text)] == [("KS216", line_of(text, needle))]


def test_a_buddhist_era_produced_at_is_not_also_the_wrong_folder_or_a_late_sign_off():
    text = item_text("news", produced_at="2569-11-20T14:10:00+07:00")  # folder 2569 is right; 3112 is not asked for
    assert [c for c, _, _ in problems_of(text)] == ["KS215"]
    item, _, _ = parse_item("content/news/2569/x.md", text.encode())
    assert item is not None and written_at(item) is None


def test_a_buddhist_era_start_before_a_christian_era_end_is_one_problem():
    text = item_text("news", event=block({**EVENT, "starts_at": "2569-11-20T09:00:00+07:00"}))
    assert "KS205" not in [c for c, _, _ in problems_of(text)]


# -- deadlines never come from such a year ---------------------------------------------------


def test_no_deadline_from_a_buddhist_era_event():
    meeting = office().standards["meeting"]
    assert deadlines({"event": {**EVENT, "ends_at": BE_END}}, meeting) == []
    assert deadlines({"event": {**EVENT, "starts_at": "2569-11-20T09:00:00+07:00"}}, meeting) == []
    assert deadlines({"event": {**EVENT, "ends_at": CE_END}}, meeting) != []


def test_no_deadline_from_a_year_too_far_ahead_of_now():
    event = {**EVENT, "ends_at": "2040-11-20T12:00:00+07:00"}
    meeting = office().standards["meeting"]
    assert deadlines({"event": event}, meeting, NOW_DT) == []
    assert deadlines({"event": EVENT}, meeting, NOW_DT) != []


# -- office.yml ---------------------------------------------------------------------------------


def _office_data(adopted: str) -> dict:
    return {
        "office": {"name": "สำนักงาน", "short_name": "สพป.", "site_url": "https://x.example", "adopted": adopted},
        "groups": [{"id": "admin", "name": "กลุ่มอำนวยการ"}],
        "people": [
            {"id": "d", "name": "ผู้อำนวยการ", "position": "ผอ.", "group": "admin", "roles": ["director"]},
        ],
        "time_standards": {},
        "channels": [{"id": "website", "name": "เว็บไซต์"}],
    }


def test_office_adopted_in_the_buddhist_era_is_an_error_with_the_converted_date():
    _, found = build_office(_office_data("2569-11-01"))
    assert [(p.code, p.where) for p in found] == [("KS215", ("office", "adopted"))]
    assert found[0].fix.endswith("2569-11-01 → 2026-11-01")
    _, clean = build_office(_office_data("2026-11-01"))
    assert clean == []


def test_now_is_what_a_few_years_ahead_counts_from():
    later = datetime.fromisoformat("2034-01-01T00:00:00+07:00")
    text = item_text("news", publish_at="2035-01-01T00:00:00+07:00")
    assert [c for c, _, _ in problems_of(text)] == ["KS216"]
    assert check(text, "news", now=later).problems == ()


def test_metrics_never_count_a_buddhist_era_meeting_as_on_time():
    from test_metrics import news, record

    from workflow.core.metrics import assess

    late = record(news(ends="2569-11-20T12:00:00+07:00"), "2026-11-22T06:00:00+07:00")  # 42 h after it ended
    assessed = assess(late, office(), NOW_DT)
    assert assessed.state == "untimed" and assessed.deadline is None
