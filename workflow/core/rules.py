"""The rules no schema can say: cross-references, times, paths, sources."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from workflow.core.deadlines import is_timed
from workflow.core.digest import _BODY_REF
from workflow.core.earlier import earlier_problems
from workflow.core.problems import Problem, problem
from workflow.core.structure import KIND_FOLDER, Item, Office
from workflow.core.thaitime import be_year, parse_date, parse_time

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_BLOCKQUOTE = re.compile(r"^ {0,3}>", re.MULTILINE)
_BODY_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:\{static\}|\{attach\})?/?(images/[^)\s#?]+)")

# Front matter paths holding times, and which of them may not lie in the future.
_TIME_FIELDS: tuple[tuple[str, ...], ...] = (
    ("produced_at",),
    ("requested_at",),
    ("publish_at",),
    ("event", "starts_at"),
    ("event", "ends_at"),
    ("webmaster", "received_at"),
    ("webmaster", "completed_at"),
    ("live_check", "at"),
    ("urgent", "at"),
    ("withdrawn", "at"),
    ("earlier_site", "published_at"),
)
_PAST_FIELDS = frozenset(
    {
        ("earlier_site", "published_at"),
        ("produced_at",),
        ("requested_at",),
        ("webmaster", "received_at"),
        ("webmaster", "completed_at"),
        ("live_check", "at"),
        ("urgent", "at"),
        ("withdrawn", "at"),
    }
)
_PERSON_FIELDS: tuple[tuple[str, ...], ...] = (
    ("author",),
    ("requester",),
    ("recorded_by",),
    ("webmaster", "by"),
    ("live_check", "by"),
    ("urgent", "by"),
    ("withdrawn", "by"),
)


def _get(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    value: Any = data
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def written_at(item: Item) -> datetime | None:
    """When the item came to be: news produced, disclosure requested."""
    key = {"news": "produced_at", "disclosure": "requested_at"}.get(item.kind)
    try:
        return parse_time(item.data[key]) if key and key in item.data else None
    except (ValueError, TypeError):
        return None


def _times(item: Item, now: datetime) -> Iterator[Problem]:
    for keys in _TIME_FIELDS:
        value = _get(item.data, keys)
        if value is None:
            continue
        try:
            moment = parse_time(value)
        except (ValueError, TypeError):
            yield problem("KS203", item.path, where=keys, detail=f"'{value}'")
            continue
        if keys in _PAST_FIELDS and moment > now:
            yield problem("KS212", item.path, where=keys, detail=f"'{value}'")
    for index, approval in enumerate(item.approvals):
        try:
            parse_time(str(approval.get("at")))
        except (ValueError, TypeError):
            yield problem("KS203", item.path, where=("approvals", index, "at"), detail=f"'{approval.get('at')}'")
    if item.kind == "clipping":
        try:
            if parse_date(item.data["published_on"]) > now.date():
                yield problem("KS212", item.path, where=("published_on",))
        except ValueError:
            yield problem("KS203", item.path, where=("published_on",), detail=f"'{item.data['published_on']}'")


def _people(item: Item, office: Office) -> Iterator[Problem]:
    for keys in _PERSON_FIELDS:
        value = _get(item.data, keys)
        if isinstance(value, str) and office.person(value) is None:
            yield problem("KS201", item.path, where=keys, detail=value)
    group = item.data.get("topic_group")
    if isinstance(group, str) and group not in office.groups:
        yield problem(
            "KS202",
            item.path,
            where=("topic_group",),
            detail=group,
            hint="ใช้รหัสกลุ่มจาก office.yml: " + ", ".join(office.groups),
        )


def _news(item: Item, office: Office) -> Iterator[Problem]:
    news_type = item.data["news_type"]
    event = item.data.get("event")
    if is_timed(office.standards.get(news_type)) and not isinstance(event, dict):
        yield problem("KS206", item.path, where=("news_type",), detail=news_type)
    if isinstance(event, dict):
        try:
            if parse_time(event["ends_at"]) < parse_time(event["starts_at"]):
                yield problem("KS205", item.path, where=("event", "ends_at"))
        except (ValueError, TypeError, KeyError):
            pass  # reported by the time rule


def _disclosure(item: Item, office: Office) -> Iterator[Problem]:
    other = item.data.get("category") == "other"
    has_topic = "category_other" in item.data
    if other and not has_topic:
        yield problem("KS204", item.path, where=("category",), detail="category: other ต้องมี category_other")
    if has_topic and not other:
        yield problem("KS204", item.path, where=("category_other",), detail="ใช้ได้เฉพาะ category: other")
    check = item.data.get("live_check")
    requester = office.person(str(item.data.get("requester")))
    if isinstance(check, dict) and requester:
        checker = office.person(str(check.get("by")))
        if checker and not (checker.has("group-director") and checker.group == requester.group):
            yield problem(
                "KS301",
                item.path,
                where=("live_check", "by"),
                detail=f"{checker.name} ไม่ใช่ผู้อำนวยการกลุ่มของผู้ขอเผยแพร่",
                hint="ส่วนที่ 3 ของแบบฟอร์ม: ผอ.กลุ่มของผู้ขอเป็นผู้ตรวจสอบบนเว็บไซต์",
            )


def _location(item: Item) -> Iterator[Problem]:
    parts = item.path.split("/")
    name = parts[-1][:-3] if parts[-1].endswith(".md") else parts[-1]
    if not _SLUG.match(name):
        yield problem("KS210", item.path, where=None, detail=parts[-1])
    folder = KIND_FOLDER.get(item.kind)
    expected: str | None = None
    if item.kind == "news":
        try:
            expected = f"content/news/{be_year(parse_time(item.data['produced_at']))}"
        except (ValueError, TypeError):
            expected = None
    elif item.kind == "clipping":
        try:
            expected = f"content/clippings/{be_year(parse_date(item.data['published_on']))}"
        except ValueError:
            expected = None
    elif item.kind == "disclosure" and isinstance(item.data.get("category"), str):  # the schema checked its value
        expected = f"content/{folder}/{item.data['category']}"
    if expected and "/".join(parts[:-1]) != expected:
        yield problem(
            "KS211", item.path, where=("type",), detail=f"ควรอยู่ที่ {expected}/", hint=f"ย้ายไฟล์ไปที่ {expected}/{parts[-1]}"
        )


def _files(item: Item, file_hash: Callable[[str], str | None], body_first_line: int) -> Iterator[Problem]:
    for key in ("attachments", "images"):
        for index, entry in enumerate(item.data.get(key) or []):
            if file_hash(entry["file"]) is None:
                yield problem("KS207", item.path, where=(key, index, "file"), detail=f"content/{entry['file']}")
    for match in _BODY_REF.finditer(item.body):
        if file_hash(match.group(1)) is None:
            line = body_first_line + item.body.count("\n", 0, match.start())
            column = match.start() - (item.body.rfind("\n", 0, match.start()) + 1) + 1
            yield problem("KS207", item.path, where=None, line=line, column=column, detail=f"content/{match.group(1)}")


def _sources(item: Item, body_first_line: int) -> Iterator[Problem]:
    quote = _BLOCKQUOTE.search(item.body)
    if quote and not item.data.get("sources"):
        line = body_first_line + item.body.count("\n", 0, quote.start())
        yield problem("KS208", item.path, where=None, line=line)


def _body_images(item: Item, file_hash: Callable[[str], str | None], body_first_line: int) -> Iterator[Problem]:
    """An image in the body says what it shows and where it came from, as `images` entries do.

    A missing image is KS207's to report: one problem per reference."""
    listed = {entry.get("file") for entry in item.data.get("images") or [] if isinstance(entry, dict)}
    for match in _BODY_IMAGE.finditer(item.body):
        if file_hash(match.group(2)) is None:
            continue
        missing = [
            what
            for what, ok in (
                ("คำอธิบายภาพ", match.group(1).strip()),
                ("รายการใน images (alt, credit)", match.group(2) in listed),
            )
            if not ok
        ]
        if missing:
            line = body_first_line + item.body.count("\n", 0, match.start())
            column = match.start() - (item.body.rfind("\n", 0, match.start()) + 1) + 1
            yield problem(
                "KS214",
                item.path,
                where=None,
                line=line,
                column=column,
                detail=f"{match.group(2)}: ขาด" + " และ ".join(missing),
            )


