"""One home for every Thai label: the schemas' `x-labels` (a kind's: its schema's title).

The same value reads the same wherever a person sees it (the site, the reports, `new`,
`status`, the new item's comments), and no Python module keeps a copy of a label.
"""

from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path
from typing import Any

import pytest
from support.checking import check, office
from support.items import item_text

from workflow.commands.new import SCHEMA_OPTIONS, check_choices
from workflow.core import periods, scaffold
from workflow.core.metrics import compute
from workflow.core.publication_history import HistoryFacts, ItemRecord
from workflow.core.schema import COMMON, SCHEMA_FILES, bundle
from workflow.core.vocabulary import CATEGORY, EFFECT, KIND, LABELS_KEY, MEDIUM, NEWS_TYPE, STEP, build_vocabulary
from workflow.edges.render.metrics import table
from workflow.edges.render.status import item_lines, item_status
from workflow.edges.site.pelican_plugin import KhaosanReader
from workflow.errors import KhaosanError

PROJECT = Path(__file__).resolve().parents[2]
NOW = periods.month("2569-11").end


def _raw() -> dict[str, dict[str, Any]]:
    return {
        name: json.loads((PROJECT / "schemas" / name).read_text(encoding="utf-8"))
        for name in (COMMON, *SCHEMA_FILES.values())
    }


