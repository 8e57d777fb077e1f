"""The history edge on real git repositories: first-parent publication, renames,
deletions, edits after publication, urgent items, attachments arriving later."""

from __future__ import annotations

from datetime import datetime

import pytest
from support.history import NEWS_SIGNERS, Git, meeting, signed
from support.items import ATTACHMENT, ATTACHMENT_BYTES, PATHS, SIGNERS, approvals_block, digest_of, item_text

from workflow.core import periods
from workflow.core.metrics import compute
from workflow.core.publication_history import HistoryFacts, ItemRecord
from workflow.edges.files.repository import Repository
from workflow.edges.git.history import read_history
from workflow.edges.git.log import parse_log

NOW = datetime.fromisoformat("2026-11-25T12:00:00+07:00")
NEWS = PATHS["news"]
NEWS_ID = NEWS[len("content/") : -len(".md")]


def _facts(root, now: datetime = NOW) -> HistoryFacts:
    office, _ = Repository(root).office()
    assert office is not None
    return read_history(root, office, now=now)


def _one(facts: HistoryFacts, item_id: str) -> ItemRecord:
    found = [r for r in facts.items if r.id == item_id]
    assert len(found) == 1, [r.id for r in facts.items]
    return found[0]


@pytest.fixture
def git(repo):
    g = Git(repo.root)
    g.commit("2026-11-01T08:00:00+07:00", message="office")
    return g


def test_a_signed_commit_on_a_branch_is_published_at_the_merge(git):
    git.commit("2026-11-20T12:40:00+07:00", {NEWS: item_text("news", **meeting())})
    git.branch("sign")
    git.commit("2026-11-20T13:40:00+07:00", {NEWS: signed("news", NEWS_SIGNERS, **meeting())})
    git.checkout("main")
    git.commit("2026-11-20T14:00:00+07:00", {"content/other.txt": "x"})
    merge = git.merge("sign", "2026-11-20T15:10:00+07:00")
    record = _one(_facts(git.root), NEWS_ID)
    assert record.first_committed_at == datetime.fromisoformat("2026-11-20T12:40:00+07:00")
    assert record.published_at == datetime.fromisoformat("2026-11-20T15:10:00+07:00")
    assert record.published_commit == merge
    assert record.complete_now and not record.published_urgent
    recorded = {s.step: s.recorded_at for s in record.signoffs}
    assert recorded["facts"] == record.published_at  # recorded on main by the merge, not the branch commit


def test_rename_keeps_the_item_and_its_publication(git):
    git.commit("2026-11-20T14:00:00+07:00", {NEWS: signed("news", NEWS_SIGNERS, **meeting())})
    new = "content/news/2569/meeting-20261120-school-directors.md"
    git.move(NEWS, new, "2026-11-21T09:00:00+07:00")
    facts = _facts(git.root)
    assert len(facts.items) == 1
    record = facts.items[0]
    assert record.id == "news/2569/meeting-20261120-school-directors"
    assert record.renamed_from == (NEWS_ID,)
    assert record.published_at == datetime.fromisoformat("2026-11-20T14:00:00+07:00")
    assert record.withdrawn_at is None


def test_deletion_withdraws_the_item_at_that_commit(git):
    git.commit("2026-11-20T14:00:00+07:00", {NEWS: signed("news", NEWS_SIGNERS, **meeting())})
    sha = git.commit("2026-11-22T10:00:00+07:00", {NEWS: None}, message="withdraw")
    record = _one(_facts(git.root), NEWS_ID)
    assert record.withdrawn_at == datetime.fromisoformat("2026-11-22T10:00:00+07:00")
    assert record.withdrawn_commit == sha
    assert record.published_at == datetime.fromisoformat("2026-11-20T14:00:00+07:00")


def test_edit_after_publication_keeps_the_time_and_is_flagged(git):
    git.commit("2026-11-20T14:00:00+07:00", {NEWS: signed("news", NEWS_SIGNERS, **meeting())})
    text = signed("news", NEWS_SIGNERS, **meeting())
    edited = text.replace("จัดประชุมผู้บริหารสถานศึกษา", "จัดประชุมผู้บริหารสถานศึกษาทุกแห่ง")
    assert edited != text
    git.commit("2026-11-21T09:00:00+07:00", {NEWS: edited})
    facts = _facts(git.root)
    record = _one(facts, NEWS_ID)
    assert record.published_at == datetime.fromisoformat("2026-11-20T14:00:00+07:00")
    assert not record.complete_now and record.versions == 2
    figures = compute(facts, Repository(git.root).office()[0], periods.month("2569-11"), NOW)
    # the sample office signs on paper: the auditor is told which sign-offs no review backs
    assert [f["code"] for f in figures["trust"]] == ["KS515", "KS514"]
    paper = figures["trust"][0]["message"]
    assert paper.startswith(f"{NEWS_ID}: ขั้น ") and "anan.w" in paper and "malee.t" in paper


