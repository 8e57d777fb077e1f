"""Times as the office means them: Asia/Bangkok, shown in the Buddhist Era."""

from __future__ import annotations

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
