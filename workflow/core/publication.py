"""What may go on the public site now, and which date it shows.

The published time proper comes from git (DOMAIN.md); without history the
site shows the fallback below, which the build names in its report.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal

from .rules import written_at
from .thaitime import BANGKOK, parse_date, parse_time
from .validate import ItemResult

Reason = Literal["ready", "urgent", "pending", "scheduled", "invalid"]
REASON_LABELS = {"ready": "ลงนามครบ", "urgent": "เผยแพร่ด่วน (รอลงนาม)", "pending": "รอลงนาม",
                 "scheduled": "ตั้งเวลาเผยแพร่ไว้ภายหลัง", "invalid": "มีข้อผิดพลาด"}


@dataclass(frozen=True)
class Decision:
    path: str
    item_id: str
    reason: Reason
    date: datetime | None

    @property
    def public(self) -> bool:
        return self.reason in ("ready", "urgent")


def fallback_date(result: ItemResult) -> datetime | None:
    """The later of the last sign-off and when the item was written (or reported)."""
    item, signoffs = result.item, result.signoffs
    if item is None:
        return None
    times = [s.at for s in (signoffs.steps if signoffs else ()) if s.at and s.status == "signed"]
    written = written_at(item)
    if written:
        times.append(written)
    if item.kind == "clipping":
        with contextlib.suppress(KeyError, ValueError):
            times.append(datetime.combine(parse_date(item.data["published_on"]), time(), BANGKOK))
    return max(times) if times else None


def decide(result: ItemResult, now: datetime) -> Decision:
    item = result.item
    item_id = item.id if item else result.path
    if result.errors or item is None or result.signoffs is None:
        return Decision(result.path, item_id, "invalid", None)
    date = fallback_date(result)
    publish_at = item.data.get("publish_at")
    if publish_at:
        at = parse_time(publish_at)
        if at > now:
            return Decision(result.path, item_id, "scheduled", at)
        date = max(date, at) if date else at
    if result.signoffs.complete:
        return Decision(result.path, item_id, "ready", date)
    if result.signoffs.urgent:
        return Decision(result.path, item_id, "urgent", date)
    return Decision(result.path, item_id, "pending", None)
