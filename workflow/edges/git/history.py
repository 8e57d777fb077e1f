"""The main branch's history, read once: each item's publication facts, per DOMAIN.md.

The rule (first publishable first-parent commit, renames, withdrawals) is the core's
(`workflow/core/publication_history.py`); the commits come from `log.py`. This module
is the core's judge over git objects: it reads each item version's text and the
blobs of the files it names, parses it, digests it and evaluates its sign-offs with
the core, at the commit the walk is at. A version whose sign-offs would publish it
must also pass the whole publish gate as the build runs it (schema, rules, PDPA,
attachments' insides from their blobs): the build refuses anything less, so the
public could not have seen it at that commit. Links to other items (KS213, KS721)
are left out of that test: they depend on the rest of the tree, which the verdict's
key does not name.

With a `cache_dir`, what depends only on immutable git objects is kept between runs
in `history-cache.pickle` (plain data only): each item version's front matter, body
length and referenced files, keyed by (path, blob); each verdict, keyed as the walk
keys it (path, blob, blobs of the referenced files), when it holds for every later
`now`; each attachment's sha256, by blob. The file as a whole is keyed by office.yml's
bytes, Khaosan's code and the libraries: any change there and it is not read. The
blobs of cached versions are not streamed; the few still needed are read on demand.
With many fresh versions and an idle core, half the items are judged in a forked child.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import subprocess
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from workflow.core.publication_history import (
    CONTENT_PREFIX,
    Commit,
    HistoryFacts,
    ItemRecord,
    Verdict,
    walk,
    with_items,
)
from workflow.core.rules import written_at
from workflow.core.schema import Schemas
from workflow.core.signoffs import REQUIRED_STEPS, evaluate
from workflow.core.structure import Office, is_item_path
from workflow.core.thaitime import parse_time
from workflow.core.validate import Context, check_item, item_digest, parse_item
from workflow.edges.files.repository import GATE_LIBRARIES, gate_inputs, load_schemas
from workflow.edges.git.log import Blobs, Log, is_shallow, main_ref, parse_log
from workflow.edges.kept import load_kept, run_key, save_kept
from workflow.edges.parallel import fork_history, run_shares

_ZERO = "0" * 40
# `produced_at:` (news) or `requested_at:` (disclosure) at the start of a front matter line
_WRITTEN = re.compile(rb"^(produced_at|requested_at): *['\"]?([0-9][0-9T:.+\-]+)['\"]? *$", re.MULTILINE)


# ---------------------------------------------------------------- the kept cache ----

CACHE_FILE = "history-cache.pickle"
CACHE_VERSION = 3  # 2: the key and the file as edges/kept.py makes them; 3: verdicts include the gate
# Problems that depend on other items of the tree (a link or `about` to an item): not in a version's verdict
_TREE_CODES = frozenset({"KS213", "KS721"})
_FAR = timedelta(days=36525)  # "a later now": a verdict the same then as now is the same for every now between

_VerdictKey = tuple[str, str, tuple[str | None, ...]]


@dataclass
class Kept:
    """Entries as stored: plain tuples, dicts and text only (times as ISO 8601 text).

    parsed: (path, blob) -> (front matter, body length, referenced files), or None: not an item
    verdicts: walk key -> (*Verdict fields, ISO time of the `now` it holds from, or None: any now)
    sha256: blob -> hex digest
    """

    parsed: dict[tuple[str, str], Any] = field(default_factory=dict)
    verdicts: dict[_VerdictKey, tuple[Any, ...]] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    added: bool = False  # something not in the file it was loaded from

    def update(self, other: Kept) -> None:
        self.parsed.update(other.parsed)
        self.verdicts.update(other.verdicts)
        self.sha256.update(other.sha256)
        self.added = self.added or other.added

    def delta(self, base: Kept) -> tuple[Any, ...]:
        """These entries as a forked child sends them: new ones whole, those taken from `base` by key only."""
        out: list[Any] = []
        for mine, theirs in ((self.parsed, base.parsed), (self.verdicts, base.verdicts), (self.sha256, base.sha256)):
            new = {k: v for k, v in mine.items() if theirs.get(k, _ABSENT) is not v}
            out.append((new, [k for k in mine if k not in new]))
        return (*out, self.added)

    @classmethod
    def from_delta(cls, delta: tuple[Any, ...], base: Kept) -> Kept:
        (parsed, p_keys), (verdicts, v_keys), (sha256, s_keys), added = delta
        return cls(
            {**{k: base.parsed[k] for k in p_keys}, **parsed},
            {**{k: base.verdicts[k] for k in v_keys}, **verdicts},
            {**{k: base.sha256[k] for k in s_keys}, **sha256},
            added,
        )


_ABSENT = object()


def cache_key(root: Path) -> str | None:
    """One digest of everything an entry depends on besides its git objects: what the gate's verdicts
    depend on (`gate_inputs`: office.yml, the schemas, the OIT lists); None without office.yml."""
    try:
        office_raw = (root / "office.yml").read_bytes()
    except OSError:
        return None
    return run_key("history", CACHE_VERSION, GATE_LIBRARIES, gate_inputs(root, office_raw))


def _kept_in(parsed: Any, verdicts: Any, sha256: Any) -> Kept:
    if not all(isinstance(d, dict) for d in (parsed, verdicts, sha256)):
        raise ValueError("not the history cache")
    return Kept(parsed, verdicts, sha256)


def load_cache(path: Path, key: str) -> Kept:
    """The entries of the cache file when it was written for this exact `key`; else none."""
    return load_kept(path, CACHE_VERSION, key, _kept_in) or Kept()


def save_cache(path: Path, key: str, kept: Kept) -> None:
    save_kept(path, CACHE_VERSION, key, kept.parsed, kept.verdicts, kept.sha256)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> bool:
    """Plain YAML data only (what the front matter loader makes): safe to store and to load back."""
    stack = [value]
    while stack:
        here = stack.pop()
        kind = type(here)
        if kind is dict:
            if any(type(k) is not str for k in here):
                return False
            stack.extend(here.values())
        elif kind is list:
            stack.extend(here)
        elif kind not in _SCALARS:
            return False
    return True


def _summary_in(stored: Any) -> tuple[dict[str, Any], int, tuple[str, ...]] | None:
    """A stored parse entry, its shape checked: anything else raises."""
    if stored is None:
        return None
    data, body_chars, refs = stored  # the file holds no class (PlainUnpickler): its data was plain when stored
    if not (
        type(data) is dict and type(body_chars) is int and type(refs) is tuple and all(type(r) is str for r in refs)
    ):
        raise ValueError("not a history cache entry")
    return data, body_chars, refs


def _verdict_in(stored: Any, now: datetime) -> Verdict | None:
    """A stored verdict when it holds at `now`; None when it does not; anything malformed raises."""
    *values, since = stored
    parsed, publishable, complete, urgent, refs, approvals, publish_at = values
    if not (
        all(type(b) is bool for b in (parsed, publishable, complete, urgent))
        and type(refs) is tuple
        and all(type(r) is str for r in refs)
        and type(approvals) is tuple
        and all(type(a) is tuple and len(a) == 3 and all(type(x) is str for x in a) for a in approvals)
        and (publish_at is None or type(publish_at) is str)
        and (since is None or type(since) is str)
    ):
        raise ValueError("not a history cache entry")
    if since is not None and now < datetime.fromisoformat(since):
        return None
    return Verdict(parsed, publishable, complete, urgent, refs, approvals, publish_at)


def _approval_key(approval: dict[str, Any]) -> tuple[str, str, str]:
    return (str(approval.get("by", "")), str(approval.get("step", "")), str(approval.get("at", "")))


def _item_refs(item: Any) -> tuple[str, ...]:
    """The files a verdict depends on: those the item names, for items with sign-offs."""
    from workflow.core.digest import referenced_files

    if item is None or item.kind not in REQUIRED_STEPS:
        return ()
    return tuple(referenced_files(item.data, item.body))


def _named_blobs(tree: Mapping[str, str], refs: tuple[str, ...]) -> tuple[str | None, ...]:
    """The blobs of the files an item names, as the tree has them (None: missing)."""
    return tuple(tree.get(CONTENT_PREFIX + r) for r in refs)


class _BlobJudge:
    """The core's `Judge` over git blobs: parses, digests and sign-off verdicts, remembered and kept."""

    def __init__(
        self,
        root: Path,
        office: Office,
        now: datetime,
        window: tuple[datetime, datetime] | None = None,
        kept: Kept | None = None,
    ) -> None:
        self.root, self.office, self.now, self.window = root, office, now, window
        self.blobs = Blobs(root)
        self.inspected: dict[str, Any] = {}
        self.schemas: Schemas | None = (
            None  # loaded when a version first reaches the gate  # attachment blob -> what the gate found inside
        )
        self.sha256: dict[str, str | None] = {}
        self.verdicts: dict[_VerdictKey, Verdict] = {}
        self.parsed: dict[tuple[str, str], Any] = {}
        self.refs: dict[tuple[str, str], tuple[str, ...]] = {}  # of parsed versions
        self.kept = kept  # loaded from the cache file (None: no cache)
        self.seen = Kept()  # entries used or made in this run: what the file keeps next
        self.later: datetime | None = None  # a far later now: verdicts the same at both are kept
        if kept is not None:
            with contextlib.suppress(OverflowError):  # no later now: no evaluated verdict is kept
                self.later = now + _FAR

    def file_hash(self, ref: str, tree: Mapping[str, str]) -> str | None:
        blob = tree.get(CONTENT_PREFIX + ref)
        if blob is None:
            return None
        if blob not in self.sha256:
            stored = self.kept.sha256.get(blob) if self.kept is not None else None
            if type(stored) is str:
                self.sha256[blob] = self.seen.sha256[blob] = stored
            else:
                data = self.blobs.get(blob)
                digest = self.sha256[blob] = hashlib.sha256(data).hexdigest() if data is not None else None
                if digest is not None and self.kept is not None:
                    self.seen.sha256[blob] = digest
                    self.seen.added = True
        return self.sha256[blob]

    def summary(self, path: str, blob: str) -> tuple[dict[str, Any], int] | None:
        """Front matter and body length of this version (None: not an item), kept or parsed."""
        found = self._summary(path, blob)
        return None if found is None else (found[0], found[1])

    def _summary(self, path: str, blob: str) -> tuple[dict[str, Any], int, tuple[str, ...]] | None:
        """Front matter, body length and verdict refs of this version (None: not an item), kept or parsed."""
        key = (path, blob)
        if self.kept is not None and key in self.kept.parsed:
            try:
                found = _summary_in(self.kept.parsed[key])
                self.seen.parsed[key] = self.kept.parsed[key]
                return found
            except (TypeError, ValueError):
                pass
        item = self.parse(path, blob)
        return None if item is None else (item.data, len(item.body), self.item_refs(path, blob, item))

    def item_refs(self, path: str, blob: str, item: Any) -> tuple[str, ...]:
        key = (path, blob)
        if key not in self.refs:
            self.refs[key] = _item_refs(item)
        return self.refs[key]

    def cached(self, path: str, blob: str) -> bool:
        """Whether this version's parse is kept (its blob need not be streamed)."""
        return self.kept is not None and (path, blob) in self.kept.parsed

    def outside(self, blob: str) -> bool:
        """Whether this version's production or request time lies outside the window (cheap: no YAML)."""
        if self.window is None:
            return False
        raw = self.blobs.get(blob)
        if raw is None:
            return False
        end = raw.find(b"\n---", 3)
        found = _WRITTEN.search(raw, 0, end if end > 0 else len(raw))
        if found is None:
            return False
        try:
            moment = parse_time(found.group(2).decode("ascii"))
        except (ValueError, UnicodeDecodeError):
            return False
        return not self.window[0] <= moment < self.window[1]

    def parse(self, path: str, blob: str) -> Any:
        key = (path, blob)
        if key not in self.parsed:
            raw = self.blobs.get(blob)
            item = self.parsed[key] = parse_item(path, raw)[0] if raw is not None else None
            if self.kept is not None and raw is not None and (item is None or _plain(item.data)):
                self.seen.parsed[key] = (
                    None if item is None else (item.data, len(item.body), self.item_refs(path, blob, item))
                )
                self.seen.added = self.seen.added or key not in self.kept.parsed
        return self.parsed[key]

    def verdict(self, path: str, blob: str, tree: Mapping[str, str], named: tuple[str, ...]) -> Verdict:
        key = (path, blob, _named_blobs(tree, named))
        found = self.verdicts.get(key)
        if found is not None:
            return found
        if self.kept is not None:
            found = self._kept_verdict(path, blob, tree)
            if found is not None:
                return found
        nows = (self.now,) if self.later is None else (self.now, self.later)
        found, *later = self._evaluate(path, blob, tree, nows)
        if found.refs != named:  # the key must name the refs the item really has
            key = (path, blob, _named_blobs(tree, found.refs))
        self.verdicts[key] = found
        if self.kept is not None:
            since: str | None = None  # the evaluated verdicts depend on now through "not in the future"
            if found.parsed and found.approvals:
                if later != [found]:
                    return found  # an approval dated after now: evaluated again every run
                since = self.now.isoformat()
            self.seen.verdicts[key] = (
                found.parsed,
                found.publishable,
                found.complete,
                found.urgent,
                found.refs,
                found.approvals,
                found.publish_at,
                since,
            )
            self.seen.added = True
        return found

    def _kept_verdict(self, path: str, blob: str, tree: Mapping[str, str]) -> Verdict | None:
        """The stored verdict for this version and the current blobs of the files it names."""
        assert self.kept is not None
        if (path, blob) not in self.kept.parsed:
            return None
        try:
            summary = _summary_in(self.kept.parsed[path, blob])
        except (TypeError, ValueError):
            return None
        refs = summary[2] if summary is not None else ()
        key = (path, blob, _named_blobs(tree, refs))
        stored = self.kept.verdicts.get(key)
        if stored is None:
            return None
        try:
            found = _verdict_in(stored, self.now)
        except (TypeError, ValueError):
            return None
        if found is None or found.refs != refs:
            return None
        self.verdicts[key] = found
        self.seen.verdicts[key] = stored
        self.seen.parsed[path, blob] = self.kept.parsed[path, blob]
        for ref_blob in key[2]:  # the digests a later version of the item will want again
            if ref_blob is not None and ref_blob in self.kept.sha256:
                self.seen.sha256[ref_blob] = self.kept.sha256[ref_blob]
        return found

    def _evaluate(self, path: str, blob: str, tree: Mapping[str, str], nows: tuple[datetime, ...]) -> list[Verdict]:
        """The verdict on this version at each of `nows` (the text and digest read once)."""
        item = self.parse(path, blob)
        if item is None or item.kind not in REQUIRED_STEPS:
            return [Verdict(False, False, False, False, (), (), None)] * len(nows)
        if not isinstance(item.data.get("urgent"), dict) and not set(REQUIRED_STEPS[item.kind]) <= {
            a.get("step") for a in item.approvals if isinstance(a, dict)
        }:  # a step not even recorded
            return [Verdict(True, False, False, False, self.item_refs(path, blob, item), (), None)] * len(nows)
        item_refs = self.item_refs(path, blob, item)
        digest, written = item_digest(item, lambda ref: self.file_hash(ref, tree)), written_at(item)
        approvals = tuple(_approval_key(a) for a in item.approvals if isinstance(a, dict))
        publish_at = item.data.get("publish_at")
        found = []
        gated: bool | None = None  # the whole gate, asked once and only of a version its sign-offs would publish
        for now in nows:
            signoffs = evaluate(item, self.office, digest, now=now, publish=False, written_at=written)
            if signoffs.publishable and gated is None:
                gated = self.passes_gate(path, blob, tree)
            found.append(
                Verdict(
                    True,
                    signoffs.publishable and bool(gated),
                    signoffs.complete,
                    signoffs.urgent,
                    item_refs,
                    approvals,
                    publish_at if isinstance(publish_at, str) else None,
                )
            )
        return found

    def passes_gate(self, path: str, blob: str, tree: Mapping[str, str]) -> bool:
        """Whether this version passes the publish gate as `khaosan build` runs it, with the tree's files."""
        from workflow.edges.files.attachments import inspect_bytes

        def inspect(ref: str) -> Any:
            ref_blob = tree.get(CONTENT_PREFIX + ref)
            if ref_blob is None:
                return None
            if ref_blob not in self.inspected:
                data = self.blobs.get(ref_blob)
                self.inspected[ref_blob] = None if data is None else inspect_bytes(data, ref, self.office.attachments)
            found = self.inspected[ref_blob]
            return found if found is None or found.ref == ref else replace(found, ref=ref)

        raw = self.blobs.get(blob)
        if raw is None:
            return False
        if self.schemas is None:
            self.schemas = load_schemas(self.root)
        ctx = Context(
            self.office,
            self.schemas,
            self.now,
            lambda ref: self.file_hash(ref, tree),
            safety=True,
            inspect=inspect,
        )
        result = check_item(path, raw, ctx)
        return not any(p.severity == "error" and p.code not in _TREE_CODES for p in result.problems)


