"""workflow.core.yamlparse: the strict front matter loader and node positions."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.core import yamlparse
from workflow.core.yamlparse import FrontMatterError, load, node_position


def error_of(text: str) -> FrontMatterError:
    with pytest.raises(FrontMatterError) as caught:
        load(text)
    return caught.value


# -- YAML 1.2 core scalars, not YAML 1.1 -------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("N", "N"),
        ("Yes", "Yes"),
        ("2026-11-20", "2026-11-20"),
        ("12:30", "12:30"),
        ("2026-11-20T12:00:00+07:00", "2026-11-20T12:00:00+07:00"),
        ("1_000", "1_000"),
        ("0b11", "0b11"),
        ("+.5e", "+.5e"),
        ("<<", "<<"),
        ("=", "="),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("null", None),
        ("~", None),
        ("", None),
        ("Null", None),
        ("42", 42),
        ("-7", -7),
        ("+3", 3),
        ("0o17", 15),
        ("0x1F", 31),
        ("017", 17),
        ("08", 8),
        ("-09", -9),
        ("1.5", 1.5),
        ("-.5e3", -500.0),
        ("1.", 1.0),
    ],
)
def test_core_schema_scalars(text, value):
    assert load(f"x: {text}\n") == {"x": value}


def test_special_floats():
    data = load("a: .inf\nb: -.Inf\nc: .nan\n")
    assert data["a"] == float("inf") and data["b"] == float("-inf") and data["c"] != data["c"]


def test_quoted_scalars_stay_text():
    assert load("a: 'true'\nb: \"42\"\nc: '~'\n") == {"a": "true", "b": "42", "c": "~"}


def test_ks014_words_no_and_yes_stay_strings_because_no_schema_field_is_boolean():
    # KS014 (ambiguous yes/no for a boolean) only applies to boolean fields; the item schemas
    # have none, so the loader must keep `no` as the text 'no' (YAML 1.1 would make it False).
    assert load("title: no\nsummary: yes\n") == {"title": "no", "summary": "yes"}


def test_nested_document():
    text = "a:\n  b: [1, {c: d}]\n  e: |\n    line\n"
    assert load(text) == {"a": {"b": [1, {"c": "d"}], "e": "line\n"}}


def test_empty_and_comment_only_documents_are_none():
    assert load("") is None
    assert load("# only a comment\n") is None


def test_a_plain_scalar_document_is_returned_for_the_caller_to_refuse():
    assert load("just text\n") == "just text"
    assert load("- a\n- b\n") == ["a", "b"]


# -- refusals, with 0-based positions ----------------------------------------


def test_ks011_duplicate_key_points_at_the_second():
    error = error_of("title: a\nsummary: b\ntitle: c\n")
    assert (error.code, error.line, error.column, error.detail) == ("KS011", 2, 0, "title")


def test_ks011_nested_duplicate():
    error = error_of("event:\n  starts_at: a\n  starts_at: b\n")
    assert (error.code, error.line, error.column) == ("KS011", 2, 2)


def test_ks012_alias_of_a_scalar():
    error = error_of("title: &t ประชุม\nsummary: *t\n")
    assert error.code == "KS012"
    assert error.line == 0  # the anchored node: the alias itself keeps no position


def test_ks012_merge_key():
    assert error_of("base: &b {a: 1}\nx:\n  <<: *b\n").code == "KS012"
    assert error_of("x:\n  !!merge <<: {a: 1}\n").code == "KS012"


@pytest.mark.parametrize(
    ("text", "line", "column", "name"),
    [
        ("title: &t ประชุม\n", 0, 7, "t"),  # an anchor no alias uses: the README says anchors are refused
        ("title: a\nchannels: [website, &c facebook]\n", 1, 20, "c"),
        ("event: &e\n  name: x\n", 0, 7, "e"),
        ("title: !!str &t x\n", 0, 7, "t"),  # behind a tag (the fast path leaves tags to the general one)
        ("a: &a 1\nb: *a\n", 0, 3, "a"),  # with its alias: the anchor is the place
    ],
)
def test_ks012_every_anchor_is_refused_with_its_place(text, line, column, name):
    error = error_of(text)
    assert (error.code, error.line, error.column) == ("KS012", line, column)
    assert f"&{name}" in error.detail


def test_an_ampersand_inside_text_is_not_an_anchor():
    assert load('title: "ประชุม &a"\nsummary: R&D\n') == {"title": "ประชุม &a", "summary": "R&D"}


def test_ks012_billion_laughs_is_refused_fast():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.process_time()  # CPU time: what the refusal costs, not how busy the machine is
    error = error_of("\n".join(lines) + "\n")
    assert error.code == "KS012"
    assert time.process_time() - started < 1.0


def test_undefined_alias_is_a_syntax_error():
    assert error_of("a: *nothing\n").code == "KS010"


def test_ks013_nested_non_mapping_under_map_tag():
    assert error_of("a: !!map [1]\n").code == "KS013"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("2569: ปีงบประมาณ\n", 0, 0),
        ("title: x\n~: y\n", 1, 0),
        ("title: x\ntrue: y\n", 1, 0),
        ("title: x\n? [a, b]\n: y\n", 1, 2),
        ("title: x\n? {a: b}\n: y\n", 1, 2),
        ("event:\n  1.5: x\n", 1, 2),
    ],
)
def test_ks016_keys_must_be_text(text, line, column):
    error = error_of(text)
    assert (error.code, error.line, error.column) == ("KS016", line, column)


def test_ks016_detail_never_shows_internal_node_objects():
    assert "Node" not in error_of("? [a]\n: b\n").detail


def test_a_tagged_number_key_is_text():
    assert load("!!str 3: x\n") == {"3": "x"}


def test_ks015_nesting_beyond_the_limit():
    deep = "a: " + "[" * (yamlparse.MAX_DEPTH + 1) + "]" * (yamlparse.MAX_DEPTH + 1) + "\n"
    assert error_of(deep).code == "KS015"
    ok = "a: " + "[" * (yamlparse.MAX_DEPTH - 2) + "]" * (yamlparse.MAX_DEPTH - 2) + "\n"
    assert isinstance(load(ok)["a"], list)


def test_ks015_deep_block_nesting_points_at_the_too_deep_line():
    text = "".join("  " * n + f"k{n}:\n" for n in range(yamlparse.MAX_DEPTH + 2)) + "  " * 45 + "v\n"
    error = error_of(text)
    assert error.code == "KS015"
    assert error.line == yamlparse.MAX_DEPTH - 1  # the node at depth 41 is the value of key k39


def test_ks015_also_for_nesting_libyaml_refuses_itself():
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    assert error_of(deep).code == "KS015"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("title: ประชุม: ครั้งที่ 1\n", 0),
        ("title: x\nsummary: สรุป: ผล\n", 1),
        ("title: x\n  bad: indent\n", 1),
        ("title: x\ntags: [a, b\n", 1),
        ('title: x\nsummary: "unclosed\n', 1),
        ("title: x\n- item\n", 1),
        ("a: 1\n...\nb: 2\n", 2),
    ],
)
def test_ks010_syntax_errors_point_at_their_line(text, line):
    error = error_of(text)
    assert (error.code, error.line) == ("KS010", line)
    assert error.detail


def test_ks010_control_character_points_at_its_line_in_thai_text():
    error = error_of("title: ประชุม\nsummary: ผู้บริหาร\x0bครู\n")
    assert (error.code, error.line, error.column) == ("KS010", 1, 18)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!binary aGVsbG8=\n",
        "a: !!timestamp 2026-11-20\n",
        "a: !!set {x, y}\n",
        "a: !!int x\n",
        "a: !!int 3.5\n",
        "a: !!int ''\n",
        "a: !!float x\n",
        "a: !!float ''\n",
        "a: !!bool foo\n",
        "a: !!timestamp nope\n",
        "a: !!python/object:os.system x\n",
        "a: !local x\n",
        "a: !!seq {b: 1}\n",
        "a: !!str [1]\n",
        "a: !<tag:yaml.org,2002:binary> aGk=\n",
    ],
)
def test_ks010_explicit_tags_that_are_not_json_data_or_do_not_fit_their_value(text):
    error = error_of(text)
    assert (error.code, error.line, error.column) == ("KS010", 0, 3)


def test_explicit_tags_with_json_values_are_fine():
    assert load("a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!null ''\n") == {"a": "12", "b": 7, "c": 1.0, "d": None}


def test_huge_integers_are_refused_not_crashed_on():
    assert error_of("a: " + "9" * 5000 + "\n").code == "KS010"
    assert error_of("a: 0x" + "f" * 5000 + "\n").code == "KS010"
    assert load("a: " + "9" * 300 + "\n")["a"] == int("9" * 300)


def test_multiple_documents_are_refused():
    assert error_of("a: 1\n---\nb: 2\n").code == "KS010"


# -- node positions ------------------------------------------------------------

POSITIONED = """\
title: x
event:
  name: y
  starts_at: 2026-11-20T09:00:00+07:00