def test_unsigned_item_on_main_is_not_published(git):
    git.commit("2026-11-20T14:00:00+07:00", {NEWS: item_text("news", **meeting())})
    record = _one(_facts(git.root), NEWS_ID)
    assert record.published_at is None and record.publishable_at is None


def test_urgent_item_is_published_unsigned_and_the_late_signoff_is_flagged(git):
    urgent = "\n  by: wilaiwan.s\n  at: 2026-11-20T13:55:00+07:00\n  reason: ข่าวด่วน"
    git.commit("2026-11-20T14:00:00+07:00", {NEWS: item_text("news", urgent=urgent, **meeting())})
    late_signers = [("anan.w", "facts", "2026-11-21T08:00:00+07:00"), ("malee.t", "check", "2026-11-21T08:30:00+07:00")]
    git.commit("2026-11-21T09:00:00+07:00", {NEWS: signed("news", late_signers, urgent=urgent, **meeting())})
    facts = _facts(git.root)
    record = _one(facts, NEWS_ID)
    assert record.published_at == datetime.fromisoformat("2026-11-20T14:00:00+07:00")
    assert record.published_urgent and record.complete_now
    figures = compute(facts, Repository(git.root).office()[0], periods.month("2569-11"), NOW)
    codes = sorted(f["code"] for f in figures["trust"])
    assert codes == ["KS511", "KS511", "KS514", "KS515"]
    paper = next(f["message"] for f in figures["trust"] if f["code"] == "KS515")
    assert "คำสั่งเผยแพร่ด่วน โดย wilaiwan.s" in paper


def test_publish_at_later_than_the_commit_wins(git):
    changes = meeting(publish_at="2026-11-20T18:00:00+07:00")
    git.commit("2026-11-20T14:00:00+07:00", {NEWS: signed("news", NEWS_SIGNERS, **changes)})
    record = _one(_facts(git.root), NEWS_ID)
    assert record.publishable_at == datetime.fromisoformat("2026-11-20T14:00:00+07:00")
    assert record.published_at == datetime.fromisoformat("2026-11-20T18:00:00+07:00")


def test_attachment_committed_later_publishes_the_disclosure_then(git):
    path = PATHS["disclosure"]
    # signed for the content *with* the attachment's bytes, but the PDF is not committed yet
    git.commit("2026-11-21T12:00:00+07:00", {path: signed("disclosure", SIGNERS["disclosure"])})
    git.commit("2026-11-21T13:00:00+07:00", {f"content/{ATTACHMENT}": ATTACHMENT_BYTES})
    record = _one(_facts(git.root), path[len("content/") : -len(".md")])
    assert record.published_at == datetime.fromisoformat("2026-11-21T13:00:00+07:00")


def test_swapped_attachment_at_the_commit_is_not_the_approved_content(git):
    path = PATHS["disclosure"]
    git.commit(
        "2026-11-21T12:00:00+07:00",
        {
            path: signed("disclosure", SIGNERS["disclosure"]),
            f"content/{ATTACHMENT}": b"%PDF-1.4\n% another file\n%%EOF\n",
        },
    )
    git.commit("2026-11-21T15:00:00+07:00", {f"content/{ATTACHMENT}": ATTACHMENT_BYTES})
    record = _one(_facts(git.root), path[len("content/") : -len(".md")])
    assert record.published_at == datetime.fromisoformat("2026-11-21T15:00:00+07:00")


def test_commit_times_going_backwards_are_recorded(git):
    git.commit("2026-11-20T14:00:00+07:00", {NEWS: signed("news", NEWS_SIGNERS, **meeting())})
    git.commit("2026-11-20T13:00:00+07:00", {"content/x.txt": "late clock"})
    facts = _facts(git.root)
    assert len(facts.backwards) == 1
    figures = compute(facts, Repository(git.root).office()[0], periods.month("2569-11"), NOW)
    assert "KS512" in [f["code"] for f in figures["trust"]]


def test_future_commit_is_flagged(git):
    git.commit("2026-12-20T14:00:00+07:00", {"content/x.txt": "clock ahead"})
    facts = _facts(git.root)
    assert [sha for sha, _ in facts.future_commits]
    figures = compute(facts, Repository(git.root).office()[0], periods.month("2569-12"), NOW)
    assert "KS513" in [f["code"] for f in figures["trust"]]


def test_not_a_git_repository_is_a_thai_error(repo):
    from workflow.errors import KhaosanError

    office, _ = Repository(repo.root).office()
    with pytest.raises(KhaosanError) as caught:
        read_history(repo.root, office, now=NOW)
    assert caught.value.code == "KS502"


