"""The publication rule on hand-made commit records: no git, a fake judge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from workflow.core.publication_history import (
    Change,
    Commit,
    HistoryFacts,
    ItemRecord,
    Verdict,
    history_facts,
    publication_times,
    published_at,
    walk,
)
from workflow.core.structure import is_item_path

T0 = datetime.fromisoformat("2026-11-20T09:00:00+07:00")
NOW = datetime.fromisoformat("2026-11-25T12:00:00+07:00")
NEWS = "content/news/2569/meeting.md"
PDF = "content/files/report.pdf"


@dataclass(frozen=True)
class Version:
    """What the fake judge knows of one item text: signed for these file blobs, or urgent."""

    signed: bool = False
    urgent: bool = False
    files: Mapping[str, str] = field(default_factory=dict)  # name under content/ -> blob it was signed with
    publish_at: str | None = None
    approvals: tuple[tuple[str, str, str], ...] = ()
    written: datetime | None = None  # produced_at, for the window


@dataclass
class FakeJudge:
    versions: dict[str, Version]
    window: tuple[datetime, datetime] | None = None
    asked: list[tuple[str, str]] = field(default_factory=list)

    def verdict(self, path: str, blob: str, tree: Mapping[str, str], named: tuple[str, ...]) -> Verdict:
        self.asked.append((path, blob))
        version = self.versions[blob]
        complete = version.signed and all(tree.get("content/" + n) == b for n, b in version.files.items())
        refs = tuple(version.files)
        return Verdict(
            True, complete or version.urgent, complete, version.urgent, refs, version.approvals, version.publish_at
        )

    def outside(self, blob: str) -> bool:
        written = self.versions[blob].written
        return self.window is not None and written is not None and not self.window[0] <= written < self.window[1]

    def summary(self, path: str, blob: str) -> tuple[dict[str, Any], int] | None:
        return {"type": "news", "title": blob}, len(blob)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def commit(sha: str, hours: float, *changes: Change) -> Commit:
    return Commit(sha * 40, at(hours), changes)


def add(path: str, blob: str) -> Change:
    return Change("A", path, blob)


def edit(path: str, blob: str) -> Change:
    return Change("M", path, blob)


def read(judge: FakeJudge, *commits: Commit, now: datetime = NOW) -> HistoryFacts:
    return history_facts(list(commits), judge, now, "refs/heads/main")


def one(facts: HistoryFacts) -> ItemRecord:
    assert len(facts.items) == 1, facts.items
    return facts.items[0]


def test_published_at_the_first_commit_where_the_item_is_publishable():
    judge = FakeJudge({"draft": Version(), "edited": Version(), "signed": Version(signed=True)})
    facts = read(
        judge,
        commit("a", 0, add(NEWS, "draft")),
        commit("b", 1, edit(NEWS, "edited")),
        commit("c", 2, edit(NEWS, "signed")),
        commit("d", 3, add("content/other.txt", "x")),
    )
    record = one(facts)
    assert (record.id, record.first_committed_at, record.first_commit) == ("news/2569/meeting", at(0), "a" * 40)
    assert (record.publishable_at, record.published_commit, record.published_at) == (at(2), "c" * 40, at(2))
    assert record.complete_now and not record.published_urgent and record.versions == 3
    assert (facts.commits, facts.head) == (4, "d" * 40)
    assert publication_times(facts) == {"news/2569/meeting": at(2)}


def test_a_rename_keeps_the_item_and_its_publication():
    judge = FakeJudge({"signed": Version(signed=True)})
    new = "content/news/2569/meeting-renamed.md"
    record = one(read(judge, commit("a", 0, add(NEWS, "signed")), commit("b", 1, Change("R", new, "signed", NEWS))))
    assert (record.id, record.path, record.renamed_from) == ("news/2569/meeting-renamed", new, ("news/2569/meeting",))
    assert record.published_at == at(0) and record.withdrawn_at is None


def test_a_deletion_withdraws_the_item_and_takes_it_off_the_site():
    judge = FakeJudge({"signed": Version(signed=True)})
    facts = read(judge, commit("a", 0, add(NEWS, "signed")), commit("b", 5, Change("D", NEWS, "")))
    record = one(facts)
    assert (record.withdrawn_at, record.withdrawn_commit) == (at(5), "b" * 40)
    assert record.published_at == at(0)
    assert publication_times(facts) == {}


def test_an_item_moved_out_of_the_items_is_withdrawn():
    judge = FakeJudge({"signed": Version(signed=True)})
    moved = Change("R", "content/files/old.md", "signed", NEWS)  # an attachment's folder holds no items
    record = one(read(judge, commit("a", 0, add(NEWS, "signed")), commit("b", 1, moved)))
    assert (record.withdrawn_at, record.withdrawn_commit, record.published_at) == (at(1), "b" * 40, at(0))


def test_a_deleted_item_restored_is_the_same_item_again():
    judge = FakeJudge({"draft": Version(), "signed": Version(signed=True)})
    facts = read(
        judge,
        commit("a", 0, add(NEWS, "draft")),
        commit("b", 1, Change("D", NEWS, "")),
        commit("c", 2, add(NEWS, "signed")),
    )
    record = one(facts)
    assert (record.first_committed_at, record.withdrawn_at, record.published_at) == (at(0), None, at(2))


def test_an_attachment_changed_after_sign_off():
    """Published stays published at its first time; an unpublished item waits for the signed bytes."""
    other = "content/disclosures/procurement/other.md"
    judge = FakeJudge(
        {
            "signed-p1": Version(signed=True, files={"files/report.pdf": "p1"}),
            "signed-p2": Version(signed=True, files={"files/report.pdf": "p2"}),
        }
    )
    facts = read(
        judge,
        commit("a", 0, add(PDF, "p1"), add(NEWS, "signed-p1"), add(other, "signed-p2")),
        commit("b", 1, edit(PDF, "p2")),
        commit("c", 2, add("content/files/unrelated.pdf", "u")),
    )
    published, waiting = facts.items
    assert (published.path, published.published_at, published.complete_now) == (NEWS, at(0), False)
    assert (waiting.path, waiting.published_at, waiting.complete_now) == (other, at(1), True)
    assert ("content/disclosures/procurement/other.md", "signed-p2") in judge.asked
    assert judge.asked.count((other, "signed-p2")) == 3  # first seen, attachment changed, the final record


def test_an_item_published_is_not_judged_again_when_its_attachment_changes():
    judge = FakeJudge({"signed": Version(signed=True, files={"files/report.pdf": "p1"})})
    read(judge, commit("a", 0, add(PDF, "p1"), add(NEWS, "signed")), commit("b", 1, edit(PDF, "p2")))
    assert judge.asked == [(NEWS, "signed"), (NEWS, "signed")]  # at `a`, then once for the record


def test_publish_at_later_than_the_merge_is_the_published_time():
    judge = FakeJudge({"signed": Version(signed=True, publish_at="2026-11-20T18:00:00+07:00")})
    facts = read(judge, commit("a", 0, add(NEWS, "signed")))
    record = one(facts)
    assert record.publishable_at == at(0)
    assert record.publish_at == record.published_at == datetime.fromisoformat("2026-11-20T18:00:00+07:00")
    assert publication_times(facts) == {record.id: record.published_at}


def test_publish_at_earlier_than_the_merge_or_unreadable_is_the_merge():
    judge = FakeJudge(
        {
            "early": Version(signed=True, publish_at="2026-11-01T08:00:00+07:00"),
            "bad": Version(signed=True, publish_at="x"),
        }
    )
    assert one(read(judge, commit("a", 0, add(NEWS, "early")))).published_at == at(0)
    record = one(read(judge, commit("a", 0, add(NEWS, "bad"))))
    assert record.publish_at is None and record.published_at == at(0)


def test_the_rule_itself():
    assert published_at(None, at(9)) is None
    assert published_at(at(1), None) == at(1)
    assert published_at(at(1), at(2)) == at(2)
    assert published_at(at(2), at(1)) == at(2)


def test_an_urgent_item_is_published_unsigned_and_its_later_sign_offs_are_recorded():
    facts_key = ("anan.w", "facts", "2026-11-21T08:00:00+07:00")
    judge = FakeJudge(
        {"urgent": Version(urgent=True), "urgent-signed": Version(urgent=True, signed=True, approvals=(facts_key,))}
    )
    record = one(read(judge, commit("a", 0, add(NEWS, "urgent")), commit("b", 24, edit(NEWS, "urgent-signed"))))
    assert record.published_at == at(0) and record.published_urgent
    assert record.complete_now and record.urgent_now and record.versions == 2
    assert [(s.by, s.recorded_at) for s in record.signoffs] == [("anan.w", at(24))]  # after publication: flagged


def test_sign_offs_are_recorded_at_the_first_commit_that_had_them():
    facts_key = ("anan.w", "facts", "2026-11-20T08:00:00+07:00")
    check_key = ("malee.t", "check", "not a time")
    judge = FakeJudge(
        {"one": Version(approvals=(facts_key,)), "two": Version(signed=True, approvals=(facts_key, check_key))}
    )
    record = one(read(judge, commit("a", 0, add(NEWS, "one")), commit("b", 3, edit(NEWS, "two"))))
    assert [(s.by, s.at, s.recorded_at, s.current) for s in record.signoffs] == [
        ("anan.w", datetime.fromisoformat("2026-11-20T08:00:00+07:00"), at(0), True),
        ("malee.t", None, at(3), True),
    ]


def test_commit_times_going_backwards_are_recorded():
    judge = FakeJudge({"signed": Version(signed=True)})
    facts = read(judge, commit("a", 5, add(NEWS, "signed")), commit("b", 4, add("content/x.txt", "x")))
    assert [(b.sha, b.time, b.previous_sha, b.previous_time) for b in facts.backwards] == [
        ("b" * 40, at(4), "a" * 40, at(5))
    ]
    assert facts.future_commits == ()


def test_a_commit_in_the_future_is_recorded():
    judge = FakeJudge({})
    facts = read(judge, commit("a", 0, add("content/x.txt", "x")), now=at(-1))
    assert facts.future_commits == (("a" * 40, at(0)),)
    assert facts.items == ()


def test_a_version_outside_the_window_is_listed_not_judged():
    judge = FakeJudge(
        {"signed": Version(signed=True, written=datetime.fromisoformat("2026-10-20T09:00:00+07:00"))},
        window=(
            datetime.fromisoformat("2026-11-01T00:00:00+07:00"),
            datetime.fromisoformat("2026-12-01T00:00:00+07:00"),
        ),
    )
    record = one(read(judge, commit("a", 0, add(NEWS, "signed"))))
    assert record.data is None and record.published_at is None and record.versions == 0
    assert judge.asked == []


def test_a_share_judges_only_its_items_and_keeps_their_order():
    judge = FakeJudge({"signed": Version(signed=True)})
    first, second = "content/news/2569/a.md", "content/news/2569/b.md"
    commits = [commit("a", 0, add(first, "signed")), commit("b", 1, add(second, "signed"))]
    records, facts = walk(commits, judge, NOW, "refs/heads/main", owns=lambda path: path == second)
    assert [(seq, r.path) for seq, r in records] == [(1, second)]
    assert judge.asked == [(second, "signed"), (second, "signed")]
    assert facts.items == () and facts.commits == 2


def test_is_item_path():
    assert is_item_path("content/news/2569/x.md")
    assert is_item_path("content/x.md")
    assert not is_item_path("content/files/notes.md")
    assert not is_item_path("content/images/x.md")
    assert not is_item_path("content/news/2569/x.txt")
    assert not is_item_path("notes/x.md")


def test_a_file_the_item_no_longer_names_does_not_wake_it():
    judge = FakeJudge(
        {"names-a": Version(files={"files/a.pdf": "a1"}), "names-b": Version(files={"files/b.pdf": "b1"})}
    )
    record = one(
        read(
            judge,
            commit("a", 0, add(NEWS, "names-a")),
            commit("b", 1, edit(NEWS, "names-b")),
            commit("c", 2, add("content/files/a.pdf", "a2")),
            commit("d", 3, add("content/files/b.pdf", "b2")),
        )
    )
    assert record.versions == 3  # at a, at b, and at d for b.pdf; not at c
