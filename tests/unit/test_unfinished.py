"""What `khaosan new` leaves for a person to fill in (KS217, KS218: a warning while writing, an error
at the publish gate), and a plain title cut short by ` #` (KS219)."""

from __future__ import annotations

import pytest
from support.checking import check, office
from support.items import EVENT, IDS, NOW_DT, block, hasher, item_text, line_of

from workflow.core import scaffold, yamlparse
from workflow.core.deadlines import deadlines, times_never_set
from workflow.core.rules import item_rules
from workflow.core.source import split
from workflow.core.validate import locate, parse_item

SCAFFOLD_EVENT = {
    "name": "ประชุม",
    "place": '""',
    "starts_at": "2026-11-20T14:10:00+07:00",
    "ends_at": "2026-11-20T14:10:00+07:00",
}


def rules_of(text: str, kind: str = "news", *, gate: bool) -> list[tuple[str, int, str]]:
    """`(code, line, severity)` of the rules' problems, as the gate (or plain `check`) sees them."""
    path = f"content/{IDS[kind]}.md"
    item, source, _ = parse_item(path, text.encode("utf-8"))
    assert item is not None and source is not None
    found = item_rules(
        item,
        office(),
        now=NOW_DT,
        file_hash=hasher({}),
        item_ids=frozenset(IDS.values()),
        body_first_line=source.body_first_line,
        gate=gate,
    )
    return sorted((p.code, p.line, p.severity) for p in locate(found, item) if p.code in ("KS217", "KS218", "KS219"))


def untouched(kind: str) -> str:
    """A base item carrying every placeholder `khaosan new` writes for its kind."""
    changes: dict[str, str] = {}
    if kind in scaffold.BLANK_FIELDS and ("summary",) in scaffold.BLANK_FIELDS[kind]:
        changes["summary"] = '""'
    if kind == "news":
        changes["event"] = block(SCAFFOLD_EVENT)
    return item_text(kind, body="\n" + scaffold.PLACEHOLDER_BODIES[kind], **changes)


@pytest.mark.parametrize("kind", ["news", "disclosure", "clipping"])
@pytest.mark.parametrize(("gate", "severity"), [(True, "error"), (False, "warning")])
def test_an_untouched_scaffold_is_refused_at_the_gate_and_warned_about_before(kind, gate, severity):
    text = untouched(kind)
    found = rules_of(text, kind, gate=gate)
    body_line = line_of(text, scaffold.PLACEHOLDER_BODIES[kind].strip())
    expected = {("KS217", body_line, severity)}
    if kind in ("news", "clipping"):
        expected.add(("KS217", line_of(text, "summary:"), severity))
    if kind == "news":
        expected |= {("KS217", line_of(text, "place:"), severity), ("KS218", line_of(text, "starts_at:"), severity)}
    assert set(found) == expected


@pytest.mark.parametrize("kind", ["news", "disclosure", "clipping"])
def test_finished_items_have_no_placeholder(kind):
    assert rules_of(item_text(kind), kind, gate=True) == []


def test_the_placeholder_left_above_real_text_is_still_found():
    text = item_text("news", body=scaffold.PLACEHOLDER_BODIES["news"] + "สพป. จัดประชุมผู้บริหาร\n")
    assert rules_of(text, gate=True) == [("KS217", line_of(text, "เขียนเนื้อข่าวที่นี่"), "error")]


def test_plain_check_warns_and_passes():
    result = check(untouched("news"))
    assert result.errors == [] and {p.code for p in result.problems} == {"KS217", "KS218"}
    assert {p.severity for p in result.problems} == {"warning"}


def test_times_never_set_means_start_equals_end_and_then_there_is_no_deadline():
    assert times_never_set({"starts_at": EVENT["starts_at"], "ends_at": EVENT["starts_at"]})
    assert not times_never_set(EVENT)
    meeting = office().standards["meeting"]
    unset = {"event": {"starts_at": EVENT["starts_at"], "ends_at": EVENT["starts_at"]}}
    assert deadlines(unset, meeting) == [] and deadlines({"event": EVENT}, meeting) != []


def test_new_writes_each_placeholder_with_a_note_on_its_line():
    values = {
        "type": "news",
        "summary": scaffold.blank(),
        "event": {"place": scaffold.blank(), "starts_at": scaffold.Unfilled("2026-11-25T12:00:00+07:00", "x")},
    }
    schema = {"properties": {"type": {"title": "ชนิด"}, "summary": {"title": "สรุป"}, "event": {"title": "กิจกรรม"}}}
    text = scaffold.render(schema, values, scaffold.PLACEHOLDER_BODIES["news"])
    assert f'summary: ""  # {scaffold.BLANK_NOTE}\n' in text
    assert f'  place: ""  # {scaffold.BLANK_NOTE}\n' in text
    assert "  starts_at: 2026-11-25T12:00:00+07:00  # x\n" in text
    data = yamlparse.load(split(text.encode()).yaml_text)
    assert data["summary"] == scaffold.BLANK and data["event"]["place"] == scaffold.BLANK


# -- KS219: a `#` in a plain title --------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("ประชุมคณะกรรมการ #2 ประจำปี", "ประชุมคณะกรรมการ"),
        ("ประชุม ครั้งที่ 11/2569   # รอบบ่าย", "ประชุม ครั้งที่ 11/2569"),
    ],
)
def test_ks219_a_hash_in_a_plain_title_cuts_it(title, kept):
    text = item_text("news", title=title)
    result = check(text)
    assert [(p.code, p.line) for p in result.problems] == [("KS219", line_of(text, "title:"))]
    (found,) = result.problems
    line = next(line for line in text.split("\n") if line.startswith("title:"))
    assert found.column == line.index("#") + 1
    assert f"'{kept}'" in found.message and found.severity == "error"
    assert found.fix.endswith(f'title: "{title.strip()}"')


@pytest.mark.parametrize(
    "title",
    ['"ประชุมคณะกรรมการ #2"', "'ประชุมคณะกรรมการ #2'", "ประชุมคณะกรรมการ#2", "ประชุมคณะกรรมการ ครั้งที่ 2"],
)
def test_a_quoted_title_or_a_hash_without_a_space_is_whole(title):
    assert check(item_text("news", title=title)).problems == ()


def test_ks219_in_a_disclosure_detail():
    text = item_text("disclosure", detail="ร่างขอบเขตของงาน #1 และ #2")
    assert [(p.code, p.line) for p in check(text, "disclosure").problems] == [("KS219", line_of(text, "detail:"))]
