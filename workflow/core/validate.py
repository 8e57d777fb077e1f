"""One file in, every problem out: split, parse, schema, rules, sign-offs, and a body the site can render.

Pure: the caller hands in bytes, the office, the schemas, `now`, and a
`file_hash` function for referenced attachments. Line numbers are found only
for files that have problems (composing YAML again costs as much as parsing),
once per file: every problem's keys are looked up in one index of the tree.
The body is measured against the Markdown limits (`markdown_limits`, KS017)
here, so that `check`, `build` and `pr-check` refuse a body the site could not
render in bounded time before anyone signs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from workflow.core import digest as digests
from workflow.core import markdown_limits, yamlparse
from workflow.core.complaints import statistics_problems
from workflow.core.ita import tag_problems
from workflow.core.office import OFFICE_FILE, build_office
from workflow.core.problems import Problem, problem
from workflow.core.procurement import summary_problems
from workflow.core.rules import item_rules, written_at
from workflow.core.schema import Schemas
from workflow.core.signoffs import Signoffs, evaluate
from workflow.core.source import Source, SourceError, split
from workflow.core.structure import KINDS, Item, Office, item_id_for

if TYPE_CHECKING:  # imported when used: plain `check` never loads the PDPA scanner
    from workflow.core.safety import Attachment


@dataclass(frozen=True)
class Context:
    office: Office
    schemas: Schemas
    now: datetime
    file_hash: Callable[[str], str | None]
    item_ids: frozenset[str] = frozenset()
    publish: bool = False
    # The publish gate's deeper look (PDPA, attachments, links): `check --publish` and `build` only.
    safety: bool = False
    inspect: Callable[[str], Attachment | None] | None = None


@dataclass(frozen=True)
class ItemResult:
    path: str
    problems: tuple[Problem, ...]
    item: Item | None = None
    digest: str | None = None
    signoffs: Signoffs | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def parse_item(path: str, raw: bytes) -> tuple[Item | None, Source | None, list[Problem]]:
    """Bytes to an `Item` whose `data` is a mapping, or the problems that prevent it."""
    try:
        source = split(raw)
    except SourceError as exc:
        return None, None, [problem(exc.code, path, line=exc.line, column=exc.column, detail=exc.detail)]
    try:
        data = yamlparse.load(source.yaml_text)
    except yamlparse.FrontMatterError as exc:
        return (
            None,
            source,
            [problem(exc.code, path, line=exc.line + source.yaml_first_line, column=exc.column + 1, detail=exc.detail)],
        )
    if not isinstance(data, dict):
        return None, source, [problem("KS013", path, line=source.yaml_first_line)]
    values = yamlparse.count_values(data, yamlparse.MAX_ITEM_VALUES)
    if values > yamlparse.MAX_ITEM_VALUES:
        line, column = yamlparse.value_position(source.yaml_text, yamlparse.MAX_ITEM_VALUES + 1)
        detail = f"เกิน {yamlparse.MAX_ITEM_VALUES:,} ค่า (ชื่อช่อง ค่า และรายการ นับถึงบรรทัดนี้)"
        found = [problem("KS018", path, line=line + source.yaml_first_line, column=column + 1, detail=detail)]
        return None, source, found
    item = Item(item_id_for(path) or path, path, data, source.body, source.yaml_text, source.yaml_first_line)
    return item, source, []


def check_item(path: str, raw: bytes, ctx: Context) -> ItemResult:
    item, source, found = parse_item(path, raw)
    if item is None or source is None:
        return ItemResult(path, tuple(found))
    body = body_problems(path, item.body, source.body_first_line)
    kind = item.data.get("type")
    if kind not in KINDS:
        code = "KS101" if kind is None else "KS107"
        detail = "type (ชนิดรายการ)" if kind is None else f"'{kind}'"
        found = [
            problem(
                code,
                path,
                where=("type",) if kind is not None else (),
                detail=detail,
                hint="ใช้ type: news, disclosure หรือ clipping",
            )
        ]
        return ItemResult(path, tuple(locate(found + body, item)), item)
    found = ctx.schemas.problems(str(kind), item.data, path)
    if found:  # later rules trust the schema's shapes
        return ItemResult(path, tuple(locate(found + body, item)), item)
    found = item_rules(
        item,
        ctx.office,
        now=ctx.now,
        file_hash=ctx.file_hash,
        item_ids=ctx.item_ids,
        body_first_line=source.body_first_line,
        gate=ctx.publish or ctx.safety,  # an unfinished scaffold: a warning in `check`, an error at the gate
    )
    found.extend(tag_problems(item, ctx.schemas.ita, ctx.now))  # KS250, KS251
    found.extend(summary_problems(item, written_at(item)))  # KS256-KS259: the สขร.1 table
    found.extend(statistics_problems(item))  # KS260-KS262: complaint statistics
    found.extend(body)
    if ctx.safety:
        from workflow.core.safety import safety_problems

        found.extend(
            safety_problems(
                item,
                ctx.office,
                refs=digests.referenced_files(item.data, item.body),
                inspect=ctx.inspect,
                item_ids=ctx.item_ids,
                body_first_line=source.body_first_line,
            )
        )
    digest = item_digest(item, ctx.file_hash)
    signoffs = evaluate(item, ctx.office, digest, now=ctx.now, publish=ctx.publish, written_at=written_at(item))
    found.extend(signoffs.problems)
    return ItemResult(path, tuple(locate(found, item)), item, digest, signoffs)


def body_problems(path: str, body: str, body_first_line: int) -> list[Problem]:
    """KS017 for each Markdown limit the body passes: the site could not render it in bounded time."""
    return [
        problem("KS017", path, line=body_first_line + excess.line - 1, detail=excess.detail, hint=excess.hint)
        for excess in markdown_limits.excesses(body)
    ]


def item_digest(item: Item, file_hash: Callable[[str], str | None]) -> str:
    refs = digests.referenced_files(item.data, item.body)
    return digests.compute(item.data, item.body, {ref: file_hash(ref) for ref in refs})


def locate(found: list[Problem], item: Item) -> list[Problem]:
    """Turn each problem's front matter keys into the file line and column: the tree is composed once
    per file, and each mapping's keys indexed once, however many problems the file has."""
    out = []
    positions: yamlparse.Positions | None = None
    for p in found:
        if p.where is None:
            out.append(p)
            continue
        if positions is None:  # only for a file with a problem in its front matter (composing costs a parse)
            positions = yamlparse.Positions.of_text(item.yaml_text)
        position = positions.of(p.where)
        if position is None:
            out.append(p.at(item.yaml_first_line, 1))
        else:
            out.append(p.at(position[0] + item.yaml_first_line, position[1] + 1))
    return out


def check_office(raw: bytes, schemas: Schemas) -> tuple[Office | None, list[Problem]]:
    """Parse and validate `office.yml` (plain YAML, not front matter)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [problem("KS001", OFFICE_FILE)]
    try:
        data: Any = yamlparse.load(text)
    except yamlparse.FrontMatterError as exc:
        return None, [problem(exc.code, OFFICE_FILE, line=exc.line + 1, column=exc.column + 1, detail=exc.detail)]
    if not isinstance(data, dict):
        return None, [problem("KS013", OFFICE_FILE)]
    found = schemas.problems("office", data, OFFICE_FILE)
    office = None
    if not found:
        office, found = build_office(data, schemas.vocabulary)
    positions = yamlparse.Positions.of_text(text) if found else None
    located = []
    for p in found:
        position = positions.of(p.where or ()) if positions else None
        located.append(p.at(position[0] + 1, position[1] + 1) if position else p)
    return office, located
