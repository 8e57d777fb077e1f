"""workflow.core.signoffs: who may sign each step, and what recorded approvals add up to."""

from __future__ import annotations

import pytest
from support.checking import check, errors, found, office, warnings
from support.items import (
    ATTACHMENT,
    ATTACHMENT_BYTES,
    BODIES,
    approvals_block,
    block,
    digest_of,
    item_text,
    line_of,
    signed_text,
)

from workflow.core.signoffs import REQUIRED_STEPS, eligibility, may_order_urgent

FACTS_AT, CHECK_AT = "2026-11-20T15:00:00+07:00", "2026-11-20T16:00:00+07:00"


def base_item(kind: str = "news", **changes: str | None):
    item = check(item_text(kind, **changes), kind).item
    assert item is not None
    return item


def allowed(step: str, kind: str = "news", **changes: str | None) -> set[str]:
    rule = eligibility(step, base_item(kind, **changes), office())
    return {p.id for p in office().people.values() if rule.allows(p)}


# -- who may sign: the manual's rules, per step -------------------------------


def test_facts_topic_group_members_or_executives():
    assert allowed("facts") == {"anan.w", "pimchanok.l", "prasert.j", "wilaiwan.s", "thanakorn.r"}
    assert "rattana.b" not in allowed("facts")  # another group's director
    assert allowed("facts", topic_group="finance") == {
        "rattana.b",
        "nattapong.c",
        "prasert.j",
        "wilaiwan.s",
        "thanakorn.r",
    }


def test_check_admin_group_director_deputies_or_director():
    assert allowed("check") == {"malee.t", "prasert.j", "wilaiwan.s", "thanakorn.r"}
    assert allowed("check", "clipping") == allowed("check")


def test_content_only_the_requesters_own_group_director():
    assert allowed("content", "disclosure") == {"rattana.b"}
    assert allowed("content", "disclosure", requester="orawan.p") == {"kittipong.m"}


def test_permit_director_or_deputy_on_his_behalf():
    assert allowed("permit", "disclosure") == {"prasert.j", "wilaiwan.s", "thanakorn.r"}


def test_unknown_step_allows_nobody():
    assert allowed("publish") == set()


def test_may_order_urgent():
    people = office().people
    assert {p for p in people if may_order_urgent(people[p])} == {"prasert.j", "wilaiwan.s", "thanakorn.r", "malee.t"}


def test_required_steps():
    assert REQUIRED_STEPS == {"news": ("facts", "check"), "disclosure": ("content", "permit"), "clipping": ("check",)}


# -- valid sign-offs -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["news", "disclosure", "clipping"])
def test_fully_signed_items_are_complete_and_pass_the_publish_gate(kind):
    result = check(signed_text(kind), kind, publish=True)
    assert result.problems == ()
    assert result.signoffs is not None and result.signoffs.complete and result.signoffs.publishable
    assert [s.status for s in result.signoffs.steps] == ["signed"] * len(REQUIRED_STEPS[kind])


@pytest.mark.parametrize(
    ("kind", "step", "by", "at"),
    [
        ("news", "facts", "pimchanok.l", FACTS_AT),  # staff of the topic group
        ("news", "facts", "thanakorn.r", FACTS_AT),  # a deputy director
        ("news", "check", "prasert.j", CHECK_AT),
        ("news", "check", "wilaiwan.s", CHECK_AT),
        ("disclosure", "permit", "thanakorn.r", "2026-11-21T11:00:00+07:00"),
        ("clipping", "check", "wilaiwan.s", "2026-11-22T10:00:00+07:00"),
    ],
)
def test_each_eligible_signer_is_accepted(kind, step, by, at):
    text = signed_text(kind, [(by, step, at)])
    result = check(text, kind)
    assert result.problems == ()
    assert result.signoffs is not None
    assert {s.step: s.status for s in result.signoffs.steps}[step] == "signed"


def test_eligible_lists_leave_out_the_owner():
    text = item_text("news", topic_group="admin")
    result = check(text)
    assert result.signoffs is not None
    facts = result.signoffs.steps[0]
    assert "kanda.s" in facts.eligible and "somchai.p" not in facts.eligible


def test_pending_item_is_not_complete_and_is_fine_until_publish():
    result = check(item_text("news"))
    assert result.problems == ()
    assert result.signoffs is not None and not result.signoffs.complete and not result.signoffs.publishable
    assert [s.status for s in result.signoffs.steps] == ["missing", "missing"]


