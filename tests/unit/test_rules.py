"""workflow.core.rules: each rule no schema can say, failing at the right line, with a passing twin."""

from __future__ import annotations

import pytest
from support.checking import check, found
from support.items import ATTACHMENT, ATTACHMENT_BYTES, EVENT, FILES, IDS, NOW, PATHS, block, item_text, line_of

from workflow.core.rules import duplicate_ids, written_at


def assert_only(text: str, kind: str, code: str, needle: str, *, nth: int = 1, **ctx: object) -> None:
    result = check(text, kind, **ctx)
    assert found(result) == {(code, line_of(text, needle, nth))}, [p.message for p in result.problems]


def assert_clean(text: str, kind: str = "news", **ctx: object) -> None:
    result = check(text, kind, **ctx)
    assert result.problems == (), [(p.code, p.line, p.message) for p in result.problems]


@pytest.mark.parametrize("kind", ["news", "disclosure", "clipping"])
def test_base_items_pass(kind):
    assert_clean(item_text(kind), kind)


# -- times: KS203 (not a real time), KS212 (in the future) --------------------


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-31T10:00:00+07:00",
        "2026-11-20T25:00:00+07:00",
        "2026-02-29T10:00:00+07:00",
        "2026-11-20T10:00:00+24:00",
    ],
)
def test_ks203_impossible_produced_at(value):
    assert_only(item_text("news", produced_at=value), "news", "KS203", "produced_at:")


def test_ks203_impossible_event_time():
    text = item_text("news", event=block({**EVENT, "starts_at": "2026-11-20T09:61:00+07:00"}))
    assert_only(text, "news", "KS203", "starts_at:")


def test_ks203_impossible_publish_at():
    assert_only(item_text("news", publish_at="2026-13-01T00:00:00+07:00"), "news", "KS203", "publish_at:")


def test_ks203_impossible_webmaster_time():
    text = item_text("disclosure", webmaster=block({"by": "weera.d", "received_at": "2026-11-21T24:30:00+07:00"}))
    assert_only(text, "disclosure", "KS203", "received_at:")


def test_ks203_impossible_approval_time():
    approvals = "\n  - by: anan.w\n    step: facts\n    at: 2026-02-30T10:00:00+07:00\n    digest: sha256:" + "0" * 64
    text = item_text("news", approvals=approvals)
    assert_only(text, "news", "KS203", "at: 2026-02-30")


def test_ks203_impossible_clipping_date():
    assert_only(item_text("clipping", published_on="2026-02-30"), "clipping", "KS203", "published_on:")


def test_times_with_z_or_without_offset_are_accepted():
    assert_clean(item_text("news", produced_at="2026-11-20T07:10:00Z"))
    assert_clean(item_text("news", produced_at="2026-11-20T14:10"))


def test_ks212_produced_in_the_future():
    assert_only(item_text("news", produced_at="2026-11-25T12:00:01+07:00"), "news", "KS212", "produced_at:")


def test_produced_exactly_now_is_not_the_future():
    assert_clean(item_text("news", produced_at=NOW))
    assert_clean(item_text("news", produced_at="2026-11-25T05:00:00Z"))  # same instant, other offset


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("requested_at", "2026-12-01T09:00:00+07:00", "requested_at:"),
        (
            "webmaster",
            block(
                {
                    "by": "weera.d",
                    "received_at": "2026-11-21T12:00:00+07:00",
                    "completed_at": "2027-01-01T10:00:00+07:00",
                }
            ),
            "completed_at:",
        ),
        ("webmaster", block({"by": "weera.d", "received_at": "2026-11-30T12:00:00+07:00"}), "received_at:"),
        ("live_check", block({"by": "rattana.b", "at": "2026-11-26T09:00:00+07:00"}), "at: 2026-11-26"),
        (
            "urgent",
            block({"by": "prasert.j", "reason": "ทันกำหนด", "at": "2026-11-26T09:00:00+07:00"}),
            "at: 2026-11-26",
        ),
        ("withdrawn", block({"at": "2026-11-26T09:00:00+07:00", "by": "prasert.j", "reason": "ผิด"}), "at: 2026-11-26"),
    ],
)
def test_ks212_process_records_in_the_future(field, value, needle):
    assert_only(item_text("disclosure", **{field: value}), "disclosure", "KS212", needle)


