"""A body that the site cannot render in bounded time is refused by `check`, before anyone signs it.

Why: the site renders bodies with Python-Markdown (extensions extra, sane_lists, smarty). Its
work is linear for ordinary text, but several of its steps cost the product of two sizes, and
some inputs crash it (measured on this project's pinned version; numbers in docs/safety.md,
"Hostile input"): each `[` reads on to its `]` in a Python loop (100 KB of `[`: over 600 s);
each `<` that starts a tag reads on to its `>` and copies the rest of the document; each
unclosed ``` fence searches to the end; each match of an inline pattern (`*a*`, `'`, `&`, a
link) rebuilds its whole paragraph; smarty's second pass looks up every element among its
siblings (40,000 one-letter paragraphs: 21 s); a heading or rule inside a paragraph re-reads the
rest of it; nested lists, one-line `1. 1. 1.` and runs of `: definitions` recurse until
RecursionError. A build that stalls or crashes on one signed item stops the office's site.

So every body is measured here, in one pass and without rendering, by the quantities those
steps grow with, each an upper bound for its mechanism, and refused (KS017, the line and what to
change) when one passes its limit. Each limit sits where its construct costs about 0.1 to 0.5 s to
render; the worst body found within all of them (1 MiB, each construct at its limit, and
combinations) renders in under a second, a plain 1 MiB body in 0.2 s (bench/hostile_bench.py).
Ordinary items use under 5 % of each. Most bodies are answered from bounds over the whole body
(`_surely_within`); the others are measured paragraph by paragraph. Pure: text in, findings out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# -- the limits (each where its construct costs about 0.1 to 0.5 s to render: docs/safety.md) ----------
MAX_NESTING = 24  # lists, quotes, definitions and markdown-in-HTML inside one another (recursion)
MAX_NESTED_WORK = 4_000_000  # Σ per paragraph: characters × its nesting (each level parses it again)
MAX_BLANK_LINES = 40_000  # each makes an empty block, and every block is taken off the front of a list
MAX_ELEMENTS = 5_000  # paragraphs, list items, links, emphasis, table cells, ...: smarty's pass is quadratic
MAX_PARAGRAPH_WORK = 600_000_000  # Σ per paragraph: marks × (characters + 13 × marks): a rebuild per match
MAX_BRACKET_REACH = 600_000  # Σ over `[` and `](`: characters read to the closing bracket (a Python loop)
MAX_SPLIT_WORK = 4_000_000  # Σ per paragraph: split lines × (characters + 2 × lines): a re-read per split
MAX_HTML_REACH = 3_000_000  # Σ over `<tag`: characters the HTML parser reads to the tag's end
MAX_COPIES = 600_000_000  # Σ over raw HTML and fenced code blocks: characters after each (a copy each)
MAX_FENCE_REACH = 4_000_000  # Σ over ``` and ~~~ lines: characters searched for the closing fence
MAX_ABBREVIATIONS = 50  # `*[ABBR]: ...` definitions (each use becomes an element)

_INLINE_MARKS = "`\\[<&*_'\""  # characters an inline pattern starts at (smarty: quotes)
_PARAGRAPH = re.compile(r"(?:^[ \t]*[^ \t\n][^\n]*(?:\n|\Z))+", re.MULTILINE)  # text between blank lines
# A line that may start an element of its own: heading, quote, list item, rule, fence, definition, reference, code.
_BLOCK_LINE = re.compile(r"\n(?:[ ]{0,3}(?:[#>=:~`<\[*+_-]|\d{1,9}[.)])|[ ]{4}|[ ]{0,3}\t)")
# A line a block processor splits a paragraph at (it searches the whole rest for it, and then re-reads the rest):
# heading, quote, definition, reference or footnote, abbreviation, rule, setext underline. Lists, tables and
# code take the rest of their paragraph whole.
_SPLIT_LINE = re.compile(r"\n[ ]{0,3}(?:[#>:=\[]|\*\[|-+[ ]*$|[-*_](?:[ ]*[-*_]){2})", re.MULTILINE)
# Markers that open a container whose content is parsed as blocks again: quote, list item, definition, footnote.
_OPENER = r">|[-*+:](?=[ \t])|\d{1,9}[.)](?=[ \t])|\[\^[^\]\n]*\]:"
_CONTAINERS = re.compile(rf"\n([ \t]*)((?:(?:{_OPENER})[ \t]*)+)")
_CONTAINER = re.compile(_OPENER)
_RULE = re.compile(r"[ ]{0,3}([-*_])(?:[ ]*\1){2,}[ ]*")
_DEFINITION = re.compile(r"\n[ ]{0,3}:[ ]{1,3}")
_TABLE_ROW = re.compile(r"^[^\n]*\|[^\n]*$", re.MULTILINE)
_BRACKET_TOKEN = re.compile(r"\\.|<!|[\[\]`]", re.DOTALL)
_PAREN_TOKEN = re.compile(r"\\.|<!|\]\(|[\[`()'\"]", re.DOTALL)
# What earlier inline patterns replace by a longer placeholder (STX klzzwxh:NNNN ETX) before links are read
# (escapes, code spans, footnote references, links already read): each makes a bracket's reach this much longer.
_GROWTH = 13
_QUOTE = re.compile(r"['\"]")
_HTML_OPEN = re.compile(r"<(?:!--|!\[CDATA\[|[?!/A-Za-z])")
_HTML_END = {"<!--": "-->", "<![CDATA[": "]]>", "<?": "?>"}
_HTML_QUOTES = 64  # quoted attribute values followed per tag before assuming the worst
_MD_IN_HTML = re.compile(r"<[A-Za-z][^<>]*\smarkdown\b", re.IGNORECASE)
_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})", re.MULTILINE)
_FENCE_CLOSE = re.compile(r"^(`{3,}|~{3,})[ ]*$", re.MULTILINE)
_ABBREVIATION = re.compile(r"^\*\[([^\]\n]*)\][ ]?:", re.MULTILINE)


@dataclass(frozen=True)
class Excess:
    """One limit passed: the body line (1-based) to look at, what is wrong there and what to change (Thai)."""

    line: int
    detail: str
    hint: str


@dataclass
class Reach:
    """A quantity and the body line (1-based) a person should look at first: the start of its
    largest part for sums, the deepest line for nesting, where the count passed for elements."""

    total: int = 0
    at: int = 1
    part: int = -1

    def add(self, amount: int, at: int) -> None:
        self.total += amount
        if amount > self.part:
            self.part, self.at = amount, at


@dataclass
class Measures:
    """What rendering a body costs, in the units the limits are stated in."""

    depth: Reach = field(default_factory=Reach)
    nested: Reach = field(default_factory=Reach)
    blank: Reach = field(default_factory=Reach)
    abbreviations: Reach = field(default_factory=Reach)
    elements: Reach = field(default_factory=Reach)
    paragraph: Reach = field(default_factory=Reach)
    brackets: Reach = field(default_factory=Reach)
    splits: Reach = field(default_factory=Reach)
    html: Reach = field(default_factory=Reach)
    copies: Reach = field(default_factory=Reach)
    fences: Reach = field(default_factory=Reach)

    def count(self, elements: int, line: int) -> None:
        if self.elements.total <= MAX_ELEMENTS < self.elements.total + elements:
            self.elements.at = line  # where the count passed
        self.elements.total += elements


def measure(body: str) -> Measures:
    """Every quantity of `body`: one pass over its paragraphs (stopped once the elements are too many:
    each paragraph is one), one over its raw HTML, one over its fences."""
    measures = Measures()
    line, last, after = 1, 0, 1  # `after`: the first line after the last paragraph
    for match in _PARAGRAPH.finditer(body):
        line += body.count("\n", last, match.start())
        last = match.start()
        measures.blank.add(line - after, after)
        after = line + _paragraph(match.group(), line, measures)
        if measures.elements.total > MAX_ELEMENTS:
            break
    else:
        measures.blank.add(body.count("\n", last) + line - after + (0 if body.endswith("\n") else 1), after)
    nested_html = len(_MD_IN_HTML.findall(body))
    if nested_html:
        measures.depth.total += nested_html
    _abbreviations(body, measures)
    _html(body, measures)
    _fences(body, measures)
    return measures


def excesses(body: str) -> list[Excess]:
    """Every limit `body` passes, at most one finding a line (the most specific limit there), in a fixed order."""
    return [] if _surely_within(body) else findings(measure(body))


def findings(measures: Measures) -> list[Excess]:
    """The limits `measures` pass, at most one finding a line (the first limit in `_LIMITS` there)."""
    found: dict[int, Excess] = {}
    for name, limit, detail, hint in _LIMITS:
        reach: Reach = getattr(measures, name)
        if reach.total > limit and reach.at not in found:
            found[reach.at] = Excess(reach.at, detail.format(total=reach.total, limit=limit), hint.format(limit=limit))
    return list(found.values())


def _surely_within(body: str) -> bool:
    """Whether bounds taken over the whole body (each at least the sum over its paragraphs) are all within
    the limits: what nearly every item is, decided in a few passes instead of one per paragraph."""
    if "<" in body or "```" in body or "~~~" in body or "*[" in body:
        return False  # raw HTML, fences and abbreviations are measured over the whole body anyway
    size, lines = len(body), body.count("\n") + 1
    marks = sum(map(body.count, _INLINE_MARKS)) + body.count("--") + body.count("...") + body.count("  \n")
    readers = body.count("[") + body.count("](")
    grown = size + _GROWTH * (body.count("[") + body.count("\\") + body.count("`"))
    inline = body.count("[") + 4 * body.count("[^") + body.count("  \n")
    inline += (body.count("*") + body.count("_") + body.count("`")) // 2
    elements = lines + 2 * _count_lines(_BLOCK_LINE, body) + inline + _table_cells(body, lines)
    depth = _depth(body)[0]
    return (
        marks * (size + _GROWTH * marks) <= MAX_PARAGRAPH_WORK
        and _count_lines(_SPLIT_LINE, body) * (size + 2 * lines) <= MAX_SPLIT_WORK
        and readers * grown <= MAX_BRACKET_REACH
        and elements <= MAX_ELEMENTS
        and lines <= MAX_BLANK_LINES
        and depth <= MAX_NESTING
        and size * depth <= MAX_NESTED_WORK
    )


# -- one paragraph (the text between blank lines: no inline text crosses one) -----------------


def _paragraph(text: str, line: int, measures: Measures) -> int:
    """Adds the paragraph's quantities; returns its number of lines."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    breaks = text.count("  \n")
    marks = sum(map(text.count, _INLINE_MARKS)) + text.count("--") + text.count("...") + breaks
    blocks = _count_lines(_BLOCK_LINE, text)
    splits = _count_lines(_SPLIT_LINE, text) if blocks else 0
    measures.paragraph.add(marks * (len(text) + _GROWTH * marks), line)  # each match: a placeholder, a rebuild
    measures.splits.add(splits * (len(text) + 2 * lines), line)
    inline = text.count("[") + 4 * text.count("[^") + text.count("<") + breaks
    inline += (text.count("*") + text.count("_") + text.count("`")) // 2
    measures.count(1 + 2 * blocks + inline + _table_cells(text, lines), line)
    if "[" in text:
        reach, offset = _reach(text, MAX_BRACKET_REACH - measures.brackets.total)
        measures.brackets.add(reach, line + text.count("\n", 0, offset))
    if blocks:
        depth, offset = _depth(text)
        measures.nested.add(len(text) * depth, line)
        if depth > measures.depth.total and measures.depth.total <= MAX_NESTING:  # the first paragraph past it
            measures.depth.total, measures.depth.at = depth, line + text.count("\n", 0, offset)
    return lines


