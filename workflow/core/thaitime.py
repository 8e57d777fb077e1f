"""Times as the office means them: Asia/Bangkok, shown in the Buddhist Era.

Files hold Christian-Era years (ISO 8601); people think in the Buddhist Era, so a
year 543 too high is the likeliest slip in a file. `year_in_range` says which years
a file may hold, so that the rules refuse the others and no deadline, status or
figure is ever computed from them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")  # no DST in Thailand since 1920
BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

EARLIEST_YEAR = 2000  # nothing a file records (an event, a request, a sign-off) happened before
YEARS_AHEAD = 5  # how far ahead of now a time in a file (an event, publish_at) may lie
# Without a "now": every year from here on reads as a Buddhist-Era year of this era (2000 + 543).
_FIRST_BE_YEAR = EARLIEST_YEAR + BE_OFFSET
_TYPED_YEAR = re.compile(r"([0-9]{4})-[0-9]{2}-[0-9]{2}")


def typed_year(value: object) -> int | None:
    """The year as typed at the start of an ISO 8601 date or time (None: not one)."""
    found = _TYPED_YEAR.match(value) if isinstance(value, str) else None
    return int(found.group(1)) if found else None


def year_in_range(year: int, now: datetime | None = None) -> bool:
    """A year a file may hold: from 2000 to YEARS_AHEAD after `now`'s year (without `now`:
    below 2543, the first year that reads as this era's Buddhist Era)."""
    latest = now.astimezone(BANGKOK).year + YEARS_AHEAD if now is not None else _FIRST_BE_YEAR - 1
    return EARLIEST_YEAR <= year <= latest


def christian_era(value: str) -> str:
    """`2569-12-15T12:00:00+07:00` -> `2026-12-15T12:00:00+07:00`: the typed year less 543."""
    year = typed_year(value)
    return value if year is None else f"{year - BE_OFFSET:04d}{value[4:]}"


def parse_time(value: str) -> datetime:
    """ISO 8601 with or without offset; without one it is Bangkok time.

    Raises ValueError for anything else (a bare date included: a time standard
    needs the hour).
    """
    if not isinstance(value, str) or "T" not in value:
        raise ValueError(value)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)


def parse_date(value: str) -> date:
    return date.fromisoformat(value)


def be_year(moment: datetime | date) -> int:
    if isinstance(moment, datetime):
        moment = moment.astimezone(BANGKOK)
    return moment.year + BE_OFFSET


def thai_digits(text: str) -> str:
    return text.translate(_THAI_DIGITS)


def format_date(moment: datetime | date, *, digits: str = "arabic", short: bool = False) -> str:
    """`20 พฤศจิกายน 2569` (or with Thai digits)."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(BANGKOK)
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    text = f"{moment.day} {months[moment.month - 1]} {moment.year + BE_OFFSET}"
    return thai_digits(text) if digits == "thai" else text


def format_datetime(moment: datetime, *, digits: str = "arabic", short: bool = False) -> str:
    """`20 พฤศจิกายน 2569 เวลา 12:00 น.` in Bangkok time."""
    local = moment.astimezone(BANGKOK)
    text = f"{format_date(local, short=short)} เวลา {local:%H:%M} น."
    return thai_digits(text) if digits == "thai" else text


def format_duration(delta: timedelta) -> str:
    """`2 ชม. 15 นาที` (sign dropped: callers say "left" or "late")."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} วัน")
    if hours:
        parts.append(f"{hours} ชม.")
    if mins or not parts:
        parts.append(f"{mins} นาที")
    return " ".join(parts)
