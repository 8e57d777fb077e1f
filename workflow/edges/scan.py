"""Check many item files: the office first, then every item, in parallel when many.

Workers are forked so they inherit the compiled schemas; they send back only
problems and whether each item is pending (not the parsed items).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from datetime import datetime

from ..core.problems import Problem, problem
from ..core.rules import duplicate_ids
from ..core.structure import Office
from ..core.validate import Context, ItemResult, check_item
from .forking import run_shares
from .repo import Repository, UnsafeFile

PARALLEL_MIN = 500  # below this, forking costs more than it saves (2 cores: break-even near 200)
PER_WORKER_MIN = 250  # by default, no more workers than files / this: a fork must pay for itself


@dataclass
class Scan:
    office: Office | None
    results: list[ItemResult] = field(default_factory=list)
    repo_problems: list[Problem] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # paths of items not yet fully signed

    @property
    def problems(self) -> list[Problem]:
        found = list(self.repo_problems)
        for result in self.results:
            found.extend(result.problems)
        return found

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _check(repo: Repository, ctx: Context, path: str) -> ItemResult:
    try:
        raw = repo.read(path)
    except UnsafeFile as exc:  # a symlink out of the repository, a FIFO: one clear problem, nothing read
        return ItemResult(path, (problem("KS731", path, detail=exc.why),))
    return check_item(path, raw, ctx)


def _light(repo: Repository, ctx: Context, path: str) -> tuple[str, tuple[Problem, ...], bool]:
    """Only what `check` reports: problems, and whether the item still waits for a sign-off."""
    result = _check(repo, ctx, path)
    return path, result.problems, _is_pending(result)


def _is_pending(result: ItemResult) -> bool:
    return result.signoffs is not None and not result.signoffs.complete


def _check_forked(repo: Repository, ctx: Context, paths: list[str], jobs: int
                  ) -> list[tuple[str, tuple[Problem, ...], bool]]:
    """Every `jobs`-th file to each share (interleaved: paths are sorted, and news costs more
    than a clipping), one share here and the others in forked children."""
    shares = [paths[i::jobs] for i in range(jobs)]
    done = run_shares([functools.partial(_light_all, repo, ctx, share) for share in shares])
    return [done[index % jobs][index // jobs] for index in range(len(paths))]


def _light_all(repo: Repository, ctx: Context, paths: list[str]) -> list[tuple[str, tuple[Problem, ...], bool]]:
    return [_light(repo, ctx, p) for p in paths]


def scan(repo: Repository, paths: list[str], *, now: datetime, publish: bool = False,
         keep_items: bool = True, jobs: int | None = None, safety: bool | None = None) -> Scan:
    """`safety` (default: as `publish`): also the PDPA, attachment and link checks (`build` turns it on)."""
    office, office_problems = repo.office()
    if office is None or any(p.severity == "error" for p in office_problems):
        return Scan(None, [], office_problems)
    every = repo.item_paths()
    deep = publish if safety is None else safety
    if deep:  # imported only for the gate: plain `check` stays as fast as before
        from ..core.safety import policy_of
        from .attachments import Inspector
    ctx = Context(office, repo.schemas, now, repo.file_hash, repo.item_ids(every), publish, safety=deep,
                  inspect=Inspector(repo, policy_of(office)) if deep else None)
    selected = set(paths)
    repo_problems = office_problems + [p for p in duplicate_ids(every) if p.path in selected]
    if jobs is None:  # by default, fork only when it pays for itself
        jobs = 1 if len(paths) < PARALLEL_MIN else min(os.cpu_count() or 1, len(paths) // PER_WORKER_MIN)
    if keep_items or jobs < 2 or len(paths) < jobs:
        results = [_check(repo, ctx, path) for path in paths]
        return Scan(office, results, repo_problems, [r.path for r in results if _is_pending(r)])

    light = _check_forked(repo, ctx, paths, jobs)
    return Scan(office, [ItemResult(path, problems) for path, problems, _ in light], repo_problems,
                [path for path, _, pending in light if pending])
