"""workflow.core.scaffold: a new item's text, laid out from its schema, read back identically."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.checking import schemas

from workflow.core import scaffold, yamlparse
from workflow.core.source import split

VALUES = {
    "news": {
        "type": "news",
        "title": "[ด่วน] ประชุม: ครั้งที่ 1",
        "summary": "",
        "news_type": "meeting",
        "plan": "policy",
        "format": "press-release",
        "source": "meeting",
        "author": "somchai.p",
        "topic_group": "admin",
        "produced_at": "2026-11-25T12:00:00+07:00",
        "channels": ["website"],
        "event": {
            "name": "ประชุม # 1",
            "place": "",
            "starts_at": "2026-11-25T09:00:00+07:00",
            "ends_at": "2026-11-25T12:00:00+07:00",
        },
        "images": [],
        "attachments": [],
        "sources": [],
        "approvals": [],
    },
    "disclosure": {
        "type": "disclosure",
        "title": "no",
        "category": "other",
        "category_other": "yes",
        "requester": "orawan.p",
        "requested_at": "2026-11-25T12:00:00+07:00",
        "detail": "08",
        "delivery": "in-person",
        "attachments": [],
        "webmaster": None,
        "live_check": None,
        "approvals": [],
    },
    "clipping": {
        "type": "clipping",
        "title": "'quoted' and \"double\"",
        "outlet": "*ช่อง 9*",
        "medium": "tv",
        "published_on": "2026-11-25",
        "effect": "negative",
        "about": [],
        "summary": "บรรทัดหนึ่ง\nบรรทัดสอง",
        "approvals": [],
        "url": "https://x.example/a?b=c#d",
    },
}


def front_matter(text: str) -> object:
    return yamlparse.load(split(text.encode("utf-8")).yaml_text)


@pytest.mark.parametrize("kind", sorted(VALUES))
def test_render_reads_back_exactly_the_values(kind):
    text = scaffold.render(schemas().bundled[kind], VALUES[kind], "เนื้อหา\n")
    assert front_matter(text) == VALUES[kind]
    assert text.endswith("---\nเนื้อหา\n")


@pytest.mark.parametrize("kind", sorted(VALUES))
def test_every_schema_field_appears_in_schema_order_with_a_thai_comment(kind):
    schema = schemas().bundled[kind]
    text = scaffold.render(schema, VALUES[kind], "")
    lines = text.split("\n")
    positions = []
    for key in schema["properties"]:
        line = next(i for i, ln in enumerate(lines) if ln.startswith((f"{key}:", f"# {key}:")))
        assert lines[line - 1].startswith("# ") and any("\u0e00" <= c <= "\u0e7f" for c in lines[line - 1]), key
        positions.append(line)
    assert positions == sorted(positions)


def test_fields_without_a_value_are_commented_out():
    text = scaffold.render(schemas().bundled["news"], VALUES["news"], "")
    assert "\n# publish_at:\n" in text and "\n# urgent:\n" in text
    assert "publish_at" not in front_matter(text)


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        2.5,
        [],
        ["a", "b c", "[x]", "0[", "a, b", "{x}", "x]"],
        {"a": "b", "c": ["d"]},
        [{"file": "files/a.pdf", "title": "ก: ข"}],
        {"deep": {"deeper": "x"}},
    ],
)
def test_dump_values_read_back(value):
    assert yamlparse.load("x:" + scaffold._dump(value, 0)) == {"x": value}


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_reads_back_identically(value):
    assert yamlparse.load(f"x: {scaffold._scalar(value)}\n") == {"x": value}


KEYS = st.text(st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=6).filter(
    lambda k: k not in ("null", "true", "false")
)
PRINTABLE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=10)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-(10**6), 10**6) | PRINTABLE,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
        max_leaves=8,
    )
)
def test_any_json_value_reads_back_identically(value):
    assert yamlparse.load("x:" + scaffold._dump(value, 0)) == {"x": value}


def test_a_list_of_mappings_is_written_as_people_write_it():
    """`images:` and `attachments:` come out as block lists (the import wrote one JSON line a person
    could hardly edit), nested values indented under their key."""
    value = [{"file": "images/2568/a.jpg", "alt": "ภาพ: ประชุม", "tags": ["x"]}, {"file": "b.pdf", "at": {"y": 1}}]
    text = "images:" + scaffold._dump(value, 0)
    assert text == (
        "images:\n"
        "  - file: images/2568/a.jpg\n"
        '    alt: "ภาพ: ประชุม"\n'
        "    tags: [x]\n"
        "  - file: b.pdf\n"
        "    at:\n"
        "      y: 1\n"
    )
    assert yamlparse.load(text) == {"images": value}