def _about(item: Item, item_ids: frozenset[str]) -> Iterator[Problem]:
    for index, ref in enumerate(item.data.get("about") or []):
        if ref not in item_ids:
            yield problem("KS213", item.path, where=("about", index), detail=ref)


def item_rules(
    item: Item,
    office: Office,
    *,
    now: datetime,
    file_hash: Callable[[str], str | None],
    item_ids: frozenset[str],
    body_first_line: int,
) -> list[Problem]:
    found: list[Problem] = []
    found.extend(_times(item, now))
    found.extend(_people(item, office))
    found.extend(_location(item))
    found.extend(_files(item, file_hash, body_first_line))
    found.extend(_sources(item, body_first_line))
    found.extend(_body_images(item, file_hash, body_first_line))
    found.extend(earlier_problems(item, office))
    if item.kind == "news":
        found.extend(_news(item, office))
    elif item.kind == "disclosure":
        found.extend(_disclosure(item, office))
    elif item.kind == "clipping":
        found.extend(_about(item, item_ids))
    return found


def duplicate_ids(paths: list[str]) -> list[Problem]:
    """Ids that differ only in case collide on case-insensitive disks and URLs."""
    seen: dict[str, str] = {}
    found: list[Problem] = []
    for path in sorted(paths):
        key = path.lower()
        if key in seen:
            found.append(problem("KS209", path, where=None, detail=f"ซ้ำกับ {seen[key]}"))
        else:
            seen[key] = path
    return found
