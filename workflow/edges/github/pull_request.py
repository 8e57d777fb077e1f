"""A pull request as plain data for the core: its items at the head, their digests
at every reviewed commit, the approvals they had before, the reviews.

Reads through a `GitHub` (edges/github/client.py) only: the office comes from the
pull request's base (a pull request cannot make its author a director), items
and attachments from the commits GitHub has. Everything is gathered before
anything is written, so a run that fails halfway has written nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from workflow.core.deadlines import Deadline, deadlines
from workflow.core.digest import referenced_files
from workflow.core.office import OFFICE_FILE
from workflow.core.problems import Problem, problem
from workflow.core.reviews import (
    ORDER_CODES,
    ItemReview,
    ItemView,
    Review,
    ineligible_reviewers,
    latest_reviews,
    review_item,
    reviews_from_api,
    unknown_reviewers,
)
from workflow.core.safety import Attachment
from workflow.core.schema import Schemas
from workflow.core.structure import ASSET_FOLDERS, Office, is_item_path, is_system_path, item_id_for
from workflow.core.validate import Context, ItemResult, check_item, check_office, item_digest, parse_item
from workflow.edges.files.attachments import inspect_bytes
from workflow.edges.files.repository import UnsafeFile
from workflow.edges.github.client import GitHub, GitHubError, NotAFile
from workflow.errors import EXIT_CONTENT, KhaosanError

CONTENT = "content/"


@dataclass
class Snapshot:
    """File bytes at commits, each fetched once."""

    github: GitHub
    _cache: dict[tuple[str, str], bytes | None] = field(default_factory=dict)

    def read(self, path: str, ref: str) -> bytes | None:
        key = (path, ref)
        if key not in self._cache:
            self._cache[key] = self.github.file_at(path, ref)
        return self._cache[key]

    def asset(self, name: str, ref: str) -> bytes | None:
        """The bytes of content/<name> at `ref`; None when missing, outside content/ or a link
        (a linked file is not what reviewers saw: missing, KS207)."""
        if ".." in name.split("/"):
            return None
        try:
            return self.read(CONTENT + name, ref)
        except NotAFile:
            return None

    def hasher(self, ref: str) -> Callable[[str], str | None]:
        def file_hash(name: str) -> str | None:
            data = self.asset(name, ref)
            return hashlib.sha256(data).hexdigest() if data is not None else None

        return file_hash

    def inspector(self, ref: str, office: Office) -> Callable[[str], Attachment | None]:
        """The gate's look inside each referenced file, at `ref`, through the API."""

        def inspect(name: str) -> Attachment | None:
            data = self.asset(name, ref)
            return inspect_bytes(data, name, office.attachments) if data is not None else None

        return inspect

    def digest(self, path: str, ref: str) -> str | None:
        raw = self.read(path, ref)
        if raw is None:
            return None
        item = parse_item(path, raw)[0]
        return item_digest(item, self.hasher(ref)) if item is not None else None


@dataclass
class PullState:
    number: int
    head_sha: str
    base_sha: str
    author: str | None
    office: Office
    checked: list[ItemResult]  # `check` on each item at the head
    reviewed: list[ItemReview]
    raw_heads: dict[str, bytes]
    deadlines: dict[str, list[Deadline]]
    unknown: list[str]
    reviews: list[Review]
    ineligible: list[str]
    system_files: list[str]  # what the build executes or renders: needs its code owners

    @property
    def check_problems(self) -> list[Problem]:
        return [p for r in self.checked for p in r.problems]

    def check_errors(self) -> dict[str, int]:
        return {r.path: len(r.errors) for r in self.checked}


