"""Per-item states on the edge of each time standard, and the figures of the manual."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from support.checking import office

from workflow.core import periods
from workflow.core.metrics import assess, compute, median, percentile
from workflow.core.publication_history import HistoryFacts, ItemRecord, SignoffRecord

NOW = datetime.fromisoformat("2026-11-25T12:00:00+07:00")
NOVEMBER = periods.month("2569-11")


def t(text: str) -> datetime:
    return datetime.fromisoformat(text)


def news(
    news_type: str = "meeting",
    *,
    starts: str = "2026-11-20T09:00:00+07:00",
    ends: str = "2026-11-20T12:00:00+07:00",
    produced: str = "2026-11-20T12:30:00+07:00",
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "news",
        "title": "ข่าว",
        "news_type": news_type,
        "plan": "proactive",
        "format": "press-release",
        "produced_at": produced,
        "channels": ["website"],
    }
    if news_type != "general":
        data["event"] = {"starts_at": starts, "ends_at": ends}
    data.update(extra)
    return data


def record(
    data: dict[str, Any],
    published: str | None,
    *,
    item_id: str = "news/2569/x",
    complete: bool = True,
    urgent: bool = False,
    **extra: Any,
) -> ItemRecord:
    at = t(published) if published else None
    return ItemRecord(
        id=item_id,
        path=f"content/{item_id}.md",
        data=data,
        first_committed_at=t("2026-11-20T12:40:00+07:00"),
        first_commit="a" * 40,
        publishable_at=at,
        published_commit="b" * 40 if at else None,
        publish_at=None,
        published_urgent=urgent,
        complete_now=complete,
        urgent_now=urgent,
        **extra,
    )


def state(data: dict[str, Any], published: str | None, now: datetime = NOW) -> str:
    return assess(record(data, published), office(), now).state


def test_meeting_exactly_three_hours_after_it_ends_is_on_time():
    assert state(news(), "2026-11-20T15:00:00+07:00") == "on-time"


def test_meeting_three_hours_and_one_second_is_late():
    a = assess(record(news(), "2026-11-20T15:00:01+07:00"), office(), NOW)
    assert a.state == "late" and a.late_seconds == 1


def test_inspection_has_24_hours():
    data = news("inspection", ends="2026-11-20T16:00:00+07:00")
    assert state(data, "2026-11-21T16:00:00+07:00") == "on-time"
    assert state(data, "2026-11-21T16:00:01+07:00") == "late"


def test_press_conference_produced_exactly_three_hours_before_and_published_within_one_hour():
    data = news("press-conference", starts="2026-11-20T10:00:00+07:00", produced="2026-11-20T07:00:00+07:00")
    assert state(data, "2026-11-20T11:00:00+07:00") == "on-time"
    assert state(data, "2026-11-20T11:00:01+07:00") == "late"


def test_press_conference_produced_three_hours_less_one_second_before_is_late_even_if_published_in_time():
    data = news("press-conference", starts="2026-11-20T10:00:00+07:00", produced="2026-11-20T07:00:01+07:00")
    a = assess(record(data, "2026-11-20T10:30:00+07:00"), office(), NOW)
    assert a.state == "late" and a.late_seconds == 1


def test_unpublished_before_the_deadline_is_pending_and_after_it_overdue():
    data = news()
    assert state(data, None, now=t("2026-11-20T15:00:00+07:00")) == "pending"
    assert state(data, None, now=t("2026-11-20T15:00:01+07:00")) == "overdue"


def test_scheduled_later_than_now_is_not_yet_published():
    assert state(news(), "2026-11-26T08:00:00+07:00") == "overdue"


def test_general_news_is_untimed():
    assert state(news("general"), "2026-11-22T08:00:00+07:00") == "untimed"


def test_urgent_item_still_awaiting_signoff_is_flagged():
    a = assess(record(news(), "2026-11-20T14:00:00+07:00", complete=False, urgent=True), office(), NOW)
    assert a.urgent_awaiting


def facts(*records: ItemRecord) -> HistoryFacts:
    return HistoryFacts(ref="refs/heads/main", commits=10, head="c" * 40, items=records)


def test_rate_is_null_when_nothing_is_time_bound():
    figures = compute(facts(record(news("general"), "2026-11-22T08:00:00+07:00")), office(), NOVEMBER, NOW)
    assert figures["news"]["on_time_rate"] is None and figures["news"]["untimed"] == 1
    assert figures["news"]["meets_target"] is None


def test_rate_counts_on_time_late_and_overdue_not_pending_or_general():
    later = t("2026-11-24T10:00:00+07:00")
    items = [
        record(news(), "2026-11-20T14:00:00+07:00", item_id="news/2569/a"),
        record(news(), "2026-11-20T14:30:00+07:00", item_id="news/2569/b"),
        record(news(), "2026-11-20T14:40:00+07:00", item_id="news/2569/c"),
        record(news(), "2026-11-20T16:00:00+07:00", item_id="news/2569/d"),  # late
        record(news(), None, item_id="news/2569/e"),  # overdue
        record(
            news(
                ends="2026-11-25T11:00:00+07:00",
                starts="2026-11-25T10:00:00+07:00",
                produced="2026-11-25T11:30:00+07:00",
            ),
            None,
            item_id="news/2569/f",
        ),  # pending
        record(news("general", plan="policy", channels=["website", "print"]), later.isoformat(), item_id="news/2569/g"),
    ]
    figures = compute(facts(*items), office(), NOVEMBER, NOW)
    n = figures["news"]
    assert (n["produced"], n["time_bound"], n["on_time"], n["late"], n["overdue"], n["pending"], n["untimed"]) == (
        7,
        6,
        3,
        1,
        1,
        1,
        1,
    )
    assert n["on_time_rate"] == 0.6 and n["meets_target"] is False
    assert n["by_type"]["meeting"]["count"] == 6 and n["by_month"]["2026-11"]["count"] == 7
    assert n["channels"]["total"] == {"website": 7, "print": 1}
    assert n["policy_in_print"]["by_month"]["2026-11"] == {"policy": 1, "in_print": 1, "share": 1.0}
    assert [r["id"] for r in figures["late"]] == ["news/2569/e", "news/2569/d"]
    states = {i["id"]: i["state"] for i in figures["items"]}
    assert states["news/2569/f"] == "pending" and states["news/2569/g"] == "untimed"
    assert set(figures["items"][0]) >= {"id", "kind", "news_type", "state", "published_at", "deadline"}


def test_policy_news_reaches_print_through_a_clipping():
    item = record(news("general", plan="policy"), "2026-11-21T08:00:00+07:00", item_id="news/2569/p")
    clip = record(
        {
            "type": "clipping",
            "title": "ข่าว",
            "outlet": "ภูผาหมอกรายวัน",
            "medium": "newspaper",
            "published_on": "2026-11-22",
            "effect": "positive",
            "about": ["news/2569/p"],
        },
        "2026-11-22T10:00:00+07:00",
        item_id="clippings/2569/c",
    )
    figures = compute(facts(item, clip), office(), NOVEMBER, NOW)
    assert figures["news"]["policy_in_print"]["share"] == 1.0
    assert figures["clippings"] == {
        "total": 1,
        "by_outlet": {"ภูผาหมอกรายวัน": 1},
        "by_medium": {"newspaper": 1},
        "by_effect": {"positive": 1},
    }


def disclosure(requested: str, **extra: Any) -> dict[str, Any]:
    return {"type": "disclosure", "title": "ประกาศ", "category": "procurement", "requested_at": requested, **extra}


def test_disclosures_request_to_publication_and_live_check():
    items = [
        record(disclosure("2026-11-02T09:00:00+07:00"), "2026-11-02T19:00:00+07:00", item_id="disclosures/p/a"),
        record(
            disclosure("2026-11-03T09:00:00+07:00", live_check={"by": "rattana.b", "at": "2026-11-04T09:00:00"}),
            "2026-11-04T09:00:00+07:00",
            item_id="disclosures/p/b",
        ),
        record(disclosure("2026-11-05T09:00:00+07:00"), "2026-11-05T11:00:00+07:00", item_id="disclosures/p/c"),
        record(disclosure("2026-11-06T09:00:00+07:00"), None, item_id="disclosures/p/d"),
    ]
    d = compute(facts(*items), office(), NOVEMBER, NOW)["disclosures"]
    assert d["requests"] == 4 and d["published"] == 3
    assert d["request_to_publication_hours"] == {"count": 3, "median": 10.0, "p90": 24.0}
    assert d["awaiting_live_check"] == 2
    assert [a["id"] for a in d["awaiting"]] == ["disclosures/p/a", "disclosures/p/c"]
    assert d["by_category"]["procurement"] == {"requests": 4, "published": 3, "awaiting_live_check": 2}


def test_items_belong_to_the_period_of_their_production_in_bangkok_time():
    october = news(produced="2026-10-31T23:30:00+07:00")  # 16:30 UTC, still 31 October in Bangkok
    figures = compute(facts(record(october, "2026-11-01T08:00:00+07:00")), office(), NOVEMBER, NOW)
    assert figures["news"]["produced"] == 0


def test_a_signoff_recorded_before_a_later_publish_at_is_not_after_publication():
    """Merged on the 20th with publish_at the 22nd: a sign-off recorded on the 21st came before the
    public could see it, so the audit uses the same published time as the site and the figures."""
    signoffs = (SignoffRecord("anan.w", "facts", t("2026-11-21T08:00:00+07:00"), t("2026-11-21T09:00:00+07:00"), True),)
    item = replace(
        record(news(), "2026-11-20T14:00:00+07:00", signoffs=signoffs), publish_at=t("2026-11-22T09:00:00+07:00")
    )
    assert item.published_at == t("2026-11-22T09:00:00+07:00")
    flags = compute(facts(item), office(), NOVEMBER, NOW)["trust"]
    assert "KS511" not in [f["code"] for f in flags]
    late = replace(item, signoffs=(replace(signoffs[0], recorded_at=t("2026-11-23T09:00:00+07:00")),))
    # a sign-off after publication is the urgent case: the public saw content not yet fully signed
    assert "KS511" in [
        f["code"] for f in compute(facts(replace(late, published_urgent=True)), office(), NOVEMBER, NOW)["trust"]
    ]
    # an item published fully signed and signed again later: a correction (KS516), never "signed after"
    assert "KS511" not in [f["code"] for f in compute(facts(late), office(), NOVEMBER, NOW)["trust"]]


def test_signoff_recorded_after_publication_is_a_trust_flag():
    signoffs = (SignoffRecord("anan.w", "facts", t("2026-11-21T08:00:00+07:00"), t("2026-11-21T09:00:00+07:00"), True),)
    item = record(news(), "2026-11-20T14:00:00+07:00", urgent=True, signoffs=signoffs)
    flags = compute(facts(item), office(), NOVEMBER, NOW)["trust"]
    assert sorted(f["code"] for f in flags) == ["KS511", "KS514"]
    assert all(f["message"] for f in flags)


def test_withdrawn_before_publication_is_left_out_of_the_rate():
    item = record(news(), None, withdrawn_at=t("2026-11-21T08:00:00+07:00"))
    n = compute(facts(item), office(), NOVEMBER, NOW)["news"]
    assert n["produced"] == 0 and n["withdrawn_unpublished"] == 1 and n["on_time_rate"] is None


@pytest.mark.parametrize(
    "values,med,p90",
    [
        ([], None, None),
        ([5.0], 5.0, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 2.5, 4.0),
        ([float(i) for i in range(1, 11)], 5.5, 9.0),
    ],
)
def test_median_and_nearest_rank_p90(values, med, p90):
    assert median(values) == med and percentile(values, 0.9) == p90
