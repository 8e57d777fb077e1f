"""Items from before Khaosan (issue 14; DOMAIN.md, "Decisions since").

An office has years of news on its earlier website. Such an item keeps the
time it went public there (`earlier_site.published_at`): the site dates its
page by it, and the figures report it apart ("ก่อนใช้ระบบ"), never as late,
because no time standard was kept by Khaosan then. It must not become a way
around sign-offs or the time standards: the office states when it adopted
Khaosan (`office.adopted`), an item dated on or after that day is refused, and
`earlier_site` is content (part of the digest), so adding it is signed like
any other change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from workflow.core.problems import Problem, problem
from workflow.core.structure import Item, Office
from workflow.core.thaitime import BANGKOK, format_date, parse_time, typed_year, year_in_range

EARLIER = "earlier_site"


def earlier_published(data: Mapping[str, Any] | None) -> datetime | None:
    """When the item went public on the office's earlier website; None for an item of Khaosan's."""
    record = (data or {}).get(EARLIER)
    if not isinstance(record, Mapping):
        return None
    value = record.get("published_at")
    year = typed_year(value)
    if not isinstance(value, str) or year is None or not year_in_range(year):  # a Buddhist-Era year: KS215
        return None
    try:
        return parse_time(value)
    except ValueError:
        return None


def adoption_start(adopted: date | None) -> datetime | None:
    """The first moment of the adoption day, Bangkok time."""
    return datetime.combine(adopted, time(), BANGKOK) if adopted is not None else None


def earlier_problems(item: Item, office: Office) -> list[Problem]:
    """KS220 without an adoption date to hold the claim against; KS221 for a claim on or after it."""
    when = earlier_published(item.data)
    if when is None:
        return []  # none, or a bad time: the time rule says so
    start = adoption_start(office.adopted)
    where = (EARLIER, "published_at")
    if start is None:
        return [problem("KS220", item.path, where=where)]
    if when >= start:
        adopted = format_date(office.adopted, digits=office.date_digits) if office.adopted else ""
        return [problem("KS221", item.path, where=where, detail=f"สำนักงานเริ่มใช้ระบบ {adopted}")]
    return []
