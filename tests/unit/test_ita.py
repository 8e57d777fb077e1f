"""workflow.core.ita: the OIT lists as data, `ita:` tags read against the year's list, each O-item's state."""

from __future__ import annotations

import json

import pytest
from support.checking import check, found, schemas
from support.items import PROJECT, digest_of, item_text, line_of

from workflow.core import ita
from workflow.core.ita import STATE_LABELS, Evidence, Service, assess, evidence_year, parse_list
from workflow.core.schema import COMMON, SCHEMA_FILES, Schemas
from workflow.core.structure import Item

FY2569 = "2025-11-21T09:00:00+07:00"  # the base disclosure, moved into fiscal year 2569


def raw_schemas() -> dict[str, dict]:
    return {
        name: json.loads((PROJECT / "schemas" / name).read_text(encoding="utf-8"))
        for name in (COMMON, *SCHEMA_FILES.values())
    }


def list_text(year: int = 2569, items: str | None = None) -> str:
    items = items or (
        "  - {code: O1, title: โครงสร้าง, requires: แผนผังโครงสร้าง, current: false}\n"
        "  - {code: O2, title: แผนดำเนินงานประจำปี, requires: แผนของปี, current: true}\n"
        "  - {code: O3, title: Q&A, requires: ช่องทางถาม-ตอบ, current: false, service: qa}\n"
    )
    return f"fiscal_year: {year}\nitems:\n{items}"


def test_the_shipped_lists_load_for_2567_2568_and_2569_without_a_problem():
    lists, problems = schemas().ita, schemas().ita_problems
    assert problems == []
    assert {2567, 2568, 2569} <= set(lists)
    for year, oit in lists.items():
        assert oit.fiscal_year == year and oit.source  # each says where it comes from
        assert [i.code for i in oit.items] == [f"O{n}" for n in range(1, len(oit.items) + 1)]
        assert all(i.title and i.requires for i in oit.items)
    # what a static site cannot host points at a configured channel, never at a page of its own
    services = {i.service for i in lists[2569].items if i.service}
    assert {"qa", "complaint", "e-service"} <= services


def test_an_unknown_code_is_a_thai_error_on_its_own_line():
    text = item_text("disclosure", requested_at=FY2569, ita="\n  - O11\n  - O99")
    result = check(text, "disclosure")
    assert ("KS250", line_of(text, "  - O99")) in found(result)
    problem = next(p for p in result.problems if p.code == "KS250")
    assert "O99" in problem.detail and "2569" in problem.detail
    assert "หมายถึง O9" in problem.hint  # the nearest code is offered


def test_a_code_is_read_against_the_list_of_the_year_the_item_was_written_in():
    # O43 exists in 2568's and 2569's lists, not in 2567's (41 items)
    assert ("KS250", 5) not in found(check(item_text("disclosure", requested_at=FY2569, ita="[O43]"), "disclosure"))
    old = item_text("disclosure", requested_at="2023-11-21T09:00:00+07:00", ita="[O43]")
    assert "KS250" in {p.code for p in check(old, "disclosure").problems}


def test_a_year_without_a_list_is_a_warning_naming_the_file_to_add():
    text = item_text("disclosure", ita="[O1]")  # requested 2026-11: fiscal year 2570, no list shipped
    result = check(text, "disclosure")
    warned = [p for p in result.problems if p.code == "KS251"]
    assert warned and warned[0].severity == "warning" and "data/ita/2570.yml" in warned[0].hint
    assert not result.errors


@pytest.mark.parametrize("value", ["O11", "[o11]", "[O0]", "[11]", "[O11, O11]", "{O11: true}"])
def test_malformed_tags_are_schema_errors(value):
    result = check(item_text("disclosure", requested_at=FY2569, ita=value), "disclosure")
    assert result.errors and {p.code for p in result.errors} <= {"KS103", "KS105", "KS106"}


def test_tagging_an_item_stales_no_sign_off():
    """`ita` is how the office files an item, not what the approver read (like `channels`)."""
    plain = item_text("disclosure", requested_at=FY2569)
    assert digest_of(plain) == digest_of(item_text("disclosure", requested_at=FY2569, ita="[O20]"))


