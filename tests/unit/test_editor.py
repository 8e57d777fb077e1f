"""The browser editor's configuration, generated from the schemas and office.yml
(`workflow/core/editor.py`): every schema field is in the form with its Thai title, or on the list
of fields the editor never writes; enums are selects labelled from the schemas; people come from
the roster in the repository, never from the public site's files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from workflow.core.editor import (
    ADMIN_NOTICE,
    FILES,
    IMAGES,
    NEVER_EDITED,
    ROSTER,
    TIME_FORMAT,
    decap_config,
    field_paths,
    script_rules,
)
from workflow.core.structure import KINDS, NEW_ITEM_FOLDER, NEW_ITEM_STEM, new_item_place
from workflow.core.thaitime import BANGKOK
from workflow.core.vocabulary import labels_at
from workflow.edges.files.repository import Repository

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def repo() -> Repository:
    return Repository(PROJECT)


@pytest.fixture(scope="module")
def generated(repo):
    office, problems = repo.office()
    assert office is not None and not problems
    return office, decap_config(repo.schemas.bundled, office), script_rules(repo.schemas.bundled, office)


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return {**defs[ref[len("#/$defs/") :]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _schema_fields(node: dict[str, Any], defs: dict[str, Any], prefix: tuple[str, ...] = ()):
    """(path, Thai title) of every field the schema describes, at any depth."""
    for name, child in node.get("properties", {}).items():
        merged = _resolve(child, defs)
        path = (*prefix, name)
        yield path, merged.get("title")
        kinds = merged.get("type") if isinstance(merged.get("type"), list) else [merged.get("type")]
        if "object" in kinds:
            yield from _schema_fields(merged, defs, path)
        if "array" in kinds:
            items = _resolve(merged.get("items", {}), defs)
            if items.get("type") == "object":
                yield from _schema_fields(items, defs, (*path, "*"))
            elif "enum" not in items:
                yield (*path, "*"), items.get("title")


@pytest.mark.parametrize("kind", KINDS)
def test_every_schema_field_is_in_the_editor_with_its_thai_title_or_never_written(repo, generated, kind):
    _, config, _ = generated
    schema = repo.schemas.bundled[kind]
    collection = next(c for c in config["collections"] if c["name"] == kind)
    in_editor = field_paths(collection["fields"])
    walked = list(_schema_fields(schema, schema["$defs"]))
    assert len(walked) > 20
    for path, title in walked:
        if path[0] in NEVER_EDITED:
            assert path[:1] not in in_editor, path  # not in the form, at any depth
            continue
        assert path in in_editor, path
        assert title and in_editor[path] == title, path  # the schema's Thai title, as it is
    assert set(in_editor) - {p for p, _ in walked} == {("body",)}  # nothing the schema does not know
    assert collection["label"] == schema["title"]


def test_never_edited_covers_every_act_the_schemas_record(repo):
    """Every field that names who gave an order, a sign-off or a check is on the list."""
    acts = {"approvals", "urgent", "withdrawn", "webmaster", "live_check"}
    assert acts <= set(NEVER_EDITED)
    for kind in KINDS:
        props = repo.schemas.bundled[kind]["properties"]
        assert {k for k in props if k in acts} <= set(
            script_rules(repo.schemas.bundled, repo.office()[0])["collections"][kind]["kept"]
        )


def _fields(fields: list[dict[str, Any]]):
    for f in fields:
        yield f
        yield from _fields(f.get("fields", []))
        if "field" in f:
            yield from _fields([f["field"]])


@pytest.mark.parametrize("kind", KINDS)
def test_enums_are_selects_labelled_from_the_schema_and_people_come_from_the_roster(repo, generated, kind):
    _, config, rules = generated
    schema = repo.schemas.bundled[kind]
    collection = next(c for c in config["collections"] if c["name"] == kind)
    by_name = {f["name"]: f for f in _fields(collection["fields"])}
    for name, node in schema["properties"].items():
        if name in NEVER_EDITED:
            continue
        labels = labels_at(node, schema["$defs"])
        if labels and "const" not in node:
            assert by_name[name]["widget"] == "select"
            assert {o["value"]: o["label"] for o in by_name[name]["options"]} == labels
    people = [f for f in _fields(collection["fields"]) if f["widget"] == "relation"]
    assert people and all(f["collection"] == ROSTER and f["value_field"] == "people.*.id" for f in people)
    times = [f for f in _fields(collection["fields"]) if f["widget"] == "datetime" and f["format"] == TIME_FORMAT]
    assert len(times) == len(rules["collections"][kind]["times"]) > 0  # each one written with +07:00
    media = {f["widget"]: f["media_folder"] for f in _fields(collection["fields"]) if f["widget"] in ("image", "file")}
    assert media.get("image", "/" + IMAGES) == "/" + IMAGES and media.get("file", "/" + FILES) == "/" + FILES
    assert by_name["body"]["modes"] == ["raw"] and by_name["body"]["sanitize_preview"] is True


def test_the_public_configuration_holds_no_roster(generated):
    """config.yml is on the public site: no person id, name or login in it (people are read from
    office.yml in the repository, after signing in)."""
    office, config, rules = generated
    text = yaml.safe_dump(config, allow_unicode=True) + repr(rules)
    for person in office.people.values():
        assert person.id not in text and person.name not in text
        assert not person.github or person.github not in text


def test_the_editorial_workflow_is_pull_requests_and_says_publishing_does_not_bypass_protection(generated):
    _, config, _ = generated
    assert config["publish_mode"] == "editorial_workflow" and config["backend"]["name"] == "github"
    assert config["locale"] == "th"
    assert "ไม่ข้ามการป้องกันสาขา" in ADMIN_NOTICE and "khaosan/sign-offs" in ADMIN_NOTICE
    assert all(not c.get("delete") for c in config["collections"])  # a withdrawal, never a deletion


def test_new_items_go_where_khaosan_new_puts_them(generated):
    _, config, rules = generated
    assert new_item_place("news", {"news_type": "meeting"}, datetime(2026, 11, 25, 21, 0, tzinfo=BANGKOK)) == (
        "news/2569",
        "meeting-20261125-2100",
    )
    # 18:30 UTC on 31 December is 01:30 on 1 January in Bangkok: the new year's folder
    late = datetime.fromisoformat("2026-12-31T18:30:00+00:00")
    assert new_item_place("clipping", {}, late) == ("clippings/2570", "clipping-20270101-0130")
    assert new_item_place("disclosure", {"category": "procurement"}, late)[0] == "disclosures/procurement"
    for kind in KINDS:  # the editor's script is given the same templates
        mine = rules["collections"][kind]
        collection = next(c for c in config["collections"] if c["name"] == kind)
        assert f"{collection['folder'].removeprefix('content/')}/{mine['folder']}" == NEW_ITEM_FOLDER[kind]
        assert mine["stem"] == NEW_ITEM_STEM[kind]