# -- KS301: not allowed to sign this step ----------------------------------------


@pytest.mark.parametrize(
    ("kind", "step", "by", "at"),
    [
        ("news", "facts", "rattana.b", FACTS_AT),  # director of another group
        ("news", "facts", "kanda.s", FACTS_AT),  # PR officer outside the topic group
        ("news", "check", "anan.w", CHECK_AT),  # a group director, not of admin
        ("news", "check", "kanda.s", CHECK_AT),  # admin group, but not its director
        ("disclosure", "content", "anan.w", "2026-11-21T10:00:00+07:00"),  # other group's director
        ("disclosure", "content", "prasert.j", "2026-11-21T10:00:00+07:00"),  # the director is not the group's
        ("disclosure", "permit", "rattana.b", "2026-11-21T11:00:00+07:00"),  # a group director cannot permit
        ("clipping", "check", "somchai.p", "2026-11-22T10:00:00+07:00"),
    ],
)
def test_ks301_wrong_person_for_the_step(kind, step, by, at):
    text = signed_text(kind, [(by, step, at)])
    result = check(text, kind)
    assert found(result) == {("KS301", line_of(text, f"  - by: {by}"))}
    assert "ต้องลงนามโดย" in result.problems[0].fix


# -- KS302: nobody approves their own item ---------------------------------------


@pytest.mark.parametrize(
    ("kind", "owner_field", "owner", "step", "at", "changes"),
    [
        ("news", "author", "kanda.s", "facts", FACTS_AT, {"topic_group": "admin"}),
        ("news", "author", "malee.t", "check", CHECK_AT, {}),
        ("disclosure", "requester", "rattana.b", "content", "2026-11-21T10:00:00+07:00", {}),
        ("disclosure", "requester", "wilaiwan.s", "permit", "2026-11-21T11:00:00+07:00", {}),
        ("clipping", "recorded_by", "malee.t", "check", "2026-11-22T10:00:00+07:00", {}),
    ],
)
def test_ks302_self_approval(kind, owner_field, owner, step, at, changes):
    text = signed_text(kind, [(owner, step, at)], **{owner_field: owner}, **changes)
    result = check(text, kind)
    assert found(result) == {("KS302", line_of(text, f"  - by: {owner}"))}
    assert result.signoffs is not None
    assert {s.step: s.status for s in result.signoffs.steps}[step] == "missing"


# -- KS307: a step of another kind -------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "step", "by"),
    [
        ("news", "content", "anan.w"),
        ("news", "permit", "prasert.j"),
        ("disclosure", "facts", "rattana.b"),
        ("disclosure", "check", "malee.t"),
        ("clipping", "facts", "anan.w"),
        ("clipping", "permit", "prasert.j"),
    ],
)
def test_ks307_step_not_for_this_kind(kind, step, by):
    text = signed_text(kind, [(by, step, "2026-11-24T10:00:00+07:00")])
    assert found(check(text, kind)) == {("KS307", line_of(text, f"step: {step}"))}


# -- KS201 in an approval ----------------------------------------------------------


def test_ks201_approval_by_unknown_person():
    text = signed_text("news", [("somsri.p", "facts", FACTS_AT)])
    assert found(check(text)) == {("KS201", line_of(text, "by: somsri.p"))}


# -- KS306 before the item existed; KS212 in the future -----------------------------


def test_ks306_approval_before_produced_at():
    text = signed_text("news", [("anan.w", "facts", "2026-11-20T14:09:59+07:00")])
    assert found(check(text)) == {("KS306", line_of(text, "at: 2026-11-20T14:09:59"))}


def test_ks306_approval_before_requested_at():
    text = signed_text("disclosure", [("rattana.b", "content", "2026-11-21T08:00:00+07:00")])
    assert found(check(text, "disclosure")) == {("KS306", line_of(text, "at: 2026-11-21T08:00"))}


def test_approval_at_the_moment_of_writing_is_fine():
    assert check(signed_text("news", [("anan.w", "facts", "2026-11-20T14:10:00+07:00")])).problems == ()


def test_ks212_approval_in_the_future():
    text = signed_text("news", [("anan.w", "facts", "2026-11-25T12:00:01+07:00")])
    assert found(check(text)) == {("KS212", line_of(text, "at: 2026-11-25T12:00:01"))}
    assert check(signed_text("news", [("anan.w", "facts", "2026-11-25T12:00:00+07:00")])).problems == ()