def _count_lines(pattern: re.Pattern[str], text: str) -> int:
    """Lines of `text` that start with `pattern` (a pattern that begins with the newline before a line)."""
    return len(pattern.findall("\n" + text))


def _table_cells(text: str, lines: int) -> int:
    """A table makes every row as wide as its widest row: cells and rows, when any line has a `|`."""
    if "|" not in text:
        return 0
    rows: list[str] = _TABLE_ROW.findall(text)
    widest = max(row.count("|") for row in rows)
    return (widest + 2) * lines


def _depth(text: str) -> tuple[int, int]:
    """The paragraph's nesting (its deepest line's containers, and that line's indent when it opens one;
    each `: definition` nests the ones after it once more) and the offset of the first line past the
    limit (of the deepest line when none is)."""
    deepest, at, over = 0, 0, -1
    for match in _CONTAINERS.finditer("\n" + text):  # line patterns start at a newline: found far faster than `^`
        stop = text.find("\n", match.start())
        if _RULE.fullmatch(text, match.start(), stop if stop >= 0 else len(text)):
            continue  # `- - -` is a rule, not three lists
        depth = len(match.group(1).expandtabs(4)) // 4 + len(_CONTAINER.findall(match.group(2)))
        if depth > deepest:
            deepest, at = depth, match.start()
        if depth > MAX_NESTING and over < 0:
            over = match.start()
    definitions = [m.start() for m in _DEFINITION.finditer("\n" + text)]
    if over < 0 and deepest + len(definitions) > MAX_NESTING:
        over = definitions[max(0, MAX_NESTING - deepest)]
    return deepest + len(definitions), over if over >= 0 else at


