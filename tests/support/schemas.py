"""GitHub's documented response schemas (../shared/github), validated the OpenAPI 3.0 way."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from openapi_schema_validator import OAS30Validator

from .github_server import SHARED


def _nullable_enums(node: Any) -> Any:
    """`nullable: true` beside an `enum` admits null, as GitHub's own examples use it (an in-progress
    check run's `conclusion` is null); the validator reads the enum alone, so null is added to it."""
    if isinstance(node, dict):
        if node.get("nullable") is True and isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
        for value in node.values():
            _nullable_enums(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_enums(value)
    return node


@cache
def validator(name: str) -> OAS30Validator:
    return OAS30Validator(_nullable_enums(json.loads((SHARED / f"{name}.schema.json").read_text(encoding="utf-8"))))


def assert_valid(name: str, payload: Any) -> None:
    errors = sorted(validator(name).iter_errors(payload), key=lambda e: list(e.absolute_path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
