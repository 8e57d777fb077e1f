"""GitHub's documented response schemas (../shared/github), validated the OpenAPI 3.0 way."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from openapi_schema_validator import OAS30Validator

from .github_server import SHARED


@cache
def validator(name: str) -> OAS30Validator:
    return OAS30Validator(json.loads((SHARED / f"{name}.schema.json").read_text(encoding="utf-8")))


def assert_valid(name: str, payload: Any) -> None:
    errors = sorted(validator(name).iter_errors(payload), key=lambda e: list(e.absolute_path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
