"""workflow.core.schema: the JSON Schemas as validators, their errors as Thai problems with lines."""

from __future__ import annotations

import copy
import json

import pytest
from support.checking import check, found, schemas
from support.items import PROJECT, block, item_text, line_of

from workflow.core.schema import COMMON, SCHEMA_FILES, Schemas, bundle


def raw_schemas() -> dict[str, dict]:
    return {
        name: json.loads((PROJECT / "schemas" / name).read_text(encoding="utf-8"))
        for name in (COMMON, *SCHEMA_FILES.values())
    }


def test_bundle_inlines_common_refs_and_keeps_local_defs():
    raw = raw_schemas()
    bundled = bundle(raw["news.schema.json"], raw[COMMON])
    text = json.dumps(bundled)
    assert COMMON not in text
    assert bundled["properties"]["produced_at"]["$ref"] == "#/$defs/time"
    assert set(raw[COMMON]["$defs"]) <= set(bundled["$defs"])
    office = bundle(raw["office.schema.json"], raw[COMMON])
    assert {"deadline", "standard"} <= set(office["$defs"])


def test_bundle_does_not_change_its_input():
    raw = raw_schemas()
    before = copy.deepcopy(raw)
    bundle(raw["news.schema.json"], raw[COMMON])
    assert raw == before


@pytest.mark.parametrize("kind", ["news", "disclosure", "clipping"])
def test_base_items_are_valid(kind):
    result = check(item_text(kind), kind)
    assert result.problems == ()


def test_every_schema_property_has_a_thai_title_or_shared_definition():
    raw = raw_schemas()
    for kind in ("news", "disclosure", "clipping"):
        for key, prop in raw[SCHEMA_FILES[kind]]["properties"].items():
            assert prop.get("title") or "$ref" in prop, (kind, key)


# -- each keyword's translation, at the line of the offending key or value ----


def test_ks101_missing_required_field_names_it_in_thai():
    text = item_text("news", author=None)
    result = check(text)
    assert found(result) == {("KS101", 2)}
    assert "author (ผู้เขียนข่าว)" in result.problems[0].message


def test_ks101_missing_nested_field_points_at_its_parent():
    text = item_text("news", event=block({"starts_at": "2026-11-20T09:00:00+07:00"}))
    assert found(check(text)) == {("KS101", line_of(text, "event:"))}


def test_ks101_missing_type_field():
    text = item_text("news", type=None)
    result = check(text)
    assert [p.code for p in result.problems] == ["KS101"]


def test_ks102_unknown_key_with_did_you_mean():
    text = item_text("news", titel="ข่าว")
    result = check(text)
    assert found(result) == {("KS102", line_of(text, "titel:"))}
    assert "title" in result.problems[0].fix


def test_ks102_unknown_nested_key():
    text = item_text(
        "news",
        event=block(
            {"starts_at": "2026-11-20T09:00:00+07:00", "ends_at": "2026-11-20T12:00:00+07:00", "room": "ห้อง 1"}
        ),
    )
    assert found(check(text)) == {("KS102", line_of(text, "room:"))}


def test_ks103_wrong_type():
    text = item_text("news", title="[ประชุม, ครั้งที่ 1]")
    result = check(text)
    assert found(result) == {("KS103", line_of(text, "title:"))}
    assert "ข้อความ" in result.problems[0].message


def test_ks103_number_where_text_is_expected():
    text = item_text("news", summary="2569")
    assert found(check(text)) == {("KS103", line_of(text, "summary:"))}


def test_ks104_value_not_in_list_names_the_choices():
    text = item_text("news", news_type="conference")
    result = check(text)
    assert found(result) == {("KS104", line_of(text, "news_type:"))}
    assert "press-conference" in result.problems[0].message


def test_ks104_inside_a_list_points_at_the_entry():
    text = item_text("news", channels="\n  - website\n  - tiktok")
    assert found(check(text)) == {("KS104", line_of(text, "- tiktok"))}


