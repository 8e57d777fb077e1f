"""The main branch's history, read once: when each item was published, per DOMAIN.md.

One `git log --first-parent --reverse -z --raw -M --diff-merges=first-parent`
stream gives, oldest first, every commit on the first-parent line of the main
branch with its committer time and the files it changed (status, blob ids,
renames). Merges are diffed against their first parent, so a branch's commits
count only when they reach main, at the merge's committer time. The item
texts of those versions come from one `git cat-file --batch` call; referenced
attachments and images are read from the same batch process when an item
needs them for its digest. Nothing is walked per file.

An item is published at the committer time of the first first-parent commit in
which it is present with all required sign-offs (evaluated by the core on the
text and files *at that commit*) or marked urgent, or at its `publish_at` if
later. A rename keeps the item; a deletion withdraws it at that commit.

With a `cache_dir`, what depends only on immutable git objects is kept between runs
in `history-cache.pickle` (plain data only): each item version's front matter, body
length and referenced files, keyed by (path, blob); each verdict, keyed as the walk
keys it (path, blob, blobs of the referenced files), when it holds for every later
`now`; each attachment's sha256, by blob. The file as a whole is keyed by office.yml's
bytes, Khaosan's code and the libraries: any change there and it is not read. The
blobs of cached versions are not streamed; the few still needed are read on demand.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import pickle
import re
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from workflow.core.metrics import Backwards, HistoryFacts, ItemRecord, SignoffRecord
from workflow.core.rules import written_at
from workflow.core.signoffs import REQUIRED_STEPS, evaluate
from workflow.core.structure import Office, item_id_for
from workflow.core.thaitime import BANGKOK, parse_time
from workflow.core.validate import item_digest, parse_item
from workflow.edges.files.atomic import write_file
from workflow.edges.kept import PlainUnpickler, code_digest, library_versions
from workflow.edges.parallel import run_shares
from workflow.errors import KhaosanError

CONTENT_PREFIX = "content/"
_ASSET_PREFIXES = ("content/files/", "content/images/")
_ZERO = "0" * 40
# `produced_at:` (news) or `requested_at:` (disclosure) at the start of a front matter line
_WRITTEN = re.compile(rb"^(produced_at|requested_at): *['\"]?([0-9][0-9T:.+\-]+)['\"]? *$", re.MULTILINE)


def _is_item(path: str) -> bool:
    return path.startswith(CONTENT_PREFIX) and path.endswith(".md") and not path.startswith(_ASSET_PREFIXES)


@dataclass(frozen=True)
class Change:
    status: str  # A M D R C T
    path: str  # the path after the change (before, for D)
    blob: str  # the blob after the change ("" for D)
    old_path: str | None = None  # R and C


@dataclass(frozen=True)
class Commit:
    sha: str
    time: datetime
    changes: tuple[Change, ...]


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise KhaosanError("KS502", "ไม่พบโปรแกรม git", "ติดตั้ง git แล้วสั่งอีกครั้ง") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise KhaosanError(
            "KS502",
            f"อ่านประวัติจาก git ไม่ได้: {message[-1] if message else 'git ' + args[0]}",
            "สั่งคำสั่งนี้ในคลังข้อมูลที่เป็น git และมีการ commit แล้ว",
        )
    return done.stdout


def main_ref(root: Path) -> str:
    """The main branch: `main`, else `master`, else whatever HEAD is."""
    for ref in ("refs/heads/main", "refs/heads/master"):
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--verify", "-q", ref], capture_output=True, check=False
        )
        if done.returncode == 0:
            return ref
    return "HEAD"


def parse_log(raw: bytes) -> Iterator[Commit]:
    """Records from `git log -z --raw --format=%x01%H %ct` output."""
    for chunk in raw.split(b"\x01")[1:]:
        tokens = chunk.split(b"\0")
        head = tokens[0].decode("ascii").split()
        sha, stamp = head[0], int(head[1])
        changes: list[Change] = []
        index = 1
        while index < len(tokens):
            meta = tokens[index].lstrip(b"\n")
            if not meta.startswith(b":"):
                index += 1
                continue
            fields = meta[1:].decode("ascii").split()
            status, blob = fields[4], fields[3]
            if status[0] in "RC":
                old, new = (
                    tokens[index + 1].decode("utf-8", "surrogateescape"),
                    tokens[index + 2].decode("utf-8", "surrogateescape"),
                )
                changes.append(Change(status[0], new, blob, old))
                index += 3
            else:
                path = tokens[index + 1].decode("utf-8", "surrogateescape")
                changes.append(Change(status[0], path, "" if status[0] == "D" else blob))
                index += 2
        yield Commit(sha, datetime.fromtimestamp(stamp, BANGKOK), tuple(changes))


class Blobs:
    """Blob bytes by id: many at once through one `cat-file --batch`, the rest on demand."""

    def __init__(self, root: Path) -> None:
        import threading

        self.root = root
        self.cache: dict[str, bytes] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._coming: set[str] = set()  # blobs the streaming batch will still deliver
        self._arrived = threading.Condition()
        self._streams: list[Any] = []

    def stream(self, shas: list[str]) -> None:
        """Start one `cat-file --batch` for these blobs; `get` waits for each as it arrives.

        git reads (and undeltifies) on the other core while the walk evaluates the first items.
        """
        import threading

        wanted = [s for s in dict.fromkeys(shas) if s not in self.cache]
        if not wanted:
            return
        process = subprocess.Popen(
            ["git", "-C", str(self.root), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._coming.update(wanted)

        def write() -> None:
            assert process.stdin is not None
            try:
                process.stdin.write(("\n".join(wanted) + "\n").encode("ascii"))
            finally:
                process.stdin.close()

        def read() -> None:
            assert process.stdout is not None
            try:
                for sha in wanted:
                    header = process.stdout.readline().split()
                    data = None
                    if len(header) >= 3 and header[1] != b"missing":
                        data = process.stdout.read(int(header[2]))
                        process.stdout.read(1)
                    with self._arrived:
                        if data is not None:
                            self.cache[sha] = data
                        self._coming.discard(sha)
                        self._arrived.notify_all()
            finally:
                with self._arrived:
                    self._coming.clear()
                    self._arrived.notify_all()
                process.stdout.close()
                process.wait()

        threads = [threading.Thread(target=write, daemon=True), threading.Thread(target=read, daemon=True)]
        for thread in threads:
            thread.start()
        self._streams.extend(threads)

    def small(self, shas: list[str], *, each: int = 8 << 20, total: int = 256 << 20) -> list[str]:
        """Of these blobs, those worth reading in the one batch (attachments: files under 8 MiB, 256 MiB in all)."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return []
        out = _git(self.root, "cat-file", "--batch-check", data=("\n".join(wanted) + "\n").encode("ascii"))
        chosen, used = [], 0
        for line in out.splitlines():
            fields = line.split()
            if len(fields) == 3 and int(fields[2]) <= each and used + int(fields[2]) <= total:
                chosen.append(fields[0].decode("ascii"))
                used += int(fields[2])
        return chosen

    def get(self, sha: str) -> bytes | None:
        if sha in self.cache:
            return self.cache[sha]
        if sha in self._coming:
            with self._arrived:
                self._arrived.wait_for(lambda: sha not in self._coming)
            if sha in self.cache:
                return self.cache[sha]
        if self._process is None:
            self._process = subprocess.Popen(
                ["git", "-C", str(self.root), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(sha.encode("ascii") + b"\n")
        self._process.stdin.flush()
        header = self._process.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            return None
        data = self._process.stdout.read(int(header[2]))
        self._process.stdout.read(1)
        self.cache[sha] = data
        return data

    def close(self) -> None:
        for thread in self._streams:
            thread.join()
        if self._process is not None:
            assert self._process.stdin is not None and self._process.stdout is not None
            self._process.stdin.close()
            self._process.stdout.close()
            self._process.wait()
            self._process = None


@dataclass
class _Track:
    """One item's identity across renames, while the walk goes on."""

    path: str
    first_at: datetime
    first_sha: str
    seq: int = 0  # order of first appearance: the same in every process
    own: bool = True  # evaluated by this process
    blob: str = ""
    paths: list[str] = field(default_factory=list)
    published_at: datetime | None = None  # commit time of the first publishable version
    published_sha: str | None = None
    published_urgent: bool = False  # publishable only because urgent
    publish_at: str | None = None  # of the version that was published
    deleted_at: datetime | None = None
    deleted_sha: str | None = None
    refs: tuple[str, ...] = ()
    skipped: bool = False  # latest version lies outside the asked window: not evaluated
    recorded: dict[tuple[str, str, str], datetime] = field(default_factory=dict)
    versions: int = 0


@dataclass(frozen=True)
class _Verdict:
    parsed: bool
    publishable: bool
    complete: bool
    urgent: bool
    refs: tuple[str, ...]
    approvals: tuple[tuple[str, str, str], ...]
    publish_at: str | None


def _approval_key(approval: dict[str, Any]) -> tuple[str, str, str]:
    return (str(approval.get("by", "")), str(approval.get("step", "")), str(approval.get("at", "")))


# ---------------------------------------------------------------- the kept cache ----

CACHE_FILE = "history-cache.pickle"
CACHE_VERSION = 1
LIBRARIES = ("PyYAML",)
_FAR = timedelta(days=36525)  # "a later now": a verdict the same then as now is the same for every now between

_VerdictKey = tuple[str, str, tuple[str | None, ...]]


@dataclass
class Kept:
    """Entries as stored: plain tuples, dicts and text only (times as ISO 8601 text).

    parsed: (path, blob) -> (front matter, body length, referenced files), or None: not an item
    verdicts: walk key -> (*_Verdict fields, ISO time of the `now` it holds from, or None: any now)
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
    """One digest of everything an entry depends on besides its git objects; None without office.yml."""
    try:
        office_raw = (root / "office.yml").read_bytes()
    except OSError:
        return None
    import yaml

    sha = hashlib.sha256(f"khaosan-history {CACHE_VERSION}\n".encode())
    sha.update(f"python {sys.version} {sys.platform}\n".encode())
    sha.update(library_versions(LIBRARIES).encode())
    sha.update(f"libyaml={getattr(yaml, '__with_libyaml__', None)}\n".encode())
    sha.update(code_digest().encode())
    sha.update(b"office.yml\0" + hashlib.sha256(office_raw).digest())
    return sha.hexdigest()


def load_cache(path: Path, key: str) -> Kept:
    """The entries of the cache file when it was written for this exact `key`; else none."""
    try:
        data = PlainUnpickler(io.BytesIO(path.read_bytes())).load()  # no class at all
        if (
            isinstance(data, tuple)
            and len(data) == 5
            and data[0] == CACHE_VERSION
            and data[1] == key
            and all(isinstance(d, dict) for d in data[2:])
        ):
            return Kept(data[2], data[3], data[4])
    except Exception:  # missing, unreadable, truncated, foreign: everything computed, never an error
        pass
    return Kept()


def save_cache(path: Path, key: str, kept: Kept) -> None:
    data = (CACHE_VERSION, key, kept.parsed, kept.verdicts, kept.sha256)
    with contextlib.suppress(OSError):  # a read-only or full disk costs the next run time, not this run
        write_file(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


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


def _verdict_in(stored: Any, now: datetime) -> _Verdict | None:
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
    return _Verdict(parsed, publishable, complete, urgent, refs, approvals, publish_at)


def _item_refs(item: Any) -> tuple[str, ...]:
    """The files a verdict depends on: those the item names, for items with sign-offs."""
    from workflow.core.digest import referenced_files

    if item is None or item.kind not in REQUIRED_STEPS:
        return ()
    return tuple(referenced_files(item.data, item.body))


class _Walker:
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
        self.state: dict[str, str] = {}  # path -> blob, for every file under content/
        self.sha256: dict[str, str | None] = {}
        self.verdicts: dict[tuple[str, str, tuple[str | None, ...]], _Verdict] = {}
        self.parsed: dict[tuple[str, str], Any] = {}
        self.refs: dict[tuple[str, str], tuple[str, ...]] = {}  # of parsed versions
        self.kept = kept  # loaded from the cache file (None: no cache)
        self.seen = Kept()  # entries used or made in this run: what the file keeps next
        self.later: datetime | None = None  # a far later now: verdicts the same at both are kept
        if kept is not None:
            with contextlib.suppress(OverflowError):  # no later now: no evaluated verdict is kept
                self.later = now + _FAR

    def file_hash(self, ref: str) -> str | None:
        blob = self.state.get(CONTENT_PREFIX + ref)
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

    def summary(self, path: str, blob: str) -> tuple[dict[str, Any], int, tuple[str, ...]] | None:
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

    def verdict(self, path: str, blob: str, refs: tuple[str, ...]) -> _Verdict:
        key = (path, blob, tuple(self.state.get(CONTENT_PREFIX + r) for r in refs))
        found = self.verdicts.get(key)
        if found is not None:
            return found
        if self.kept is not None:
            found = self._kept_verdict(path, blob)
            if found is not None:
                return found
        found, *later = self._evaluate(path, blob, (self.now,) if self.later is None else (self.now, self.later))
        if found.refs != refs:  # the key must name the refs the item really has
            key = (path, blob, tuple(self.state.get(CONTENT_PREFIX + r) for r in found.refs))
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

    def _kept_verdict(self, path: str, blob: str) -> _Verdict | None:
        """The stored verdict for this version and the current blobs of the files it names."""
        assert self.kept is not None
        if (path, blob) not in self.kept.parsed:
            return None
        try:
            summary = _summary_in(self.kept.parsed[path, blob])
        except (TypeError, ValueError):
            return None
        refs = summary[2] if summary is not None else ()
        key = (path, blob, tuple(self.state.get(CONTENT_PREFIX + r) for r in refs))
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

    def _evaluate(self, path: str, blob: str, nows: tuple[datetime, ...]) -> list[_Verdict]:
        """The verdict on this version at each of `nows` (the text and digest read once)."""
        item = self.parse(path, blob)
        if item is None or item.kind not in REQUIRED_STEPS:
            return [_Verdict(False, False, False, False, (), (), None)] * len(nows)
        if not isinstance(item.data.get("urgent"), dict) and not set(REQUIRED_STEPS[item.kind]) <= {
            a.get("step") for a in item.approvals if isinstance(a, dict)
        }:  # a step not even recorded
            return [_Verdict(True, False, False, False, self.item_refs(path, blob, item), (), None)] * len(nows)
        item_refs = self.item_refs(path, blob, item)
        digest, written = item_digest(item, self.file_hash), written_at(item)
        approvals = tuple(_approval_key(a) for a in item.approvals if isinstance(a, dict))
        publish_at = item.data.get("publish_at")
        found = []
        for now in nows:
            signoffs = evaluate(item, self.office, digest, now=now, publish=False, written_at=written)
            found.append(
                _Verdict(
                    True,
                    signoffs.publishable,
                    signoffs.complete,
                    signoffs.urgent,
                    item_refs,
                    approvals,
                    publish_at if isinstance(publish_at, str) else None,
                )
            )
        return found


class Log:
    """`git log` started now and read on threads, so that git walks while Python loads the office.

    Diffing every commit's tree is most of git's time, and it is the same work in any
    order: with more than one core the first-parent line is cut in two at its middle
    commit (`git rev-list`, a few milliseconds) and each half is diffed by its own git.
    """

    ARGS = (
        "log",
        "--first-parent",
        "--reverse",
        "-z",
        "--raw",
        "--no-abbrev",
        "-M",
        "--diff-merges=first-parent",
        "--format=%x01%H %ct",
    )
    SPLIT_FROM = 2000  # commits: below this one git is quicker than two

    def __init__(self, root: Path, ref: str | None = None, *, jobs: int | None = None) -> None:
        import threading

        self.root = root
        self._parts: list[tuple[subprocess.Popen[bytes], list[bytes], threading.Thread]] = []
        self._missing = False
        try:
            line: list[bytes] = []
            split = jobs >= 2 if jobs is not None else idle_cores() >= 1
            if split:  # the first-parent line, which also finds the main branch
                for candidate in [ref] if ref else ["refs/heads/main", "refs/heads/master", "HEAD"]:
                    done = subprocess.run(
                        ["git", "-C", str(root), "rev-list", "--first-parent", candidate, "--"],
                        capture_output=True,
                        check=False,
                    )
                    if done.returncode == 0:
                        ref, line = candidate, done.stdout.split()
                        break
            self.ref = ref or main_ref(root)
            ranges = [[self.ref]]
            if len(line) >= self.SPLIT_FROM:
                middle = line[len(line) // 2].decode("ascii")
                ranges = [[middle], [f"{middle}..{self.ref}"]]
            for spec in ranges:
                process = subprocess.Popen(
                    ["git", "-C", str(root), *self.ARGS, *spec, "--", "content"],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
                out: list[bytes] = []
                thread = threading.Thread(target=self._read, args=(process, out), daemon=True)
                thread.start()
                self._parts.append((process, out, thread))
        except FileNotFoundError:
            self.ref = ref or "HEAD"
            self._missing = True

    @staticmethod
    def _read(process: subprocess.Popen[bytes], out: list[bytes]) -> None:
        assert process.stdout is not None and process.stderr is not None
        out.append(process.stdout.read())
        out.append(process.stderr.read())

    def result(self) -> bytes:
        if self._missing:
            raise KhaosanError("KS502", "ไม่พบโปรแกรม git", "ติดตั้ง git แล้วสั่งอีกครั้ง")
        chunks = []
        for process, out, thread in self._parts:
            thread.join()
            assert process.stdout is not None and process.stderr is not None
            process.stdout.close()
            process.stderr.close()
            if process.wait() != 0:
                lines = out[1].decode("utf-8", "replace").strip().splitlines()
                raise KhaosanError(
                    "KS502",
                    f"อ่านประวัติจาก git ไม่ได้: {lines[-1] if lines else 'git log'}",
                    "สั่งคำสั่งนี้ในคลังข้อมูลที่เป็น git และมีการ commit แล้ว",
                )
            chunks.append(out[0])
        return b"".join(chunks)


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
    import os

    if (
        len(commits) >= FORK_FROM
        and idle_cores() >= 1
        and hasattr(os, "fork")
        and (kept is None or _fresh(commits, kept) >= FORK_FRESH)
    ):
        facts, seen = _walk_forked(commits, root, office, now, window, log.ref, kept)
    else:
        records, facts, seen = _walk_share(commits, root, office, now, window, log.ref, (0, 1), kept)
        facts = _facts(facts, [r for _, r in records])
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


def is_shallow(root: Path) -> bool:
    """A shallow clone holds only the newest commits: not the record of publication."""
    shallow = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--is-shallow-repository"], capture_output=True, text=True, check=False
    )
    return shallow.stdout.strip() == "true"


def publication_times(facts: HistoryFacts) -> dict[str, datetime]:
    """Item id → when it was published (DOMAIN.md: first first-parent commit on main with all
    sign-offs or urgent, or its later `publish_at`)."""
    times: dict[str, datetime] = {}
    for record in facts.items:
        if record.publishable_at is not None and record.withdrawn_at is None:
            when = record.publishable_at
            times[record.id] = max(when, record.publish_at) if record.publish_at else when
    return times


FORK_FROM = 2000  # commits: below this a second process costs more than it saves
FORK_FRESH = 1000  # item versions not in the cache: below this, forking costs more than it saves


def _fresh(commits: list[Commit], kept: Kept) -> int:
    """Item versions whose text the cache does not hold: the work a second process would share."""
    return sum(
        1
        for commit in commits
        for c in commit.changes
        if c.blob and c.blob != _ZERO and _is_item(c.path) and (c.path, c.blob) not in kept.parsed
    )


def idle_cores() -> float:
    """Cores nobody else is using (1-minute load average): a second process helps only on an idle one.

    Measured on the shared 2-core machine under a load of 6: forking made the run slower,
    as every process then queues for the same two cores.
    """
    import os

    cores = os.cpu_count() or 1
    try:
        return cores - os.getloadavg()[0]
    except OSError:
        return cores - 1


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
    walker = _Walker(root, office, now, window, kept)
    # versions whose parse and some verdict are kept need no text, unless a window asks for their dates
    known = {(k[0], k[1]) for k in kept.verdicts} if kept is not None and window is None else set()
    hashed = kept.sha256 if kept is not None else {}
    items, assets = [], []
    for commit in commits:
        for c in commit.changes:
            if c.blob and c.blob != _ZERO:
                if not _is_item(c.path):
                    if c.blob not in hashed:
                        assets.append(c.blob)
                elif _share_of(c.path, share[1]) == share[0] and not (
                    (c.path, c.blob) in known and walker.cached(c.path, c.blob)
                ):
                    items.append(c.blob)  # a renamed item's later texts may be the other share's: read on demand
    walker.blobs.stream(items + walker.blobs.small(assets))
    try:
        records, facts = _walk(commits, walker, now, ref, share)
        return records, facts, walker.seen
    finally:
        walker.blobs.close()


def _facts(facts: HistoryFacts, records: list[ItemRecord]) -> HistoryFacts:
    return HistoryFacts(
        ref=facts.ref,
        commits=facts.commits,
        head=facts.head,
        items=tuple(records),
        backwards=facts.backwards,
        future_commits=facts.future_commits,
    )


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
    return _facts(facts, [r for _, r in merged]), seen


def _walk(
    commits: list[Commit], walker: _Walker, now: datetime, ref: str, share: tuple[int, int] = (0, 1)
) -> tuple[list[tuple[int, ItemRecord]], HistoryFacts]:
    live: dict[str, _Track] = {}
    gone: dict[str, _Track] = {}
    tracks: list[_Track] = []
    watchers: dict[str, dict[int, _Track]] = {}  # content/<ref> -> unpublished tracks that name it
    backwards: list[Backwards] = []
    future: list[tuple[str, datetime]] = []
    previous: Commit | None = None
    state = walker.state
    for commit in commits:
        if previous is not None and commit.time < previous.time:
            backwards.append(Backwards(commit.sha, commit.time, previous.sha, previous.time))
        if commit.time > now:
            future.append((commit.sha, commit.time))
        previous = commit
        touched: dict[int, _Track] = {}
        for change in commit.changes:
            if change.status == "D":
                state.pop(change.path, None)
                track = live.pop(change.path, None)
                if track is not None:
                    track.deleted_at, track.deleted_sha = commit.time, commit.sha
                    gone[change.path] = track
            else:
                if change.old_path is not None and change.status == "R":
                    state.pop(change.old_path, None)
                state[change.path] = change.blob
                if _is_item(change.path):
                    track = None
                    if change.status == "R" and change.old_path is not None:
                        track = live.pop(change.old_path, None)
                    if track is None:
                        track = live.get(change.path) or gone.pop(change.path, None)
                    if track is None:
                        track = _Track(
                            change.path,
                            commit.time,
                            commit.sha,
                            seq=len(tracks),
                            own=_share_of(change.path, share[1]) == share[0],
                        )
                        tracks.append(track)
                    elif track.path != change.path:
                        track.paths.append(track.path)
                        track.path = change.path
                    track.deleted_at = track.deleted_sha = None
                    live[change.path] = track
                    track.blob = change.blob
                    touched[id(track)] = track
                elif change.status == "R" and change.old_path is not None and change.old_path in live:
                    track = live.pop(change.old_path)  # moved out of content/: withdrawn
                    track.deleted_at, track.deleted_sha = commit.time, commit.sha
            for path in (change.path, change.old_path):
                if path is not None and path in watchers:
                    touched.update(watchers[path])
        if not touched:
            continue
        for track in touched.values():
            if not track.own or track.deleted_at is not None or live.get(track.path) is not track:
                continue
            if walker.outside(track.blob):
                track.skipped = True
                continue
            track.skipped = False
            track.versions += 1
            verdict = walker.verdict(track.path, track.blob, track.refs)
            for key in verdict.approvals:
                track.recorded.setdefault(key, commit.time)
            for old in track.refs:
                watchers.get(CONTENT_PREFIX + old, {}).pop(id(track), None)
            track.refs = verdict.refs
            if track.published_at is None and verdict.publishable:
                track.published_at, track.published_sha = commit.time, commit.sha
                track.published_urgent = not verdict.complete
                track.publish_at = verdict.publish_at
            if track.published_at is None:
                for new in track.refs:
                    watchers.setdefault(CONTENT_PREFIX + new, {})[id(track)] = track
    records = [(t.seq, _record(t, walker)) for t in tracks if t.own]
    return records, HistoryFacts(
        ref=ref,
        commits=len(commits),
        head=commits[-1].sha if commits else None,
        items=(),
        backwards=tuple(backwards),
        future_commits=tuple(future),
    )


def _record(track: _Track, walker: _Walker) -> ItemRecord:
    if walker.outside(track.blob):  # listed, not evaluated: no period asked for it
        return ItemRecord(
            id=item_id_for(track.path) or track.path,
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
            renamed_from=tuple(item_id_for(p) or p for p in track.paths),
        )
    summary = walker.summary(track.path, track.blob)
    verdict = walker.verdict(track.path, track.blob, track.refs)
    approvals = []
    for key, recorded_at in sorted(track.recorded.items(), key=lambda kv: kv[1]):
        try:
            at: datetime | None = parse_time(key[2])
        except ValueError:
            at = None
        approvals.append(SignoffRecord(key[0], key[1], at, recorded_at, key in verdict.approvals))
    publish_at: datetime | None = None
    if track.publish_at:
        try:
            publish_at = parse_time(track.publish_at)
        except ValueError:
            publish_at = None
    return ItemRecord(
        id=item_id_for(track.path) or track.path,
        path=track.path,
        data=summary[0] if summary is not None else None,
        body_chars=summary[1] if summary is not None else 0,
        first_committed_at=track.first_at,
        first_commit=track.first_sha,
        publishable_at=track.published_at,
        published_commit=track.published_sha,
        publish_at=publish_at,
        published_urgent=track.published_urgent,
        complete_now=verdict.complete,
        urgent_now=verdict.urgent,
        withdrawn_at=track.deleted_at,
        withdrawn_commit=track.deleted_sha,
        renamed_from=tuple(item_id_for(p) or p for p in track.paths),
        signoffs=tuple(approvals),
        versions=track.versions,
    )
