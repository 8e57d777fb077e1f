"""What may go on the public site now, and which date it shows.

The published time proper comes from git (DOMAIN.md); without history the
site shows the fallback below, which the build names in its report.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal

from workflow.core import ita
from workflow.core.digest import referenced_files
from workflow.core.earlier import earlier_published
from workflow.core.periods import fiscal_year_of
from workflow.core.rules import written_at
from workflow.core.safety import outside_links
from workflow.core.thaitime import BANGKOK, parse_date, parse_time
from workflow.core.validate import ItemResult

Reason = Literal["ready", "urgent", "pending", "scheduled", "invalid"]
REASON_LABELS = {
    "ready": "ลงนามครบ",
    "urgent": "เผยแพร่ด่วน (รอลงนาม)",
    "pending": "รอลงนาม",
    "scheduled": "ตั้งเวลาเผยแพร่ไว้ภายหลัง",
    "invalid": "มีข้อผิดพลาด",
}


@dataclass(frozen=True)
class Candidate:
    """What publishing needs to know of one checked item: small, picklable, cacheable.

    The gate computes it once per item (in a forked worker, or from its cache);
    `decide_candidate` and the site build need nothing else. `source` and
    `files` (content hashes) say which bytes the verdict and the page came from.
    """

    path: str
    item_id: str
    kind: str = ""
    valid: bool = False  # parsed, no error, sign-offs evaluated
    complete: bool = False
    urgent: bool = False
    fallback: datetime | None = None
    publish_at: datetime | None = None
    withdrawn: bool = False
    refs: tuple[str, ...] = ()  # files the item names (front matter and body), in order
    about: tuple[str, ...] = ()  # clipping: the item ids it is about
    links: tuple[str, ...] = ()  # links to other sites in the body
    source: str = ""  # sha256 of the item file's bytes
    files: tuple[tuple[str, str | None], ...] = ()  # (ref, sha256 or None if missing)
    title: str = ""
    ita: tuple[str, ...] = ()  # the OIT items it is evidence for (core/ita.py)
    ita_year: int | None = None  # the BE fiscal year those codes are read in
    ita_months: tuple[str, ...] = ()  # a monthly procurement summary: the month it covers


@dataclass(frozen=True)
class Decision:
    path: str
    item_id: str
    reason: Reason
    date: datetime | None
    corrected: datetime | None = None  # corrected and signed again after publication (git's record)

    @property
    def public(self) -> bool:
        return self.reason in ("ready", "urgent")


def fallback_date(result: ItemResult) -> datetime | None:
    """The later of the last sign-off and when the item was written (or reported); for an item
    from before Khaosan, when it went public on the earlier website."""
    item, signoffs = result.item, result.signoffs
    if item is None:
        return None
    earlier = earlier_published(item.data)
    if earlier is not None:
        return earlier
    times = [s.at for s in (signoffs.steps if signoffs else ()) if s.at and s.status == "signed"]
    written = written_at(item)
    if written:
        times.append(written)
    if item.kind == "clipping":
        with contextlib.suppress(KeyError, ValueError):
            times.append(datetime.combine(parse_date(item.data["published_on"]), time(), BANGKOK))
    return max(times) if times else None


def candidate(
    result: ItemResult, *, source: str = "", file_hash: Callable[[str], str | None] | None = None
) -> Candidate:
    """Boil a checked item down to what publishing needs (see `Candidate`)."""
    item = result.item
    item_id = item.id if item else result.path
    if result.errors or item is None or result.signoffs is None:
        return Candidate(result.path, item_id, item.kind if item else "", source=source)
    publish_at = item.data.get("publish_at")
    refs = tuple(referenced_files(item.data, item.body))
    about = item.data.get("about") if item.kind == "clipping" else None
    return Candidate(
        result.path,
        item_id,
        item.kind,
        valid=True,
        complete=result.signoffs.complete,
        urgent=result.signoffs.urgent,
        fallback=fallback_date(result),
        publish_at=parse_time(publish_at) if publish_at else None,
        withdrawn=bool(item.data.get("withdrawn")),
        refs=refs,
        about=tuple(str(a) for a in about) if isinstance(about, list) else (),
        links=tuple(outside_links(item.body)),
        source=source,
        files=tuple((ref, file_hash(ref)) for ref in refs) if file_hash else (),
        title=str(item.data.get("title") or ""),
        ita=ita.tags(item),
        ita_months=ita.months(item),
        ita_year=ita.evidence_year(item) or (fiscal_year_of(fallback) if (fallback := fallback_date(result)) else None),
    )


def decide_candidate(c: Candidate, now: datetime) -> Decision:
    if not c.valid:
        return Decision(c.path, c.item_id, "invalid", None)
    date = c.fallback
    if c.publish_at:
        if c.publish_at > now:
            return Decision(c.path, c.item_id, "scheduled", c.publish_at)
        date = max(date, c.publish_at) if date else c.publish_at
    if c.complete:
        return Decision(c.path, c.item_id, "ready", date)
    if c.urgent:
        return Decision(c.path, c.item_id, "urgent", date)
    return Decision(c.path, c.item_id, "pending", None)
