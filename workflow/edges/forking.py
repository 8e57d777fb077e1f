"""Share CPU-bound work between this process and forked children: both cores busy.

A child inherits everything already loaded (schemas, office, parsed history) and
sends its result back pickled through a pipe. A child that fails costs time,
never results: its work is done again here.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any


def run_shares(works: Sequence[Callable[[], Any]]) -> list[Any]:
    """`works[0]` in this process, each other one in a forked child; results in the same order."""
    children: list[tuple[int, int, Callable[[], Any]]] = []
    for work in works[1:]:
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
        children.append((pid, read_end, work))
    received: list[tuple[int, bytes, Callable[[], Any]]] = []
    try:
        mine = works[0]()
    finally:  # always reap the children, even when this share fails
        for pid, read_end, work in children:
            with os.fdopen(read_end, "rb") as handle:
                data = handle.read()
            _, status = os.waitpid(pid, 0)
            received.append((status, data, work))
    return [mine, *(pickle.loads(data) if status == 0 and data else work() for status, data, work in received)]
