"""When each item was published, withdrawn and renamed: the rule of DOMAIN.md, on commit records.

Pure: the edge (`workflow/edges/git/log.py`) hands in the main branch's first-parent
commits, oldest first, each with its committer time and the files it changed; a
`Judge` (the edge's, over git blobs; a fake in the unit tests) says what one version
of an item is worth given the files of the tree at that commit. This module walks
the commits and keeps each item's identity across renames.

An item is published at the committer time of the first first-parent commit in
which it is present and publishable (all required sign-offs on the text and files
*at that commit*, or marked urgent), or at its `publish_at` if later. A rename
keeps the item; a deletion (or a move out of `content/`) withdraws it at that commit.
An item is judged again only while it is unpublished, when it or a file it names changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from workflow.core.earlier import earlier_published
from workflow.core.structure import is_item_path, item_id_for
from workflow.core.thaitime import parse_time

CONTENT_PREFIX = "content/"  # an item names its files relative to this folder


# ---------------------------------------------------------------- commits in ----


@dataclass(frozen=True)
class Change:
    status: str  # A M D R C T
    path: str  # the path after the change (before, for D)
    blob: str  # the blob after the change ("" for D)
    old_path: str | None = None  # R and C

    @property
    def moved_from(self) -> str | None:
        """The path a rename moved the file from (a copy leaves its source where it was)."""
        return self.old_path if self.status == "R" else None


@dataclass(frozen=True)
class Commit:
    sha: str
    time: datetime  # committer time
    changes: tuple[Change, ...]


# ---------------------------------------------------------------- the judge ----

ApprovalKey = tuple[str, str, str]  # (by, step, at) as written in the item


@dataclass(frozen=True)
class Verdict:
    """What one version of an item is worth, with the tree's files as they were."""

    parsed: bool  # an item with sign-offs at all
    publishable: bool  # all required sign-offs current, or urgent
    complete: bool  # all required sign-offs current
    urgent: bool
    refs: tuple[str, ...]  # files (relative to content/) the verdict depends on
    approvals: tuple[ApprovalKey, ...]
    publish_at: str | None  # as written


class Judge(Protocol):
    """Reads the item versions the walk asks about (the edge reads git blobs)."""

    def verdict(self, path: str, blob: str, tree: Mapping[str, str], named: tuple[str, ...]) -> Verdict:
        """The version `blob` of the item at `path`, with `tree` (path -> blob) the files at that commit.

        `named` are the files the item's previous verdict named: a hint to find a remembered verdict."""
        ...

    def outside(self, blob: str) -> bool:
        """Whether this version lies outside the period asked for: listed, never judged."""
        ...

    def summary(self, path: str, blob: str) -> tuple[dict[str, Any], int] | None:
        """Front matter and body length of this version; None when it is not readable as an item."""
        ...


# ---------------------------------------------------------------- facts out ----


def published_at(
    publishable_at: datetime | None, publish_at: datetime | None, earlier: datetime | None = None
) -> datetime | None:
    """THE publication time (DOMAIN.md): the first publishable commit, or its `publish_at` if later;
    for an item from before Khaosan (core/earlier.py) the time it went public on the earlier website."""
    if publishable_at is None:
        return None
    if earlier is not None:
        return earlier
    if publish_at is not None and publish_at > publishable_at:
        return publish_at
    return publishable_at


@dataclass(frozen=True)
class SignoffRecord:
    by: str
    step: str
    at: datetime | None  # as written in the approval
    recorded_at: datetime  # committer time of the first first-parent commit that had it
    current: bool  # still in the item's latest version


@dataclass(frozen=True)
class ItemRecord:
    """One item's life on the main branch's first-parent line, as git tells it."""

    id: str
    path: str
    data: dict[str, Any] | None  # front matter of the latest version (None: unreadable)
    first_committed_at: datetime
    first_commit: str
    publishable_at: datetime | None  # first commit present with all sign-offs or urgent
    published_commit: str | None
    publish_at: datetime | None  # `publish_at` of the version published
    published_urgent: bool  # published while not fully signed
    complete_now: bool  # latest version fully signed (digests current)
    urgent_now: bool
    withdrawn_at: datetime | None = None  # deleted at this commit
    withdrawn_commit: str | None = None
    renamed_from: tuple[str, ...] = ()
    corrected_at: datetime | None = None  # corrected after publication and signed again
    signoffs: tuple[SignoffRecord, ...] = ()
    versions: int = 0
    body_chars: int = 0

    @property
    def kind(self) -> str:
        return str((self.data or {}).get("type", ""))

    @property
    def published_at(self) -> datetime | None:
        return published_at(self.publishable_at, self.publish_at, self.earlier_published_at)

    @property
    def earlier_published_at(self) -> datetime | None:
        """Published on the office's earlier website, before Khaosan (reported apart, never late)."""
        return earlier_published(self.data)


@dataclass(frozen=True)
class Backwards:
    sha: str
    time: datetime
    previous_sha: str
    previous_time: datetime


