"""Hostile item bodies and front matter, shared by the tests and bench/hostile_bench.py.

`attacks(size)`: what an attacker would sign, about `size` bytes of each kind (Markdown constructs
that make Python-Markdown superlinear or crash it, and front matter that made the check slow).
`near_limits()`: for each Markdown construct, the longest body of it that still passes every limit
of `workflow/core/markdown_limits.py` (the worst an office could publish), with a plain tail.
`under_every_limit()`: one body close to several limits at once, which a real build must render.
"""

from __future__ import annotations

from collections.abc import Callable

from workflow.core.markdown_limits import excesses

PLAIN = "การประชุมผู้บริหารสถานศึกษา ครั้งที่ 11/2569 ณ ห้องประชุมสำนักงาน "  # 178 bytes of ordinary Thai


def plain_body(size: int) -> str:
    """Ordinary paragraphs (about 2 KB each) up to about `size` bytes."""
    paragraph = PLAIN * 11 + "\n\n"
    return paragraph * max(1, size // len(paragraph.encode()))


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: unit * max(1, size // len(unit.encode()))


def _lines(line: Callable[[int], str]) -> Callable[[int], str]:
    def make(size: int) -> str:
        out, used, index = [], 0, 0
        while used < size:
            text = line(index) + "\n"
            out.append(text)
            used += len(text)
            index += 1
        return "".join(out)

    return make


def _table(size: int) -> str:
    columns = size // 8
    return "a|" * columns + "a\n" + "-|" * columns + "-\n" + "x\n" * (size // 4 // 2)


# Each: bytes → a body of about that size. The comment says what Python-Markdown does with it.
ATTACKS: dict[str, Callable[[int], str]] = {
    "md-brackets": _repeat("["),  # each `[` reads to the end in a Python loop: 100 KB over 600 s
    "md-image-parens": _repeat("![]("),  # the same, and `(` read to the end too
    "md-emphasis": _repeat("*a"),  # a match and a rebuild of the paragraph per `*a*`
    "md-underscores": _repeat("__a"),
    "md-smart-quotes": _repeat("'"),  # smarty: a placeholder per quote, the paragraph rebuilt each time
    "md-backticks": _repeat("`a"),
    "md-backtick-runs": lambda size: " ".join("`" * k for k in range(1, 1 + int((2 * size) ** 0.5))),
    "md-html-open": _repeat("<a "),  # each unclosed tag read to the end by the HTML parser
    "md-html-blocks": _repeat("<div>x</div>\n\n"),  # each block copies the rest of the body
    "md-nested-lists": _lines(lambda i: "    " * i + "- x"),  # RecursionError past ~250 levels
    "md-one-line-lists": _repeat("1. "),  # `1. 1. 1. x`: RecursionError
    "md-definitions": _repeat("term\n: definition\n"),  # each definition nests the next: RecursionError
    "md-blockquotes": _repeat(">" * 200 + " x\n"),
    "md-tiny-paragraphs": _repeat("x\n\n"),  # smarty looks each element up among its siblings
    "md-blank-lines": lambda size: "x" + "\n" * size + "y\n",  # each an empty block taken off a list's front
    "md-headings": _repeat("# x\n"),  # each heading re-reads the rest of its paragraph
    "md-wide-table": _table,  # every row as wide as the header
    "md-fences": _repeat("~~~ x\n\n"),  # each unclosed fence searched to the end
    "md-abbreviations": _lines(lambda i: f"*[A{i}]: x"),
    "md-references": _lines(lambda i: f"[r{i}]: https://example.go.th/{i}"),
    "md-links": _repeat("[a](b) "),
}


def attacks(size: int) -> dict[str, str]:
    """Every kind of hostile Markdown body, about `size` bytes each."""
    return {name: make(size) for name, make in ATTACKS.items()}


# Motifs repeated as often as the limits allow: the worst bodies that still pass.
NEAR: dict[str, tuple[str, str]] = {  # name: (prefix, motif)
    "brackets": ("", "["),
    "image-parens": ("", "![]("),
    "emphasis": ("", "*a"),
    "emphasis-pairs": ("", "*a* "),
    "smart-quotes": ("", "'"),
    "backticks": ("", "`a"),
    "html-open": ("", "<a "),
    "html-blocks": ("", "<div>x</div>\n\n"),
    "tiny-paragraphs": ("", "x\n\n"),
    "blank-lines": ("x", "\n"),
    "headings": ("", "# x\n"),
    "setext": ("", "x\n===\n"),
    "single-column-table": ("", "\n# |"),
    "links": ("", "[a](b) "),
    "list-items": ("", "- x\n"),
    "table-rows": ("a|b\n-|-\n", "x|y\n"),
    "deep-quotes": ("", ">" * 24 + " x\n\n"),
    "definitions": ("", "term\n: definition\n\n"),
    "fences": ("", "~~~ x\n\n"),
    "abbreviation-uses": ("*[A]: x\n\n", "A "),
}


def largest_passing(prefix: str, motif: str, tail: str = "", cap: int = 1 << 20) -> str:
    """`prefix + motif * n + tail` for the largest n (up to `cap` bytes) that passes every limit."""

    def body(n: int) -> str:
        return prefix + motif * n + tail

    high = max(1, (cap - len((prefix + tail).encode())) // len(motif.encode()))
    if not excesses(body(high)):
        return body(high)
    low = 0
    while low < high - 1:
        middle = (low + high) // 2
        if excesses(body(middle)):
            high = middle
        else:
            low = middle
    return body(low)


def near_limits(tail_bytes: int = 100_000, cap: int = 1 << 20) -> dict[str, str]:
    """For each construct, the longest body of it (up to `cap` bytes) that passes every limit, followed
    by plain paragraphs."""
    tail = plain_body(tail_bytes)
    return {name: largest_passing(prefix, motif, tail, cap) for name, (prefix, motif) in NEAR.items()}


def under_every_limit() -> str:
    """One body close to several limits at once (brackets, nesting, blank lines, quotes, fences, splits, HTML)."""
    parts = [
        PLAIN + "\n\n",
        "[" * 250 + "\n\n",  # bracket reach ~440,000 of 600,000
        "".join("    " * level + "- ระดับ\n" for level in range(24)) + "\n",  # nesting 24 of 24
        "'" * 6000 + "\n\n",  # paragraph work ~5.0e8 of 6e8
        "# หัวข้อ\n" * 300 + "\n",  # split work ~1.5e6 of 4e6
        "\n" * 30_000,  # blank lines ~30,000 of 40,000
        "~~~ x\n\n" * 40,  # fence reach ~2.5e6 of 4e6
        plain_body(20_000),
        "<a " * 1000 + "\n",  # HTML reach ~1.5e6 of 3e6 (last: no `>` after it)
    ]
    return "".join(parts)