class _Readers:
    """Readers that each start at an offset and read on to where they stop: the sum of what they read,
    the start of the longest, and `over`: whether the sum already passes the budget, counting each one
    still reading up to `here` (so that a paragraph of a million `[` is refused without reading them all)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.total = 0
        self.longest, self.at = -1, 0
        self.reading, self.started = 0, 0  # how many still read, and the sum of their starts

    def start(self, at: int) -> None:
        self.reading += 1
        self.started += at

    def stop(self, start: int, stop: int, raw: int) -> None:
        self.reading -= 1
        self.started -= start
        self.total += stop - start
        if stop - start > self.longest:
            self.longest, self.at = stop - start, raw

    def over(self, here: int) -> bool:
        return self.total + self.reading * here - self.started > self.budget


def _reach(text: str, budget: int) -> tuple[int, int]:
    """Characters read from each `[` to its `]` (Python-Markdown's bracket count) and from each `](` to
    its `)`, to the paragraph's end when never closed, counting each placeholder an earlier pattern put
    in between at its length; and the offset of the furthest reader. Stops once past `budget`."""
    readers = _Readers(budget)
    _brackets(text, readers)
    if "](" in text and not readers.over(0):
        _parentheses(text, readers)
    return readers.total, readers.at


def _brackets(text: str, readers: _Readers) -> None:
    """Each `[` reads to the `]` that brings the count back to zero, else to the end. Code spans hide
    brackets from that count: with a backtick in the paragraph, every `[` reads to the end."""
    code = "`" in text
    grown = 0
    stack: list[tuple[int, int]] = []  # (start, raw offset) of the open brackets
    here = 0
    for token in _BRACKET_TOKEN.finditer(text):
        mark, raw = token.group(), token.start()
        here = raw + grown
        if mark == "[":
            stack.append((here, raw))
            readers.start(here)
            grown += _GROWTH
        elif mark == "]":
            if stack and not code:
                start, first = stack.pop()
                readers.stop(start, here, first)
        else:  # an escape, a code span's backtick, a comment: a placeholder in front of the links
            grown += _GROWTH
        if readers.over(here):
            break
    else:
        here = len(text) + grown
    for start, first in stack:
        readers.stop(start, here, first)


_Open = tuple[int, int, int]  # an open `(`: start, raw offset (-1 unless a link's), quotes seen before it


def _parentheses(text: str, readers: _Readers) -> None:
    """Each `](` reads to its `)`, or to the end when a quote comes first (a link title: Python-Markdown
    then reads on for the quote's partner)."""
    grown, quotes, here = 0, 0, 0
    stack: list[_Open] = []
    quoted: list[tuple[int, int]] = []  # closed after a quote: reading to the end
    for token in _PAREN_TOKEN.finditer(text):
        mark, raw = token.group(), token.start()
        here = raw + grown
        if mark == "](":
            stack.append((here + 1, raw + 1, quotes))
            readers.start(here + 1)
        elif mark == "(":
            stack.append((here, -1, quotes))
        elif mark == ")":
            if stack:
                _close(stack.pop(), here, quotes, readers, quoted)
        elif mark in "'\"":
            quotes += 1
        else:
            grown += _GROWTH
        if readers.over(here):
            break
    else:
        here = len(text) + grown
    for start, first in [(s, f) for s, f, _ in stack if f >= 0] + quoted:
        readers.stop(start, here, first)


def _close(opened: _Open, here: int, quotes: int, readers: _Readers, quoted: list[tuple[int, int]]) -> None:
    """A `)`: a link it closes stops reading there, unless a quote came after the link began."""
    start, first, before = opened
    if first < 0:
        return
    if before == quotes:
        readers.stop(start, here, first)
    else:
        quoted.append((start, first))


# -- the whole body: raw HTML and fences are read before there are paragraphs ------------------


def _html(body: str, measures: Measures) -> None:
    """Each `<` that starts a tag, comment or declaration is read by the HTML parser to its end, and
    each one found copies the rest of the body: both summed (and no further once either is too much)."""
    if "<" not in body:
        return
    end = len(body)
    ends = {mark: [m.start() for m in re.finditer(re.escape(close), body)] for mark, close in _HTML_END.items()}
    closers = [m.start() for m in re.finditer(">", body)]
    quotes = [m.start() for m in _QUOTE.finditer(body)]
    for match in _HTML_OPEN.finditer(body):
        start, mark = match.start(), match.group()
        stop = _next(ends[mark], start, end) if mark in ends else _tag_end(closers, quotes, start, end)
        measures.html.add(stop - start, start)
        measures.copies.add(end - start, start)
        if measures.html.total > MAX_HTML_REACH or measures.copies.total > MAX_COPIES:
            break
    measures.html.at = _line_at(body, measures.html.at)
    measures.copies.at = _line_at(body, measures.copies.at)


def _tag_end(closers: list[int], quotes: list[int], start: int, end: int) -> int:
    """The `>` that ends the tag at `start`, past quoted attribute values (a quoted `>` does not end it)."""
    position = start
    for _ in range(_HTML_QUOTES):
        stop = _next(closers, position, end)
        quote = _next(quotes, position, end)
        if quote > stop:
            return stop
        position = _next(quotes, quote, end)  # the quote's partner (either kind: an upper bound)
        if position >= end:
            return end
    return end


def _next(positions: list[int], after: int, end: int) -> int:
    """The first of the sorted `positions` after `after`, else `end`."""
    index = bisect_right(positions, after)
    return positions[index] if index < len(positions) else end


def _fences(body: str, measures: Measures) -> None:
    """A ``` or ~~~ line is searched forward for the same fence (to the end of the body when there is
    none), and each fenced block found copies the rest of the body."""
    if "```" not in body and "~~~" not in body:
        return
    closes: dict[str, list[int]] = {}
    for match in _FENCE_CLOSE.finditer(body):
        closes.setdefault(match.group(1), []).append(match.start())
    end = len(body)
    for match in _FENCE_OPEN.finditer(body):
        stop = _next(closes.get(match.group(1), []), match.end(), end)
        measures.fences.add(stop - match.start(), match.start())
        measures.copies.add(end - match.start(), match.start())
        if measures.fences.total > MAX_FENCE_REACH or measures.copies.total > MAX_COPIES:
            break
    measures.fences.at = _line_at(body, measures.fences.at)


def _abbreviations(body: str, measures: Measures) -> None:
    """`*[ABBR]: title` makes each ABBR in the text an element: the definitions are counted, and their uses."""
    if "*[" not in body:
        return
    terms = [(m.group(1), m.start()) for m in _ABBREVIATION.finditer(body)]
    measures.abbreviations.total = len(terms)
    if len(terms) > MAX_ABBREVIATIONS:
        measures.abbreviations.at = _line_at(body, terms[MAX_ABBREVIATIONS][1])
        return
    for term, start in terms:
        measures.count(body.count(term) if term else len(body) + 1, _line_at(body, start))


def _line_at(body: str, offset: int) -> int:
    return body.count("\n", 0, offset) + 1


# -- the findings, in Thai: what passed, and what to change -------------------------------------

# In this order: the most specific first. One finding a line: the first that names it says what to change.
_LIMITS: tuple[tuple[str, int, str, str], ...] = (
    (
        "depth",
        MAX_NESTING,
        "ซ้อนกัน {total:,} ชั้น เกิน {limit:,} ชั้น (รายการย่อย คำพูด > นิยามศัพท์ : หรือ markdown ในแท็ก HTML)",
        "ลดการซ้อนของรายการย่อยและ > ให้ไม่เกิน {limit} ชั้น และเว้นบรรทัดว่างระหว่างนิยามศัพท์ที่ขึ้นต้นด้วย : แต่ละข้อ",
    ),
    (
        "brackets",
        MAX_BRACKET_REACH,
        "วงเล็บ [ หรือ ]( ในบรรทัดนี้ไม่มีวงเล็บปิดในย่อหน้าเดียวกัน หรือปิดไกลมาก (ต้องอ่านรวม {total:,} ตัวอักษร เกิน {limit:,})",
        "ปิดวงเล็บให้ครบคู่ในย่อหน้าเดียวกัน เช่น [ข้อความ](https://...) หรือใส่ \\ หน้า [ ถ้าหมายถึงวงเล็บธรรมดา",
    ),
    (
        "html",
        MAX_HTML_REACH,
        "แท็ก HTML ที่เริ่มด้วย < ในบรรทัดนี้ไม่มี > ปิด หรือปิดไกลมาก (ต้องอ่านรวม {total:,} ตัวอักษร เกิน {limit:,})",
        "ปิดแท็กให้ครบ หรือเขียน &lt; แทน < ถ้าหมายถึงเครื่องหมายน้อยกว่า",
    ),
    (
        "fences",
        MAX_FENCE_REACH,
        "บล็อกโค้ดที่เปิดด้วย ``` หรือ ~~~ ในบรรทัดนี้ไม่ได้ปิด (ต้องค้นรวม {total:,} ตัวอักษร เกิน {limit:,})",
        "ปิดบล็อกโค้ดด้วยบรรทัดที่มีเครื่องหมายชนิดเดียวกันและจำนวนเท่ากัน (เช่น ```) หรือลบบรรทัดเปิดที่เกินมา",
    ),
    (
        "blank",
        MAX_BLANK_LINES,
        "มีบรรทัดว่าง {total:,} บรรทัด เกิน {limit:,} (ช่วงที่ยาวที่สุดเริ่มบรรทัดนี้)",
        "ลบบรรทัดว่างที่เกินมา: ระหว่างย่อหน้าใช้บรรทัดว่างบรรทัดเดียวก็พอ",
    ),
    (
        "abbreviations",
        MAX_ABBREVIATIONS,
        "นิยามคำย่อ (*[คำย่อ]: ...) {total:,} รายการ เกิน {limit:,}",
        "ใช้นิยามคำย่อไม่เกิน {limit} รายการ หรือเขียนคำเต็มไว้ในวงเล็บแทน",
    ),
    (
        "splits",
        MAX_SPLIT_WORK,
        "ย่อหน้าที่เริ่มบรรทัดนี้มีบรรทัดที่ขึ้นต้นด้วยเครื่องหมาย Markdown (# - * > : ``` ตัวเลข.) "
        "ติดกันมากเกินไปโดยไม่มีบรรทัดว่าง ({total:,} หน่วย เกิน {limit:,})",
        "เว้นบรรทัดว่างระหว่างหัวข้อ รายการ และย่อหน้า หรือแบ่งรายการยาวเป็นหลายชุด",
    ),
    (
        "nested",
        MAX_NESTED_WORK,
        "ข้อความยาวที่อยู่ในรายการย่อยหรือคำพูด > ซ้อนหลายชั้น ({total:,} หน่วย เกิน {limit:,})",
        "ลดชั้นการซ้อน หรือนำข้อความยาวออกมาเป็นย่อหน้าปกติ",
    ),
    (
        "paragraph",
        MAX_PARAGRAPH_WORK,
        "ย่อหน้าที่เริ่มบรรทัดนี้ยาวและมีเครื่องหมาย Markdown (* _ ` [ < & ' \") มากเกินไป ({total:,} หน่วย เกิน {limit:,})",
        "แบ่งย่อหน้ายาวด้วยบรรทัดว่าง ลดเครื่องหมายที่ไม่จำเป็น หรือย้ายเนื้อหายาวไปเป็นไฟล์แนบ",
    ),
    (
        "copies",
        MAX_COPIES,
        "มีแท็ก HTML หรือบล็อกโค้ด ``` มากเกินไปสำหรับเนื้อหาที่ยาวขนาดนี้ ({total:,} หน่วย เกิน {limit:,})",
        "เขียนด้วย Markdown แทนแท็ก HTML แบ่งเนื้อหาเป็นหลายรายการ หรือเขียน &lt; แทน < ในข้อความ",
    ),
    (
        "elements",
        MAX_ELEMENTS,
        "มีองค์ประกอบ (ย่อหน้า รายการ ลิงก์ ตัวเน้น เซลล์ตาราง ฯลฯ) ราว {total:,} ชิ้น เกิน {limit:,} (เกินที่บรรทัดนี้)",
        "แบ่งเนื้อหาเป็นหลายรายการ หรือย้ายตารางและเนื้อหายาวไปเป็นไฟล์แนบ PDF ใต้ content/files/",
    ),
)
