"""Reporting periods people use: a month, half a fiscal year, a fiscal year, or a range.

All boundaries are midnight in Bangkok; a period is half-open [start, end).
The Thai fiscal year is named by the Buddhist-Era year of its September:
FY 2569 = 1 October 2568 (2025-10-01) to 30 September 2569 (2026-09-30).
Years above 2400 are read as Buddhist Era, others as Common Era.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from workflow.core.thaitime import BANGKOK, BE_OFFSET, THAI_MONTHS, format_date

_BE_FROM = 2400  # 2400 BE = 1857 CE: no office reports on that; anything above is BE


class PeriodError(ValueError):
    """A period the person typed that we cannot read (the message is Thai)."""


@dataclass(frozen=True)
class Period:
    start: datetime  # inclusive, Bangkok midnight
    end: datetime  # exclusive, Bangkok midnight
    label: str  # Thai, BE years
    key: str  # stable machine name: 2026-11, FY2569H1, FY2569, 2026-11-01..2026-11-30

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    def months(self) -> list[tuple[int, int]]:
        """(year CE, month) of every month the period touches, in order."""
        found: list[tuple[int, int]] = []
        year, month = self.start.year, self.start.month
        last = (self.end - timedelta(microseconds=1)).astimezone(BANGKOK)
        while (year, month) <= (last.year, last.month):
            found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), BANGKOK)


def _ce(year: int) -> int:
    return year - BE_OFFSET if year > _BE_FROM else year


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_label(year: int, month: int) -> str:
    return f"{THAI_MONTHS[month - 1]} {year + BE_OFFSET}"


def month_of(moment: datetime) -> str:
    local = moment.astimezone(BANGKOK)
    return month_key(local.year, local.month)


def month(text: str) -> Period:
    """`2569-11` (BE) or `2026-11` (CE)."""
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise PeriodError(f"เดือน '{text}' ไม่ถูกต้อง ใช้รูปแบบ 2569-11 (พ.ศ.) หรือ 2026-11 (ค.ศ.)")
    year, mon = _ce(int(found.group(1))), int(found.group(2))
    start = _midnight(date(year, mon, 1))
    end = _midnight(date(year + 1, 1, 1) if mon == 12 else date(year, mon + 1, 1))
    return Period(start, end, f"เดือน{month_label(year, mon)}", month_key(year, mon))


def fiscal_year_of(moment: datetime) -> int:
    """The BE fiscal year a moment falls in (Bangkok time)."""
    local = moment.astimezone(BANGKOK)
    return local.year + BE_OFFSET + (1 if local.month >= 10 else 0)


def fiscal_year(text: str | int) -> Period:
    """`2569` = 1 Oct 2568 – 30 Sep 2569 (a CE year `2026` names the same year)."""
    value = str(text).strip()
    if not re.fullmatch(r"\d{4}", value):
        raise PeriodError(f"ปีงบประมาณ '{text}' ไม่ถูกต้อง ใช้ปี พ.ศ. 4 หลัก เช่น 2569")
    ce = _ce(int(value))
    start, end = _midnight(date(ce - 1, 10, 1)), _midnight(date(ce, 10, 1))
    be = ce + BE_OFFSET
    label = f"ปีงบประมาณ พ.ศ. {be} ({format_date(start)} – {format_date(end - timedelta(days=1))})"
    return Period(start, end, label, f"FY{be}")


def half(text: str) -> Period:
    """`2569H1` = October 2568 – March 2569; `2569H2` = April – September 2569."""
    found = re.fullmatch(r"(\d{4})\s*[Hh]([12])", text.strip())
    if not found:
        raise PeriodError(f"ครึ่งปีงบประมาณ '{text}' ไม่ถูกต้อง ใช้รูปแบบ 2569H1 หรือ 2569H2")
    ce, which = _ce(int(found.group(1))), int(found.group(2))
    if which == 1:
        start, end = _midnight(date(ce - 1, 10, 1)), _midnight(date(ce, 4, 1))
        name = "ครึ่งปีแรก"
        span = f"{month_label(ce - 1, 10)} – {month_label(ce, 3)}"
    else:
        start, end = _midnight(date(ce, 4, 1)), _midnight(date(ce, 10, 1))
        name = "ครึ่งปีหลัง"
        span = f"{month_label(ce, 4)} – {month_label(ce, 9)}"
    be = ce + BE_OFFSET
    return Period(start, end, f"{name} ปีงบประมาณ พ.ศ. {be} ({span})", f"FY{be}H{which}")


def _day_or_time(text: str, *, end: bool) -> datetime:
    value = text.strip()
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    try:
        if found:
            day = date(_ce(int(found.group(1))), int(found.group(2)), int(found.group(3)))
            return _midnight(day + timedelta(days=1)) if end else _midnight(day)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PeriodError(f"วันที่ '{text}' ไม่ถูกต้อง ใช้รูปแบบ 2026-11-01 หรือ 2569-11-01") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)


def between(start_text: str, end_text: str) -> Period:
    """`--from 2026-11-01 --to 2026-11-30`: both days included (a time is taken as it is)."""
    start, end = _day_or_time(start_text, end=False), _day_or_time(end_text, end=True)
    if end <= start:
        raise PeriodError(f"ช่วงเวลา {start_text} ถึง {end_text} สิ้นสุดก่อนเริ่ม")
    last = end - timedelta(microseconds=1)
    label = f"{format_date(start)} – {format_date(last)}"
    return Period(start, end, label, f"{start.date().isoformat()}..{last.astimezone(BANGKOK).date().isoformat()}")


def current_fiscal_year(now: datetime) -> Period:
    return fiscal_year(fiscal_year_of(now))