@dataclass(frozen=True)
class HistoryFacts:
    ref: str
    commits: int
    head: str | None
    items: tuple[ItemRecord, ...]
    backwards: tuple[Backwards, ...] = ()
    future_commits: tuple[tuple[str, datetime], ...] = ()


def correction_times(facts: HistoryFacts) -> dict[str, datetime]:
    """Item id -> when its content was last corrected and signed again after publication."""
    return {r.id: r.corrected_at for r in facts.items if r.corrected_at is not None and r.withdrawn_at is None}


def publication_times(facts: HistoryFacts) -> dict[str, datetime]:
    """Item id -> when it was published, for the items still on main (what the site dates its pages by)."""
    times: dict[str, datetime] = {}
    for record in facts.items:
        when = record.published_at
        if when is not None and record.withdrawn_at is None:
            times[record.id] = when
    return times


def with_items(facts: HistoryFacts, records: list[ItemRecord]) -> HistoryFacts:
    """These facts with the item records of every share of the walk."""
    return HistoryFacts(
        ref=facts.ref,
        commits=facts.commits,
        head=facts.head,
        items=tuple(records),
        backwards=facts.backwards,
        future_commits=facts.future_commits,
    )


# ---------------------------------------------------------------- the walk ----


@dataclass
class _Track:
    """One item's identity across renames, while the walk goes on."""

    path: str
    first_at: datetime
    first_sha: str
    seq: int = 0  # order of first appearance: the same in every process
    own: bool = True  # judged by this walk
    blob: str = ""
    paths: list[str] = field(default_factory=list)
    published_at: datetime | None = None  # commit time of the first publishable version
    published_sha: str | None = None
    published_urgent: bool = False  # publishable only because urgent
    publish_at: str | None = None  # of the version that was published
    published_keys: frozenset[ApprovalKey] = frozenset()  # the sign-offs of the version that was published
    corrected_at: datetime | None = None  # the latest version signed again after publication
    deleted_at: datetime | None = None
    deleted_sha: str | None = None
    refs: tuple[str, ...] = ()
    recorded: dict[ApprovalKey, datetime] = field(default_factory=dict)
    versions: int = 0


def _everyone(path: str) -> bool:
    return True


@dataclass
class _Walk:
    """The state of the walk: the tree's files, the items alive and gone, who watches which file."""

    judge: Judge
    now: datetime
    owns: Callable[[str], bool]
    tree: dict[str, str] = field(default_factory=dict)  # path -> blob, for every file under content/
    live: dict[str, _Track] = field(default_factory=dict)
    gone: dict[str, _Track] = field(default_factory=dict)
    tracks: list[_Track] = field(default_factory=list)
    watchers: dict[str, dict[int, _Track]] = field(default_factory=dict)  # content/<ref> -> unpublished tracks
    backwards: list[Backwards] = field(default_factory=list)
    future: list[tuple[str, datetime]] = field(default_factory=list)

    def clock(self, commit: Commit, previous: Commit | None) -> None:
        """Record a committer time earlier than the commit before it, or later than now."""
        if previous is not None and commit.time < previous.time:
            self.backwards.append(Backwards(commit.sha, commit.time, previous.sha, previous.time))
        if commit.time > self.now:
            self.future.append((commit.sha, commit.time))

    def apply(self, commit: Commit) -> dict[int, _Track]:
        """The commit's changes applied to the tree; the tracks they touch (their item or a file they name)."""
        touched: dict[int, _Track] = {}
        for change in commit.changes:
            if change.status == "D":
                self._delete(change.path, commit)
            else:
                self._write(change, commit, touched)
            for path in (change.path, change.old_path):
                if path is not None and path in self.watchers:
                    touched.update(self.watchers[path])
        return touched

    def _delete(self, path: str, commit: Commit) -> None:
        self.tree.pop(path, None)
        track = self.live.pop(path, None)
        if track is not None:
            track.deleted_at, track.deleted_sha = commit.time, commit.sha
            self.gone[path] = track

    def _write(self, change: Change, commit: Commit, touched: dict[int, _Track]) -> None:
        moved_from = change.moved_from
        if moved_from is not None:
            self.tree.pop(moved_from, None)
        self.tree[change.path] = change.blob
        if is_item_path(change.path):
            track = self._version(change, commit)
            touched[track.seq] = track
        elif moved_from is not None and moved_from in self.live:
            track = self.live.pop(moved_from)  # moved out of content/: withdrawn
            track.deleted_at, track.deleted_sha = commit.time, commit.sha

    def _version(self, change: Change, commit: Commit) -> _Track:
        """The item this change writes: renamed, alive, back from deletion, or new."""
        track = self.live.pop(change.moved_from, None) if change.moved_from is not None else None
        if track is None:
            track = self.live.get(change.path) or self.gone.pop(change.path, None)
        if track is None:
            own = self.owns(change.path)
            track = _Track(change.path, commit.time, commit.sha, seq=len(self.tracks), own=own)
            self.tracks.append(track)
        elif track.path != change.path:
            track.paths.append(track.path)
            track.path = change.path
        track.deleted_at = track.deleted_sha = None
        self.live[change.path] = track
        track.blob = change.blob
        return track

    def judge_version(self, track: _Track, commit: Commit) -> None:
        """Judge the track's current version at this commit; the first publishable one publishes it."""
        if not track.own or track.deleted_at is not None or self.live.get(track.path) is not track:
            return
        if self.judge.outside(track.blob):
            return
        track.versions += 1
        verdict = self.judge.verdict(track.path, track.blob, self.tree, track.refs)
        for key in verdict.approvals:
            track.recorded.setdefault(key, commit.time)
        for old in track.refs:
            self.watchers.get(CONTENT_PREFIX + old, {}).pop(track.seq, None)
        track.refs = verdict.refs
        if track.published_at is None and verdict.publishable:
            track.published_at, track.published_sha = commit.time, commit.sha
            track.published_urgent = not verdict.complete
            track.publish_at = verdict.publish_at
            track.published_keys = frozenset(verdict.approvals)
        elif _a_correction(track, verdict):
            track.corrected_at = commit.time
        if track.published_at is None:
            for new in track.refs:
                self.watchers.setdefault(CONTENT_PREFIX + new, {})[track.seq] = track


