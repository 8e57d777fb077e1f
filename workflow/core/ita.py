"""ITA/OIT readiness: the fiscal year's OIT list as data, the `ita:` tags on items, and each O-item's state.

The NACC's Integrity and Transparency Assessment asks, item by item (O1, O2, …), for a URL on
the office's own website where the evidence is published. The list and its numbering change
every year, so it is data the office edits: `data/ita/<BE fiscal year>.yml`
(`schemas/ita.schema.json`). An item names the O-items it is evidence for with
`ita: [O11, …]`, read against the list of the fiscal year it was written in (`evidence_year`).

Pure: texts in, lists and problems out; evidence records in, each O-item's state out. The
states' Thai labels live here and only here (`STATE_LABELS`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from workflow.core import yamlparse
from workflow.core.periods import fiscal_year_of
from workflow.core.problems import Problem, problem
from workflow.core.procurement import fiscal_months, missing_months, month_names
from workflow.core.structure import Item
from workflow.core.thaitime import BANGKOK, parse_date, parse_time, typed_year, year_in_range

if TYPE_CHECKING:
    from workflow.core.publication import Candidate
    from workflow.core.schema import Schemas
    from workflow.core.structure import Office

LIST_FOLDER = "data/ita"  # one file a fiscal year: data/ita/2569.yml
_LIST_NAME = re.compile(r"^(\d{4})\.yml$")

State = Literal["complete", "missing", "stale"]
# The one home of the states' Thai labels (site, `khaosan ita`, every file it writes).
STATE_LABELS: dict[State, str] = {"complete": "มีครบ", "missing": "ขาด", "stale": "ยังไม่เป็นปัจจุบัน"}
# The times that say which fiscal year an item is evidence for, first found wins.
_WRITTEN = (
    ("complaint_statistics", "to"),  # complaint statistics: the fiscal year their period ends in
    ("requested_at",),
    ("produced_at",),
    ("published_on",),
    ("earlier_site", "published_at"),
)


@dataclass(frozen=True)
class OitItem:
    code: str
    title: str
    requires: str
    current: bool  # the evidence must be of the fiscal year assessed
    service: str | None = None  # an online service in office.yml (what a static site cannot host)
    pages: tuple[str, ...] = ()  # site pages built from office.yml that are evidence
    monthly: bool = False  # every month of the fiscal year so far needs its own evidence (สขร.1)


@dataclass(frozen=True)
class OitList:
    fiscal_year: int
    items: tuple[OitItem, ...]
    source: str = ""

    def item(self, code: str) -> OitItem | None:
        return next((i for i in self.items if i.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.items)


ItaLists = Mapping[int, OitList]


def list_path(year: int) -> str:
    return f"{LIST_FOLDER}/{year}.yml"


# ------------------------------------------------------------------ the lists ----


def parse_lists(texts: Mapping[str, str | None], schemas: Schemas) -> tuple[dict[int, OitList], list[Problem]]:
    """Every `data/ita/<year>.yml` text (keyed by its path) as a list, or the problems that stop it
    (None: a file that was not read: a link, not a regular file, too big, not UTF-8)."""
    lists: dict[int, OitList] = {}
    found: list[Problem] = []
    for path in sorted(texts):
        text = texts[path]
        if text is None:
            found.append(problem("KS255", path))
            continue
        oit, problems = parse_list(path, text, schemas)
        found.extend(problems)
        if oit is not None:
            lists[oit.fiscal_year] = oit
    return lists, found


def parse_list(path: str, text: str, schemas: Schemas) -> tuple[OitList | None, list[Problem]]:
    named = _LIST_NAME.match(path.rsplit("/", 1)[-1])
    if named is None:
        hint = f"ตั้งชื่อไฟล์เป็นปีงบประมาณ พ.ศ. เช่น {list_path(2569)}"
        return None, [problem("KS253", path, detail="ชื่อไฟล์ต้องเป็นปีงบประมาณ พ.ศ. 4 หลัก", hint=hint)]
    try:
        data: Any = yamlparse.load(text)
    except yamlparse.FrontMatterError as exc:
        return None, [problem(exc.code, path, line=exc.line + 1, column=exc.column + 1, detail=exc.detail)]
    found = schemas.problems("ita", data, path) if isinstance(data, dict) else [problem("KS013", path)]
    if not found:
        found = _list_rules(data, int(named.group(1)), path)
    if found:
        positions = yamlparse.Positions.of_text(text)
        located = []
        for p in found:
            position = positions.of(p.where or ())
            located.append(p.at(position[0] + 1, position[1] + 1) if position else p)
        return None, located
    items = tuple(
        OitItem(
            str(i["code"]),
            str(i["title"]),
            str(i["requires"]),
            bool(i["current"]),
            i.get("service"),
            tuple(i.get("pages") or ()),
            bool(i.get("monthly", False)),
        )
        for i in data["items"]
    )
    return OitList(int(data["fiscal_year"]), items, str(data.get("source") or "")), []


def _list_rules(data: dict[str, Any], named: int, path: str) -> list[Problem]:
    found = []
    if data["fiscal_year"] != named:
        detail = f"fiscal_year: {data['fiscal_year']} แต่ชื่อไฟล์เป็นปี {named}"
        found.append(problem("KS253", path, where=("fiscal_year",), detail=detail))
    seen: set[str] = set()
    for index, entry in enumerate(data["items"]):
        if entry["code"] in seen:
            found.append(problem("KS252", path, where=("items", index, "code"), detail=str(entry["code"])))
        seen.add(entry["code"])
    return found


# ------------------------------------------------------------------ the tags ----


def evidence_year(item: Item) -> int | None:
    """The BE fiscal year an item is evidence for: a monthly procurement summary's month's, else the
    fiscal year it was requested, produced or reported in (None: no such time the file may hold)."""
    month = months(item)
    if month:
        first, number = (int(part) for part in month[0].split("-"))
        return fiscal_year_of(_noon(date(first, number, 1)))
    for keys in _WRITTEN:
        value: Any = item.data
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            continue
        typed = typed_year(value)
        if typed is not None and not year_in_range(typed):
            return None  # a Buddhist-Era year typed in: the time rule reports it (KS215)
        try:
            moment = parse_time(str(value)) if "T" in str(value) else _noon(parse_date(str(value)))
        except (TypeError, ValueError):
            return None
        return fiscal_year_of(moment)
    return None


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=BANGKOK)


def months(item: Item) -> tuple[str, ...]:
    """The month (`2026-03`) a monthly procurement summary covers, if the item is one."""
    summary = item.data.get("procurement_summary")
    month = summary.get("month") if isinstance(summary, dict) else None
    return (month,) if isinstance(month, str) and re.fullmatch(r"20\d{2}-(0[1-9]|1[0-2])", month) else ()


def tags(item: Item) -> tuple[str, ...]:
    found = item.data.get("ita")
    return tuple(str(code) for code in found) if isinstance(found, list) else ()


def tag_problems(item: Item, lists: ItaLists, now: datetime) -> list[Problem]:
    """KS250 for a code the fiscal year's list does not have (on its line), KS251 when that year
    has no list at all (a warning: the office has not added it yet)."""
    codes = tags(item)
    if not codes:
        return []
    year = evidence_year(item) or fiscal_year_of(now)
    oit = lists.get(year)
    if oit is None:
        known = ", ".join(str(y) for y in sorted(lists)) or "ไม่มี"
        detail = f"ปีงบประมาณ {year} (มีรายการของปี {known})"
        hint = f"เพิ่มไฟล์ {list_path(year)} ตามแบบของปีก่อน หรือแก้รหัส ita ให้ตรงกับรายการที่มี"
        return [problem("KS251", item.path, where=("ita",), detail=detail, hint=hint, severity="warning")]
    found = []
    for index, code in enumerate(codes):
        if oit.item(code) is None:
            close = difflib.get_close_matches(code, oit.codes, n=1)
            detail = f"'{code}' ไม่มีในรายการ OIT ปีงบประมาณ {year} ({list_path(year)})"
            near = f" หมายถึง {close[0]} หรือไม่" if close else ""
            hint = f"ใช้รหัสจาก O1 ถึง {oit.codes[-1]} ของปีงบประมาณ {year}{near}"
            found.append(problem("KS250", item.path, where=("ita", index), detail=detail, hint=hint))
    return found


# ------------------------------------------------------------------ the states ----


@dataclass(frozen=True)
class Evidence:
    """One public item that names O-items: what the ITA page and `khaosan ita` link to."""

    item_id: str
    title: str
    year: int  # the BE fiscal year it is evidence for
    codes: tuple[str, ...]
    months: tuple[str, ...] = ()  # a monthly procurement summary: the month it covers


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    url: str


@dataclass(frozen=True)
class Link:
    title: str
    url: str  # relative to the site root ("news/2569/x/"), or absolute for a service
    year: int | None = None  # the fiscal year of the evidence (None: a page or a service)


@dataclass(frozen=True)
class Row:
    code: str
    title: str
    requires: str
    current: bool
    state: State
    links: tuple[Link, ...]
    note: str = ""

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class Assessment:
    fiscal_year: int
    rows: tuple[Row, ...]
    source: str = ""

    @property
    def missing(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.state != "complete")

    def counts(self) -> dict[State, int]:
        return {state: sum(1 for r in self.rows if r.state == state) for state in STATE_LABELS}


PAGE_TITLES = {"office/": "เกี่ยวกับหน่วยงาน", "contact/": "ติดต่อเรา"}
# What a channel row says even when it is มีครบ: the evidence is a service outside the site, which the
# site cannot host and Khaosan cannot check (the assessor opens it, so someone must before answering).
CHANNEL_NOTE = "ช่องทางของสำนักงานนอกเว็บไซต์: เว็บไซต์นี้ให้บริการเองไม่ได้และตรวจไม่ได้ว่าช่องทางใช้งานได้ เปิดตรวจก่อนตอบในระบบ ITAS"


def assess(
    year: int,
    lists: ItaLists,
    evidence: Sequence[Evidence],
    services: Mapping[str, Service],
    now: datetime | None = None,
) -> Assessment:
    """Every O-item of `year` in order, with its links and state. An item tagged in an earlier
    year counts for an O-item of the same title (the numbering moves, the requirement stays):
    for one that must be current it shows as ยังไม่เป็นปัจจุบัน. A monthly O-item (สขร.1) is มีครบ
    only when every month of the year ended by `now` has its summary (or its "none")."""
    oit = lists[year]
    rows = []
    for entry in oit.items:
        same_year, earlier = _tagged(entry, year, lists, evidence)
        links: list[Link] = [Link(PAGE_TITLES.get(page, page), page) for page in entry.pages]
        note = ""
        service = services.get(entry.service) if entry.service is not None else None
        if service is not None:
            links.append(Link(service.name, service.url))
        links += same_year + earlier
        if entry.service is not None:
            state: State = "missing" if service is None else "complete"
            note = CHANNEL_NOTE if service else f"ยังไม่ได้ตั้งช่องทาง {entry.service} ใน online_services ของ office.yml"
        elif entry.pages or same_year or (earlier and not entry.current):
            state = "complete"
        elif earlier:
            state = "stale"
            note = f"มีเฉพาะหลักฐานของปีงบประมาณก่อน ข้อนี้ต้องเป็นของปีงบประมาณ {year}"
        else:
            state = "missing"
            note = "ยังไม่มีรายการที่เผยแพร่แล้วระบุข้อนี้ (ita: [" + entry.code + "])"
        if entry.monthly and state == "complete":
            gaps = monthly_gaps(entry, year, lists, evidence, now)
            if gaps:
                state, note = "missing", f"ยังไม่มีสรุปของเดือน {month_names(gaps)}"
        rows.append(Row(entry.code, entry.title, entry.requires, entry.current, state, tuple(links), note))
    return Assessment(year, tuple(rows), oit.source)


def monthly_gaps(
    entry: OitItem, year: int, lists: ItaLists, evidence: Sequence[Evidence], now: datetime | None
) -> list[str]:
    """The months of `year` ended by `now` that no public summary tagged with this O-item covers."""
    covered = [
        month
        for found in evidence
        if found.year == year
        and (listed := lists.get(found.year)) is not None
        and any((named := listed.item(c)) is not None and named.title == entry.title for c in found.codes)
        for month in found.months
    ]
    return missing_months(fiscal_months(year, now), covered)


def _tagged(entry: OitItem, year: int, lists: ItaLists, evidence: Sequence[Evidence]) -> tuple[list[Link], list[Link]]:
    same_year: list[Link] = []
    earlier: list[Link] = []
    for found in sorted(evidence, key=lambda e: (-e.year, e.item_id)):
        if found.year > year:
            continue
        listed = lists.get(found.year)
        if listed is None:
            continue
        if any((named := listed.item(code)) is not None and named.title == entry.title for code in found.codes):
            link = Link(found.title, f"{found.item_id}/", found.year)
            (same_year if found.year == year else earlier).append(link)
    return same_year, earlier


def evidence_of(published: Iterable[Candidate]) -> list[Evidence]:
    """The public items that name O-items (what the site shows is what the assessor can open); a withdrawn
    item's page stays up saying why, and is evidence of nothing."""
    return [
        Evidence(c.item_id, c.title, c.ita_year, c.ita, c.ita_months)
        for c in published
        if c.ita and c.ita_year is not None and not c.withdrawn
    ]


def services_of(office: Office) -> dict[str, Service]:
    return {key: Service(key, name, url) for key, (name, url) in office.online_services.items()}


def assess_all(
    lists: ItaLists, evidence: Sequence[Evidence], office: Office, now: datetime | None = None
) -> list[Assessment]:
    """One assessment per fiscal year with a list, the newest first (the ITA pages of the site)."""
    services = services_of(office)
    return [assess(year, lists, evidence, services, now) for year in sorted(lists, reverse=True)]
