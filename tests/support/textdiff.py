"""Compare a file before and after an edit that may only insert whole lines."""

from __future__ import annotations

import difflib
import re


def lines(text: str) -> list[str]:
    """Lines as the file has them: ended by \\n only (not by U+2028 or other breaks str.splitlines knows)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def inserted_lines(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`; fails if anything else changed."""
    a, b = lines(before), lines(after)
    added: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        assert op in ("equal", "insert"), (op, a[i1:i2], b[j1:j2])
        if op == "insert":
            added += b[j1:j2]
    return added
