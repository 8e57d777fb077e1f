"""The schemas are the single source of truth: every field explains itself in
Thai, and the README's code table is the catalogue's."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workflow.core.problems import CODES
from workflow.core.schema import COMMON, SCHEMA_FILES, bundle

PROJECT = Path(__file__).resolve().parents[2]
THAI = re.compile(r"[\u0E00-\u0E7F]")


def _schemas() -> dict[str, dict]:
    raw = {
        name: json.loads((PROJECT / "schemas" / name).read_text(encoding="utf-8"))
        for name in (COMMON, *SCHEMA_FILES.values())
    }
    return {kind: bundle(raw[name], raw[COMMON]) for kind, name in SCHEMA_FILES.items()}


def _resolve(schema: dict, prop: dict) -> dict:
    ref = prop.get("$ref", "")
    return schema["$defs"][ref.removeprefix("#/$defs/")] if ref.startswith("#/$defs/") else {}


def _fields(schema: dict, node: dict, path: str):
    for name, prop in node.get("properties", {}).items():
        target = _resolve(schema, prop)
        yield f"{path}.{name}", prop, target
        for inner in (
            prop,
            target,
            prop.get("items", {}),
            target.get("items", {}),
            _resolve(schema, prop.get("items", {})),
            _resolve(schema, target.get("items", {})),
        ):
            if isinstance(inner, dict) and "properties" in inner:
                yield from _fields(schema, inner, f"{path}.{name}")


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_every_field_has_a_thai_title_and_description(kind):
    schema = _schemas()[kind]
    missing = []
    for path, prop, target in _fields(schema, schema, kind):
        title = prop.get("title") or target.get("title", "")
        description = prop.get("description") or target.get("description", "")
        if not (THAI.search(title) and THAI.search(description)):
            missing.append(path)
    assert not missing, f"fields without Thai title/description: {missing}"


def test_schemas_declare_draft_2020_12():
    for name in (COMMON, *SCHEMA_FILES.values()):
        data = json.loads((PROJECT / "schemas" / name).read_text(encoding="utf-8"))
        assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema", name


def test_readme_lists_every_code_as_the_catalogue_says():
    table = subprocess.run(
        [sys.executable, "-m", "workflow", "codes", "--markdown"],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT,
    ).stdout.strip()
    assert len(table.splitlines()) == len(CODES) + 2
    assert table in (PROJECT / "README.md").read_text(encoding="utf-8"), (
        "README's code table is stale: paste `khaosan codes --markdown`"
    )