def test_evidence_year_follows_the_thai_fiscal_year():
    def year(**data: object) -> int | None:
        return evidence_year(Item("x", "content/x.md", dict(data), ""))

    assert year(requested_at="2025-09-30T23:59:00+07:00") == 2568
    assert year(requested_at="2025-10-01T00:00:00+07:00") == 2569
    assert year(requested_at="2025-09-30T17:00:00Z") == 2569  # 00:00 on 1 October in Bangkok
    assert year(published_on="2026-09-30") == 2569
    assert year(earlier_site={"published_at": "2024-01-01T10:00:00+07:00"}) == 2567
    assert year(requested_at="2568-11-01T10:00:00+07:00") is None  # a Buddhist-Era year: nothing computed
    assert year() is None


# -- the list files ------------------------------------------------------------------


def test_a_list_whose_name_and_year_disagree_is_refused():
    oit, problems = parse_list("data/ita/2569.yml", list_text(2568), schemas())
    assert oit is None and [(p.code, p.line) for p in problems] == [("KS253", 1)]


def test_a_code_listed_twice_is_refused_on_its_line():
    items = (
        "  - {code: O1, title: ก, requires: ก, current: false}\n  - {code: O1, title: ข, requires: ข, current: false}\n"
    )
    oit, problems = parse_list("data/ita/2569.yml", list_text(items=items), schemas())
    assert oit is None and [(p.code, p.line) for p in problems] == [("KS252", 4)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("fiscal_year: 2569\nitems: []\n", "KS106"),
        ("fiscal_year: 2569\nitems:\n  - {code: X1, title: ก, requires: ก, current: false}\n", "KS105"),
        ("fiscal_year: 2569\nitems:\n  - {code: O1, title: ก, requires: ก, current: yes}\n", "KS014"),
        ("fiscal_year: 2569\nitems:\n  - {code: O1, title: ก, requires: ก}\n", "KS101"),
        ("fiscal_year: 2569\nitems: &a\n  - {code: O1, title: ก, requires: ก, current: false}\n", "KS012"),
        ("fiscal_year: [\n", "KS010"),
        ("- just\n- a list\n", "KS013"),
    ],
)
def test_a_broken_list_file_is_a_problem_with_its_code_never_a_traceback(text, code):
    oit, problems = parse_list("data/ita/2569.yml", text, schemas())
    assert oit is None and code in {p.code for p in problems}
    assert all(p.path == "data/ita/2569.yml" for p in problems)


def test_a_file_not_named_by_a_year_is_refused():
    oit, problems = parse_list("data/ita/latest.yml", list_text(), schemas())
    assert oit is None and [p.code for p in problems] == ["KS253"]


def test_schemas_carry_the_lists_they_were_given():
    own = Schemas(raw_schemas(), {"data/ita/2569.yml": list_text()})
    assert own.ita[2569].codes == ("O1", "O2", "O3") and own.ita_problems == []
    # an item read against the office's own edited list: O11 no longer exists
    text = item_text("disclosure", requested_at=FY2569, ita="[O11]")
    from support.checking import office
    from support.items import FILES, IDS, NOW_DT, PATHS, hasher

    from workflow.core.validate import Context, check_item

    ctx = Context(office(), own, NOW_DT, hasher(FILES), frozenset(IDS.values()))
    result = check_item(PATHS["disclosure"], text.encode(), ctx)
    assert "KS250" in {p.code for p in result.problems}


# -- the states ----------------------------------------------------------------------


def lists_of(*years: int) -> dict[int, ita.OitList]:
    own = Schemas(raw_schemas(), {f"data/ita/{y}.yml": list_text(y) for y in years})
    return dict(own.ita)


