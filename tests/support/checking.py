"""Run the pure core on one item's text with the sample office, and read results."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache

from workflow.core.problems import Problem
from workflow.core.schema import Schemas
from workflow.core.structure import Office
from workflow.core.validate import Context, ItemResult, check_item
from workflow.edges.files.repository import Repository

from .items import FILES, IDS, NOW_DT, PATHS, PROJECT, hasher


@cache
def _project() -> tuple[Office, Schemas]:
    repo = Repository(PROJECT)
    office, problems = repo.office()
    assert office is not None and not problems, problems
    return office, repo.schemas


def office() -> Office:
    return _project()[0]


def schemas() -> Schemas:
    return _project()[1]


def context(
    *,
    now: datetime = NOW_DT,
    files: Mapping[str, bytes] = FILES,
    item_ids: frozenset[str] = frozenset(IDS.values()),
    publish: bool = False,
) -> Context:
    return Context(office(), schemas(), now, hasher(files), item_ids, publish)


def check(text: str | bytes, kind: str = "news", *, path: str | None = None, **ctx: object) -> ItemResult:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return check_item(path or PATHS[kind], raw, context(**ctx))  # type: ignore[arg-type]


def found(result: ItemResult | list[Problem] | tuple[Problem, ...]) -> set[tuple[str, int]]:
    """`{(code, line)}` of every problem."""
    problems = result.problems if isinstance(result, ItemResult) else result
    return {(p.code, p.line) for p in problems}


def codes(result: ItemResult) -> list[str]:
    return sorted(p.code for p in result.problems)


def errors(result: ItemResult) -> set[tuple[str, int]]:
    return {(p.code, p.line) for p in result.problems if p.severity == "error"}


def warnings(result: ItemResult) -> set[tuple[str, int]]:
    return {(p.code, p.line) for p in result.problems if p.severity == "warning"}
