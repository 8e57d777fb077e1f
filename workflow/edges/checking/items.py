"""Check many item files: the office first, then every item, in parallel when many.

Workers are forked so they inherit the compiled schemas; they send back only
problems and whether each item is pending (not the parsed items).
"""

from __future__ import annotations

import fcntl
import functools
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TYPE_CHECKING, TypeVar

from workflow.core.problems import Problem, problem
from workflow.core.rules import duplicate_ids
from workflow.core.structure import Office
from workflow.core.validate import Context, ItemResult, check_item
from workflow.edges.files.repository import Repository, UnsafeFile
from workflow.edges.parallel import run_shares

if TYPE_CHECKING:
    import mmap

PARALLEL_MIN = 500  # below this, forking costs more than it saves (2 cores: break-even near 200)
PER_WORKER_MIN = 250  # by default, no more workers than files / this: a fork must pay for itself

T = TypeVar("T")


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


def context(
    repo: Repository, office: Office, now: datetime, every: list[str], *, publish: bool, safety: bool
) -> Context:
    """What checking an item needs; `safety` adds the PDPA, attachment and link checks."""
    if safety:  # imported only for the gate: plain `check` stays as fast as before
        from workflow.core.safety import policy_of
        from workflow.edges.files.attachments import Inspector
    return Context(
        office,
        repo.schemas,
        now,
        repo.file_hash,
        repo.item_ids(every),
        publish,
        safety=safety,
        inspect=Inspector(repo, policy_of(office)) if safety else None,
    )


def check_path(repo: Repository, ctx: Context, path: str) -> tuple[ItemResult, bytes | None]:
    """One item file checked, and the bytes it was checked from (None: it could not be read)."""
    try:
        raw = repo.read(path)
    except UnsafeFile as exc:  # a symlink out of the repository, a FIFO: one clear problem, nothing read
        return ItemResult(path, (problem("KS731", path, detail=exc.why),)), None
    return check_item(path, raw, ctx), raw


def _check(repo: Repository, ctx: Context, path: str) -> ItemResult:
    return check_path(repo, ctx, path)[0]


def _light(repo: Repository, ctx: Context, path: str) -> tuple[str, tuple[Problem, ...], bool]:
    """Only what `check` reports: problems, and whether the item still waits for a sign-off."""
    result = _check(repo, ctx, path)
    return path, result.problems, is_pending(result)


def is_pending(result: ItemResult) -> bool:
    return result.signoffs is not None and not result.signoffs.complete


def default_jobs(count: int) -> int:
    """How many processes check `count` files by default: forking only when it pays for itself."""
    return 1 if count < PARALLEL_MIN else min(os.cpu_count() or 1, count // PER_WORKER_MIN)


def in_shares(work: Callable[[str], T], paths: list[str], jobs: int) -> list[T]:
    """`work` for each path, in path order: every `jobs`-th path to each share (interleaved: paths are
    sorted, and news costs more than a clipping), one share here and the others in forked children."""
    shares = [paths[i::jobs] for i in range(jobs)]
    done = run_shares([functools.partial(_each, work, share) for share in shares])
    return [done[index % jobs][index // jobs] for index in range(len(paths))]


def in_runs(work: Callable[[str], T], paths: list[str], jobs: int, *, chunk: int = 8) -> list[T]:
    """`work` for each path, in path order, in `jobs` processes (this one and forked children), each
    mostly on its own run of consecutive paths.

    For the safety checks: the items of one folder name the same attachments, so in runs each
    attachment is opened by one process, where interleaved shares (`in_shares`) open it in every
    one. Runs cost what their items cost, so they are not fixed: each process takes `chunk` paths at
    a time from the front of its run, and when its run is done, from the far end of the run with the
    most left. Every process ends within a chunk of the others, whatever the items cost.
    """
    import mmap  # here: plain `check` never pays for them
    import tempfile

    with tempfile.TemporaryFile() as lock, mmap.mmap(-1, 16 * jobs) as bounds:
        runs = _Runs(bounds, lock, len(paths), jobs, chunk)
        found = run_shares([functools.partial(_run_share, work, paths, runs, mine) for mine in range(jobs)])
    results: dict[int, T] = {}
    for part in found:
        results.update(part)
    # A child that failed took its claimed paths with it: they are done here (time, never results).
    return [results[i] if i in results else work(paths[i]) for i in range(len(paths))]


class _Runs:
    """Which paths of each run are still to do, shared by forked processes: per run, the next path
    from the front and the end (in an anonymous shared mapping), and a lock the kernel drops when
    its holder dies (a POSIX lock on a temporary file), so a crashed child never blocks the others."""

    def __init__(self, bounds: mmap.mmap, lock: IO[bytes], count: int, jobs: int, chunk: int) -> None:
        self.bounds, self.lock, self.jobs, self.chunk = bounds, lock, jobs, chunk
        cuts = [count * i // jobs for i in range(jobs + 1)]
        for run in range(jobs):
            self._set(run, cuts[run], cuts[run + 1])

    def _get(self, run: int) -> tuple[int, int]:
        lo, hi = struct.unpack_from("qq", self.bounds, 16 * run)
        return lo, hi

    def _set(self, run: int, lo: int, hi: int) -> None:
        struct.pack_into("qq", self.bounds, 16 * run, lo, hi)

    def claim(self, mine: int) -> range | None:
        """The next paths for process `mine`, None when every run is done."""
        fcntl.lockf(self.lock, fcntl.LOCK_EX)
        try:
            lo, hi = self._get(mine)
            if lo < hi:  # my own run, from the front
                self._set(mine, min(lo + self.chunk, hi), hi)
                return range(lo, min(lo + self.chunk, hi))
            run = max(range(self.jobs), key=lambda r: self._get(r)[1] - self._get(r)[0])
            lo, hi = self._get(run)
            if lo >= hi:
                return None
            start = max(hi - self.chunk, lo)  # another's run, from its end: far from where its owner works
            self._set(run, lo, start)
            return range(start, hi)
        finally:
            fcntl.lockf(self.lock, fcntl.LOCK_UN)


def _run_share(work: Callable[[str], T], paths: list[str], runs: _Runs, mine: int) -> dict[int, T]:
    done: dict[int, T] = {}
    while (span := runs.claim(mine)) is not None:
        for i in span:
            done[i] = work(paths[i])
    return done


def _each(work: Callable[[str], T], paths: list[str]) -> list[T]:
    return [work(p) for p in paths]


def scan(
    repo: Repository,
    paths: list[str],
    *,
    now: datetime,
    publish: bool = False,
    keep_items: bool = True,
    jobs: int | None = None,
    safety: bool | None = None,
) -> Scan:
    """`safety` (default: as `publish`): also the PDPA, attachment and link checks (`build` turns it on)."""
    office, office_problems = repo.office()
    if office is None or any(p.severity == "error" for p in office_problems):
        return Scan(None, [], office_problems)
    every = repo.item_paths()
    ctx = context(repo, office, now, every, publish=publish, safety=publish if safety is None else safety)
    selected = set(paths)
    repo_problems = office_problems + [p for p in duplicate_ids(every) if p.path in selected]
    if jobs is None:
        jobs = default_jobs(len(paths))
    if keep_items or jobs < 2 or len(paths) < jobs:
        results = [_check(repo, ctx, path) for path in paths]
        return Scan(office, results, repo_problems, [r.path for r in results if is_pending(r)])

    light = in_shares(functools.partial(_light, repo, ctx), paths, jobs)
    return Scan(
        office,
        [ItemResult(path, problems) for path, problems, _ in light],
        repo_problems,
        [path for path, _, pending in light if pending],
    )