def _labelled(node: Any, name: str = "") -> list[tuple[str, dict[str, Any]]]:
    """(field name, node) for every node of a schema file that carries `x-labels`."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if LABELS_KEY in node:
            found.append((name, node))
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for inner, child in value.items():
                    found += _labelled(child, inner)
            elif key == "items":
                found += _labelled(value, name)
            elif key != LABELS_KEY:
                found += _labelled(value)
    elif isinstance(node, list):
        for value in node:
            found += _labelled(value)
    return found


def schema_labels() -> dict[str, dict[str, str]]:
    """field -> value -> label, read straight from the JSON files (not through the code under test)."""
    raw = _raw()
    labels: dict[str, dict[str, str]] = {
        KIND: {
            raw[name]["properties"]["type"]["const"]: raw[name]["title"]
            for name in SCHEMA_FILES.values()
            if "type" in raw[name]["properties"]
        }
    }
    for schema in raw.values():
        for name, node in _labelled(schema):
            labels.setdefault(name, {}).update(node[LABELS_KEY])
    return labels


LABELS = schema_labels()


# -- the schemas themselves ------------------------------------------------------------


def test_every_label_map_names_exactly_its_enum_values():
    for schema in _raw().values():
        for name, node in _labelled(schema):
            assert list(node[LABELS_KEY]) == node["enum"], f"{name}: x-labels and enum differ"


def test_a_field_labelled_twice_says_the_same_thing_both_times():
    seen: dict[tuple[str, str], str] = {}
    for schema in _raw().values():
        for name, node in _labelled(schema):
            for value, label in node[LABELS_KEY].items():
                assert seen.setdefault((name, value), label) == label, f"{name}.{value}: two labels"


def test_descriptions_no_longer_repeat_the_labels():
    for schema in _raw().values():
        for name, node in _labelled(schema):
            for value, label in node[LABELS_KEY].items():
                assert f"{value} = {label}" not in node.get("description", ""), f"{name}: description repeats labels"


def test_the_vocabulary_is_the_schemas_labels():
    raw = _raw()
    bundled = {kind: bundle(raw[name], raw[COMMON]) for kind, name in SCHEMA_FILES.items()}
    assert build_vocabulary(bundled).as_dict() == LABELS
    assert office().vocabulary.as_dict() == LABELS
    assert office().vocabulary.label(MEDIUM, "no-such-medium") == "no-such-medium"  # falls back to the value


# -- where people read them ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "field"),
    [
        ("content/clippings/2569/online-20261024-fy-results.md", MEDIUM),
        ("content/clippings/2569/other-20261114-semester-2.md", MEDIUM),
        ("content/disclosures/procurement/ebidding-computer-2569.md", CATEGORY),
    ],
)
def test_the_site_shows_the_schemas_labels(rel, field):
    item_id = rel.removeprefix("content/").removesuffix(".md")
    settings = {
        "PATH": str(PROJECT / "content"),
        "KHAOSAN_ITEMS": {item_id: {"date": "2026-11-20T10:00:00+07:00"}},
        "KHAOSAN_LABELS": office().vocabulary.as_dict(),
    }
    _, meta = KhaosanReader(settings)._read(str(PROJECT / rel), rel)
    assert meta["type_label"] == LABELS[field][meta["type_id"]]
    assert meta["kind_label"] == LABELS[KIND][meta["kind"]]


def _clipping(medium: str, effect: str) -> ItemRecord:
    at = NOW.replace(day=10)
    return ItemRecord(
        id=f"clippings/2569/{medium}-{effect}",
        path=f"content/clippings/2569/{medium}-{effect}.md",
        data={"type": "clipping", "medium": medium, "effect": effect, "published_on": "2026-11-05", "about": []},
        first_committed_at=at,
        first_commit="a" * 40,
        publishable_at=at,
        published_commit="b" * 40,
        publish_at=None,
        published_urgent=False,
        complete_now=True,
        urgent_now=False,
    )


def test_the_reports_show_the_schemas_labels():
    records = [_clipping(m, e) for m, e in zip(LABELS[MEDIUM], [*LABELS[EFFECT]] * 2, strict=False)]
    figures = compute(HistoryFacts("refs/heads/main", 1, "c" * 40, records), office(), periods.month("2569-11"), NOW)
    labels = figures["labels"]
    assert labels["media"] == LABELS[MEDIUM] and labels["effects"] == LABELS[EFFECT]
    assert labels["news_types"] == LABELS[NEWS_TYPE] and labels["categories"] == LABELS[CATEGORY]
    assert labels["kinds"] == LABELS[KIND]
    text = table(figures)
    for label in (*LABELS[MEDIUM].values(), *LABELS[EFFECT].values(), LABELS[KIND]["disclosure"]):
        assert label in text


def test_status_names_the_kind_and_steps_with_the_schemas_labels():
    result = check(item_text("clipping"), "clipping")
    lines = "\n".join(item_lines(item_status(result, office(), NOW), office(), NOW))
    assert f"{LABELS[KIND]['clipping']}:" in lines
    assert all(step.label == LABELS[STEP][step.step] for step in result.signoffs.steps)


def test_new_offers_the_schemas_values_and_labels():
    defaults = argparse.Namespace(**{dest: None for dest in SCHEMA_OPTIONS})
    for dest, (option, field) in SCHEMA_OPTIONS.items():
        for value in LABELS[field]:
            check_choices(argparse.Namespace(**{**vars(defaults), dest: value}), office().vocabulary)
        with pytest.raises(KhaosanError) as refused:
            check_choices(argparse.Namespace(**{**vars(defaults), dest: "no-such-value"}), office().vocabulary)
        assert option in refused.value.message
        assert all(f"{value} ({label})" in refused.value.hint for value, label in LABELS[field].items())


def test_a_new_items_comments_show_the_labels():
    raw = _raw()
    text = scaffold.render(bundle(raw["clipping.schema.json"], raw[COMMON]), {"medium": "online"}, "")
    comment = next(line for line in text.splitlines() if line.startswith("# ประเภทสื่อ"))
    assert all(f"{value} = {label}" in comment for value, label in LABELS[MEDIUM].items())


# -- nowhere else ----------------------------------------------------------------------


def _strings(tree: ast.AST) -> set[str]:
    return {n.value.strip() for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


# The same word for another thing: the kind of personal data found, not how a file was delivered.
SAME_WORD_OTHER_THING = {("workflow/core/pdpa.py", "อีเมล")}


def test_no_module_keeps_a_copy_of_a_label():
    labels = {label for values in LABELS.values() for label in values.values()}
    copies = [
        f"{rel}: {text}"
        for path in sorted((PROJECT / "workflow").rglob("*.py"))
        if (rel := path.relative_to(PROJECT).as_posix())
        for text in sorted(_strings(ast.parse(path.read_text(encoding="utf-8"))) & labels)
        if (rel, text) not in SAME_WORD_OTHER_THING
    ]
    assert not copies, "labels belong in schemas/*.json (x-labels):\n" + "\n".join(copies)
