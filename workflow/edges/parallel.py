"""Share CPU-bound work between this process and forked children: both cores busy.

A child inherits everything already loaded (schemas, office, parsed history) and
sends its result back pickled through a pipe. A child that fails costs time,
never results: its work is done again here.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")


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
