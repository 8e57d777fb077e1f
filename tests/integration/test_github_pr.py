"""`khaosan pr-check` and `pr-record` against a local server that answers like GitHub,
with item contents from a real git repository at each commit."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli import THAI, CliResult, run_cli
from support.github_server import SHARED, closed_port_url
from support.items import BODIES, NOW, PATHS, item_text
from support.pullrepo import NUMBER, PullRepo, make_pull_repo
from support.textdiff import inserted_lines

from workflow.core.validate import parse_item
from workflow.edges.github import client as github_module

NEWS, DISCLOSURE = PATHS["news"], PATHS["disclosure"]
EVERYONE = ("anan.w", "malee.t", "rattana.b", "prasert.j")  # facts, check, content, permit


@pytest.fixture
def pr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PullRepo]:
    repo, server = make_pull_repo(tmp_path / "repo")
    with server:
        for key, value in repo.environment().items():
            monkeypatch.setenv(key, value)
        monkeypatch.chdir(repo.root)
        waits: list[float] = []
        monkeypatch.setattr(github_module, "_sleep", waits.append)
        repo.waits = waits  # type: ignore[attr-defined]
        yield repo
        from support.schemas import assert_valid

        for sent in server.sent:  # every payload this test's server sent matches GitHub's schema
            assert_valid(sent.schema, sent.payload)


def khaosan(*argv: str) -> CliResult:
    result = run_cli([*argv, "--pr", str(NUMBER), "--now", NOW])
    assert "Traceback" not in result.output
    return result


def status(pr: PullRepo) -> dict:
    """The latest sign-off check run on the head, as a state: success, failure, or pending (in progress)."""
    mine = [c for c in pr.server.checks if c["name"] == "khaosan/sign-offs"]
    assert mine, "no check run created"
    assert mine[-1]["head_sha"] == pr.head
    last = mine[-1]
    return {"state": last["conclusion"] or "pending", "description": last["output"]["title"]}


def comment(pr: PullRepo) -> str:
    ours = [c for c in pr.server.comments.get(NUMBER, []) if "<!-- khaosan:sign-offs -->" in c["body"]]
    assert len(ours) == 1, f"{len(ours)} comments"
    return ours[0]["body"]


def steps(pr: PullRepo) -> dict[tuple[str, str], str]:
    result = khaosan("pr-check", "--format", "json", "--dry-run")
    data = json.loads(result.out)
    return {(i["path"].split("/")[1], s["step"]): s["status"] for i in data["items"] for s in i["steps"]}


def test_right_approvers_sign_every_step(pr: PullRepo) -> None:
    for person in EVERYONE:
        pr.review(person)
    result = khaosan("pr-check")
    assert result.code == 0, result.output
    assert status(pr)["state"] == "success"
    body = comment(pr)
    assert "นายอนันต์ วงศ์ไพศาล" in body and "นายประเสริฐ ใจดีงาม" in body
    assert "2569" in body and "เผยแพร่ภายใน" in body  # the meeting's deadline, Buddhist Era
    assert len(body) < 2000  # readable on a phone


def test_wrong_approver_counts_for_nothing(pr: PullRepo) -> None:
    pr.review("kittipong.m")  # personnel group director: no step of these items
    pr.review("pimchanok.l")  # policy staff: may confirm the facts of a policy item only
    found = steps(pr)
    assert found[("news", "facts")] == "signed"
    assert found[("news", "check")] == "missing"
    assert found[("disclosures", "content")] == "missing"
    result = khaosan("pr-check")
    assert status(pr)["state"] == "pending" and result.code == 0
    assert "@kittipong-m-example ไม่มีสิทธิ์ลงนาม" in comment(pr)


def test_self_approval_does_not_count(pr: PullRepo) -> None:
    pr.review("somchai.p")  # the news item's author
    pr.review("nattapong.c")  # the disclosure's requester
    found = steps(pr)
    assert set(found.values()) == {"missing"}
    result = khaosan("pr-check")
    assert "KS302" in result.out


def test_change_to_another_item_keeps_the_approval_but_a_change_to_this_one_makes_it_stale(pr: PullRepo) -> None:
    pr.review("anan.w")
    pr.review("malee.t")
    before = pr.head
    pr.change({DISCLOSURE: item_text("disclosure", body="ร่างขอบเขตของงาน ฉบับแก้ไขครั้งที่ 1\n")})
    assert pr.head != before
    found = steps(pr)
    assert found[("news", "facts")] == "signed" and found[("news", "check")] == "signed"
    pr.change({NEWS: item_text("news", body=BODIES["news"] + "เพิ่มรายละเอียดการประชุม\n")})
    found = steps(pr)
    assert found[("news", "facts")] == "stale" and found[("news", "check")] == "stale"
    khaosan("pr-check")
    assert "อนุมัติก่อนแก้ไข" in comment(pr)
    assert status(pr)["state"] == "pending"


def test_approved_then_changes_requested_is_not_approved(pr: PullRepo) -> None:
    pr.review("anan.w", at="2026-11-22T03:00:00Z")
    pr.review("anan.w", "COMMENTED", at="2026-11-22T03:30:00Z")  # a comment changes nothing
    assert steps(pr)[("news", "facts")] == "signed"
    pr.review("anan.w", "CHANGES_REQUESTED", at="2026-11-22T04:00:00Z")
    assert steps(pr)[("news", "facts")] == "missing"


def test_more_than_a_hundred_files_and_reviews_are_all_read(pr: PullRepo) -> None:
    pull = pr.server.pulls[NUMBER]
    pull.files = [
        pr.server.diff_entry(f"content/images/2569/photo-{i:03}.jpg", "added") for i in range(150)
    ] + pull.files  # the items come last, on page 2
    for minute in range(110):
        pr.review("pimchanok.l", "COMMENTED", at=f"2026-11-22T01:{minute % 60:02}:00Z")
    pr.review("anan.w")  # the 111th review: on page 2
    found = steps(pr)
    assert found[("news", "facts")] == "signed"
    pages = [path for method, path in pr.server.requests if "page=2" in path]
    assert any("/files" in p for p in pages) and any("/reviews" in p for p in pages)


def test_rate_limit_then_success(pr: PullRepo) -> None:
    pr.review("anan.w")
    pr.server.fail_next(
        r"/reviews$",
        403,
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "0"},
        {"message": "API rate limit exceeded", "documentation_url": "https://docs.github.com/rest"},
    )
    pr.server.fail_next(r"/pulls/7$", 429, {"retry-after": "7"})
    result = khaosan("pr-check")
    assert result.code == 0, result.output
    assert 7.0 in pr.waits and len(pr.waits) == 2  # type: ignore[attr-defined]
    assert status(pr)["state"] == "pending"


def test_server_errors_then_success(pr: PullRepo) -> None:
    pr.server.fail_next(r"/files$", 502, times=2)
    pr.server.fail_next(r"/contents/", 503)
    result = khaosan("pr-check")
    assert result.code == 0, result.output
    assert sorted(pr.waits) == [1.0, 1.0, 2.0]  # type: ignore[attr-defined]
    comment(pr)


def test_server_errors_that_last_give_a_thai_error(pr: PullRepo) -> None:
    pr.server.fail_next(r"/files$", 500, times=5)
    result = khaosan("pr-check")
    assert result.code == 2 and "KS605" in result.err and THAI.search(result.err)
    assert not pr.server.comments.get(NUMBER) and not pr.server.checks  # nothing written


def test_bad_token(pr: PullRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "expired")
    result = khaosan("pr-check")
    assert result.code == 2
    assert result.err.startswith("KS601 ") and "GITHUB_TOKEN" in result.err and THAI.search(result.err)


def test_forbidden_and_not_found(pr: PullRepo) -> None:
    pr.server.fail_next(
        r"/check-runs",
        403,
        body={"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest"},
    )
    result = khaosan("pr-check")
    assert result.code == 2 and "KS602" in result.err and "permissions" in result.err
    result = run_cli(["pr-check", "--pr", "99", "--now", NOW])
    assert result.code == 2 and "KS603" in result.err


def test_network_down(pr: PullRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_API_URL", closed_port_url())
    result = khaosan("pr-check")
    assert result.code == 2 and result.err.startswith("KS604 ") and THAI.search(result.err)
    assert len(pr.waits) == 4  # type: ignore[attr-defined]


def test_missing_configuration(pr: PullRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    result = khaosan("pr-check")
    assert result.code == 2 and "KS606" in result.err and "GITHUB_TOKEN" in result.err


def test_comment_is_edited_never_duplicated(pr: PullRepo) -> None:
    pr.server.comment(NUMBER, "ขอบคุณครับ", login="malee-t-example")  # someone else's comment stays
    khaosan("pr-check")
    first = comment(pr)
    pr.review("anan.w")
    khaosan("pr-check")
    khaosan("pr-check")
    assert comment(pr) != first and "นายอนันต์" in comment(pr)
    assert len(pr.server.comments[NUMBER]) == 2
    assert [m for m, p in pr.server.requests if "/comments" in p].count("POST") == 1
    assert any(m == "PATCH" for m, _ in pr.server.requests)


def test_pr_number_from_the_event_payload(pr: PullRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    event = json.loads((SHARED / "webhook-pull-request-review-submitted.example.json").read_text(encoding="utf-8"))
    pr.server.pulls[event["pull_request"]["number"]] = pr.server.pulls[NUMBER]
    path = pr.root.parent / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
    result = run_cli(["pr-check", "--now", NOW])
    assert result.code == 0, result.output
    assert pr.server.comments.get(event["pull_request"]["number"])


def test_record_writes_the_signoffs_as_approve_does(pr: PullRepo) -> None:
    for person in EVERYONE:
        pr.review(person)
    before = {path: pr.read(path) for path in (NEWS, DISCLOSURE)}
    result = khaosan("pr-record")
    assert result.code == 0, result.output
    for path in (NEWS, DISCLOSURE):  # as `khaosan approve` does: `approvals: []` opens, lines are added
        added = inserted_lines(before[path].replace("approvals: []", "approvals:"), pr.read(path))
        assert any("    digest: sha256:" in line for line in added), added
    check = run_cli(["check", "--publish", "--now", NOW, NEWS, DISCLOSURE])
    assert check.code == 0, check.output
    # the recorded approvals are backed by the reviews: the gate still passes on the new head
    pr.change({}, "บันทึกการลงนาม")
    assert khaosan("pr-check").code == 0
    assert status(pr)["state"] == "success"
    again = khaosan("pr-record")
    assert again.code == 0 and "ไม่มีการลงนามใหม่" in again.err


def test_forged_approval_in_yaml_is_an_error(pr: PullRepo) -> None:
    pr.review("anan.w")
    pr.review("malee.t")
    khaosan("pr-record")
    text = pr.read(DISCLOSURE).replace(
        "approvals: []",
        (
            "approvals:\n  - by: rattana.b\n    step: content\n    at: 2026-11-21T10:00:00+07:00\n"
            "    digest: sha256:" + "0" * 64
        ),
    )
    pr.change({NEWS: pr.read(NEWS), DISCLOSURE: text}, "ลงนามเอง")
    result = khaosan("pr-check", "--format", "github")
    assert result.code == 1
    assert "KS610" in result.out and status(pr)["state"] == "failure"
    assert "::error file=content/disclosures/procurement/tor-2569-01.md,line=" in result.out


def test_urgent_passes_the_gate_flagged_awaiting_signoff(pr: PullRepo) -> None:
    urgent = "\n  by: wilaiwan.s\n  reason: ผู้อำนวยการอยู่ระหว่างเดินทาง ข่าวต้องออกภายใน 3 ชั่วโมง"
    (pr.root / DISCLOSURE).unlink()
    pr.change({NEWS: item_text("news", urgent=urgent)})
    pr.review("anan.w")  # facts; the check is still missing, and the order is nobody's act yet
    result = khaosan("pr-check")
    assert result.code == 1 and "KS613" in result.output and status(pr)["state"] == "failure"
    pr.review("wilaiwan.s")  # the deputy who orders it approves: her order counts (and she gives the check)
    result = khaosan("pr-check")
    assert result.code == 0, result.output
    assert status(pr)["state"] == "success"


def test_check_errors_become_annotations(pr: PullRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = pr.root.parent / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    pr.change({NEWS: item_text("news", channel="[website]")})  # an unknown field
    result = khaosan("pr-check", "--format", "github")
    assert "ข้อผิดพลาด" in summary.read_text(encoding="utf-8")
    assert result.code == 1
    assert "::error file=content/news/2569/meeting-20261120-executives.md,line=" in result.out
    assert status(pr)["state"] == "failure"


def test_interrupted_record_leaves_nothing_half_written(pr: PullRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    for person in EVERYONE:
        pr.review(person)
    before = {path: pr.read(path) for path in (NEWS, DISCLOSURE)}
    import workflow.edges.github.pull_request as pull

    real = pull.os.fsync
    calls: list[int] = []

    def dying(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(pull.os, "fsync", dying)
    with pytest.raises(OSError):
        run_cli(["pr-record", "--pr", str(NUMBER), "--now", NOW])
    assert {path: pr.read(path) for path in (NEWS, DISCLOSURE)} == before
    leftovers = [p for p in Path(pr.root, "content").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_interrupted_check_writes_no_comment_and_no_status(pr: PullRepo) -> None:
    pr.review("anan.w")
    pr.server.fail_next(r"/contents/", 401)
    result = khaosan("pr-check")
    assert result.code == 2 and "KS601" in result.err
    assert not pr.server.comments.get(NUMBER) and not pr.server.checks


def test_no_traceback_on_unreadable_event(pr: PullRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = pr.root.parent / "event.json"
    bad.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(bad))
    result = run_cli(["pr-check", "--now", NOW])
    assert result.code == 2 and "KS606" in result.err
    assert "Traceback" not in result.output and os.path.exists(bad)


def test_record_refuses_a_checkout_that_is_not_the_head(pr: PullRepo) -> None:
    pr.review("anan.w")
    pr.write(NEWS, item_text("news", body="แก้ในเครื่อง ยังไม่ได้ส่งขึ้นคำขอ\n"))
    edited = pr.read(NEWS)
    result = khaosan("pr-record")
    assert result.code == 2 and result.err.startswith("KS611 ") and THAI.search(result.err)
    assert pr.read(NEWS) == edited


def test_an_approval_before_the_item_existed_counts_for_nothing(pr: PullRepo) -> None:
    pr.review("anan.w", at="2026-11-20T06:00:00Z")  # 13:00 Bangkok: before the news was produced (14:10)
    assert steps(pr)[("news", "facts")] == "missing"
    assert "KS306" in khaosan("pr-check").out
    result = khaosan("pr-record")
    assert result.code == 0 and "ไม่มีการลงนามใหม่" in result.err
    assert "approvals: []" in pr.read(NEWS)


def test_a_swapped_attachment_brings_its_item_into_the_check(pr: PullRepo) -> None:
    from support.items import ATTACHMENT

    pr.server.pulls[NUMBER].base = pr.head  # the items are on main already; this pull request swaps the PDF only
    pr.change({f"content/{ATTACHMENT}": b"%PDF-1.4\n% another TOR\n%%EOF\n"}, "เปลี่ยนไฟล์ TOR")
    assert [f["filename"] for f in pr.server.pulls[NUMBER].files] == [f"content/{ATTACHMENT}"]
    found = steps(pr)
    assert found == {("disclosures", "content"): "missing", ("disclosures", "permit"): "missing"}


def test_a_pull_request_cannot_make_its_own_signers(pr: PullRepo) -> None:
    office = pr.read("office.yml").replace(
        "roles: [group-director], github: kittipong-m-example", "roles: [director], github: kittipong-m-example"
    )
    assert office != pr.read("office.yml")
    pr.change({"office.yml": office}, "ให้ผู้อำนวยการกลุ่มบุคคลเป็นผู้อำนวยการ")
    pr.review("kittipong.m")
    assert set(steps(pr).values()) == {"missing"}  # the office is the base branch's


@pytest.mark.parametrize("target", ["meeting-20261120-executives.md", "/etc/hostname"])
def test_an_item_that_is_a_symlink_is_refused_not_skipped(pr: PullRepo, target: str) -> None:
    """GitHub answers a link to a file in the repository with that file, any other link as
    `type: symlink`: either way the item fails the check, even when every step is reviewed."""
    link = pr.root / "content/news/2569/linked.md"
    if not target.startswith("/"):
        target = Path(NEWS).name
    link.symlink_to(target)
    pr.head = pr.commit("ข่าวผ่านลิงก์")
    pr.server.sync(NUMBER, pr.head)
    for person in EVERYONE:
        pr.review(person)
    result = khaosan("pr-check")
    assert result.code == 1 and "KS731" in result.output and "linked.md" in result.output
    assert status(pr)["state"] == "failure"


def test_a_change_to_what_the_build_runs_is_named_in_the_comment(pr: PullRepo) -> None:
    """A pull request that touches the theme or Pelican's settings is not content: the comment says who must look."""
    pr.head = pr.change({"theme/templates/base.html": "<html>แก้ไขแม่แบบ</html>\n", "pelicanconf.py": "X = 1\n"})
    khaosan("pr-check")
    body = comment(pr)
    assert "แก้ไขไฟล์ของระบบ 2 ไฟล์" in body and "pelicanconf.py" in body and "CODEOWNERS" in body