def test_publish_at_and_event_may_lie_in_the_future():
    future_event = block({"starts_at": "2026-12-01T09:00:00+07:00", "ends_at": "2026-12-01T12:00:00+07:00"})
    assert_clean(item_text("news", publish_at="2026-12-01T09:00:00+07:00", event=future_event))


def test_ks212_clipping_published_tomorrow():
    assert_only(item_text("clipping", published_on="2026-11-26"), "clipping", "KS212", "published_on:")
    assert_clean(item_text("clipping", published_on="2026-11-25"), "clipping")


# -- people and groups: KS201, KS202 ------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "value", "needle"),
    [
        ("news", "author", "somsri.p", "author:"),
        ("disclosure", "requester", "somsri.p", "requester:"),
        ("clipping", "recorded_by", "somsri.p", "recorded_by:"),
        (
            "disclosure",
            "webmaster",
            block({"by": "somsri.p", "received_at": "2026-11-21T12:00:00+07:00"}),
            "by: somsri",
        ),
        ("disclosure", "live_check", block({"by": "somsri.p", "at": "2026-11-24T09:00:00+07:00"}), "by: somsri"),
        ("news", "urgent", block({"by": "somsri.p", "reason": "ด่วน"}), "by: somsri"),
        (
            "clipping",
            "withdrawn",
            block({"at": "2026-11-24T09:00:00+07:00", "by": "somsri.p", "reason": "ผิด"}),
            "by: somsri",
        ),
    ],
)
def test_ks201_unknown_person_reported_once_at_its_line(kind, field, value, needle):
    assert_only(item_text(kind, **{field: value}), kind, "KS201", needle)


def test_known_people_in_every_person_field_pass():
    text = item_text(
        "disclosure",
        webmaster=block(
            {"by": "weera.d", "received_at": "2026-11-21T12:00:00+07:00", "completed_at": "2026-11-21T13:00:00+07:00"}
        ),
        live_check=block({"by": "rattana.b", "at": "2026-11-24T09:00:00+07:00"}),
    )
    assert_clean(text, "disclosure")


def test_ks202_unknown_topic_group_names_the_known_ones():
    text = item_text("news", topic_group="pr")
    result = check(text)
    assert found(result) == {("KS202", line_of(text, "topic_group:"))}
    assert "admin" in result.problems[0].fix


# -- news: KS206 event required for timed types, KS205 ends before it starts --


@pytest.mark.parametrize("news_type", ["meeting", "inspection", "press-conference"])
def test_ks206_timed_news_without_event(news_type):
    source = {"meeting": "meeting", "inspection": "inspection"}.get(news_type, "document")
    text = item_text("news", news_type=news_type, source=source, event=None)
    assert_only(text, "news", "KS206", "news_type:")


def test_general_news_needs_no_event():
    assert_clean(item_text("news", news_type="general", event=None))


def test_ks205_event_ends_before_it_starts():
    text = item_text("news", event=block({**EVENT, "ends_at": "2026-11-20T08:59:59+07:00"}))
    assert_only(text, "news", "KS205", "ends_at:")


def test_event_compares_instants_across_offsets():
    same = block({**EVENT, "starts_at": "2026-11-20T02:00:00Z", "ends_at": "2026-11-20T09:00:00+07:00"})
    assert_clean(item_text("news", event=same))
    earlier = block({**EVENT, "starts_at": "2026-11-20T02:00:00Z", "ends_at": "2026-11-20T08:00:00+07:00"})
    assert_only(item_text("news", event=earlier), "news", "KS205", "ends_at:")