def gather(
    github: GitHub,
    number: int,
    schemas: Schemas,
    now: datetime,
    known_ids: frozenset[str] = frozenset(),
    referencing: Callable[[list[str]], set[str]] | None = None,
) -> PullState:
    """Everything the commands need about pull request `number`, read before anything is written.

    `referencing(assets)` names the items (repository paths) that reference any of the
    changed attachments or images (paths under content/): they are checked as changed.
    """
    pr = github.pull_request(number)
    try:
        head_sha, base_sha = str(pr["head"]["sha"]), str(pr["base"]["sha"])
    except (KeyError, TypeError):
        raise GitHubError("KS607", f"pull request {number}") from None
    user = pr.get("user")
    author = user.get("login") if isinstance(user, dict) else None
    snap = Snapshot(github)
    office_raw = snap.read(OFFICE_FILE, base_sha)
    if office_raw is None:
        raise KhaosanError("KS404", f"ไม่พบ {OFFICE_FILE} ในสาขาปลายทางของคำขอ #{number}", exit_code=EXIT_CONTENT)
    office, office_problems = check_office(office_raw, schemas)
    if office is None or any(p.severity == "error" for p in office_problems):
        details = "; ".join(f"{p.code} {p.message}" for p in office_problems)
        raise KhaosanError("KS404", f"{OFFICE_FILE} ของสาขาปลายทางใช้ไม่ได้: {details}", exit_code=EXIT_CONTENT)

    listed = github.pull_files(number)
    changed = [f for f in listed if isinstance(f.get("filename"), str)]
    paths = {str(f["filename"]) for f in changed if f.get("status") != "removed" and is_item_path(str(f["filename"]))}
    assets = [str(f["filename"])[len(CONTENT) :] for f in changed if str(f["filename"]).startswith(ASSET_FOLDERS)]
    if assets and referencing is not None:  # a swapped attachment changes the items that name it
        paths |= referencing(assets)
    paths = sorted(paths)
    reviews = reviews_from_api(github.pull_reviews(number))
    latest = latest_reviews(reviews)
    commits = sorted({r.commit_id for r in latest.values() if r.state == "APPROVED" and r.commit_id})
    ids = known_ids | {i for i in map(item_id_for, paths) if i}
    # The whole publish gate (personal data, attachments, links) as `build` runs it, on the head's files:
    # what passes here never stops a later build. Missing sign-offs stay pending (publish=False).
    inspect = snap.inspector(head_sha, office)
    ctx = Context(office, schemas, now, snap.hasher(head_sha), ids, publish=False, safety=True, inspect=inspect)

    checked: list[ItemResult] = [*_unlisted(pr, len(listed), number)]
    reviewed: list[ItemReview] = []
    raw_heads: dict[str, bytes] = {}
    dues: dict[str, list[Deadline]] = {}
    for path in paths:
        try:
            raw = snap.read(path, head_sha)
        except NotAFile as exc:  # refused, never skipped: the build would refuse it too (KS731)
            checked.append(ItemResult(path, (problem("KS731", path, detail=exc.message),)))
            continue
        if raw is None:
            continue
        raw_heads[path] = raw
        result = check_item(path, raw, ctx)
        checked.append(result)
        if result.item is None or result.digest is None:
            continue
        item = result.item
        digests_at = {sha: (result.digest if sha == head_sha else snap.digest(path, sha)) for sha in commits}
        base_raw = snap.read(path, base_sha)
        base_item = parse_item(path, base_raw)[0] if base_raw is not None else None
        view = ItemView(
            item,
            result.digest,
            digests_at,
            tuple(base_item.approvals) if base_item else (),
            {key: base_item.data.get(key) for key in ORDER_CODES} if base_item else {},
        )
        reviewed.append(review_item(view, office, latest, author))
        if item.kind == "news":
            std = office.standards.get(str(item.data.get("news_type")))
            dues[path] = deadlines(item.data, std, now)
    return PullState(
        number,
        head_sha,
        base_sha,
        author,
        office,
        checked,
        reviewed,
        raw_heads,
        dues,
        unknown_reviewers(latest, office),
        reviews,
        ineligible_reviewers(latest, office, reviewed),
        sorted(str(f["filename"]) for f in changed if is_system_path(str(f["filename"]))),
    )


def _unlisted(pr: dict[str, object], listed: int, number: int) -> list[ItemResult]:
    """GitHub lists at most 3000 of a pull request's files: fewer listed than `changed_files` says
    means items nobody checked, so the pull request fails (KS612) rather than pass on a part."""
    total = pr.get("changed_files")
    if not isinstance(total, int) or listed >= total:
        return []
    where = f"pull/{number}"
    return [ItemResult(where, (problem("KS612", where, detail=f"เปลี่ยน {total:,} ไฟล์ อ่านรายชื่อได้ {listed:,} ไฟล์"),))]


def items_referencing(read: Callable[[str], bytes], item_paths: list[str]) -> Callable[[list[str]], set[str]]:
    """A `referencing` for `gather` over the local checkout: a cheap byte search, then the parsed references."""

    def find(assets: list[str]) -> set[str]:
        wanted = set(assets)
        needles = [a.encode("utf-8") for a in assets]
        found: set[str] = set()
        for path in item_paths:
            try:
                raw = read(path)
            except UnsafeFile:  # a link or a FIFO names nothing: it is refused where it is checked (KS731)
                continue
            if not any(n in raw for n in needles):
                continue
            item = parse_item(path, raw)[0]
            if item is not None and wanted & set(referenced_files(item.data, item.body)):
                found.add(path)
        return found

    return find


def replace_all(changes: list[tuple[Path, bytes, bytes]]) -> None:
    """Replace several files, each from its expected old bytes to new ones, all or none.

    Every new file is first written whole beside its target (and fsynced); only
    when all are ready are they renamed into place. A failure while preparing
    removes what was prepared and leaves every target as it was.
    """
    for path, _, expected in changes:
        if path.read_bytes() != expected:
            raise FileExistsError(path)
    staged: list[tuple[str, Path]] = []
    try:
        for path, data, _ in changes:
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((name, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(name, path.stat().st_mode & 0o777)
    except BaseException:
        for name, _ in staged:
            Path(name).unlink(missing_ok=True)
        raise
    for name, path in staged:
        os.replace(name, path)


def as_jsonable(state: PullState) -> dict[str, Any]:
    return {
        "pull_request": state.number,
        "head": state.head_sha,
        "items": [
            {
                "path": r.path,
                "complete": r.complete,
                "urgent": r.urgent,
                "steps": [
                    {
                        "step": s.step,
                        "status": s.status,
                        "by": s.by,
                        "login": s.login,
                        "at": s.at.isoformat() if s.at else None,
                    }
                    for s in r.steps
                ],
                "problems": [p.code for p in r.problems],
            }
            for r in state.reviewed
        ],
    }