def test_states_complete_missing_stale_and_a_channel():
    lists = lists_of(2568, 2569)
    evidence = [
        Evidence("disclosures/organization/structure-2567", "โครงสร้าง", 2568, ("O1",)),
        Evidence("disclosures/action-plan/plan-2568", "แผน 2568", 2568, ("O2",)),
    ]
    services = {"qa": Service("qa", "ถาม-ตอบ", "https://qa.example/")}
    rows = {r.code: r for r in assess(2569, lists, evidence, services).rows}
    assert rows["O1"].state == "complete"  # need not be current: last year's structure still counts
    assert rows["O2"].state == "stale" and rows["O2"].label == "ยังไม่เป็นปัจจุบัน"
    assert rows["O3"].state == "complete" and rows["O3"].links[0].url == "https://qa.example/"
    assert rows["O3"].note == ita.CHANNEL_NOTE  # a channel says plainly it is outside the site, unchecked
    assert rows["O1"].note == ""
    assert [r.code for r in assess(2569, lists, evidence, {}).missing] == ["O2", "O3"]  # no channel: ขาด
    assert "online_services" in {r.code: r for r in assess(2569, lists, evidence, {}).rows}["O3"].note


def test_evidence_from_a_later_year_never_counts_for_an_earlier_one():
    lists = lists_of(2568, 2569)
    evidence = [Evidence("disclosures/action-plan/plan-2569", "แผน 2569", 2569, ("O2",))]
    assert {r.code: r.state for r in assess(2568, lists, evidence, {}).rows}["O2"] == "missing"
    assert {r.code: r.state for r in assess(2569, lists, evidence, {}).rows}["O2"] == "complete"


def test_a_renumbered_item_is_followed_by_its_title():
    lists = lists_of(2569)
    lists[2568] = ita.OitList(2568, (ita.OitItem("O7", "โครงสร้าง", "แผนผัง", False),))
    evidence = [Evidence("disclosures/organization/structure-2568", "โครงสร้าง", 2568, ("O7",))]
    rows = {r.code: r for r in assess(2569, lists, evidence, {}).rows}
    assert rows["O1"].state == "complete" and rows["O1"].links[0].url == "disclosures/organization/structure-2568/"
    assert rows["O2"].state == "missing"  # O7 of 2568 is not O7 (nor anything else) of 2569


def test_the_states_thai_labels_have_one_home():
    assert STATE_LABELS == {"complete": "มีครบ", "missing": "ขาด", "stale": "ยังไม่เป็นปัจจุบัน"}
    sources = [*(PROJECT / "workflow").rglob("*.py"), *(PROJECT / "theme").rglob("*.html")]
    for label in STATE_LABELS.values():
        quoted = (f'"{label}"', f"'{label}'", f">{label}<")
        hits = [p for p in sources if p.name != "ita.py" and any(q in p.read_text(encoding="utf-8") for q in quoted)]
        assert hits == [], f"{label} spelled out again in {hits}"


# -- office.yml: the channels a static site links to, the reports' signers -----------------


def office_with(extra: str):
    from workflow.core.validate import check_office

    raw = (PROJECT / "office.yml").read_text(encoding="utf-8")
    raw = raw.split("\nonline_services:")[0] + extra
    return check_office(raw.encode("utf-8"), schemas())


def test_the_sample_office_configures_every_channel_its_oit_list_asks_for():
    from support.checking import office

    wanted = {i.service for i in schemas().ita[2569].items if i.service}
    assert wanted <= set(office().online_services)
    assert office().reporter == "somchai.p" and office().certifier == "malee.t"


def test_a_report_signer_who_is_not_a_person_of_the_office_is_refused_on_its_line():
    _, problems = office_with("\nreports:\n  reporter: nobody.x\n")
    assert [(p.code, p.detail) for p in problems] == [("KS254", "nobody.x")]
    assert problems[0].line == len((PROJECT / "office.yml").read_text().split("\nonline_services:")[0].split("\n")) + 2


def test_an_online_service_named_twice_is_refused():
    twice = "\nonline_services:\n  - {id: qa, name: ก, url: https://a.example/}\n  - {id: qa, name: ข, url: https://b.example/}\n"
    _, problems = office_with(twice)
    assert [p.code for p in problems] == ["KS401"]
    _, problems = office_with("\nonline_services:\n  - {id: qa, name: ก, url: javascript:alert(1)}\n")
    assert [p.code for p in problems] == ["KS105"]  # only http(s) links, never a script