def test_pr_check_runs_the_whole_publish_gate_so_a_merge_never_stops_the_build(pr: PullRepo) -> None:
    """A private phone number in a reviewed item fails the pull request, as it would fail every build after it."""
    text = item_text("news", body="ติดต่อครูสมชาย โทร 081-234-5678 เพื่อสอบถามรายละเอียด\n")
    pr.head = pr.change({NEWS: text})
    for person in EVERYONE:
        pr.review(person)
    result = khaosan("pr-check")
    assert result.code == 1 and "KS702" in result.output and "081-234-5678" not in result.output
    assert status(pr)["state"] == "failure"
    assert "ข้อผิดพลาด" in comment(pr)


def test_more_files_than_github_lists_fail_the_pull_request(pr: PullRepo) -> None:
    """GitHub lists at most 3000 files (lowered here to 2): items past the cap would go unchecked, and
    approvals typed into them with the right digests would publish. The pull request fails instead."""
    pr.server.files_cap = 2
    signed = {f"content/news/2569/extra-{i}.md": item_text("news") for i in range(3)}
    pr.head = pr.change(signed)
    for person in EVERYONE:
        pr.review(person)
    result = khaosan("pr-check")
    assert result.code == 1 and "KS612" in result.output
    assert status(pr)["state"] == "failure"
    pr.server.files_cap = 3000
    assert "KS612" not in khaosan("pr-check").output