def test_ks105_bare_date_where_a_time_is_needed():
    text = item_text("news", produced_at="2026-11-20")
    result = check(text)
    assert found(result) == {("KS105", line_of(text, "produced_at:"))}
    assert "2026-11-20T12:00:00+07:00" in result.problems[0].fix  # the schema's own description


def test_ks105_bare_clock_time_in_a_nested_field():
    text = item_text("news", event=block({"starts_at": "2026-11-20T09:00:00+07:00", "ends_at": "12:30"}))
    assert found(check(text)) == {("KS105", line_of(text, "ends_at:"))}


def test_ks105_buddhist_era_year_without_time_is_still_a_format_error():
    text = item_text("news", produced_at="20/11/2569")
    assert found(check(text)) == {("KS105", line_of(text, "produced_at:"))}


def test_ks105_malformed_digest_points_at_the_digest_line():
    approvals = "\n  - by: anan.w\n    step: facts\n    at: 2026-11-20T15:00:00+07:00\n    digest: sha256:abc"
    text = item_text("news", approvals=approvals)
    assert found(check(text)) == {("KS105", line_of(text, "digest:"))}


def test_ks106_empty_required_text():
    text = item_text("news", title='""')
    assert found(check(text)) == {("KS106", line_of(text, "title:"))}


def test_ks106_duplicate_channel():
    text = item_text("news", channels="[website, facebook, website]")
    assert found(check(text)) == {("KS106", line_of(text, "channels:"))}


def test_ks107_unknown_type():
    text = item_text("news", type="article")
    result = check(text)
    assert found(result) == {("KS107", line_of(text, "type:"))}


def test_ks107_unhashable_type_value_is_not_a_crash():
    text = item_text("news", type="[news]")
    assert [p.code for p in check(text).problems] == ["KS107"]


def test_several_schema_problems_are_all_reported():
    text = item_text("news", plan="weekly", format="video", author="Somchai")
    assert found(check(text)) == {
        ("KS104", line_of(text, "plan:")),
        ("KS104", line_of(text, "format:")),
        ("KS105", line_of(text, "author:")),
    }


def test_rules_do_not_run_on_data_the_schema_refused():
    # an unknown person would be KS201, but the schema problem comes first and alone
    text = item_text("news", author="nobody.x", plan="weekly")
    assert [p.code for p in check(text).problems] == ["KS104"]


# -- KS014: only where a boolean is expected ----------------------------------


def schemas_with_boolean_field() -> Schemas:
    raw = raw_schemas()
    raw["news.schema.json"]["properties"]["featured"] = {"type": "boolean", "title": "ข่าวเด่น"}
    return Schemas(raw)


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "NO"])
def test_ks014_yes_no_for_a_boolean_field(word):
    problems = schemas_with_boolean_field().problems("news", {"featured": word}, "x.md")
    assert "KS014" in [p.code for p in problems]


def test_ks014_not_for_other_wrong_values_of_a_boolean_field():
    validator = schemas_with_boolean_field()
    for value in ("maybe", 1, ["yes"], {"a": "no"}):
        codes = [p.code for p in validator.problems("news", {"featured": value}, "x.md")]
        assert "KS014" not in codes and "KS103" in codes


def test_the_item_schemas_have_no_boolean_field():
    # KS014 cannot fire on items today: `no` stays the text 'no' (see test_yamlparse).
    assert '"boolean"' not in json.dumps([schemas().bundled[k] for k in ("news", "disclosure", "clipping")])
    text = item_text("news", title="no")
    result = check(text)
    assert result.problems == () and result.item is not None and result.item.data["title"] == "no"


def test_office_schema_problems():
    validator = schemas()
    assert validator.problems("office", {"office": {}}, "office.yml")
    codes = {
        p.code
        for p in validator.problems(
            "office",
            {
                "office": {"name": "x", "short_name": "y", "site_url": "https://x.example"},
                "groups": [],
                "people": [],
                "time_standards": {},
                "channels": [],
            },
            "office.yml",
        )
    }
    assert codes == {"KS106"}