# -- KS304: stale after a content change -----------------------------------------


def test_ks304_body_edit_makes_every_approval_stale_at_its_digest_line():
    signed = signed_text("news")
    edited = signed.replace(BODIES["news"], BODIES["news"] + "แก้ไขเพิ่มเติมหลังลงนาม\n")
    result = check(edited)
    lines = {line_of(edited, "digest:", 1), line_of(edited, "digest:", 2)}
    assert warnings(result) == {("KS304", n) for n in lines} and errors(result) == set()
    assert result.signoffs is not None and [s.status for s in result.signoffs.steps] == ["stale", "stale"]
    assert errors(check(edited, publish=True)) == {("KS304", n) for n in lines}


def test_ks304_front_matter_content_edit():
    edited = signed_text("news").replace("ครั้งที่ 11/2569\n", "ครั้งที่ 12/2569\n", 1)
    assert {c for c, _ in found(check(edited, publish=True))} == {"KS304"}


def test_ks304_attachment_bytes_replaced():
    text = signed_text("disclosure")
    swapped = {ATTACHMENT: ATTACHMENT_BYTES.replace(b"draft", b"final")}
    result = check(text, "disclosure", files=swapped, publish=True)
    assert errors(result) == {("KS304", line_of(text, "digest:", 1)), ("KS304", line_of(text, "digest:", 2))}
    assert check(text, "disclosure", publish=True).problems == ()


def test_ks304_points_at_the_latest_stale_approval_of_the_step():
    old = "sha256:" + "1" * 64
    entries = [("pimchanok.l", "facts", FACTS_AT, old), ("anan.w", "facts", "2026-11-20T15:30:00+07:00", old)]
    text = item_text("news", approvals=approvals_block(entries))
    result = check(text)
    assert found(result) == {("KS304", line_of(text, "digest:", 2))}
    assert result.signoffs is not None and result.signoffs.steps[0].by == "anan.w"


def test_a_current_approval_outweighs_an_older_stale_one():
    current = digest_of(item_text("news"))
    entries = [
        ("pimchanok.l", "facts", FACTS_AT, "sha256:" + "1" * 64),
        ("anan.w", "facts", "2026-11-20T15:30:00+07:00", current),
    ]
    result = check(item_text("news", approvals=approvals_block(entries)), publish=False)
    assert result.problems == ()
    assert result.signoffs is not None and result.signoffs.steps[0].status == "signed"


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        ("news", {"channels": "[website, print, broadcast]"}),
        ("news", {"urgent": block({"by": "prasert.j", "reason": "ต้องเผยแพร่ก่อนกำหนด"})}),
        ("news", {"withdrawn": block({"at": "2026-11-24T09:00:00+07:00", "by": "prasert.j", "reason": "คลาดเคลื่อน"})}),
        (
            "disclosure",
            {
                "webmaster": block({"by": "weera.d", "received_at": "2026-11-21T12:00:00+07:00"}),
                "live_check": block({"by": "rattana.b", "at": "2026-11-24T09:00:00+07:00"}),
            },
        ),
    ],
)
def test_process_records_do_not_make_approvals_stale(kind, changes):
    before = digest_of(item_text(kind))
    text = signed_text(kind, digest=before, **changes)  # signed before the records were added
    result = check(text, kind, publish=True)
    assert result.problems == ()
    assert result.signoffs is not None and result.signoffs.complete


# -- KS303: steps out of order -----------------------------------------------------


def test_ks303_check_signed_before_facts():
    text = signed_text("news", [("anan.w", "facts", CHECK_AT), ("malee.t", "check", FACTS_AT)])
    assert found(check(text)) == {("KS303", line_of(text, "approvals:"))}


def test_ks303_permit_before_content():
    text = signed_text(
        "disclosure",
        [("rattana.b", "content", "2026-11-21T11:00:00+07:00"), ("prasert.j", "permit", "2026-11-21T10:00:00+07:00")],
    )
    assert found(check(text, "disclosure")) == {("KS303", line_of(text, "approvals:"))}


def test_order_is_by_time_not_by_position_in_the_file():
    text = signed_text("news", [("malee.t", "check", CHECK_AT), ("anan.w", "facts", FACTS_AT)])
    assert check(text, publish=True).problems == ()


