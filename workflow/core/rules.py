"""The rules no schema can say: cross-references, times, paths, sources.

Also what YAML cannot tell a person: a year typed in the Buddhist Era (the value
parses, but is 543 years off: KS215, KS216), a plain title cut short by ` #`
(YAML reads the rest as a comment: KS219), and what `khaosan new` writes for a
person to replace (KS217, KS218): warnings while writing, errors at the publish gate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from workflow.core.deadlines import event_years_hold, is_timed, times_never_set
from workflow.core.digest import _BODY_REF
from workflow.core.earlier import earlier_problems
from workflow.core.problems import Path, Problem, Severity, problem
from workflow.core.scaffold import BLANK, BLANK_FIELDS, PLACEHOLDER_BODIES
from workflow.core.structure import KIND_FOLDER, Item, Office
from workflow.core.thaitime import BE_OFFSET, be_year, christian_era, parse_date, parse_time, typed_year, year_in_range

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_BLOCKQUOTE = re.compile(r"^ {0,3}>", re.MULTILINE)
_BODY_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:\{static\}|\{attach\})?/?(images/[^)\s#?]+)")
# A year from the wrong calendar (or absurd): nothing is computed from an item that has one.
WRONG_YEAR = frozenset({"KS215", "KS216"})
# What `khaosan new` left for a person to replace: a warning while writing, an error at the gate (and for `approve`).
UNFINISHED = frozenset({"KS217", "KS218"})
# A top-level text written plain (not quoted, not a block) with ` #` in it: YAML ends the value there.
_CUT_TEXT = re.compile(r"^(title|summary|detail):[ \t]+([^\s\"'|>#][^\n]*?)[ \t]+#[^\n]*", re.MULTILINE)

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
    ("procurement", "bid_deadline"),
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


def _held_year(value: Any) -> bool:
    """No year a file may not hold (checked without `now`: what the time rule reports, nothing computes from)."""
    year = typed_year(value)
    return year is None or year_in_range(year)


def written_at(item: Item) -> datetime | None:
    """When the item came to be: news produced, disclosure requested."""
    key = {"news": "produced_at", "disclosure": "requested_at"}.get(item.kind)
    value = item.data.get(key) if key else None
    try:
        return parse_time(value) if value is not None and _held_year(value) else None
    except (ValueError, TypeError):
        return None


def year_problem(value: Any, path: str, where: Path, now: datetime | None = None) -> Problem | None:
    """KS215 for a Buddhist-Era year typed into a file (the hint has the value in the Christian Era),
    KS216 for any other year no file may hold (before 2000, or years ahead of `now`); None: it may."""
    year = typed_year(value)
    if year is None or year_in_range(year, now):
        return None
    if year_in_range(year - BE_OFFSET, now):
        return problem(
            "KS215",
            path,
            where=where,
            detail=f"'{value}' (ปี พ.ศ. {year})",
            hint=f"เขียนปีเป็น ค.ศ. (พ.ศ. − 543): {value} → {christian_era(str(value))}",
        )
    return problem("KS216", path, where=where, detail=f"'{value}' (ปี {year})")


def _item_times(item: Item) -> Iterator[tuple[Path, Any]]:
    """Every time and date in the item, with where it is."""
    for keys in _TIME_FIELDS:
        value = _get(item.data, keys)
        if value is not None:
            yield keys, value
    for index, approval in enumerate(item.approvals):
        yield ("approvals", index, "at"), approval.get("at") if isinstance(approval, dict) else None
    if item.kind == "clipping":
        yield ("published_on",), item.data.get("published_on")


def _time_problem(path: str, where: Path, value: Any, now: datetime) -> Problem | None:
    """KS203 for a time (or the clipping's date) that does not exist, KS212 for a past one in the future."""
    try:
        if where == ("published_on",):
            future = parse_date(value) > now.date()
        else:
            future = parse_time(str(value)) > now and where in _PAST_FIELDS
    except (ValueError, TypeError):
        return problem("KS203", path, where=where, detail=f"'{value}'")
    return problem("KS212", path, where=where, detail=f"'{value}'") if future else None


def _times(item: Item, now: datetime) -> Iterator[Problem]:
    for where, value in _item_times(item):
        found = year_problem(value, item.path, where, now) or _time_problem(item.path, where, value, now)
        if found is not None:
            yield found


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
    if isinstance(event, dict) and event_years_hold(event, None):  # else the year is the problem
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
    yield from _procurement(item)
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


def _procurement(item: Item) -> Iterator[Problem]:
    """A bidder's facts belong to procurement notices, and a bid deadline comes after the request."""
    facts = item.data.get("procurement")
    if facts is None:
        return
    category = item.data.get("category")
    if category != "procurement":
        yield problem("KS240", item.path, where=("procurement",), detail=f"category: {category}")
        return
    deadline = facts.get("bid_deadline") if isinstance(facts, dict) else None
    try:
        late = deadline is not None and parse_time(str(deadline)) <= parse_time(str(item.data.get("requested_at")))
    except (ValueError, TypeError):
        return  # an unreadable time is the time rule's problem
    if late:
        yield problem(
            "KS241",
            item.path,
            where=("procurement", "bid_deadline"),
            detail=f"{deadline} ไม่หลัง requested_at {item.data.get('requested_at')}",
        )


def _folder_year(value: Any, parse: Callable[[str], date | datetime]) -> int | None:
    """The Buddhist-Era year whose folder a time or date puts the item in; None: no year to trust."""
    try:
        return be_year(parse(value)) if _held_year(value) else None
    except (ValueError, TypeError):
        return None


def _location(item: Item) -> Iterator[Problem]:
    parts = item.path.split("/")
    name = parts[-1][:-3] if parts[-1].endswith(".md") else parts[-1]
    if not _SLUG.match(name):
        yield problem("KS210", item.path, where=None, detail=parts[-1])
    folder = KIND_FOLDER.get(item.kind)
    expected: str | None = None
    if item.kind == "news":
        year = _folder_year(item.data.get("produced_at"), parse_time)
        expected = f"content/news/{year}" if year else None
    elif item.kind == "clipping":
        year = _folder_year(item.data.get("published_on"), parse_date)
        expected = f"content/clippings/{year}" if year else None
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


def _unfinished(item: Item, body_first_line: int, severity: Severity) -> Iterator[Problem]:
    """What `khaosan new` wrote for a person to replace and is still there (core/scaffold.py has each text)."""
    for keys in BLANK_FIELDS.get(item.kind, ()):
        if _get(item.data, keys) == BLANK:
            name = ".".join(keys)
            yield problem(
                "KS217",
                item.path,
                where=keys,
                detail=f"{name} ว่างอยู่",
                hint=f"กรอก {name} หรือลบบรรทัดนี้ออกถ้าไม่ใช้",
                severity=severity,
            )
    placeholder = PLACEHOLDER_BODIES.get(item.kind, "").strip()
    at = item.body.find(placeholder) if placeholder else -1
    if at >= 0:
        yield problem(
            "KS217",
            item.path,
            line=body_first_line + item.body.count("\n", 0, at),
            detail="เนื้อหายังเป็นข้อความตั้งต้น",
            hint="เขียนเนื้อหาจริงแทนข้อความนี้",
            severity=severity,
        )
    event = item.data.get("event")
    if isinstance(event, dict) and times_never_set(event):
        yield problem(
            "KS218", item.path, where=("event", "starts_at"), detail=f"'{event['starts_at']}'", severity=severity
        )


def _cut_texts(item: Item) -> Iterator[Problem]:
    """A plain title with ` #` in it: YAML takes the rest as a comment and the item shows half a title."""
    for match in _CUT_TEXT.finditer(item.yaml_text):
        key, kept = match.group(1), match.group(2)
        whole = match.group(0)[len(key) + 1 :].strip()
        yield problem(
            "KS219",
            item.path,
            line=item.yaml_first_line + item.yaml_text.count("\n", 0, match.start()),
            column=match.group(0).index("#", match.end(2) - match.start()) + 1,
            detail=f"{key} เหลือเพียง '{kept}'",
            hint=f"ใส่เครื่องหมายคำพูดครอบทั้งข้อความ: {key}: {json.dumps(whole, ensure_ascii=False)}",
        )


def item_rules(
    item: Item,
    office: Office,
    *,
    now: datetime,
    file_hash: Callable[[str], str | None],
    item_ids: frozenset[str],
    body_first_line: int,
    gate: bool = False,
) -> list[Problem]:
    """Every rule's problems; `gate` (check --publish, build): what is unfinished is an error, else a warning."""
    found: list[Problem] = []
    found.extend(_times(item, now))
    found.extend(_cut_texts(item))
    found.extend(_unfinished(item, body_first_line, "error" if gate else "warning"))
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
