"""Share CPU-bound work between this process and forked children: both cores busy.

Every "when and how to fork" decision lives here: `default_jobs` (how many processes
check a number of items), `fork_history` (walk git history in two), `idle_cores` (is a
core free at all; also asked before splitting `git log` in two), and the ways work is
shared out (`run_shares`, `in_shares`, `in_runs`, `Forked`).

A child inherits everything already loaded (schemas, office, parsed history) and
sends its result back pickled through a pipe. A child that fails costs time,
never results: its work is done again here.
"""

from __future__ import annotations

import fcntl
import functools
import os
import pickle
import struct
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    import mmap

T = TypeVar("T")
S = TypeVar("S")

PARALLEL_MIN = 500  # items: below this, forking costs more than it saves (2 cores: break-even near 200)
PER_WORKER_MIN = 250  # by default, no more workers than items / this: a fork must pay for itself


def default_jobs(count: int) -> int:
    """How many processes check `count` items by default: forking only when it pays for itself."""
    return 1 if count < PARALLEL_MIN else min(os.cpu_count() or 1, count // PER_WORKER_MIN)


def idle_cores() -> float:
    """Cores nobody else is using (1-minute load average): a second process helps only on an idle one.

    Measured on the shared 2-core machine under a load of 6: forking made the run slower,
    as every process then queues for the same two cores.
    """
    cores = os.cpu_count() or 1
    try:
        return cores - os.getloadavg()[0]
    except OSError:
        return cores - 1


HISTORY_FORK_FROM = 2000  # commits: below this a second process costs more than it saves
HISTORY_FORK_FRESH = 1000  # item versions not in the history cache: below this, forking costs more than it saves


def fork_history(commits: int, fresh: Callable[[], int] | None) -> bool:
    """Walk the history in two processes? A long one, with much the cache does not hold (`fresh`
    counts it; None: no cache), on an idle core."""
    return (
        commits >= HISTORY_FORK_FROM
        and hasattr(os, "fork")
        and idle_cores() >= 1
        and (fresh is None or fresh() >= HISTORY_FORK_FRESH)
    )


class Forked(Generic[T]):
    """`work` started now in a forked child; `result()` waits for it (or does it here if the child failed)."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: work, send, leave without running the parent's cleanup
            code = 1
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    pickle.dump(work(), out, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid, self.read_end = pid, read_end
        self.status: int | None = None
        self.data = b""

    def reap(self) -> None:
        """Read what the child sent and wait for it; safe to call more than once."""
        if self.status is None:
            with os.fdopen(self.read_end, "rb") as handle:
                self.data = handle.read()
            _, self.status = os.waitpid(self.pid, 0)

    def result(self) -> T:
        self.reap()
        if self.status == 0 and self.data:
            found: T = pickle.loads(self.data)
            return found
        return self.work()


def run_shares(works: Sequence[Callable[[], Any]]) -> list[Any]:
    """`works[0]` in this process, each other one in a forked child; results in the same order."""
    children = [Forked(work) for work in works[1:]]
    try:
        mine = works[0]()
    finally:  # always reap the children, even when this share fails
        for child in children:
            child.reap()
    return [mine, *(child.result() for child in children)]


def in_shares(work: Callable[[S], T], items: Sequence[S], jobs: int) -> list[T]:
    """`work` for each item, in order: every `jobs`-th item to each share (interleaved: paths are
    sorted, and news costs more than a clipping), one share here and the others in forked children."""
    shares = [items[i::jobs] for i in range(jobs)]
    done = run_shares([functools.partial(_each, work, share) for share in shares])
    return [done[index % jobs][index // jobs] for index in range(len(items))]


def _each(work: Callable[[S], T], items: Sequence[S]) -> list[T]:
    return [work(item) for item in items]


def in_runs(work: Callable[[S], T], items: Sequence[S], jobs: int, *, chunk: int = 8) -> list[T]:
    """`work` for each item, in order, in `jobs` processes (this one and forked children), each
    mostly on its own run of consecutive items.

    For the safety checks: the items of one folder name the same attachments, so in runs each
    attachment is opened by one process, where interleaved shares (`in_shares`) open it in every
    one. Runs cost what their items cost, so they are not fixed: each process takes `chunk` items at
    a time from the front of its run, and when its run is done, from the far end of the run with the
    most left. Every process ends within a chunk of the others, whatever the items cost.
    """
    import mmap  # here: plain `check` never pays for them
    import tempfile

    with tempfile.TemporaryFile() as lock, mmap.mmap(-1, 16 * jobs) as bounds:
        runs = _Runs(bounds, lock, len(items), jobs, chunk)
        found = run_shares([functools.partial(_run_share, work, items, runs, mine) for mine in range(jobs)])
    results: dict[int, T] = {}
    for part in found:
        results.update(part)
    # A child that failed took its claimed items with it: they are done here (time, never results).
    return [results[i] if i in results else work(items[i]) for i in range(len(items))]


class _Runs:
    """Which items of each run are still to do, shared by forked processes: per run, the next item
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
        """The next items for process `mine`, None when every run is done."""
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


def _run_share(work: Callable[[S], T], items: Sequence[S], runs: _Runs, mine: int) -> dict[int, T]:
    done: dict[int, T] = {}
    while (span := runs.claim(mine)) is not None:
        for i in span:
            done[i] = work(items[i])
    return done
