"""Checking items: the one way `check`, `status` and the publish gate in `build` check them.

`check_items` checks office.yml first (a broken office stops there), then every item
at the given paths, and reports problems in path order:

- `khaosan check`: problems and the items still waiting for a sign-off; with
  `publish`, sign-offs must be complete and the safety checks run too.
- `khaosan status`: `keep_items`, each item's whole result (parsed item,
  sign-offs), all in this process: parsed items do not travel between processes.
- `khaosan build`, the publish gate: `safety` (PDPA, attachments, links),
  `candidates` (per item, what publishing needs) and `cache_dir`: the verdict
  cache (`verdicts.py`), so an item whose clean verdict still holds is not checked again.

Many items are checked in forked processes (`workflow/edges/parallel.py` decides
when); each sends back only its items' `Verdict`s, never the parsed items.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from workflow.core.problems import Problem, problem
from workflow.core.rules import duplicate_ids
from workflow.core.structure import Office
from workflow.core.validate import Context, ItemResult, check_item
from workflow.edges.files.repository import Repository, UnsafeFile
from workflow.edges.parallel import default_jobs, in_runs, in_shares

if TYPE_CHECKING:
    from workflow.core.publication import Candidate
    from workflow.edges.checking.verdicts import Trace, VerdictCache


class Verdict(NamedTuple):
    """What checking one item answers: all a forked worker sends back, never the parsed item."""

    path: str
    problems: tuple[Problem, ...]
    pending: bool  # still waiting for a sign-off
    candidate: Candidate | None = None  # when asked for: what publishing needs
    # What a clean check read besides the item, for the verdict cache: (ref, sha256 or None), (item id, existed)
    files: tuple[tuple[str, str | None], ...] = ()
    ids: tuple[tuple[str, bool], ...] = ()


@dataclass
class Checked:
    office: Office | None  # None: office.yml is broken and no item was checked
    problems: list[Problem]  # office.yml's and repository-level first, then per item in path order
    pending: list[str] = field(default_factory=list)  # paths of items not yet fully signed
    results: list[ItemResult] = field(default_factory=list)  # `keep_items`: per path, the whole result
    candidates: list[Candidate] = field(default_factory=list)  # `candidates`: one per path, in path order
    cached: int = 0  # items whose verdict came from the verdict cache
    checked: list[str] = field(default_factory=list)  # paths checked this run (not from the cache)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def check_items(
    repo: Repository,
    paths: list[str],
    *,
    now: datetime,
    publish: bool = False,
    safety: bool | None = None,
    keep_items: bool = False,
    candidates: bool = False,
    cache_dir: Path | None = None,
    jobs: int | None = None,
) -> Checked:
    """office.yml, then the items at `paths`, as the module docstring says.

    `safety` (default: as `publish`): also the PDPA, attachment and link checks. `keep_items` is for
    `status` alone (no candidates, no cache). `jobs`: processes for the items not answered from the
    cache (default: fork when they are many).
    """
    office_raw = repo.office_bytes()
    office, office_problems = repo.office(office_raw)
    office_problems = office_problems + repo.schemas.ita_problems  # a broken OIT list stops the check too
    if office is None or any(p.severity == "error" for p in office_problems):
        return Checked(None, office_problems)
    every = repo.item_paths()
    ctx = context(repo, office, now, every, publish=publish, safety=publish if safety is None else safety)
    selected = set(paths)
    repo_problems = office_problems + [p for p in duplicate_ids(every) if p.path in selected]
    if keep_items:
        results = [check_path(repo, ctx, path)[0] for path in paths]
        found = [p for r in results for p in r.problems]
        return Checked(office, repo_problems + found, [r.path for r in results if is_pending(r)], results)

    cache: VerdictCache | None = None
    if cache_dir is not None:
        from workflow.edges.checking.verdicts import VerdictCache

        cache = VerdictCache(repo, cache_dir, office_raw, ctx)
    known = cache.answers(paths, ctx.item_ids, now) if cache is not None else {}
    misses = [p for p in paths if p not in known]
    fresh = _verdicts(
        repo, ctx, misses, candidates=candidates or cache is not None, traced=cache is not None, jobs=jobs
    )
    verdicts = {**known, **{v.path: v for v in fresh}}
    ordered = [verdicts[p] for p in paths]
    if cache is not None:
        cache.keep(fresh, ordered, every, now)
    return Checked(
        office,
        repo_problems + [p for v in ordered for p in v.problems],
        [v.path for v in ordered if v.pending],
        candidates=[v.candidate for v in ordered if v.candidate is not None],
        cached=len(known),
        checked=misses,
    )


def context(
    repo: Repository, office: Office, now: datetime, every: list[str], *, publish: bool, safety: bool
) -> Context:
    """What checking an item needs; `safety` adds the PDPA, attachment and link checks."""
    if safety:  # imported only for the gate: plain `check` stays as fast as before
        from workflow.edges.files.attachments import Inspector
    return Context(
        office,
        repo.schemas,
        now,
        repo.file_hash,
        repo.item_ids(every),
        publish,
        safety=safety,
        inspect=Inspector(repo, office.attachments) if safety else None,
    )


def check_path(repo: Repository, ctx: Context, path: str) -> tuple[ItemResult, bytes | None]:
    """One item file checked, and the bytes it was checked from (None: it could not be read)."""
    try:
        raw = repo.read(path)
    except UnsafeFile as exc:  # a symlink out of the repository, a FIFO: one clear problem, nothing read
        return ItemResult(path, (problem("KS731", path, detail=exc.why),)), None
    return check_item(path, raw, ctx), raw


def is_pending(result: ItemResult) -> bool:
    return result.signoffs is not None and not result.signoffs.complete


def _verdicts(
    repo: Repository, ctx: Context, paths: list[str], *, candidates: bool, traced: bool, jobs: int | None
) -> list[Verdict]:
    """Each item's verdict, in path order; `traced`: with what its check read (for the verdict cache)."""
    trace = None
    if traced:
        from workflow.edges.checking.verdicts import Trace

        trace = Trace(repo, ctx.item_ids)
        ctx = trace.watching(ctx)
    make: Callable[..., Candidate] | None = None
    if candidates:  # imported only for the gate: plain `check` stays as fast as before
        from workflow.core.publication import candidate as make
    work = functools.partial(_verdict, repo, ctx, trace, make)
    if jobs is None:
        jobs = default_jobs(len(paths))
    if jobs < 2 or len(paths) < jobs:
        return [work(p) for p in paths]
    # The safety checks in runs of consecutive paths: the items of one folder name the same attachments.
    return (in_runs if ctx.safety else in_shares)(work, paths, jobs)


def _verdict(
    repo: Repository, ctx: Context, trace: Trace | None, make: Callable[..., Candidate] | None, path: str
) -> Verdict:
    if trace is not None:
        trace.start()
    result, raw = check_path(repo, ctx, path)
    found = None
    if make is not None:
        found = make(
            result, source=hashlib.sha256(raw).hexdigest() if raw is not None else "", file_hash=repo.file_hash
        )
    verdict = Verdict(path, result.problems, is_pending(result), found)
    return trace.read(verdict) if trace is not None else verdict
