"""core/social.py: what is posted, held or skipped, the texts each channel gets, what receipts mean."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from workflow.core.social import (
    FACEBOOK_MESSAGE_MAX,
    LEASE,
    LINE_ALT_TEXT_MAX,
    LINE_TEXT_MAX,
    Public,
    Receipt,
    SocialSettings,
    clip,
    facebook_message,
    idempotency_key,
    ledger,
    line_messages,
    parse_receipts,
    plain_text,
    plan,
    post_of,
    posted_channels,
    social_settings,
)
from workflow.core.thaitime import BANGKOK

NOW = datetime(2026, 12, 10, 10, 0, tzinfo=BANGKOK)
SETTINGS = SocialSettings(
    enabled=True,
    since=date(2026, 12, 1),
    daily_cap={"facebook": 2, "line": 1},
    quiet_from=time(21, 0),
    quiet_to=time(7, 0),
    hashtags=("#สพปภูผาหมอกเขต1",),
)


def public(n: int = 1, *, hours_ago: float = 1, channels=("website", "facebook", "line"), ready=True, withdrawn=None):
    data = {"title": f"ข่าวที่ {n}", "summary": "สรุป **ข่าว**"}
    post = post_of(
        f"news/2569/n{n}",
        data,
        "",
        site_url="https://o.example/",
        published_at=NOW - timedelta(hours=hours_ago),
        hashtags=SETTINGS.hashtags,
    )
    return Public(post, tuple(channels), ready=ready, withdrawn_reason=withdrawn)


def receipt(event: str, item: str = "news/2569/n1", channel: str = "facebook", at: datetime = NOW, **kw) -> Receipt:
    return Receipt(event, item, channel, at, idempotency_key(item, channel), **kw)


def kinds(p):
    return [(a.kind, a.public.post.item_id, a.channel) for a in p.actions]


# ---------------------------------------------------------------- text ----


def test_plain_text_drops_markdown_syntax_and_keeps_paragraphs():
    md = "## หัวข้อ\n\n**ตัวหนา** และ _เอียง_ [ลิงก์](https://x.example) ![ภาพ](images/a.jpg)\n- ข้อหนึ่ง\n\n> คำพูด\n\n`code`"
    assert plain_text(md) == "หัวข้อ\n\nตัวหนา และ เอียง ลิงก์\n• ข้อหนึ่ง\n\nคำพูด\n\ncode"
    assert plain_text("snake_case_name และ __ตัวหนา__") == "snake_case_name และ ตัวหนา"
    assert "**" not in plain_text(md) and "](" not in plain_text(md) and "##" not in plain_text(md)


def test_clip_never_separates_a_thai_mark_from_its_letter():
    text = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษา" * 3
    for limit in range(5, 60):
        cut = clip(text, limit)
        assert len(cut) <= limit and cut.endswith("…")
        last = cut[:-1][-1]
        following = text[len(cut) - 1]
        assert unicodedata.category(following) not in ("Mn", "Mc"), (limit, cut)
        assert last not in "เแโใไ", (limit, cut)


def test_facebook_message_has_title_lead_be_date_link_and_hashtags_within_the_limit():
    p = public().post
    message = facebook_message(p)
    assert message.split("\n\n")[0] == "ข่าวที่ 1"
    assert "สรุป ข่าว" in message and "เผยแพร่ 10 ธันวาคม 2569" in message
    assert "https://o.example/news/2569/n1/" in message and message.endswith("#สพปภูผาหมอกเขต1")
    long = post_of("news/x", {"title": "ก" * 10}, "ข" * 100_000, site_url="https://o.example", published_at=NOW)
    assert len(facebook_message(long)) <= FACEBOOK_MESSAGE_MAX and "ข" * 600 not in facebook_message(long)


def test_line_messages_keep_the_documented_limits():
    long = post_of(
        "news/x", {"title": "ก" * 3000, "summary": "ข" * 9000}, "", site_url="https://o.example", published_at=NOW
    )
    (flex,) = line_messages(long)
    assert flex["type"] == "flex" and len(flex["altText"]) <= LINE_ALT_TEXT_MAX
    button = flex["contents"]["footer"]["contents"][0]["action"]
    assert len(button["label"]) <= 20 and button["uri"] == "https://o.example/news/x/"
    (text,) = line_messages(long, "text")
    assert len(text["text"]) <= LINE_TEXT_MAX
    json.dumps(flex)  # plain data


def test_settings_from_office_yml_and_safe_defaults():
    assert social_settings(None).enabled is False
    s = social_settings({"enabled": True, "since": "2026-12-01", "quiet_hours": {"from": "21:00", "to": "07:00"}})
    assert s.since == date(2026, 12, 1) and s.daily_cap == {"facebook": 10, "line": 1}
    assert s.quiet(datetime(2026, 12, 10, 23, 0, tzinfo=BANGKOK)) and s.quiet(
        datetime(2026, 12, 10, 6, 59, tzinfo=BANGKOK)
    )
    assert not s.quiet(datetime(2026, 12, 10, 7, 0, tzinfo=BANGKOK))
    assert s.quiet(datetime(2026, 12, 10, 15, 30, tzinfo=BANGKOK)) is False
    assert s.quiet(datetime(2026, 12, 10, 15, 30, tzinfo=UTC)) is True  # 22:30 in Bangkok


# ---------------------------------------------------------------- plan ----


def test_each_item_is_posted_once_per_channel_it_asks_for():
    p = plan([public(1), public(2, hours_ago=2, channels=("website", "facebook"))], [], SETTINGS, NOW, "run-a")
    assert kinds(p) == [
        ("post", "news/2569/n2", "facebook"),
        ("post", "news/2569/n1", "facebook"),
        ("post", "news/2569/n1", "line"),
    ]
    done = [receipt("posted", channel="facebook"), receipt("posted", channel="line")]
    again = plan([public(1)], done, SETTINGS, NOW, "run-b")
    assert again.actions == () and again.held == ()


def test_not_ready_before_since_and_switch_off_are_never_posted():
    urgent = plan([public(ready=False)], [], SETTINGS, NOW, "r")
    assert urgent.actions == () and urgent.skipped and "ยังลงนามไม่ครบ" in urgent.skipped[0][2]
    old = plan([public(hours_ago=24 * 12)], [], SETTINGS, NOW, "r")
    assert old.actions == () and "ก่อนวันเริ่ม" in old.skipped[0][2]
    earlier = replace(public(), earlier=True)
    assert plan([earlier], [], SETTINGS, NOW, "r").skipped[0][2] == "เผยแพร่บนเว็บไซต์เดิมก่อนใช้ระบบ"
    nosince = plan([public()], [], SocialSettings(enabled=True), NOW, "r")
    assert nosince.actions == ()
    off = plan([public()], [], SocialSettings(enabled=False, since=date(2026, 12, 1)), NOW, "r")
    assert off.actions == () and {h.code for h in off.held} == {"KS800"} and off.enabled is False


def test_too_old_cap_and_quiet_hours_hold_with_their_codes():
    stale = plan([public(hours_ago=73)], [], SETTINGS, NOW, "r")
    assert {h.code for h in stale.held} == {"KS815"}
    capped = plan([public(1), public(2)], [], SETTINGS, NOW, "r")
    assert [h.code for h in capped.held] == ["KS813"] and capped.held[0].channel == "line"
    posted_today = [receipt("posted", item="news/2569/old", channel="line", at=NOW - timedelta(hours=2))]
    assert {h.code for h in plan([public(1)], posted_today, SETTINGS, NOW, "r").held} == {"KS813"}
    posted_yesterday = [receipt("posted", item="news/2569/old", channel="line", at=NOW - timedelta(days=1))]
    assert ("post", "news/2569/n1", "line") in kinds(plan([public(1)], posted_yesterday, SETTINGS, NOW, "r"))
    night = NOW.replace(hour=22)
    assert {h.code for h in plan([public(hours_ago=1)], [], SETTINGS, night, "r").held} == {"KS814"}


def test_a_fresh_claim_of_another_run_holds_and_a_stale_one_is_resumed_with_the_same_key():
    fresh = [receipt("claim", channel="line", at=NOW - timedelta(minutes=5), run="run-a")]
    held = plan([public(channels=("line",))], fresh, SETTINGS, NOW, "run-b")
    assert held.actions == () and held.held[0].code == "KS816"
    stale = [receipt("claim", channel="line", at=NOW - LEASE - timedelta(seconds=1), run="run-a")]
    resumed = plan([public(channels=("line",))], stale, SETTINGS, NOW, "run-b")
    (action,) = resumed.actions
    assert action.resume == stale[0] and action.key == stale[0].key


def test_a_failure_is_retried_and_a_withdrawal_edits_facebook_once():
    failed = [receipt("claim", channel="line"), receipt("failed", channel="line", code="KS812")]
    assert kinds(plan([public(channels=("line",))], failed, SETTINGS, NOW, "r")) == [("post", "news/2569/n1", "line")]
    posted = [receipt("posted", channel="facebook", post_id="1_2"), receipt("posted", channel="line", post_id="r")]
    gone = public(withdrawn="ผิดพลาด")
    p = plan([gone], posted, SETTINGS, NOW, "r")
    assert kinds(p) == [("withdraw", "news/2569/n1", "facebook")] and p.actions[0].posted.post_id == "1_2"
    assert [h.code for h in p.held] == ["KS818"]
    edited = [*posted, receipt("withdrawn", channel="facebook", post_id="1_2")]
    assert plan([gone], edited, SETTINGS, NOW, "r").actions == ()
    assert plan([public(withdrawn="x")], [], SETTINGS, NOW, "r").actions == ()  # never posted: nothing to edit


# ---------------------------------------------------------------- receipts ----


def test_receipts_round_trip_and_bad_lines_are_named():
    r = receipt("posted", post_id="104_7", run="actions-1-1")
    text = (
        r.line()
        + "\n"
        + "not json\n"
        + json.dumps(
            {"event": "posted", "item": "x", "channel": "myspace", "at": "2026-12-10T10:00:00+07:00", "key": "k"}
        )
        + "\n"
    )
    parsed, bad = parse_receipts(text)
    assert parsed == [r] and bad == [2, 3]


def test_a_second_posted_receipt_changes_nothing_and_only_posted_counts_as_evidence():
    first = receipt("posted", post_id="A")
    later = receipt("posted", post_id="B", at=NOW + timedelta(hours=1))
    assert ledger([first, later])[("news/2569/n1", "facebook")].posted == first
    assert posted_channels([receipt("claim"), receipt("failed", channel="line", code="KS812")]) == {}
    assert posted_channels([first])["news/2569/n1"]["facebook"].post_id == "A"


def test_the_key_is_the_same_in_every_run_and_a_uuid():
    import uuid

    assert (
        idempotency_key("news/x", "line") == idempotency_key("news/x", "line") != idempotency_key("news/x", "facebook")
    )
    uuid.UUID(idempotency_key("news/x", "line"))


@pytest.mark.parametrize("hashtags", [(), ("#ก", "#ข")])
def test_hashtags_are_the_offices_own(hashtags):
    p = post_of("n", {"title": "t"}, "b", site_url="https://o.example", published_at=NOW, hashtags=hashtags)
    assert facebook_message(p).endswith(" ".join(hashtags) if hashtags else "/n/")


def test_a_line_claim_older_than_the_retry_window_is_not_sent_again():
    """LINE honours a retry key for 24 hours: past that, a resend could reach every friend twice."""
    old = [receipt("claim", channel="line", at=NOW - timedelta(hours=23), run="run-a")]
    p = plan([public(hours_ago=30, channels=("line",))], old, SETTINGS, NOW, "run-b")
    assert p.actions == () and p.held[0].code == "KS815" and "24 ชั่วโมง" in p.held[0].detail