def _a_correction(track: _Track, verdict: Verdict) -> bool:
    """A version of an item published fully signed, itself fully signed again with new sign-offs: the
    content was corrected after publication and signed anew (a late sign-off is the urgent case)."""
    return (
        track.published_at is not None
        and not track.published_urgent
        and verdict.complete
        and not set(verdict.approvals) <= track.published_keys
    )


def walk(
    commits: list[Commit], judge: Judge, now: datetime, ref: str, owns: Callable[[str], bool] = _everyone
) -> tuple[list[tuple[int, ItemRecord]], HistoryFacts]:
    """Every item on this first-parent line, with its publication facts (the facts' `items` left empty).

    `owns(first path)` says which items this walk judges (a share of the work); each record
    comes with its order of first appearance, the same in every share, to merge them back."""
    state = _Walk(judge, now, owns)
    previous: Commit | None = None
    for commit in commits:
        state.clock(commit, previous)
        previous = commit
        for track in state.apply(commit).values():
            state.judge_version(track, commit)
    records = [(t.seq, _record(t, judge, state.tree)) for t in state.tracks if t.own]
    return records, HistoryFacts(
        ref=ref,
        commits=len(commits),
        head=commits[-1].sha if commits else None,
        items=(),
        backwards=tuple(state.backwards),
        future_commits=tuple(state.future),
    )


def history_facts(commits: list[Commit], judge: Judge, now: datetime, ref: str) -> HistoryFacts:
    """Every item on this first-parent line with its publication facts, judged in one walk."""
    records, facts = walk(commits, judge, now, ref)
    return with_items(facts, [r for _, r in records])


# ---------------------------------------------------------------- records ----


def _time_or_none(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return parse_time(text)
    except ValueError:
        return None


def _signoffs(track: _Track, verdict: Verdict) -> tuple[SignoffRecord, ...]:
    """Every approval the item ever had on main, in the order it was recorded."""
    ordered = sorted(track.recorded.items(), key=lambda kv: kv[1])
    return tuple(
        SignoffRecord(key[0], key[1], _time_or_none(key[2]), recorded_at, key in verdict.approvals)
        for key, recorded_at in ordered
    )


def _record(track: _Track, judge: Judge, tree: Mapping[str, str]) -> ItemRecord:
    item_id = item_id_for(track.path) or track.path
    renamed_from = tuple(item_id_for(p) or p for p in track.paths)
    if judge.outside(track.blob):  # listed, not judged: no period asked for it
        return ItemRecord(
            id=item_id,
            path=track.path,
            data=None,
            first_committed_at=track.first_at,
            first_commit=track.first_sha,
            publishable_at=None,
            published_commit=None,
            publish_at=None,
            published_urgent=False,
            complete_now=False,
            urgent_now=False,
            withdrawn_at=track.deleted_at,
            withdrawn_commit=track.deleted_sha,
            renamed_from=renamed_from,
        )
    summary = judge.summary(track.path, track.blob)
    verdict = judge.verdict(track.path, track.blob, tree, track.refs)
    return ItemRecord(
        id=item_id,
        path=track.path,
        data=summary[0] if summary is not None else None,
        body_chars=summary[1] if summary is not None else 0,
        first_committed_at=track.first_at,
        first_commit=track.first_sha,
        publishable_at=track.published_at,
        published_commit=track.published_sha,
        publish_at=_time_or_none(track.publish_at),
        published_urgent=track.published_urgent,
        complete_now=verdict.complete,
        urgent_now=verdict.urgent,
        withdrawn_at=track.deleted_at,
        withdrawn_commit=track.deleted_sha,
        renamed_from=renamed_from,
        corrected_at=track.corrected_at,
        signoffs=_signoffs(track, verdict),
        versions=track.versions,
    )
