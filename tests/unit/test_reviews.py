"""The pure core of sign-offs from reviews: who counts, for which step, for which content."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from support.checking import office as sample_office
from support.items import FILES, PATHS, digest_of, item_text

from workflow.core.reviews import (
    ItemView,
    Review,
    latest_reviews,
    new_approvals,
    review_item,
    reviews_from_api,
    summarise,
)
from workflow.core.structure import Office, Person
from workflow.core.validate import parse_item
from workflow.edges.render.pull_request import comment_text

NOW = datetime.fromisoformat("2026-11-25T12:00:00+07:00")
HEAD, OLD = "h" * 40, "o" * 40
REPO_URL = "https://github.com/phuphamok1/site"


def office() -> Office:
    base = sample_office()
    people = {pid: replace(p, github=p.github or pid.replace(".", "-") + "-example") for pid, p in base.people.items()}
    return replace(base, people=people, logins={p.github.lower(): pid for pid, p in people.items() if p.github})


def review(
    person: str, state: str = "APPROVED", commit: str = HEAD, at: str = "2026-11-22T10:00:00+07:00", rid: int = 1
) -> Review:
    login = person.replace(".", "-") + "-example"
    return Review(rid, login, state, commit, datetime.fromisoformat(at), f"{REPO_URL}/pull/7#pullrequestreview-{rid}")


def view(
    kind: str = "news", text: str | None = None, digests: dict[str, str | None] | None = None, base: tuple = ()
) -> ItemView:
    text = text or item_text(kind)
    item = parse_item(PATHS[kind], text.encode())[0]
    assert item is not None
    digest = digest_of(text, FILES)
    return ItemView(item, digest, {HEAD: digest, **(digests or {})}, base)


def run(v: ItemView, *reviews: Review, author: str | None = "weera-d-example"):
    return review_item(v, OFFICE, latest_reviews(reviews), author)


OFFICE = office()


def states(result) -> dict[str, tuple[str, str | None]]:
    return {s.step: (s.status, s.by) for s in result.steps}


def test_the_right_people_sign_each_step() -> None:
    result = run(view(), review("anan.w"), review("malee.t", rid=2))
    assert states(result) == {"facts": ("signed", "anan.w"), "check": ("signed", "malee.t")}
    assert result.complete and not result.problems


def test_an_executive_is_kept_for_the_later_step() -> None:
    result = run(view(), review("prasert.j"), review("pimchanok.l", rid=2))
    assert states(result) == {"facts": ("signed", "pimchanok.l"), "check": ("signed", "prasert.j")}


def test_one_review_never_gives_both_steps() -> None:
    """A deputy is eligible for facts and for check; one approving review still signs one step only."""
    for person in ("thanakorn.r", "wilaiwan.s", "prasert.j"):
        result = run(view(), review(person))
        assert [s.status for s in result.steps] == ["signed", "missing"], person
        assert not result.complete
        assert [p.code for p in result.problems] == ["KS310"]
        assert OFFICE.people[person].name in result.problems[0].message


def test_a_second_executive_completes_what_the_first_began() -> None:
    result = run(view(), review("thanakorn.r"), review("wilaiwan.s", rid=2, at="2026-11-22T11:00:00+07:00"))
    assert result.complete and not result.problems
    assert {s.by for s in result.steps} == {"thanakorn.r", "wilaiwan.s"}


def test_wrong_person_and_unknown_login_count_for_nothing() -> None:
    result = run(view("disclosure"), review("anan.w"), Review(3, "stranger", "APPROVED", HEAD, NOW))
    assert states(result) == {"content": ("missing", None), "permit": ("missing", None)}


def test_owner_and_pull_request_author_do_not_count() -> None:
    result = run(view(), review("somchai.p"), review("malee.t", rid=2), author="malee-t-example")
    assert states(result)["facts"] == ("missing", None) and states(result)["check"] == ("missing", None)
    assert [p.code for p in result.problems] == ["KS302", "KS302"]


def test_stale_only_when_this_item_changed() -> None:
    same = view(digests={OLD: None})
    same = replace(same, digests_at={**same.digests_at, OLD: same.digest})  # another item changed since
    assert run(same, review("anan.w", commit=OLD)).steps[0].status == "signed"
    changed = view(digests={OLD: "sha256:" + "1" * 64})
    result = run(changed, review("anan.w", commit=OLD))
    assert result.steps[0].status == "stale" and "KS304" in [p.code for p in result.problems]
    gone = view(digests={OLD: None})  # the commit is gone (force-push): the approval cannot be shown current
    assert run(gone, Review(1, "anan-w-example", "APPROVED", None, NOW)).steps[0].status == "stale"


def test_only_the_latest_verdict_counts() -> None:
    approve = review("anan.w", at="2026-11-22T10:00:00+07:00", rid=1)
    comment = review("anan.w", "COMMENTED", at="2026-11-22T11:00:00+07:00", rid=2)
    changes = review("anan.w", "CHANGES_REQUESTED", at="2026-11-22T12:00:00+07:00", rid=3)
    again = review("anan.w", at="2026-11-22T13:00:00+07:00", rid=4)
    assert run(view(), approve, comment).steps[0].status == "signed"
    assert run(view(), approve, changes).steps[0].status == "missing"
    assert run(view(), changes, approve, again).steps[0].status == "signed"
    dismissed = review("anan.w", "DISMISSED", at="2026-11-22T12:00:00+07:00", rid=5)
    assert run(view(), approve, dismissed).steps[0].status == "missing"


def test_forged_front_matter_approval_is_an_error_but_earlier_ones_are_not_ours() -> None:
    text = item_text("news")
    digest = digest_of(text, FILES)
    forged = {"by": "anan.w", "step": "facts", "at": "2026-11-20T15:00:00+07:00", "digest": digest}
    signed = item_text(
        "news", approvals=f"\n  - by: anan.w\n    step: facts\n    at: {forged['at']}\n    digest: {digest}"
    )
    result = run(view(text=signed))
    assert [p.code for p in result.problems] == ["KS610"] and result.errors
    assert not run(view(text=signed), review("anan.w", at=forged["at"])).errors  # a review backs it
    assert not run(view(text=signed, base=(forged,))).errors  # recorded before this pull request
    # the person did approve, but at another time than the one typed: the typed record is nobody's act
    assert [p.code for p in run(view(text=signed), review("anan.w")).problems] == ["KS610"]
    # a record naming another review than the one that approves is nobody's act either
    named = signed.replace(f"digest: {digest}", f"digest: {digest}\n    review: {REPO_URL}/pull/7#pullrequestreview-99")
    assert [p.code for p in run(view(text=named), review("anan.w", at=forged["at"])).problems] == ["KS610"]
    assert not run(view(text=named), review("anan.w", at=forged["at"], rid=99)).errors


def test_urgent_passes_flagged_and_summary_says_so() -> None:
    """The deputy who orders it approves the item (and so gives one step); the other step waits, flagged."""
    urgent = item_text("news", urgent="\n  by: wilaiwan.s\n  reason: ผู้อำนวยการไม่อยู่")
    result = run(view(text=urgent), review("wilaiwan.s"))
    assert result.urgent and result.publishable and not result.complete and not result.errors
    summary = summarise([result], 0)
    assert summary.state == "success" and "รอลงนาม" in summary.description
    assert summarise([run(view())], 0).state == "pending"
    assert summarise([run(view())], 1).state == "failure"


def test_new_approvals_have_the_shape_approve_writes() -> None:
    result = run(view(), review("anan.w", at="2026-11-22T03:00:00+00:00"))
    (approval,) = new_approvals(result)
    assert approval == {
        "by": "anan.w",
        "step": "facts",
        "at": "2026-11-22T10:00:00+07:00",
        "digest": result.digest,
        "review": f"{REPO_URL}/pull/7#pullrequestreview-1",  # whose act it is, for `verify` and the auditor
    }


def test_reviews_from_github_payloads() -> None:
    import json

    from support.github_server import SHARED

    payloads = json.loads((SHARED / "pulls-list-reviews.example.json").read_text(encoding="utf-8"))
    (first,) = reviews_from_api(payloads)
    assert first.login == "octocat" and first.state == "APPROVED" and first.submitted_at is not None
    event = json.loads((SHARED / "webhook-pull-request-review-submitted.example.json").read_text(encoding="utf-8"))
    (from_event,) = reviews_from_api([event["review"]])
    assert from_event.state == "COMMENTED"  # webhooks send lower case
    assert reviews_from_api([{"id": 1, "user": None, "state": "APPROVED"}]) == []  # a deleted account


def test_comment_is_short_thai_with_buddhist_era() -> None:
    body = comment_text([run(view(), review("anan.w"))], OFFICE, NOW, {}, {}, ["stranger"], "<!-- m -->")
    assert body.startswith("<!-- m -->\n") and "2569" in body and "@stranger" in body
    assert "นายอนันต์ วงศ์ไพศาล" in body and len(body.splitlines()) < 15
    assert isinstance(OFFICE.people["anan.w"], Person)


def test_many_items_keep_the_comment_short() -> None:
    signed = run(view(), review("anan.w"), review("malee.t", rid=2))
    waiting = run(view())
    body = comment_text([signed] * 8 + [waiting], OFFICE, NOW, {}, {})
    assert body.count("ลงนามครบ  ") == 8 and body.count("⬜") == 2
    assert len(body.splitlines()) < 25


def test_the_check_comes_after_the_facts() -> None:
    check_first = review("malee.t", at="2026-11-21T09:00:00+07:00", rid=1)
    facts = review("anan.w", at="2026-11-21T10:00:00+07:00", rid=2)
    result = run(view(), check_first, facts)
    assert states(result) == {"facts": ("signed", "anan.w"), "check": ("missing", None)}
    assert [p.code for p in result.problems] == ["KS303"]
    again = review("malee.t", at="2026-11-21T11:00:00+07:00", rid=3)
    assert run(view(), check_first, facts, again).complete


HOSTILE = (
    "ประชุม [ดูผล](https://evil.example/x) ![](https://evil.example/p.png) @everyone @org/team "
    "<img src=x onerror=alert(1)> <a href=//evil.example>ลิงก์</a> www.evil.example a@b.co ``` `x` |t|"
)


def test_the_comment_shows_item_text_as_data_never_markdown() -> None:
    """A title is what someone typed: on GitHub it must not become a link, an image, a mention or HTML."""
    import json

    import markdown

    text = item_text("news", title=json.dumps(HOSTILE + "\n# หัวข้อปลอม", ensure_ascii=False))
    body = comment_text([run(view(text=text), review("anan.w"))], OFFICE, NOW, {}, {})
    line = next(line for line in body.splitlines() if "ประชุม" in line)
    for raw in ("](", "![", "<img", "<a ", "@everyone", "@org", "https://", "//evil", "www.evil", "a@b", "\n# "):
        assert raw not in line, raw
    html = markdown.markdown(body)
    assert "<a " not in html and "<img" not in html and "onerror=alert" not in html.replace("onerror\\=", "")
    assert "ดูผล" in line and "evil" in line  # the words are all there, as text


def test_an_item_id_with_backticks_stays_one_code_span() -> None:
    from workflow.edges.render.pull_request import code

    for text in ("news/2569/a`b", "news/``x``", "`"):
        span = code(text)
        fence = span.split(" ", 1)[0]
        assert set(fence) == {"`"} and span.endswith(" " + fence) and fence * 2 not in text
        assert "`" * len(fence) not in text


def test_an_urgent_order_typed_into_the_file_is_nobodys_act() -> None:
    """`urgent: {by: <a deputy>}` written by anyone, the deputy never reviewing: not urgent, an error."""
    urgent = item_text("news", urgent="\n  by: wilaiwan.s\n  reason: ด่วน")
    result = run(view(text=urgent), review("anan.w"))
    assert not result.urgent and not result.publishable
    assert [p.code for p in result.errors] == ["KS613"] and "นางสาววิไลวรรณ" in result.errors[0].message
    assert summarise([result], 0).state == "failure"
    stale = run(view(text=urgent, digests={OLD: "sha256:other"}), review("wilaiwan.s", commit=OLD))
    assert not stale.urgent and "KS613" in [p.code for p in stale.problems]  # approved another version


def test_an_urgent_order_already_on_the_base_branch_is_not_this_pull_requests_to_prove() -> None:
    text = item_text("news", urgent="\n  by: wilaiwan.s\n  reason: ด่วน")
    item = parse_item(PATHS["news"], text.encode())[0]
    assert item is not None
    inherited = replace(view(text=text), base_orders={"urgent": item.data["urgent"]})
    result = run(inherited, review("anan.w"))
    assert result.urgent and not result.problems