# -- disclosure: KS204 category_other iff other; live check by the right director (KS301)


def test_ks204_other_without_its_topic():
    text = item_text("disclosure", category="other")
    assert_only(text, "disclosure", "KS204", "category:", path="content/disclosures/other/tor-2569-01.md")


def test_ks204_topic_without_other():
    text = item_text("disclosure", category_other="ประกาศรับสมัคร")
    assert_only(text, "disclosure", "KS204", "category_other:")


def test_other_with_its_topic_passes():
    text = item_text("disclosure", category="other", category_other="ประกาศรับสมัครลูกจ้างชั่วคราว")
    assert_clean(text, "disclosure", path="content/disclosures/other/tor-2569-01.md")


# -- procurement: a bidder's facts (KS240 only on procurement notices, KS241 deadline after the request)

BIDDER = {
    "method": "e-bidding",
    "reference_price": "1015.38",
    "bid_deadline": "2026-12-02T16:30:00+07:00",
    "egp_project": "69119012345",
}


def test_a_procurement_notice_with_a_bidders_facts_passes():
    assert_clean(item_text("disclosure", procurement=block(BIDDER)), "disclosure")


def test_ks240_bidders_facts_on_another_category():
    text = item_text("disclosure", category="action-plan", procurement=block(BIDDER))
    assert_only(text, "disclosure", "KS240", "procurement:", path="content/disclosures/action-plan/tor-2569-01.md")


def test_ks241_bid_deadline_before_the_request():
    text = item_text("disclosure", procurement=block({**BIDDER, "bid_deadline": "2026-11-20T16:30:00+07:00"}))
    assert_only(text, "disclosure", "KS241", "bid_deadline:")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("egp_project", "6911901234", "KS106"),  # ten digits, not eleven (read as a number)
        ("egp_project", "'6911901234'", "KS105"),  # the same, quoted (read as text)
        ("egp_project", "69119O12345", "KS105"),  # a letter O typed for a zero
        ("reference_price", "-5", "KS106"),
        ("reference_price", "'960,000'", "KS103"),
        ("method", "auction", "KS104"),
        ("bid_deadline", "2026-11-31T16:30:00+07:00", "KS203"),
        ("bid_deadline", "2569-12-02T16:30:00+07:00", "KS215"),  # a Buddhist-Era year
    ],
)
def test_a_bidders_fact_typed_wrong_is_named_at_its_line(field, value, code):
    text = item_text("disclosure", procurement=block({**BIDDER, field: value}))
    assert_only(text, "disclosure", code, f"{field}:")


def test_ks301_live_check_by_another_groups_director():
    text = item_text("disclosure", live_check=block({"by": "anan.w", "at": "2026-11-24T09:00:00+07:00"}))
    assert_only(text, "disclosure", "KS301", "by: anan.w")


def test_ks301_live_check_by_staff_of_the_requesters_group():
    text = item_text(
        "disclosure", requester="orawan.p", live_check=block({"by": "kittipong.m", "at": "2026-11-24T09:00:00+07:00"})
    )
    assert_clean(text, "disclosure")
    text = item_text("disclosure", live_check=block({"by": "nattapong.c", "at": "2026-11-24T09:00:00+07:00"}))
    assert_only(text, "disclosure", "KS301", "by: nattapong.c")


# -- location: KS210 slug, KS211 folder ---------------------------------------


@pytest.mark.parametrize(
    "name", ["Meeting-20261120.md", "meeting_20261120.md", "ประชุม.md", "-meeting.md", "meeting 1.md", "meeting.MD.md"]
)
def test_ks210_bad_file_name(name):
    result = check(item_text("news"), path=f"content/news/2569/{name}")
    assert found(result) == {("KS210", 1)}  # the path is the problem: no front matter line to show