approvals:
  - by: a
    at: t
  - {by: b, at: u}
"""


@pytest.mark.parametrize(
    ("where", "position"),
    [
        ((), (0, 0)),
        (("title",), (0, 7)),
        (("event",), (1, 0)),
        (("event", "starts_at"), (3, 13)),
        (("approvals", 0), (5, 4)),
        (("approvals", 0, "at"), (6, 8)),
        (("approvals", 1, "by"), (7, 9)),
        (("approvals", 5, "at"), (4, 0)),  # missing index: the deepest existing parent
        (("event", "ends_at"), (1, 0)),  # missing key: its mapping's key
        (("nothing",), (0, 0)),
    ],
)
def test_node_position(where, position):
    assert node_position(POSITIONED, where) == position


def test_node_position_of_text_that_does_not_compose():
    assert node_position("a: [\n", ("a",)) is None
    assert node_position("", ("a",)) is None


# -- writing a scalar back -------------------------------------------------------


@pytest.mark.parametrize("value", ["ไทย", 'a"b\\c', "x\u2028y\x85z\n\t", "\x7f\U0001f389", "\u200d", "\xa0", ""])
def test_double_quoted_reads_back_identically(value):
    assert load(f"x: {yamlparse.double_quoted(value)}\n") == {"x": value}


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_double_quoted_any_text(value):
    quoted = yamlparse.double_quoted(value)
    assert "\n" not in quoted
    assert load(f"x: {quoted}\n") == {"x": value}


@pytest.mark.parametrize(
    ("text", "thai"),
    [
        ("title: ประชุม: ครั้งที่ 1\n", "มีเครื่องหมาย : ในค่า"),
        ("title: [ด่วน\n", "วงเล็บ [ ] ไม่ครบคู่"),
        ('title: "ไม่ปิด\n', "เครื่องหมายคำพูดหรือวงเล็บเปิดไว้แต่ไม่ได้ปิด"),
        ("title: `x`\n", "ค่าขึ้นต้นด้วยอักขระที่ YAML ไม่รับ"),
    ],
)
def test_syntax_errors_are_explained_in_thai(text, thai):
    with pytest.raises(yamlparse.FrontMatterError) as caught:
        yamlparse.load(text)
    assert caught.value.code == "KS010"
    assert caught.value.detail.startswith(thai)


_TRICKY = st.sampled_from(
    [
        "no",
        "yes",
        "12:30",
        "017",
        "08",
        "0o17",
        "0x1F",
        ".inf",
        "-.inf",
        ".nan",
        "-.5",
        "1e3",
        "+12",
        "true",
        "False",
        "~",
        "null",
        "",
        "2026-11-20",
        "ข่าว: ประชุม",
        "a b",
        "1_000",
        "0b101",
        "-",
        "--",
        "+.",
        "NULL",
        "tRue",
    ]
)
_PLAIN_DATA = st.recursive(
    st.one_of(_TRICKY, st.integers(-(10**6), 10**6), st.booleans(), st.none(), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(_TRICKY, st.text(min_size=1, max_size=6)), inner, max_size=4),
    ),
    max_leaves=12,
)


def _general(text: str):
    loader = yamlparse.StrictLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


@given(_PLAIN_DATA, st.booleans(), st.booleans())
def test_fast_event_loader_agrees_with_the_general_constructor(data, flow, raw_scalars):
    """The fast path returns what the general strict constructor returns, or steps aside."""
    import yaml

    text = yaml.safe_dump({"x": data}, allow_unicode=True, default_flow_style=flow)
    if raw_scalars:  # unquote what safe_dump quoted, so plain scalars get resolved by us
        text = text.replace("'", "")
    try:
        expected = repr(_general(text))
    except Exception:
        expected = "error"
    try:
        got = repr(yamlparse._load_plain(text))
    except yamlparse._Unusual:
        return
    assert got == expected


def test_every_yaml_complaint_starts_in_thai():
    """libyaml's words stay in parentheses after a Thai reason, also for a complaint not in the table."""
    import yaml as pyyaml

    from workflow.core.yamlparse import _yaml_reason

    mark = pyyaml.Mark("x", 0, 0, 0, None, None)
    known = pyyaml.MarkedYAMLError("while scanning a quoted scalar", mark, "found unexpected end of stream", mark)
    unknown = pyyaml.MarkedYAMLError(None, None, "found a tab character that violates indentation", mark)
    assert _yaml_reason(known).startswith("เครื่องหมายคำพูด")
    assert _yaml_reason(unknown) == "ส่วนนี้เขียนไม่ถูกรูปแบบ YAML (found a tab character that violates indentation)"