def test_parse_log_reads_renames_and_deletions():
    raw = (
        b"\x01" + b"a" * 40 + b" 1767200000\0\n"
        b":100644 100644 " + b"1" * 40 + b" " + b"2" * 40 + b" R090\0content/a.md\0content/b.md\0"
        b":100644 000000 " + b"3" * 40 + b" " + b"0" * 40 + b" D\0content/c.md\0"
        b"\x01" + b"b" * 40 + b" 1767200100\0"
    )
    commits = list(parse_log(raw))
    assert [c.sha[0] for c in commits] == ["a", "b"]
    first = commits[0].changes
    assert (first[0].status, first[0].old_path, first[0].path, first[0].blob) == (
        "R",
        "content/a.md",
        "content/b.md",
        "2" * 40,
    )
    assert (first[1].status, first[1].path, first[1].blob) == ("D", "content/c.md", "")
    assert commits[1].changes == ()


def test_history_cut_in_two_gits_reads_the_same_as_one(git, monkeypatch):
    from workflow.edges.git import log

    for day in range(1, 8):
        path = f"content/news/2569/meeting-202611{day:02d}-x.md"
        git.commit(f"2026-11-{day:02d}T14:00:00+07:00", {path: signed("news", NEWS_SIGNERS, **meeting())})
        git.commit(f"2026-11-{day:02d}T15:00:00+07:00", {"content/x.txt": str(day)})
    git.move(
        "content/news/2569/meeting-20261103-x.md",
        "content/news/2569/meeting-20261103-y.md",
        "2026-11-09T09:00:00+07:00",
    )
    whole = log.Log(git.root, jobs=1).result()
    monkeypatch.setattr(log.Log, "SPLIT_FROM", 2)
    cut = log.Log(git.root, jobs=2)
    assert len(cut._parts) == 2
    assert cut.result() == whole


def test_items_outside_the_window_are_listed_but_not_evaluated(git):
    git.commit("2026-11-20T14:00:00+07:00", {NEWS: signed("news", NEWS_SIGNERS, **meeting())})
    office, _ = Repository(git.root).office()
    october = periods.month("2569-10")
    facts = read_history(git.root, office, now=NOW, window=(october.start, october.end))
    record = _one(facts, NEWS_ID)
    assert record.data is None and record.published_at is None
    november = periods.month("2569-11")
    facts = read_history(git.root, office, now=NOW, window=(november.start, november.end))
    assert _one(facts, NEWS_ID).published_at is not None


def test_forked_walk_gives_the_same_records_as_one_process(git, monkeypatch):
    from workflow.edges import parallel

    for day in range(1, 10):
        path = f"content/news/2569/meeting-202611{day:02d}-x.md"
        git.commit(f"2026-11-{day:02d}T14:00:00+07:00", {path: signed("news", NEWS_SIGNERS, **meeting())})
    git.move(
        "content/news/2569/meeting-20261103-x.md",
        "content/news/2569/meeting-20261103-renamed.md",
        "2026-11-10T09:00:00+07:00",
    )
    git.commit("2026-11-11T09:00:00+07:00", {"content/news/2569/meeting-20261104-x.md": None})
    one = _facts(git.root)
    monkeypatch.setattr(parallel, "HISTORY_FORK_FROM", 1)
    monkeypatch.setattr(parallel, "idle_cores", lambda: 2.0)
    two = _facts(git.root)
    assert [r.id for r in two.items] == [r.id for r in one.items]
    assert two.items == one.items


def test_one_person_on_both_steps_is_never_published_in_history(git):
    """Typed straight into main, a deputy's two sign-offs count once: the item waits for a second person."""
    both = [
        ("thanakorn.r", "facts", "2026-11-20T13:00:00+07:00"),
        ("thanakorn.r", "check", "2026-11-20T13:30:00+07:00"),
    ]
    git.commit("2026-11-20T13:40:00+07:00", {NEWS: signed("news", both, **meeting())})
    record = _one(_facts(git.root), NEWS_ID)
    assert record.publishable_at is None and record.published_at is None and not record.complete_now
    second = [*both[:1], ("wilaiwan.s", "check", "2026-11-20T14:00:00+07:00")]
    git.commit("2026-11-20T14:10:00+07:00", {NEWS: signed("news", second, **meeting())})
    assert _one(_facts(git.root), NEWS_ID).published_at == datetime.fromisoformat("2026-11-20T14:10:00+07:00")