def read_history(
    root: Path,
    office: Office,
    *,
    now: datetime,
    ref: str | None = None,
    window: tuple[datetime, datetime] | None = None,
    log: Log | None = None,
    cache_dir: Path | None = None,
) -> HistoryFacts:
    """Every item ever on the main branch's first-parent line, with its publication facts.

    With `window`, news and disclosures whose latest `produced_at` / `requested_at` lies
    outside [start, end) are listed without evaluation (their `data` is None): a
    period's figures never look at them, and the yearly report reads a fraction of them.

    With `cache_dir`, parses, verdicts and attachment digests of earlier runs are read from
    `cache_dir/history-cache.pickle` and the file is rewritten when this run added any.
    """
    log = log or Log(root, ref)
    key = cache_key(root) if cache_dir is not None else None
    kept = load_cache(cache_dir / CACHE_FILE, key) if cache_dir is not None and key is not None else None
    commits = list(parse_log(log.result()))
    if fork_history(len(commits), None if kept is None else lambda: _fresh(commits, kept)):
        facts, seen = _walk_forked(commits, root, office, now, window, log.ref, kept)
    else:
        records, facts, seen = _walk_share(commits, root, office, now, window, log.ref, (0, 1), kept)
        facts = with_items(facts, [r for _, r in records])
    if cache_dir is not None and key is not None and seen.added:
        save_cache(cache_dir / CACHE_FILE, key, seen)
    return facts


