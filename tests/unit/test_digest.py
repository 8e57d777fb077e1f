"""workflow.core.digest: the content fingerprint an approval is for."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from support.items import ATTACHMENT, ATTACHMENT_BYTES, FILES, digest_of, item_text, sha256_hex

from workflow.core.digest import compute, content_of, referenced_files
from workflow.core.structure import PROCESS_KEYS


def test_format_and_the_canonical_document_anyone_can_recompute():
    data = {"type": "news", "title": "ข่าว", "approvals": [{"by": "x"}]}
    files = {"files/a.pdf": "ab" * 32, "images/b.jpg": None}
    document = {"v": 1, "front_matter": {"title": "ข่าว", "type": "news"}, "body": "เนื้อ\n", "files": files}
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    expected = "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert compute(data, "เนื้อ\n", files) == expected
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", expected)


def test_process_keys_are_the_documented_seven():
    # DOMAIN.md's six records of the process, and `ita` (how the office files an item for the ITA)
    assert {"approvals", "channels", "webmaster", "live_check", "urgent", "withdrawn", "ita"} == PROCESS_KEYS


@pytest.mark.parametrize("key", sorted(PROCESS_KEYS))
def test_process_keys_are_left_out(key):
    data = {"type": "news", "title": "ข่าว"}
    assert compute({**data, key: {"anything": 1}}, "b", {}) == compute(data, "b", {})
    assert key not in content_of({**data, key: 1})


@pytest.mark.parametrize(
    ("change", "value"), [("title", "ข่าวใหม่"), ("summary", ""), ("publish_at", "x"), ("sources", []), ("tags", ["a"])]
)
def test_content_keys_count(change, value):
    data = {"type": "news", "title": "ข่าว"}
    assert compute({**data, change: value}, "b", {}) != compute(data, "b", {})


def test_body_counts_to_the_last_byte():
    data = {"type": "news"}
    assert compute(data, "เนื้อข่าว\n", {}) != compute(data, "เนื้อข่าว", {})
    assert compute(data, "เนื้อข่าว", {}) != compute(data, "เนื้อข่าว ", {})


def test_file_bytes_count_and_a_missing_file_differs_from_a_present_one():
    data = {"type": "disclosure"}
    one = compute(data, "", {"files/a.pdf": sha256_hex(b"v1")})
    assert one != compute(data, "", {"files/a.pdf": sha256_hex(b"v2")})
    assert one != compute(data, "", {"files/a.pdf": None})
    assert one == compute(data, "", {"files/a.pdf": sha256_hex(b"v1")})


def test_yaml_layout_key_order_and_comments_do_not_count():
    plain = item_text("news")
    relaid = plain.replace("channels: [website, facebook]", "channels:\n  - website\n  - facebook\n# ช่องทาง").replace(
        "plan: policy\nformat: press-release", "format: 'press-release'  # ข่าวแจก\nplan: \"policy\""
    )
    assert relaid != plain
    assert digest_of(relaid) == digest_of(plain)


def test_attachment_bytes_are_part_of_an_items_digest():
    text = item_text("disclosure")
    assert digest_of(text) != digest_of(text, {ATTACHMENT: ATTACHMENT_BYTES + b"\n"})
    assert digest_of(text) != digest_of(text, {})
    assert digest_of(text) == digest_of(text, dict(FILES))


def test_referenced_files_in_order_once_each():
    data = {
        "attachments": [{"file": "files/a.pdf", "title": "A"}, {"file": "files/b.pdf"}],
        "images": [{"file": "images/1.jpg"}, {"file": "files/a.pdf"}],
    }
    body = (
        "![x](images/2.jpg) [y]({static}/files/c.pdf) [z](/images/1.jpg) [w]({attach}/files/d.pdf#page=2)"
        ' [q](files/e.pdf?dl=1) [r](https://x.example/files/f.pdf) [s](../files/g.pdf) [t](images/h.png "t")'
    )
    assert referenced_files(data, body) == [
        "files/a.pdf",
        "files/b.pdf",
        "images/1.jpg",
        "images/2.jpg",
        "files/c.pdf",
        "files/d.pdf",
        "files/e.pdf",
        "images/h.png",
    ]


def test_referenced_files_ignores_shapes_the_schema_refuses():
    data = {"attachments": "files/a.pdf", "images": [None, {"file": 3}, {"alt": "x"}, "images/x.jpg"]}
    assert referenced_files(data, "") == []
