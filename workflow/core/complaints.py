"""Complaint statistics (ITA: สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ) as structure: `complaint_statistics`.

A period (`from`, `to`), the complaints received, done and in progress; a period without any says so
(`none: true`), never by leaving the numbers out. Pure: the rules no schema can say and the rows the
page shows; the headings are the schema's field titles.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from workflow.core.problems import Problem, problem
from workflow.core.rules import year_problem
from workflow.core.structure import Item
from workflow.core.thaitime import format_date, parse_date

FIELD = "complaint_statistics"
COUNTS = ("received", "done", "in_progress")
NONE_TEXT = "ไม่มีเรื่องร้องเรียน"


def statistics_of(item: Item) -> dict[str, Any] | None:
    found = item.data.get(FIELD)
    return found if isinstance(found, dict) else None


def headings(disclosure_schema: Mapping[str, Any]) -> dict[str, Any]:
    """The table's title and columns (ช่วงเวลา, then the counts) from the (bundled) disclosure schema."""
    node = disclosure_schema["properties"][FIELD]
    fields = node["properties"]
    return {"title": str(node["title"]), "columns": ["ช่วงเวลา", *(str(fields[key]["title"]) for key in COUNTS)]}


def row(statistics: Mapping[str, Any], *, digits: str = "arabic") -> list[str]:
    start = format_date(parse_date(str(statistics["from"])), digits=digits)
    end = format_date(parse_date(str(statistics["to"])), digits=digits)
    return [f"{start} – {end}", *(str(statistics[key]) for key in COUNTS)]


def statistics_problems(item: Item) -> Iterator[Problem]:
    """KS260 counts that do not add up, KS261 "none" not matching the numbers, KS262 a period that ends
    before it starts (the schema has checked the shapes)."""
    stats = statistics_of(item)
    if stats is None:
        return
    wrong_year = False
    for key in ("from", "to"):  # a Buddhist-Era year typed in (KS215, the hint has the CE value), or absurd
        found = year_problem(stats[key], item.path, (FIELD, key))
        if found is not None:
            wrong_year = True
            yield found
    if stats["done"] + stats["in_progress"] != stats["received"]:
        detail = f"ได้รับ {stats['received']} แต่แล้วเสร็จ {stats['done']} + อยู่ระหว่างดำเนินการ {stats['in_progress']}"
        yield problem("KS260", item.path, where=(FIELD, "received"), detail=detail)
    if bool(stats.get("none")) != (stats["received"] == 0):
        detail = "มี none: true แต่ได้รับเรื่อง" if stats.get("none") else "ไม่มีเรื่องร้องเรียนแต่ไม่ได้ระบุ none: true"
        yield problem("KS261", item.path, where=(FIELD,), detail=detail)
    if wrong_year:
        return
    try:
        backwards = parse_date(str(stats["to"])) < parse_date(str(stats["from"]))
    except ValueError:
        return  # a date that does not exist: the time rule's business
    if backwards:
        yield problem("KS262", item.path, where=(FIELD, "to"), detail=f"{stats['from']} – {stats['to']}")