def test_a_correction_signed_again_is_a_correction_not_a_late_sign_off(git):
    """Issue 14, item 5: after a fix and a re-signing the audit said KS511 "signed after publication"
    twice; the page now says when it was corrected and the audit records the correction (KS516)."""
    git.commit("2026-11-20T14:00:00+07:00", {NEWS: signed("news", NEWS_SIGNERS, **meeting())})
    body = "ข่าวที่แก้ไขแล้ว: ชื่อโรงเรียนที่ถูกต้องคือโรงเรียนบ้านหมอกงาม\n"
    again = [("anan.w", "facts", "2026-11-21T08:40:00+07:00"), ("malee.t", "check", "2026-11-21T08:50:00+07:00")]
    git.commit("2026-11-21T08:30:00+07:00", {NEWS: item_text("news", body=body, **meeting())})  # fixed, unsigned
    git.commit("2026-11-21T09:00:00+07:00", {NEWS: signed("news", again, body=body, **meeting())})  # signed again
    facts = _facts(git.root)
    record = _one(facts, NEWS_ID)
    assert record.published_at == datetime.fromisoformat("2026-11-20T14:00:00+07:00")
    assert record.corrected_at == datetime.fromisoformat("2026-11-21T09:00:00+07:00")
    figures = compute(facts, Repository(git.root).office()[0], periods.month("2569-11"), NOW)
    codes = [f["code"] for f in figures["trust"]]
    assert "KS511" not in codes and codes.count("KS516") == 1, codes


def test_an_urgent_items_late_sign_offs_are_still_flagged_and_no_correction(git):
    urgent = "\n  by: wilaiwan.s\n  reason: ข่าวด่วน"
    git.commit("2026-11-20T14:00:00+07:00", {NEWS: item_text("news", urgent=urgent, **meeting())})
    late = [("anan.w", "facts", "2026-11-21T08:00:00+07:00"), ("malee.t", "check", "2026-11-21T08:30:00+07:00")]
    git.commit("2026-11-21T09:00:00+07:00", {NEWS: signed("news", late, urgent=urgent, **meeting())})
    record = _one(_facts(git.root), NEWS_ID)
    assert record.published_urgent and record.corrected_at is None


def test_a_signed_merge_the_gate_refuses_is_not_the_publication(git):
    """Issue 14, item 5: the site dated an item at a merge whose build was refused (a national ID in
    its text); it went live with the fix, signed again, and that is its publication: no late sign-off."""
    leaky = "ผู้ยื่นคำขอ เลขประจำตัว 1-2345-67890-12-1 ได้รับอนุมัติ\n"
    git.commit("2026-11-20T14:00:00+07:00", {NEWS: signed("news", NEWS_SIGNERS, body=leaky, **meeting())})
    again = [("anan.w", "facts", "2026-11-20T14:40:00+07:00"), ("malee.t", "check", "2026-11-20T14:50:00+07:00")]
    fixed = "ผู้ยื่นคำขอได้รับอนุมัติแล้ว\n"
    fix = git.commit("2026-11-20T14:52:00+07:00", {NEWS: signed("news", again, body=fixed, **meeting())})
    facts = _facts(git.root)
    record = _one(facts, NEWS_ID)
    assert record.published_at == datetime.fromisoformat("2026-11-20T14:52:00+07:00")
    assert record.published_commit == fix and record.corrected_at is None
    figures = compute(facts, Repository(git.root).office()[0], periods.month("2569-11"), NOW)
    codes = [f["code"] for f in figures["trust"]]
    assert "KS511" not in codes and "KS516" not in codes, codes


def _pdf(subject: str) -> bytes:
    """A one-page PDF whose document properties hold `subject` (a place people never look)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Subject": subject})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_attachment_the_gate_refuses_holds_the_publication_until_it_is_replaced(git):
    """The gate reads an attachment's insides from its blob at each commit: a PDF with an ID in its
    hidden properties keeps the signed disclosure off the site until a clean PDF, signed again, replaces it."""
    path, pdf = PATHS["disclosure"], "content/" + ATTACHMENT
    leaky, clean = _pdf("เลขประจำตัว 1-2345-67890-12-1"), _pdf("ประกาศจัดซื้อ")
    signers = SIGNERS["disclosure"]
    unsigned = item_text("disclosure")

    def signed_for(data: bytes) -> str:
        entries = [(by, step, at, digest_of(unsigned, {ATTACHMENT: data})) for by, step, at in signers]
        return item_text("disclosure", approvals=approvals_block(entries))

    git.commit("2026-11-21T12:00:00+07:00", {path: signed_for(leaky), pdf: leaky})
    fix = git.commit("2026-11-21T13:10:00+07:00", {path: signed_for(clean), pdf: clean})
    record = _one(_facts(git.root), path[len("content/") : -len(".md")])
    assert record.published_at == datetime.fromisoformat("2026-11-21T13:10:00+07:00")
    assert record.published_commit == fix