def test_good_file_names():
    for name in ("meeting-20261120.md", "2569-01.md", "a.md"):
        assert_clean(item_text("news"), path=f"content/news/2569/{name}")


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("news", "content/news/2568/meeting-20261120-executives.md"),
        ("news", "content/news/2026/meeting-20261120-executives.md"),
        ("news", "content/news/meeting-20261120-executives.md"),
        ("news", "content/clippings/2569/meeting-20261120-executives.md"),
        ("disclosure", "content/disclosures/organization/tor-2569-01.md"),
        ("disclosure", "content/disclosures/tor-2569-01.md"),
        ("clipping", "content/clippings/2570/dailynews-20261121.md"),
    ],
)
def test_ks211_wrong_folder_points_at_type(kind, path):
    text = item_text(kind)
    result = check(text, kind, path=path)
    assert found(result) == {("KS211", line_of(text, "type:"))}
    assert result.problems[0].fix.endswith(path.rsplit("/", 1)[1])


def test_news_year_is_the_bangkok_buddhist_era_year():
    # 31 Dec 2025 18:00 UTC is 1 Jan 2026 in Bangkok: the 2569 folder, not 2568
    text = item_text(
        "news",
        produced_at="2025-12-31T18:00:00Z",
        event=block({"starts_at": "2025-12-31T08:00:00Z", "ends_at": "2025-12-31T10:00:00Z"}),
    )
    assert_clean(text, path="content/news/2569/new-year.md")
    assert found(check(text, path="content/news/2568/new-year.md")) == {("KS211", line_of(text, "type:"))}


# -- referenced files: KS207 ---------------------------------------------------


def test_ks207_missing_attachment_points_at_its_file_line():
    text = item_text("disclosure")
    assert_only(text, "disclosure", "KS207", "- file:", files={})


def test_present_attachment_passes():
    assert_clean(item_text("disclosure"), "disclosure", files={ATTACHMENT: ATTACHMENT_BYTES})


def test_ks207_missing_image_in_front_matter():
    images = "\n  - file: images/2569/meeting-01.jpg\n    alt: ผู้บริหารร่วมประชุม\n    credit: งานประชาสัมพันธ์"
    text = item_text("news", images=images)
    assert_only(text, "news", "KS207", "file: images/2569/meeting-01.jpg")
    assert_clean(text, files={"images/2569/meeting-01.jpg": b"\xff\xd8jpeg"})


@pytest.mark.parametrize(
    "ref",
    ["images/2569/hall.jpg", "/images/2569/hall.jpg", "{static}/images/2569/hall.jpg", "{attach}/images/2569/hall.jpg"],
)
def test_ks207_missing_file_referenced_in_the_body(ref):
    body = f'ย่อหน้าแรก\n\nภาพบรรยากาศ ![ห้องประชุม]({ref} "ห้องประชุม")\n'
    listed = "\n  - file: images/2569/hall.jpg\n    alt: ห้องประชุม\n    credit: งานประชาสัมพันธ์"
    text = item_text("news", body=body, images=listed)
    result = check(text)
    body_line = line_of(text, "ภาพบรรยากาศ")
    assert found(result) == {("KS207", line_of(text, "- file: images/2569/hall.jpg")), ("KS207", body_line)}
    in_body = next(p for p in result.problems if p.line == body_line)
    assert in_body.column == len("ภาพบรรยากาศ ![ห้องประชุม") + 1  # the link's `](`
    assert_clean(text, files={"images/2569/hall.jpg": b"jpeg"})


def test_body_links_elsewhere_are_not_files():
    body = "[เว็บไซต์](https://www.example.go.th/files/x.pdf) และ [หน้าอื่น](news/2569/x)\n"
    assert_clean(item_text("news", body=body))


# -- sources for quoted text: KS208 ---------------------------------------------