def test_record_writes_who_backs_an_urgent_order_and_for_which_content(pr: PullRepo) -> None:
    """An urgent order is the deputy's act: pr-record names her review and the content she released,
    so a later change to the item needs a new order, and `verify` can hold it to GitHub."""
    pr.write("office.yml", pr.read("office.yml").replace("paper: true", "paper: false"))
    urgent = "\n  by: wilaiwan.s\n  reason: ผู้อำนวยการอยู่ระหว่างเดินทาง"
    (pr.root / DISCLOSURE).unlink()
    pr.change({NEWS: item_text("news", urgent=urgent)})
    typed = run_cli(["check", "--publish", "--now", NOW, NEWS])
    assert typed.code == 1 and "KS311" in typed.output  # typed, nobody's act yet: not released
    pr.review("wilaiwan.s")
    assert khaosan("pr-record").code == 0
    text = pr.read(NEWS)
    data = parse_item(NEWS, text.encode("utf-8"))[0].data  # type: ignore[union-attr]
    (step,) = data["approvals"]
    assert "#pullrequestreview-" in data["urgent"]["review"] and data["urgent"]["review"] == step["review"]
    assert data["urgent"]["digest"] == step["digest"]  # the content she released, as she approved it
    released = run_cli(["check", "--publish", "--now", NOW, NEWS])
    assert released.code == 0 and "KS309" in released.output  # released, flagged until fully signed
    pr.change({NEWS: text.replace(BODIES["news"], BODIES["news"] + "\nย่อหน้าที่เพิ่มภายหลัง\n")})
    changed = run_cli(["check", "--publish", "--now", NOW, NEWS])
    assert changed.code == 1 and "KS304" in changed.output and "KS305" in changed.output


def test_a_withdrawal_is_the_act_of_the_person_it_names(pr: PullRepo) -> None:
    withdrawn = "\n  at: 2026-11-24T09:00:00+07:00\n  by: prasert.j\n  reason: ข้อมูลคลาดเคลื่อน"
    (pr.root / DISCLOSURE).unlink()
    pr.change({NEWS: item_text("news", withdrawn=withdrawn)})
    pr.review("anan.w")
    result = khaosan("pr-check")
    assert result.code == 1 and "KS614" in result.output  # typed: the director has not approved it
    pr.review("prasert.j")
    assert "KS614" not in khaosan("pr-check").output
    assert khaosan("pr-record").code == 0
    data = parse_item(NEWS, pr.read(NEWS).encode("utf-8"))[0].data  # type: ignore[union-attr]
    assert "#pullrequestreview-" in data["withdrawn"]["review"] and "digest" not in data["withdrawn"]