def test_same_minute_is_in_order():
    text = signed_text("news", [("anan.w", "facts", FACTS_AT), ("malee.t", "check", FACTS_AT)])
    assert check(text, publish=True).problems == ()


# -- KS305: the publish gate ----------------------------------------------------------


def test_ks305_missing_steps_only_under_publish():
    text = signed_text("news", [("anan.w", "facts", FACTS_AT)])
    assert check(text).problems == ()
    result = check(text, publish=True)
    assert errors(result) == {("KS305", line_of(text, "approvals:"))}
    assert "ตรวจสอบก่อนเผยแพร่" in result.problems[0].message


def test_ks305_one_problem_per_missing_step():
    text = item_text("disclosure")
    result = check(text, "disclosure", publish=True)
    assert [p.code for p in result.problems] == ["KS305", "KS305"]
    assert {p.line for p in result.problems} == {line_of(text, "approvals:")}


# -- urgent: KS308 without the right; KS309 lets --publish pass with a warning ------


@pytest.mark.parametrize("by", ["somchai.p", "anan.w", "weera.d"])
def test_ks308_urgent_ordered_by_someone_without_the_right(by):
    text = item_text("news", urgent=block({"by": by, "reason": "ต้องเผยแพร่ทันการประชุม"}))
    result = check(text, publish=True)
    assert ("KS308", line_of(text, f"by: {by}")) in errors(result)
    assert {c for c, _ in errors(result)} == {"KS308", "KS305"}  # not urgent: the gate stays shut
    assert result.signoffs is not None and not result.signoffs.urgent


@pytest.mark.parametrize("by", ["malee.t", "wilaiwan.s", "prasert.j"])
def test_ks309_urgent_passes_publish_with_warnings(by):
    text = item_text("news", urgent=block({"by": by, "reason": "ต้องเผยแพร่ทันการประชุม"}))
    result = check(text, publish=True)
    assert errors(result) == set()
    assert warnings(result) == {("KS309", line_of(text, "approvals:"))}
    assert [p.code for p in result.problems] == ["KS309", "KS309"]
    assert result.signoffs is not None and result.signoffs.publishable and not result.signoffs.complete


def test_urgent_item_with_stale_approval_warns_instead_of_failing():
    text = signed_text(
        "news",
        [("anan.w", "facts", FACTS_AT)],
        digest="sha256:" + "2" * 64,
        urgent=block({"by": "malee.t", "reason": "ด่วน"}),
    )
    result = check(text, publish=True)
    assert errors(result) == set()
    assert warnings(result) == {("KS304", line_of(text, "digest:")), ("KS309", line_of(text, "approvals:"))}


def test_urgent_without_publish_adds_nothing():
    assert check(item_text("news", urgent=block({"by": "malee.t", "reason": "ด่วน"}))).problems == ()


# -- two people: the second step is a second pair of eyes (DOMAIN.md, "Decisions since") -----------


@pytest.mark.parametrize("by", ["thanakorn.r", "wilaiwan.s", "prasert.j"])  # eligible for facts and for check
def test_ks310_one_person_cannot_give_both_steps(by):
    text = signed_text("news", [(by, "facts", FACTS_AT), (by, "check", CHECK_AT)])
    result = check(text, "news", publish=True)
    assert result.signoffs is not None
    assert [s.status for s in result.signoffs.steps] == ["signed", "missing"]
    assert not result.signoffs.complete and not result.signoffs.publishable
    second = line_of(text, f"by: {by}", 2)
    assert ("KS310", second) in errors(result)
    assert ("KS305", line_of(text, "approvals:")) in errors(result)  # the gate: nothing goes live
    ks310 = next(p for p in result.problems if p.code == "KS310")
    assert office().person(by).name in ks310.message and "ยืนยันข้อเท็จจริง" in ks310.message


def test_ks310_the_same_person_listed_first_for_the_later_step_still_counts_once():
    """Order in the file does not matter: the earlier step keeps its signer, the later one needs another."""
    text = signed_text("news", [("thanakorn.r", "check", CHECK_AT), ("thanakorn.r", "facts", FACTS_AT)])
    result = check(text, "news")
    assert result.signoffs is not None
    assert [(s.status, s.by) for s in result.signoffs.steps] == [("signed", "thanakorn.r"), ("missing", None)]
    assert ("KS310", line_of(text, "by: thanakorn.r", 1)) in errors(result)


