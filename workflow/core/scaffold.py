"""A new item's text, laid out from its JSON Schema: every field, in the
schema's order, under a Thai comment that says what it is."""

from __future__ import annotations

import json
from typing import Any

import yaml

from . import yamlparse


def _dump(value: Any, indent: int) -> str:
    """A value as YAML text, read back identically by our strict loader."""
    if value is None:
        return " null\n"
    if isinstance(value, str):
        plain = yaml.safe_dump(value, allow_unicode=True, default_style=None, width=10_000).strip()
        plain = plain.removesuffix("\n...").removesuffix("...").strip()
        text = plain if yamlparse.load(f"x: {plain}\n") == {"x": value} else json.dumps(value, ensure_ascii=False)
        return f" {text}\n"
    if isinstance(value, list) and not value:
        return " []\n"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " [" + ", ".join(_dump(v, 0).strip() for v in value) + "]\n"
    if isinstance(value, (bool, int, float)):
        return f" {json.dumps(value)}\n"
    dumped = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    pad = " " * (indent + 2)
    return "\n" + "".join(pad + line + "\n" for line in dumped.splitlines())


def render(schema: dict[str, Any], values: dict[str, Any], body: str) -> str:
    """Front matter with a comment per field; fields without a value are shown commented out."""
    lines = ["---\n"]
    for key, prop in schema["properties"].items():
        title = prop.get("title") or _ref_title(schema, prop)
        description = prop.get("description") or _ref_description(schema, prop)
        lines.append(f"# {title}: {description}\n" if description else f"# {title}\n")
        if key in values:
            lines.append(f"{key}:{_dump(values[key], 0)}")
        else:
            lines.append(f"# {key}:\n")
    lines.append("---\n")
    lines.append(body)
    return "".join(lines)


def _ref(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    ref = prop.get("$ref", "")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        found = schema.get("$defs", {}).get(ref[len("#/$defs/"):], {})
        return found if isinstance(found, dict) else {}
    return {}


def _ref_title(schema: dict[str, Any], prop: dict[str, Any]) -> str:
    return str(_ref(schema, prop).get("title", ""))


def _ref_description(schema: dict[str, Any], prop: dict[str, Any]) -> str:
    return str(_ref(schema, prop).get("description", ""))
