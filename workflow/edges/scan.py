"""Check many item files: the office first, then every item, in parallel when many.

Workers are forked so they inherit the compiled schemas; they send back only
problems and sign-off states (not the parsed items) unless asked for items.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime

from ..core.problems import Problem
from ..core.rules import duplicate_ids
from ..core.structure import Office
from ..core.validate import Context, ItemResult, check_item
from .repo import Repository

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


_WORKER: tuple[Repository, Context] | None = None


def _check_light(path: str) -> tuple[str, tuple[Problem, ...], bool]:
    """In a worker: only what `check` reports crosses back (problems, pending or not)."""
    assert _WORKER is not None
    repo, ctx = _WORKER
    result = check_item(path, repo.read(path), ctx)
    return path, result.problems, _is_pending(result)


def _is_pending(result: ItemResult) -> bool:
    return result.signoffs is not None and not result.signoffs.complete


def scan(repo: Repository, paths: list[str], *, now: datetime, publish: bool = False,
         keep_items: bool = True, jobs: int | None = None) -> Scan:
    office, office_problems = repo.office()
    if office is None or any(p.severity == "error" for p in office_problems):
        return Scan(None, [], office_problems)
    every = repo.item_paths()
    ctx = Context(office, repo.schemas, now, repo.file_hash, repo.item_ids(every), publish)
    selected = set(paths)
    repo_problems = office_problems + [p for p in duplicate_ids(every) if p.path in selected]
    jobs = jobs or min(os.cpu_count() or 1, max(1, len(paths) // PER_WORKER_MIN))
    if keep_items or jobs < 2 or len(paths) < PARALLEL_MIN:
        results = [check_item(path, repo.read(path), ctx) for path in paths]
        return Scan(office, results, repo_problems, [r.path for r in results if _is_pending(r)])
    import multiprocessing  # only here: most runs check a few files in this process

    global _WORKER
    _WORKER = (repo, ctx)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            light = pool.map(_check_light, paths, chunksize=max(1, len(paths) // (jobs * 8)))
    finally:
        _WORKER = None
    return Scan(office, [ItemResult(path, problems) for path, problems, _ in light], repo_problems,
                [path for path, _, pending in light if pending])
