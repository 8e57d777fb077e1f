"""workflow.core.approvals_text: add one approval, leave every other byte alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.textdiff import inserted_lines

from workflow.core import yamlparse
from workflow.core.approvals_text import EditError, add_approval, add_approval_to_file

APPROVAL = {"by": "anan.w", "step": "facts", "at": "2026-11-21T09:00:00+07:00", "digest": "sha256:" + "a" * 64}
OLD = "  - {by: malee.t, step: check, at: 2026-11-20T16:00:00+07:00, digest: sha256:" + "b" * 64 + "}\n"


def expected_data(yaml_text: str, approval: dict[str, str] = APPROVAL) -> dict:
    data = yamlparse.load(yaml_text)
    return {**data, "approvals": [*(data.get("approvals") or []), approval]}


# -- block lists: only whole lines are inserted ------------------------------

BLOCK_LAYOUTS = {
    "block": "title: x\napprovals:\n  - by: a\n    step: facts\n    at: t\n    digest: d\nchannels: [website]\n",
    "block-last-key": "title: x\napprovals:\n  - by: a\n    step: facts\n",
    "indentless": "title: x\napprovals:\n- by: a\n  step: facts\ntags: [a]\n",
    "wide-dash": "title: x\napprovals:\n    -   by: a\n        step: facts\ntags: []\n",
    "flow-entries": "title: x\napprovals:\n" + OLD + "  - {by: b, step: check}  # ตรวจแล้ว\ntags: [a]\n",
    "comments-around": (
        "title: x\n# การลงนาม\napprovals:  # ตามลำดับขั้น\n  # ขั้นแรก\n  - by: a  # ผอ.กลุ่ม\n"
        "    step: facts\n  # ท้ายรายการ\n\n# ส่วนอื่น\ntags: [a]\n"
    ),
    "block-scalar-note": "title: x\napprovals:\n  - by: a\n    note: |\n      บรรทัดหนึ่ง\n\n      บรรทัดสอง\n\ntags: []\n",
    "two-entries": "approvals:\n  - by: a\n    step: facts\n  - by: b\n    step: check\ntitle: x\n",
}


@pytest.mark.parametrize("name", sorted(BLOCK_LAYOUTS))
def test_block_lists_get_whole_new_lines_only(name):
    before = BLOCK_LAYOUTS[name]
    after = add_approval(before, APPROVAL)
    added = inserted_lines(before, after)
    assert len(added) in (1, 4)  # one flow entry, or one block entry of four keys
    assert yamlparse.load(after) == expected_data(before)


def test_entries_follow_the_lists_style():
    after = add_approval(BLOCK_LAYOUTS["flow-entries"], APPROVAL)
    assert inserted_lines(BLOCK_LAYOUTS["flow-entries"], after) == [
        "  - {by: anan.w, step: facts, at: 2026-11-21T09:00:00+07:00, digest: sha256:" + "a" * 64 + "}\n"
    ]
    after = add_approval(BLOCK_LAYOUTS["block"], APPROVAL)
    assert inserted_lines(BLOCK_LAYOUTS["block"], after) == [
        "  - by: anan.w\n",
        "    step: facts\n",
        "    at: 2026-11-21T09:00:00+07:00\n",
        "    digest: sha256:" + "a" * 64 + "\n",
    ]


# -- missing key, empty list, null: the value token goes, lines are added ---


def test_missing_approvals_key_is_appended():
    before = "title: x\ntags: [a]\n# ท้ายไฟล์\n"
    after = add_approval(before, APPROVAL)
    assert after.startswith(before)
    assert inserted_lines(before, after)[0] == "approvals:\n"
    assert yamlparse.load(after) == expected_data(before)


@pytest.mark.parametrize(
    ("before", "line_before", "line_after"),
    [
        ("title: x\napprovals: []\ntags: [a]\n", "approvals: []\n", "approvals:\n"),
        ("title: x\napprovals: [ ]\n", "approvals: [ ]\n", "approvals:\n"),
        ("title: x\napprovals: []  # ยังไม่มี\ntags: [a]\n", "approvals: []  # ยังไม่มี\n", "approvals:   # ยังไม่มี\n"),
        ("title: x\napprovals: null\ntags: [a]\n", "approvals: null\n", "approvals:\n"),
        ("title: x\napprovals: ~\n", "approvals: ~\n", "approvals:\n"),
        ("title: x\napprovals:\ntags: [a]\n", "approvals:\n", "approvals:\n"),
        ("title: x\napprovals:\n", "approvals:\n", "approvals:\n"),
    ],
)
def test_empty_or_null_approvals_become_a_block_list(before, line_before, line_after):
    after = add_approval(before, APPROVAL)
    assert yamlparse.load(after) == expected_data(before)
    rest = before.replace(line_before, line_after)
    assert len(inserted_lines(rest, after)) == 4


# -- non-empty flow lists: one entry is inserted before `]` ------------------


@pytest.mark.parametrize(
    "before",
    [
        "title: x\napprovals: [{by: a, step: facts}]\n",
        "title: x\napprovals: [ {by: a, step: facts} ]  # ครบ\ntags: []\n",
        "title: x\napprovals: [{by: a, step: facts},]\n",
        "title: x\napprovals: [\n  {by: a, step: facts}\n]\n",
        "title: x\napprovals: [\n  {by: a, step: facts},\n  ]\n",
    ],
)
def test_flow_lists_get_one_more_entry(before):
    after = add_approval(before, APPROVAL)
    assert yamlparse.load(after) == expected_data(before)
    close = before.index("]", before.index("approvals:"))
    assert after.startswith(before[:close].rstrip(" ,\n"))
    assert after.endswith(before[close:])


@pytest.mark.parametrize(
    "before", ["title: x\napprovals: none\n", "title: x\napprovals: {by: a}\n", "title: x\napprovals: 3\n"]
)
def test_approvals_that_are_not_a_list_are_refused(before):
    with pytest.raises(EditError):
        add_approval(before, APPROVAL)


def test_a_front_matter_that_is_not_a_mapping_is_refused():
    with pytest.raises(EditError):
        add_approval("- a\n- b\n", APPROVAL)


# -- values that need quoting --------------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "ตรวจแล้ว: ถูกต้อง",
        "no",
        "- ไม่มี",
        "# หมายเหตุ",
        "[ด่วน]",
        "a\nb",
        "  ",
        "'",
        "08",
        "true",
        "null",
        "*x",
        "&x",
        "!x",
        "%x",
        "@x",
        "`x",
        "{x}",
        "ผ่าน, มีแก้ไข",
        "OK:",
        "A:b: c",
        "x\x85y",
        "x\u2028y",
        "bell\x07",
    ],
)
def test_notes_are_written_so_they_read_back_identically(note):
    approval = {**APPROVAL, "note": note}
    before = "title: x\napprovals: []\n"
    assert yamlparse.load(add_approval(before, approval))["approvals"] == [approval]


# -- the whole file --------------------------------------------------------------

FILE = "---\n# ข่าวประชุม\ntitle: ประชุม\napprovals: []  # รอ\nchannels: [website]\n---\nเนื้อข่าว\n---\nไม่ใช่ส่วนหัว: ค่า\n"


def test_add_approval_to_file_keeps_the_fences_and_body():
    expected = {"title": "ประชุม", "approvals": [APPROVAL], "channels": ["website"]}
    after = add_approval_to_file(FILE, APPROVAL, expected)
    assert after.endswith("---\nเนื้อข่าว\n---\nไม่ใช่ส่วนหัว: ค่า\n")
    assert after.startswith("---\n# ข่าวประชุม\ntitle: ประชุม\napprovals:   # รอ\n  - by: anan.w\n")
    assert len(inserted_lines(FILE.replace("approvals: []  # รอ", "approvals:   # รอ"), after)) == 4


def test_add_approval_to_file_refuses_when_the_result_reads_differently():
    with pytest.raises(EditError):
        add_approval_to_file(FILE, APPROVAL, {"title": "อื่น"})


def test_add_approval_to_file_writes_line_breaks_in_a_note_escaped():
    approval = {**APPROVAL, "note": "x\x85y\u2028z\nw"}
    expected = {"title": "ประชุม", "approvals": [approval], "channels": ["website"]}
    after = add_approval_to_file(FILE, approval, expected)
    assert after.count("\n") == FILE.count("\n") + 5


BLOCK_FILE = "---\ntitle: ประชุม\napprovals:\n  - by: a\n    step: facts\n---\nเนื้อข่าว\n"


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_note_is_written_exactly_or_refused(note):
    approval = {**APPROVAL, "note": note}
    expected = {"title": "ประชุม", "approvals": [{"by": "a", "step": "facts"}, approval]}
    try:
        after = add_approval_to_file(BLOCK_FILE, approval, expected)
    except EditError:
        return
    assert len(inserted_lines(BLOCK_FILE, after)) == 5


# -- the comments that introduce the next key stay with it ----------------------------------

WITHDRAWN = "withdrawn:\n  at: 2026-11-24T09:00:00+07:00\n  by: prasert.j\n  reason: ข้อมูลคลาดเคลื่อน\n"
NEXT_KEY_COMMENTS = {
    # what `khaosan new` writes after the list: each later field commented out under its Thai comment
    "scaffold": (
        "title: x\n# การลงนาม: รายการการลงนาม\napprovals:\n  - by: a\n    step: facts\n"
        "# เวลาเริ่มเผยแพร่: ไม่เผยแพร่ก่อนเวลานี้\n# publish_at:\n# ถอนการเผยแพร่: รายการที่ถอนแล้ว\n# withdrawn:\n"
    ),
    # written by hand: a blank line, a note for the next key, the next key itself
    "by-hand": "title: x\napprovals:\n  - by: a\n    step: facts\n\n# ถอนเมื่อจำเป็น\n# withdrawn:\ntags: [a]\n",
    "by-hand-flow-entries": (
        "title: x\napprovals:\n  - {by: a, step: facts}\n  # ลงนามแล้วหนึ่งขั้น\n\n# ถอนเมื่อจำเป็น\n# withdrawn:\ntags: [a]\n"
    ),
    "indentless": "title: x\napprovals:\n- by: a\n  step: facts\n# withdrawn:\n",
}


@pytest.mark.parametrize("name", sorted(NEXT_KEY_COMMENTS))
def test_a_new_entry_goes_before_the_comments_of_the_next_key(name):
    before = NEXT_KEY_COMMENTS[name]
    after = add_approval(before, APPROVAL)
    assert yamlparse.load(after) == expected_data(before)
    assert after.index("# withdrawn:") > after.index("anan.w")
    # uncommenting the key as the layout invites: the list keeps both entries, no YAML error
    data = yamlparse.load(after.replace("# withdrawn:\n", WITHDRAWN))
    assert len(data["approvals"]) == 2 and data["withdrawn"]["by"] == "prasert.j"


def test_a_comment_inside_the_last_entry_stays_inside_it():
    before = "title: x\napprovals:\n  - by: a\n    # ผอ.กลุ่มลงนามแทน\n    step: facts\n# withdrawn:\n"
    after = add_approval(before, APPROVAL)
    assert after.startswith(before[: before.index("# withdrawn:")])
    assert after.endswith("# withdrawn:\n")
