"""The monthly procurement summary (แบบ สขร.1) as structure: `procurement_summary` in a disclosure's front matter.

Its columns are the form's (ลำดับที่, งานที่จัดซื้อหรือจัดจ้าง, วงเงิน, ราคากลาง, วิธีซื้อหรือจ้าง, ผู้เสนอราคาและ
ราคา, ผู้ได้รับการคัดเลือกและราคา, เหตุผล, เลขที่สัญญา, วันที่สัญญา); their headings are the schema's field
titles (one home). A month with nothing bought says so (`none: true`), never by leaving the month out.

Pure: the rules no schema can say (KS256 none and entries both or neither, KS257 a winner's price above
the budget, KS258 a month outside the fiscal year the summary was requested in… ), the table as text
for the page and the CSV (written by the site), and which months of a fiscal year still have no summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from workflow.core.periods import month_key, month_label
from workflow.core.problems import Problem, problem
from workflow.core.rules import year_problem
from workflow.core.structure import Item
from workflow.core.thaitime import BANGKOK, BE_OFFSET, format_date, parse_date

FIELD = "procurement_summary"
ENTRY = "procurement_entry"
# (key, where its heading is in the schema) in the form's column order
COLUMNS = (
    ("item", ("item",)),
    ("budget", ("budget",)),
    ("median_price", ("median_price",)),
    ("method", ("method",)),
    ("bidders", ("bidders",)),
    ("winner", ("winner",)),
    ("reason", ("reason",)),
    ("contract_number", ("contract", "number")),
    ("contract_date", ("contract", "date")),
)
ORDINAL = "ลำดับที่"


def headings(disclosure_schema: Mapping[str, Any]) -> list[str]:
    """The form's column headings: ลำดับที่, then each field's title in the (bundled) disclosure schema."""
    entry = disclosure_schema["$defs"][ENTRY]
    out = [ORDINAL]
    for _, path in COLUMNS:
        node: Any = entry
        for key in path:
            node = node["properties"][key]
        out.append(str(node["title"]))
    return out


def summary_of(item: Item) -> dict[str, Any] | None:
    found = item.data.get(FIELD)
    return found if isinstance(found, dict) else None


def _money(value: Any) -> str:
    number = float(value)
    return f"{number:,.2f}"


def _party(party: Mapping[str, Any]) -> str:
    return f"{party['name']} ราคา {_money(party['price'])} บาท"


def rows(summary: Mapping[str, Any], *, digits: str = "arabic") -> list[list[str]]:
    """Each entry as the form's cells (numbers with thousands separators, dates in the Buddhist Era)."""
    out = []
    for number, entry in enumerate(summary.get("entries") or [], start=1):
        contract = entry["contract"]
        out.append(
            [
                str(number),
                str(entry["item"]),
                _money(entry["budget"]),
                _money(entry["median_price"]) if entry.get("median_price") is not None else "–",
                str(entry["method"]),
                "; ".join(_party(b) for b in entry["bidders"]),
                _party(entry["winner"]),
                str(entry["reason"]),
                str(contract["number"]),
                format_date(parse_date(str(contract["date"])), digits=digits),
            ]
        )
    return out


def month_title(summary: Mapping[str, Any]) -> str:
    year, month = (int(part) for part in str(summary["month"]).split("-"))
    return month_label(year, month)


NONE_TEXT = "ไม่มีการจัดซื้อจัดจ้าง"


def summary_problems(item: Item, written: datetime | None) -> Iterator[Problem]:
    """What the schema cannot say about a `procurement_summary` (the schema has checked its shapes)."""
    summary = summary_of(item)
    if summary is None:
        return
    entries = summary.get("entries")
    if bool(summary.get("none")) == bool(entries):
        detail = "มีทั้ง none และ entries" if entries else "ไม่มีทั้ง none และ entries"
        yield problem("KS256", item.path, where=(FIELD,), detail=detail)
    for index, entry in enumerate(entries or []):
        wrong = year_problem(entry["contract"]["date"], item.path, (FIELD, "entries", index, "contract", "date"))
        if wrong is not None:  # a Buddhist-Era year typed in: KS215, with the CE value in the hint
            yield wrong
        winner = entry["winner"]["price"]
        if winner > entry["budget"]:
            detail = f"ผู้ได้รับการคัดเลือก {_money(winner)} บาท เกินวงเงิน {_money(entry['budget'])} บาท"
            where = (FIELD, "entries", index, "winner", "price")
            yield problem("KS257", item.path, where=where, detail=detail, severity="warning")
        if not any(b["name"] == entry["winner"]["name"] for b in entry["bidders"]):
            where = (FIELD, "entries", index, "winner", "name")
            yield problem("KS259", item.path, where=where, detail=str(entry["winner"]["name"]))
    if written is not None:
        year, month = (int(part) for part in str(summary["month"]).split("-"))
        local = written.astimezone(BANGKOK)
        if (year, month) >= (local.year, local.month):  # a month is summed up after it ends
            detail = f"สรุปเดือน {month_label(year, month)} แต่ขอเผยแพร่เมื่อ {format_date(local)}"
            yield problem("KS258", item.path, where=(FIELD, "month"), detail=detail)


def fiscal_months(fiscal_year: int, now: datetime | None) -> list[str]:
    """The month keys (`2025-10` …) a fiscal year needs a summary for by `now`: every month that
    has ended (a month's summary comes after it), all twelve once the year is over."""
    ce = fiscal_year - BE_OFFSET
    months = [(ce - 1, m) for m in range(10, 13)] + [(ce, m) for m in range(1, 10)]
    if now is not None:
        local = now.astimezone(BANGKOK)
        months = [(y, m) for y, m in months if (y, m) < (local.year, local.month)]
    return [month_key(y, m) for y, m in months]


def missing_months(needed: Iterable[str], covered: Iterable[str]) -> list[str]:
    have = set(covered)
    return [m for m in needed if m not in have]


def month_names(keys: Iterable[str]) -> str:
    return ", ".join(month_label(int(k[:4]), int(k[5:])) for k in keys)