def test_ks208_blockquote_without_sources():
    body = "ผู้อำนวยการกล่าวว่า\n\n> การศึกษาคือรากฐานของชาติ\n"
    text = item_text("news", body=body)
    assert_only(text, "news", "KS208", "> การศึกษา")


def test_blockquote_with_sources_passes():
    body = "ผู้อำนวยการกล่าวว่า\n\n   > การศึกษาคือรากฐานของชาติ\n"
    text = item_text("news", body=body, sources="\n  - title: คำกล่าวของผู้อำนวยการ")
    assert_clean(text)
    assert_only(item_text("news", body=body), "news", "KS208", "> การศึกษา")


def test_indented_code_and_inline_gt_are_not_quotes():
    body = "ราคา 5 > 3 บาท\n\n    > code\n"
    assert_clean(item_text("news", body=body))


def test_empty_sources_list_does_not_count():
    text = item_text("news", body="> อ้างอิง\n", sources="[]")
    assert_only(text, "news", "KS208", "> อ้างอิง")


# -- clippings: KS213 about an item that does not exist -------------------------


def test_ks213_about_a_missing_item():
    text = item_text("clipping", about=f"\n  - {IDS['news']}\n  - news/2569/no-such-item")
    assert_only(text, "clipping", "KS213", "no-such-item")


def test_about_existing_items_and_empty_about_pass():
    assert_clean(item_text("clipping", about=f"[{IDS['news']}, {IDS['disclosure']}]"), "clipping")
    assert_clean(item_text("clipping", about="[]"), "clipping", item_ids=frozenset())


# -- ids that collide: KS209 ----------------------------------------------------


def test_ks209_ids_differing_only_in_case():
    paths = ["content/news/2569/meeting-a.md", "content/news/2569/Meeting-A.md", "content/news/2569/other.md"]
    problems = duplicate_ids(paths)
    assert [(p.code, p.path, p.line) for p in problems] == [("KS209", "content/news/2569/meeting-a.md", 1)]
    assert "Meeting-A" in problems[0].message


def test_distinct_ids_do_not_collide():
    assert duplicate_ids([PATHS["news"], PATHS["disclosure"], PATHS["clipping"]]) == []


# -- written_at: when an item came to be ---------------------------------------


def test_written_at():
    news = check(item_text("news")).item
    disclosure = check(item_text("disclosure"), "disclosure").item
    clipping = check(item_text("clipping"), "clipping").item
    assert news and disclosure and clipping
    assert written_at(news).isoformat() == "2026-11-20T14:10:00+07:00"
    assert written_at(disclosure).isoformat() == "2026-11-21T09:00:00+07:00"
    assert written_at(clipping) is None
    broken = check(item_text("news", produced_at="2026-11-31T10:00:00+07:00")).item
    assert broken is not None and written_at(broken) is None


_IMAGE = "images/2569/meeting-01.png"


def _image_files() -> dict[str, bytes]:
    return {**FILES, _IMAGE: b"\x89PNG\r\n\x1a\n"}


_LISTED = f"\n  - file: {_IMAGE}\n    alt: ผู้บริหารร่วมประชุม\n    credit: งานประชาสัมพันธ์"


def test_ks214_body_image_without_alt():
    body = f"ภาพบรรยากาศ\n\n![]({_IMAGE})\n"
    assert_only(item_text("news", body=body, images=_LISTED), "news", "KS214", f"]({_IMAGE})", files=_image_files())


def test_ks214_body_image_not_listed_with_its_credit():
    body = f"ภาพบรรยากาศ\n\n![ผู้บริหารร่วมประชุม]({{static}}/{_IMAGE})\n"
    assert_only(item_text("news", body=body), "news", "KS214", f"/{_IMAGE})", files=_image_files())


def test_body_image_with_alt_and_listed_credit_passes():
    body = f"ภาพบรรยากาศ\n\n![ผู้บริหารร่วมประชุม]({_IMAGE})\n"
    assert_clean(item_text("news", body=body, images=_LISTED), files=_image_files())
