"""Property tests: whatever bytes or YAML-ish text arrive, the core answers with problems, never a crash."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from support.checking import context
from support.items import IDS, PATHS, TEMPLATES, approvals_block, digest_of, item_text
from support.textdiff import inserted_lines

from workflow.core.approvals_text import EditError, add_approval_to_file
from workflow.core.problems import CODES, Problem
from workflow.core.structure import Item
from workflow.core.validate import ItemResult, check_item, parse_item

CTX = context()
PUBLISH_CTX = context(publish=True)


def assert_wellformed(raw: bytes, problems: tuple[Problem, ...] | list[Problem]) -> None:
    assert isinstance(problems, (list, tuple))
    last_line = raw.count(b"\n") + 1
    for p in problems:
        assert isinstance(p, Problem)
        assert p.code in CODES
        assert p.severity in ("error", "warning")
        assert 1 <= p.line <= last_line + 1, (p, last_line)
        assert p.column >= 1
        assert p.message and p.fix


def run_both(path: str, raw: bytes) -> ItemResult:
    item, _, problems = parse_item(path, raw)
    assert item is None or isinstance(item, Item)
    assert item is not None or problems  # no item without a reason
    assert_wellformed(raw, problems)
    result = check_item(path, raw, CTX)
    assert_wellformed(raw, result.problems)
    published = check_item(path, raw, PUBLISH_CTX)
    assert_wellformed(raw, published.problems)
    return result


# -- random bytes ----------------------------------------------------------------


@given(st.binary(max_size=400))
def test_random_bytes(raw):
    run_both(PATHS["news"], raw)


@given(st.binary(max_size=300))
def test_random_bytes_after_a_fence(raw):
    run_both(PATHS["news"], b"---\n" + raw + b"\n---\nbody\n")


@given(st.data())
def test_a_valid_item_with_random_bytes_spliced_in(data):
    base = item_text(data.draw(st.sampled_from(sorted(TEMPLATES)))).encode("utf-8")
    start = data.draw(st.integers(0, len(base)))
    stop = data.draw(st.integers(start, min(len(base), start + 8)))
    junk = data.draw(
        st.binary(max_size=8)
        | st.sampled_from(
            [b"\t", b"\r", b"\x00", b"&a ", b"*a", b"!!binary ", b": ", b"- ", b"[", b"{", b"'", b'"', b"\xe0\xb8"]
        )
    )
    run_both(PATHS["news"], base[:start] + junk + base[stop:])


# -- YAML-ish text: keys, scalars, nesting, anchors, aliases, tags ---------------

SCHEMA_KEYS = sorted(
    {k for fields in TEMPLATES.values() for k in fields}
    | {
        "summary",
        "images",
        "attachments",
        "sources",
        "tags",
        "publish_at",
        "urgent",
        "withdrawn",
        "webmaster",
        "live_check",
        "category_other",
        "url",
        "file",
        "alt",
        "credit",
        "title",
        "by",
        "step",
        "at",
        "digest",
        "note",
        "starts_at",
        "ends_at",
        "name",
        "place",
        "reason",
        "received_at",
        "completed_at",
    }
)
KEYS = st.one_of(
    st.sampled_from(SCHEMA_KEYS),
    st.sampled_from(
        [
            "1",
            "~",
            "true",
            "null",
            "[a]",
            "{a: b}",
            "<<",
            "!!merge <<",
            "? x",
            "'q'",
            '"dq"',
            "-1",
            "2569",
            "!!str 3",
            "!!int 3",
            "&k key",
            "*k",
            "ชื่อ",
            "a b",
            "a:b",
        ]
    ),
    st.text(st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=6),
)
NASTY = [
    "",
    "no",
    "yes",
    "on",
    "off",
    "~",
    "null",
    "true",
    "False",
    "08",
    "017",
    "0x1F",
    "0o17",
    "0o8",
    "1e999",
    ".nan",
    "-.inf",
    "1_000",
    "9" * 1200,
    "0x" + "f" * 1200,
    "2026-11-20",
    "12:30",
    "2026-11-20T12:00:00+07:00",
    "2026-11-25T12:00:01+07:00",
    "2026-02-30T10:00:00+07:00",
    "2026-11-20T25:00",
    "'quoted'",
    "'it''s'",
    '"dq \\u0e01"',
    '"\\ud800"',
    '"\\x85"',
    '"unterminated',
    "|",
    ">-",
    "- x",
    "[a, b]",
    "[",
    "]",
    "{a: b}",
    "{",
    "a: b",
    "*a",
    "*b",
    "*undefined",
    "&a x",
    "sha256:" + "0" * 64,
    "sha256:xyz",
    IDS["news"],
    "news/2569/missing",
    "files/procurement/tor-2569-01.pdf",
    "files/missing.pdf",
    "images/x.jpg",
    "somchai.p",
    "anan.w",
    "malee.t",
    "prasert.j",
    "rattana.b",
    "nobody.x",
    "admin",
    "policy",
    "nogroup",
    "website",
    "meeting",
    "general",
    "other",
    "procurement",
    "facts",
    "check",
    "content",
    "permit",
    "news",
    "disclosure",
    "clipping",
    "# comment",
    "ประชุม: ครั้งที่ 1",
    "\u2028",
    "a\tb",
    "%x",
    "@x",
    "`x",
    "!",
    "!!",
    "?",
    ",",
    "=",
]
SCALARS = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=12).map(lambda s: s.replace("\n", " ")),
    st.integers(-(10**20), 10**20).map(str),
)
TAGS = st.sampled_from(
    [
        "",
        "",
        "",
        "",
        "!!str ",
        "!!int ",
        "!!float ",
        "!!bool ",
        "!!null ",
        "!!binary ",
        "!!timestamp ",
        "!!set ",
        "!!omap ",
        "!!pairs ",
        "!!map ",
        "!!seq ",
        "!!merge ",
        "!!python/name:os.system ",
        "!!python/object/apply:os.system ",
        "!local ",
        "!<tag:yaml.org,2002:str> ",
        "!!value ",
    ]
)
ANCHORS = st.sampled_from(["", "", "", "&a ", "&b "])


def scalar_node():
    return st.tuples(st.just("scalar"), TAGS, ANCHORS, SCALARS)


def collections(children):
    entries = st.lists(st.tuples(KEYS, children), max_size=4)
    return st.one_of(
        st.tuples(st.just("map"), TAGS, ANCHORS, entries),
        st.tuples(st.just("seq"), TAGS, ANCHORS, st.lists(children, max_size=4)),
        st.tuples(st.just("flow"), TAGS, ANCHORS, st.lists(SCALARS, max_size=4)),
    )


NODES = st.recursive(
    scalar_node() | st.tuples(st.just("alias"), st.sampled_from(["a", "b", "c"])), collections, max_leaves=12
)


def render(node: tuple, indent: int) -> str:
    """The text after `key:` or `-` for one node, ending with a newline."""
    if node[0] == "alias":
        return f" *{node[1]}\n"
    kind, tag, anchor, value = node
    prefix = f" {anchor}{tag}".rstrip()
    pad = " " * indent
    if kind == "scalar":
        return f"{prefix} {value}\n"
    if kind == "flow":
        return f"{prefix} [" + ", ".join(value) + "]\n"
    if not value:
        return f"{prefix} " + ("{}" if kind == "map" else "[]") + "\n"
    if kind == "map":
        return prefix + "\n" + "".join(f"{pad}{key}:{render(child, indent + 2)}" for key, child in value)
    return prefix + "\n" + "".join(f"{pad}-{render(child, indent + 2)}" for child in value)


FRONT = st.lists(st.tuples(KEYS, NODES), max_size=8).map(
    lambda entries: "".join(f"{key}:{render(node, 2)}" for key, node in entries)
)
BODIES = st.sampled_from(
    [
        "",
        "เนื้อข่าว\n",
        "> อ้างอิง\n",
        "![ภาพ](images/missing.jpg)\n",
        "[ไฟล์]({static}/files/procurement/tor-2569-01.pdf)\n",
        "---\nmore: yaml\n",
    ]
)
PATHS_ANY = st.sampled_from(
    [
        *PATHS.values(),
        "content/news/2568/x.md",
        "content/News/2569/X.md",
        "content/disclosures/other/a.md",
        "notes.md",
        "content/x.md",
    ]
)


@given(FRONT, BODIES, PATHS_ANY)
def test_random_yaml_front_matter(front, body, path):
    run_both(path, f"---\n{front}---\n{body}".encode())


@given(NODES, BODIES)
def test_random_yaml_document_of_any_shape(node, body):
    text = render(node, 0).lstrip("\n")
    run_both(PATHS["news"], f"---\n{text}---\n{body}".encode())


@given(st.lists(st.tuples(KEYS, NODES), min_size=1, max_size=4), st.sampled_from(sorted(TEMPLATES)))
def test_a_valid_item_plus_random_fields(extra, kind):
    fields = dict(TEMPLATES[kind])
    for key, node in extra:
        fields[key] = render(node, 2).rstrip("\n")
    text = (
        "---\n"
        + "".join(
            f"{k}:{v}\n" if v.startswith("\n") else f"{k}:{v if v.startswith(' ') else ' ' + v}\n"
            for k, v in fields.items()
        )
        + "---\nเนื้อหา\n"
    )
    run_both(PATHS[kind], text.encode())


# -- schema-valid items with random values: the rules and sign-offs never crash ---

TIMES = st.sampled_from(
    [
        "2026-11-20T09:00:00+07:00",
        "2026-11-20T15:00:00+07:00",
        "2026-11-25T12:00:00+07:00",
        "2026-11-26T00:00:00+07:00",
        "2026-02-30T10:00:00+07:00",
        "2026-11-20T07:00:00Z",
        "2026-11-20T16:00",
        "2025-12-31T18:00:00Z",
        "9999-12-31T23:59:59+14:00",
        "0001-01-01T00:00:00-12:00",
    ]
)
PEOPLE = st.sampled_from(
    [
        "somchai.p",
        "kanda.s",
        "anan.w",
        "malee.t",
        "prasert.j",
        "wilaiwan.s",
        "rattana.b",
        "nattapong.c",
        "weera.d",
        "nobody.x",
    ]
)
STEPS = st.sampled_from(["facts", "check", "content", "permit"])


@st.composite
def approvals(draw, kind: str) -> str:
    current = digest_of(item_text(kind))
    digests = st.sampled_from([current, "sha256:" + "0" * 64])
    entries = draw(st.lists(st.tuples(PEOPLE, STEPS, TIMES, digests), max_size=4))
    return approvals_block(entries)


@st.composite
def valid_shaped_items(draw) -> tuple[str, str]:
    kind = draw(st.sampled_from(sorted(TEMPLATES)))
    changes: dict[str, str | None] = {"approvals": draw(approvals(kind))}
    if kind == "news":
        changes["author"] = draw(PEOPLE)
        changes["produced_at"] = draw(TIMES)
        changes["news_type"] = draw(st.sampled_from(["meeting", "inspection", "press-conference", "general"]))
        changes["topic_group"] = draw(st.sampled_from(["policy", "admin", "nogroup"]))
        changes["event"] = draw(st.sampled_from([None, f"\n  starts_at: {draw(TIMES)}\n  ends_at: {draw(TIMES)}"]))
    elif kind == "disclosure":
        changes["requester"] = draw(PEOPLE)
        changes["requested_at"] = draw(TIMES)
        changes["category"] = draw(st.sampled_from(["procurement", "other"]))
        changes["category_other"] = draw(st.sampled_from([None, "หัวข้ออื่น"]))
        changes["live_check"] = draw(st.sampled_from([None, "null", f"\n  by: {draw(PEOPLE)}\n  at: {draw(TIMES)}"]))
    else:
        changes["recorded_by"] = draw(PEOPLE)
        changes["published_on"] = draw(st.sampled_from(["2026-11-21", "2026-11-26", "2026-02-30"]))
        changes["about"] = draw(st.sampled_from(["[]", f"[{IDS['news']}]", "[news/2569/missing]"]))
    if kind != "clipping" and draw(st.booleans()):
        changes["urgent"] = f"\n  by: {draw(PEOPLE)}\n  reason: ด่วน\n  at: {draw(TIMES)}"
    body = draw(BODIES)
    return kind, item_text(kind, body=body, **changes)


@given(valid_shaped_items())
def test_schema_valid_items_with_random_values(case):
    kind, text = case
    result = run_both(PATHS[kind], text.encode())
    if result.item is not None and result.digest is not None:
        assert result.digest.startswith("sha256:") and len(result.digest) == 71
        assert result.signoffs is not None
        statuses = {s.status for s in result.signoffs.steps}
        assert statuses <= {"signed", "stale", "missing"}
        if result.signoffs.complete:
            assert not any(p.code in ("KS304", "KS305") for p in result.problems)


@given(valid_shaped_items())
def test_checking_is_pure(case):
    kind, text = case
    raw = text.encode()
    first, second = check_item(PATHS[kind], raw, CTX), check_item(PATHS[kind], raw, CTX)
    assert first.problems == second.problems and first.digest == second.digest


@given(valid_shaped_items(), PEOPLE, STEPS)
def test_recording_an_approval_changes_no_digest_and_no_other_line(case, by, step):
    kind, text = case
    result = check_item(PATHS[kind], text.encode(), CTX)
    if result.item is None or result.digest is None:
        return
    approval = {"by": by, "step": step, "at": "2026-11-25T12:00:00+07:00", "digest": result.digest}
    expected = {**result.item.data, "approvals": [*result.item.approvals, approval]}
    try:
        after = add_approval_to_file(text, approval, expected)
    except EditError:
        return
    again = check_item(PATHS[kind], after.encode(), CTX)
    assert again.digest == result.digest
    assert again.item is not None and again.item.approvals[-1] == approval
    unchanged = text.replace("approvals: []\n", "approvals:\n")  # the one token an approval replaces
    added = inserted_lines(unchanged, after)
    assert [line.strip().split(":")[0] for line in added] == ["- by", "step", "at", "digest"]