def main_history(root: Path, office: Office, *, now: datetime, cache_dir: Path | None = None) -> HistoryFacts | None:
    """The main branch's history of `root`, or None where `root` is not a git repository's top
    with its whole history (a tarball, a copy, a shallow clone): callers then say so and fall back."""
    top = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False
    )
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != root.resolve():
        return None
    if (
        subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--verify", "-q", main_ref(root)], capture_output=True, check=False
        ).returncode
        != 0
    ):
        return None
    if is_shallow(root):  # a cut history would date every item at the cut
        return None
    return read_history(root, office, now=now, cache_dir=cache_dir)


def _fresh(commits: list[Commit], kept: Kept) -> int:
    """Item versions whose text the cache does not hold: the work a second process would share."""
    return sum(
        1
        for commit in commits
        for c in commit.changes
        if c.blob and c.blob != _ZERO and is_item_path(c.path) and (c.path, c.blob) not in kept.parsed
    )


def _share_of(path: str, jobs: int) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogateescape")) % jobs


def _walk_share(
    commits: list[Commit],
    root: Path,
    office: Office,
    now: datetime,
    window: tuple[datetime, datetime] | None,
    ref: str,
    share: tuple[int, int],
    kept: Kept | None = None,
) -> tuple[list[tuple[int, ItemRecord]], HistoryFacts, Kept]:
    """Walk every commit; evaluate only the items of this share (by the hash of their first path).

    Also returns the cache entries this share used or made (plain data: a forked child sends them back)."""
    judge = _BlobJudge(root, office, now, window, kept)
    # versions whose parse and some verdict are kept need no text, unless a window asks for their dates
    known = {(k[0], k[1]) for k in kept.verdicts} if kept is not None and window is None else set()
    hashed = kept.sha256 if kept is not None else {}
    items, assets = [], []
    for commit in commits:
        for c in commit.changes:
            if c.blob and c.blob != _ZERO:
                if not is_item_path(c.path):
                    if c.blob not in hashed:
                        assets.append((c.path, c.blob))
                elif _share_of(c.path, share[1]) == share[0] and not (
                    (c.path, c.blob) in known and judge.cached(c.path, c.blob)
                ):
                    items.append(c.blob)  # a renamed item's later texts may be the other share's: read on demand
    if not items and kept is not None:  # every version known: only files a kept version names may be wanted
        with contextlib.suppress(TypeError, ValueError):  # a malformed entry: read them all, as when cold
            named = {
                CONTENT_PREFIX + ref
                for entry in kept.parsed.values()
                if (found := _summary_in(entry))
                for ref in found[2]
            }
            assets = [(path, blob) for path, blob in assets if path in named]
    judge.blobs.stream(items + judge.blobs.small([blob for _, blob in assets]))
    try:
        records, facts = walk(commits, judge, now, ref, owns=lambda path: _share_of(path, share[1]) == share[0])
        return records, facts, judge.seen
    finally:
        judge.blobs.close()


def _walk_forked(
    commits: list[Commit],
    root: Path,
    office: Office,
    now: datetime,
    window: tuple[datetime, datetime] | None,
    ref: str,
    kept: Kept | None = None,
) -> tuple[HistoryFacts, Kept]:
    """Half the items evaluated in a forked child (the YAML, digests and sign-offs are most of the time).

    The child inherits the loaded cache; it sends back its records, its new cache entries as
    plain data and the keys of those it took from the cache."""
    base = kept if kept is not None else Kept()

    def theirs_share() -> tuple[list[tuple[int, ItemRecord]], tuple[Any, ...]]:
        records, _, seen = _walk_share(commits, root, office, now, window, ref, (1, 2), kept)
        return records, seen.delta(base)

    (mine, facts, seen), (theirs, their_seen) = run_shares(
        [lambda: _walk_share(commits, root, office, now, window, ref, (0, 2), kept), theirs_share]
    )
    seen.update(Kept.from_delta(their_seen, base))
    merged = sorted(mine + theirs, key=lambda pair: pair[0])
    return with_items(facts, [r for _, r in merged]), seen