def test_a_second_person_on_the_later_step_completes_it_beside_a_refused_duplicate():
    text = signed_text(
        "news",
        [("thanakorn.r", "facts", FACTS_AT), ("thanakorn.r", "check", CHECK_AT), ("wilaiwan.s", "check", CHECK_AT)],
    )
    result = check(text, "news")
    assert result.signoffs is not None and result.signoffs.complete
    assert [s.by for s in result.signoffs.steps] == ["thanakorn.r", "wilaiwan.s"]
    assert {code for code, _ in errors(result)} == {"KS310"}  # the duplicate is still named, to be removed


# -- acts are backed: paper only where office.yml allows it (DOMAIN.md, "Decisions since") ---------

REVIEW_URL = "https://github.com/phuphamok1/site/pull/7#pullrequestreview-"


def check_without_paper(text: str, *, publish: bool = False):
    from dataclasses import replace

    from support.checking import context, schemas

    from workflow.core.validate import Context, check_item

    base = context(publish=publish)
    strict = Context(
        replace(office(), paper_approvals=False), schemas(), base.now, base.file_hash, base.item_ids, publish
    )
    return check_item(PATHS_NEWS, text.encode("utf-8"), strict)


PATHS_NEWS = "content/news/2569/meeting-20261120-executives.md"


def test_ks311_a_typed_approval_counts_only_where_paper_is_allowed():
    text = signed_text("news", [("anan.w", "facts", FACTS_AT), ("malee.t", "check", CHECK_AT)])
    assert check(text, publish=True).signoffs.complete  # the sample office allows paper
    refused = check_without_paper(text, publish=True)
    assert {c for c, _ in errors(refused)} == {"KS311", "KS305"} and not refused.signoffs.complete
    assert ("KS311", line_of(text, "- by: anan.w")) in errors(refused)
    # the same approvals naming the reviews pr-record found: they count (verify holds them to GitHub)
    named = text.replace(f"    at: {FACTS_AT}", f"    at: {FACTS_AT}\n    review: {REVIEW_URL}1")
    named = named.replace(f"    at: {CHECK_AT}", f"    at: {CHECK_AT}\n    review: {REVIEW_URL}2")
    assert errors(check_without_paper(named, publish=True)) == set()


def test_khaosan_approve_marks_paper_and_the_schema_refuses_a_review_that_is_no_review_url():
    text = signed_text("news", [("anan.w", "facts", FACTS_AT)])
    assert errors(check(text.replace(f"    at: {FACTS_AT}", f"    at: {FACTS_AT}\n    paper: true"))) == set()
    bad = text.replace(f"    at: {FACTS_AT}", f"    at: {FACTS_AT}\n    review: https://evil.example/x")
    assert errors(check(bad)) == {("KS105", line_of(bad, "review:"))}


def test_an_urgent_order_for_other_content_or_unbacked_releases_nothing():
    order = {"by": "malee.t", "reason": "ด่วน"}
    stale = item_text("news", urgent=block({**order, "digest": "sha256:" + "3" * 64}))
    result = check(stale, publish=True)
    assert not result.signoffs.urgent and ("KS304", line_of(stale, "urgent:")) in warnings(result)
    assert {c for c, _ in errors(result)} == {"KS305"}  # so its missing steps stop it
    current = item_text("news", urgent=block(order))
    current = item_text("news", urgent=block({**order, "digest": digest_of(current)}))
    assert check(current, publish=True).signoffs.urgent
    unbacked = check_without_paper(item_text("news", urgent=block(order)), publish=True)
    assert not unbacked.signoffs.urgent and "KS311" in {c for c, _ in warnings(unbacked)}
    backed = item_text("news", urgent=block({**order, "review": REVIEW_URL + "5"}))
    assert check_without_paper(backed, publish=True).signoffs.urgent


@pytest.mark.parametrize("by", ["anan.w", "weera.d", "rattana.b"])  # a PR officer, the webmaster, a group director
def test_ks312_only_those_who_may_order_may_take_a_page_down(by):
    withdrawn = {"at": "2026-11-24T09:00:00+07:00", "by": by, "reason": "คลาดเคลื่อน"}
    text = signed_text("news", withdrawn=block(withdrawn))
    assert ("KS312", line_of(text, f"  by: {by}")) in errors(check(text))
    allowed_text = signed_text("news", withdrawn=block({**withdrawn, "by": "prasert.j"}))
    assert errors(check(allowed_text)) == set()
