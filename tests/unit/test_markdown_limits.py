"""The Markdown limits (KS017): each refuses what makes the site's renderer superlinear, at the line to
change, and lets through what an office writes; and line numbers for many problems cost linear time.

Times are bounded with CPU time, generously (time.process_time(): not the machine's load); what the
limits buy in render time is measured by bench/hostile_bench.py, not here.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.hostile import ATTACKS, near_limits, under_every_limit
from support.items import item_text

from workflow.core import markdown_limits as limits
from workflow.core.markdown_limits import excesses, measure
from workflow.core.problems import problem
from workflow.core.source import split
from workflow.core.structure import Item
from workflow.core.validate import body_problems, locate, parse_item
from workflow.core.yamlparse import MAX_ITEM_VALUES

PROJECT = Path(__file__).resolve().parents[2]


def lines_of(body: str) -> list[int]:
    return [e.line for e in excesses(body)]


# -- each limit: just past it is refused at its line, just under it is not ------------------------


def test_unclosed_brackets():
    assert lines_of("ข่าว\n\n" + "[" * 400 + "\n") == [3]
    assert lines_of("ข่าว\n\n" + "[" * 200 + "\n") == []


def test_a_closed_link_reads_only_to_its_bracket():
    assert lines_of(("[ลิงก์](https://example.go.th/a) " * 30 + "\n\n") * 150) == []


def test_escapes_lengthen_what_a_bracket_reads():
    """Each `\\>` becomes a 14-character placeholder before links are read: 7 times the distance."""
    assert measure("[" + "\\>" * 1000).brackets.total > 13 * 1000


def test_a_link_title_quote_reads_to_the_end():
    text = "[a](b 'title" + "x" * 1000
    assert measure(text).brackets.total >= 1000


def test_html_tag_never_closed():
    assert lines_of("ข่าว\n<a " + "x" * 10 + "\n\n" + "y" * 3_100_000) == [2]
    assert lines_of("<b>ตัวหนา</b> " * 2000) == []


def test_a_quoted_greater_than_does_not_end_a_tag():
    body = "<a title='>' " + "x" * 3_100_000
    assert lines_of(body) == [1]


def test_fences_never_closed():
    body = "ข่าว\n\n" + "~~~ x\n\n" * 100 + "y" * 50_000
    assert lines_of(body) == [3]
    assert lines_of("```\ncode\n```\n\n" * 300) == []


def test_nesting_says_the_first_line_past_the_limit():
    body = "".join("    " * level + "- ระดับ\n" for level in range(30))
    assert lines_of(body) == [limits.MAX_NESTING + 1]
    assert lines_of("".join("    " * level + "- ระดับ\n" for level in range(limits.MAX_NESTING))) == []


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("1. " * 600 + "x\n", 1),  # one line of list markers: a list in a list ...
        ("> " * 100 + "x\n", 1),
        ("ข่าว\n: " + "> " * 100 + "x\n", 2),  # a definition whose text is a deep quote
        ("[^1]: " + "> " * 100 + "x\n", 1),  # a footnote's text
        ("term\n: def\n" * 40, 2 * (limits.MAX_NESTING - 1) + 2),  # each definition nests the next
    ],
)
def test_nesting_that_crashes_the_renderer(body, line):
    assert lines_of(body) == [line]


def test_a_rule_of_dashes_is_not_nesting():
    assert lines_of(("- " * 40).strip() + "\n\nข่าว\n") == []


def test_many_elements_say_where_the_count_passes():
    assert lines_of("x\n\n" * 6000) == [2 * limits.MAX_ELEMENTS + 1]
    assert lines_of("x\n\n" * 4000) == []


def test_blank_lines_say_where_the_longest_run_starts():
    assert lines_of("a\n\n\nb\n" + "\n" * 41_000 + "c\n") == [5]


def test_splits_and_paragraph_work():
    assert lines_of("ข่าว\n\n" + "# x\n" * 3000) == [3]
    assert lines_of("ข่าว\n\n" + "'" * 7000) == [3]
    assert lines_of(("# หัวข้อ\n\nเนื้อหา\n\n") * 500) == []


def test_abbreviations():
    body = "".join(f"*[A{i}]: ย่อ\n" for i in range(60))
    assert lines_of(body) == [limits.MAX_ABBREVIATIONS + 1]
    assert lines_of("*[สพป.]: สำนักงานเขตพื้นที่การศึกษาประถมศึกษา\n\nสพป. ภูผาหมอก\n") == []


def test_one_finding_a_line_the_most_specific_first():
    found = excesses("[" * 20_000)  # brackets, paragraph work and elements all passed on line 1
    assert len(found) == 1 and "วงเล็บ [" in found[0].detail


def test_every_attack_is_refused_and_every_near_limit_body_passes():
    for name, make in ATTACKS.items():
        assert excesses(make(200_000)), name
    for name, body in near_limits(tail_bytes=10_000, cap=150_000).items():
        assert excesses(body) == [], name
    assert excesses(under_every_limit()) == []


def test_the_sample_content_is_far_below_every_limit():
    for path in sorted((PROJECT / "content").rglob("*.md")):
        body = split(path.read_bytes()).body
        found = measure(body)
        assert found.elements.total < limits.MAX_ELEMENTS // 10, path
        assert found.depth.total < limits.MAX_NESTING // 4, path
        assert excesses(body) == [], path


MARKDOWN = st.text(alphabet=st.sampled_from(list("[]()<>*_`'\"&\\!#-=:|~^ \nx1.ก>")), max_size=400)


@given(MARKDOWN)
def test_any_text_gets_findings_with_lines_in_the_body(body):
    lines = body.count("\n") + 1
    for found in excesses(body):
        assert 1 <= found.line <= lines and found.detail and found.hint


@given(
    st.lists(
        st.sampled_from(["[", "](", "`", "\\[", "*a", "'", "# x\n", "- ", "    ", "> ", ": ", "\n", "x"]), max_size=60
    ),
    st.integers(1, 4000),
)
def test_the_quick_answer_never_lets_through_what_the_measure_refuses(motif, times):
    """`excesses` answers most bodies from bounds over the whole body: they must hold whenever it does."""
    body = "".join(motif) * times
    if limits._surely_within(body):
        assert limits.findings(measure(body)) == []


def test_findings_become_ks017_at_file_lines():
    text = item_text("news", body="ข่าว\n\n" + "[" * 400 + "\n")
    item, source, found = parse_item("content/news/2569/x.md", text.encode())
    assert item is not None and source is not None and found == []
    (refused,) = body_problems(item.path, item.body, source.body_first_line)
    assert refused.code == "KS017" and refused.line == source.body_first_line + 2
    assert "วงเล็บ" in refused.message and refused.fix.startswith("ปิดวงเล็บ")


def test_a_hostile_body_is_measured_in_bounded_time():
    started = time.process_time()
    for make in ATTACKS.values():
        excesses(make(1 << 20))
    assert time.process_time() - started < 20  # ~21 bodies of 1 MiB


# -- line numbers: one index per file, however many problems --------------------------------------


def test_locate_ninety_thousand_unknown_keys_in_bounded_time_at_their_lines():
    count = 90_000
    yaml_text = "".join(f"k{i}: v\n" for i in range(count))
    item = Item("x", "content/news/2569/x.md", {}, "", yaml_text, 2)
    found = [problem("KS102", item.path, where=(f"k{i}",), detail=f"k{i}") for i in range(count)]
    started = time.process_time()
    located = locate(found, item)
    assert time.process_time() - started < 30  # once 288 s: the keys walked again for each problem
    assert [(p.line, p.column) for p in located[:3]] == [(2, 5), (3, 5), (4, 5)]  # the value
    assert located[-1].line == count + 1
    assert all(p.line == i + 2 for i, p in enumerate(located))


def test_locate_points_at_the_deepest_existing_parent():
    yaml_text = "event:\n  name: x\nchannels: [a, b]\n"
    item = Item("x", "p", {}, "", yaml_text, 2)
    where = [("event", "missing"), ("channels", 1), ("channels", 9), ("nothing",)]
    located = locate([problem("KS106", "p", where=w) for w in where], item)
    assert [(p.line, p.column) for p in located] == [(2, 1), (4, 15), (4, 1), (2, 1)]


def test_too_many_front_matter_values_are_refused_before_the_schema():
    keys = "".join(f"k{i}: v\n" for i in range(MAX_ITEM_VALUES))
    raw = ("---\n" + keys + item_text("news").split("\n", 1)[1]).encode()
    item, _, found = parse_item("content/news/2569/x.md", raw)
    assert item is None
    (refused,) = found
    assert refused.code == "KS018" and refused.line == 2 + (MAX_ITEM_VALUES - 2) // 2
