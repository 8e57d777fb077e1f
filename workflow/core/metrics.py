"""The manual's figures (section 3) from publication facts read out of git.

Pure: the edge (`workflow/edges/git/history.py`) hands in one `ItemRecord` per item
ever on the main branch, with the times git says; this module decides each
item's state against the office's time standards and adds up the figures for
a period. Everything returned is plain data (the JSON output is `compute()`'s
result as it is).

Which period an item belongs to: news by `produced_at`, a disclosure by
`requested_at`, a clipping by `published_on` (Bangkok dates).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from workflow.core.deadlines import deadlines
from workflow.core.figures import (
    Awaiting,
    CategoryCounts,
    ClippingFigures,
    Counts,
    DisclosureFigures,
    Evidence,
    Figures,
    ItemEntry,
    MonthCounts,
    NewsFigures,
    PrintShare,
    State,
    TrustFlag,
    TypeCounts,
)
from workflow.core.periods import Period, month_key, month_label, month_of
from workflow.core.publication_history import HistoryFacts, ItemRecord
from workflow.core.signoffs import ORDERS, given_on_paper
from workflow.core.social import SOCIAL_CHANNELS, Receipt, posted_channels, posted_for
from workflow.core.structure import Office
from workflow.core.thaitime import BANGKOK, format_datetime, format_duration, parse_time
from workflow.core.vocabulary import STEP, Vocabulary

STATE_LABELS: dict[str, str] = {
    "on-time": "ทันเวลา",
    "late": "ล่าช้า",
    "pending": "ยังไม่ถึงกำหนด",
    "overdue": "เลยกำหนดยังไม่เผยแพร่",
    "untimed": "ไม่มีมาตรฐานเวลา",
    "earlier": "ก่อนใช้ระบบ",
}
ON_TIME_TARGET = 0.8
RATE_MINIMUM = 5  # fewer judged items than this: "too few to say", not a rate (one late item is not 0 %)
PRINT_MEDIA = frozenset({"newspaper"})
PRINT_CHANNEL = "print"
Posted = dict[str, dict[str, Receipt]]  # item id -> channel -> its `posted` receipt

# Trust flags: what an auditor would question (codes also in problems.CODES).
TRUST_CODES = {
    "signoff-after-publication": ("KS511", "ลงนามหลังเผยแพร่แล้ว"),
    "time-backwards": ("KS512", "เวลา commit ย้อนกลับตามสายหลัก"),
    "future-time": ("KS513", "เวลาอยู่ในอนาคต"),
    "published-without-signoffs": ("KS514", "เผยแพร่โดยยังลงนามไม่ครบ"),
    "signed-on-paper": ("KS515", "ลงนามบนกระดาษ ไม่มีการอนุมัติบน GitHub รองรับ"),
    "corrected": ("KS516", "แก้ไขหลังเผยแพร่ และลงนามใหม่แล้ว"),
}


@dataclass(frozen=True)
class Assessed:
    record: ItemRecord
    anchor: datetime | None  # what places the item in a period
    state: State
    published_at: datetime | None  # None when not (yet) public at `now`
    deadline: datetime | None  # publication due (or production due when that is the only one)
    produce_deadline: datetime | None
    produced_at: datetime | None
    late_seconds: int | None
    urgent_awaiting: bool
    withdrawn_unpublished: bool
    withdrawn_at: datetime | None = None  # deleted on main, or `withdrawn.at` in the item


def _time(value: Any) -> datetime | None:
    try:
        return parse_time(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _anchor(record: ItemRecord) -> datetime | None:
    data = record.data or {}
    first = record.earlier_published_at or record.first_committed_at  # an earlier item: its own month
    if record.kind == "news":
        return _time(data.get("produced_at")) or first
    if record.kind == "disclosure":
        return _time(data.get("requested_at")) or first
    if record.kind == "clipping":
        try:
            return datetime.combine(date.fromisoformat(str(data.get("published_on"))), time(), BANGKOK)
        except ValueError:
            return first
    return None


def assess(record: ItemRecord, office: Office, now: datetime) -> Assessed:
    """The item's state against its time standard, as of `now`."""
    data = record.data or {}
    published = record.published_at
    if published is not None and published > now:
        published = None  # scheduled, not yet public
    urgent_awaiting = (
        published is not None and record.urgent_now and not record.complete_now and record.withdrawn_at is None
    )
    marked = data.get("withdrawn")
    withdrawn_at = record.withdrawn_at or (_time(marked.get("at")) if isinstance(marked, dict) else None)
    withdrawn_unpublished = withdrawn_at is not None and published is None
    produced = _time(data.get("produced_at"))
    publish_due, produce_due = _dues(record, office)
    deadline = publish_due or produce_due
    state: State
    late: int | None = None
    if record.earlier_published_at is not None and published is not None:
        state = "earlier"  # no time standard was Khaosan's to keep then
    elif deadline is None:
        state = "untimed"
    elif published is not None:
        late = _lateness(published, publish_due, produce_due, produced)
        state = "late" if late else "on-time"
    else:
        state = "overdue" if now > deadline else "pending"
        if state == "overdue":
            late = int((now - deadline).total_seconds())
    return Assessed(
        record,
        _anchor(record),
        state,
        published,
        deadline,
        produce_due,
        produced,
        late,
        urgent_awaiting,
        withdrawn_unpublished,
        withdrawn_at,
    )


def _dues(record: ItemRecord, office: Office) -> tuple[datetime | None, datetime | None]:
    """The news item's publication and production deadlines under its time standard."""
    publish_due = produce_due = None
    if record.kind == "news":
        data = record.data or {}
        for due in deadlines(data, office.standards.get(str(data.get("news_type")))):
            if due.stage == "publish":
                publish_due = due.at
            else:
                produce_due = due.at
    return publish_due, produce_due


def _lateness(
    published: datetime, publish_due: datetime | None, produce_due: datetime | None, produced: datetime | None
) -> int | None:
    """Seconds past the worse of the two deadlines; None when both were met."""
    gaps = []
    if publish_due is not None:
        gaps.append((published - publish_due).total_seconds())
    if produce_due is not None:
        gaps.append(((produced or published) - produce_due).total_seconds())
    worst = max(gaps)
    return math.ceil(worst) if worst > 0 else None


def _rate(on_time: int, late: int, overdue: int) -> float | None:
    done = on_time + late + overdue
    return round(on_time / done, 4) if done >= RATE_MINIMUM else None


def _counts(entries: list[Assessed]) -> Counts:
    states = Counter(a.state for a in entries)
    return {
        "count": len(entries),
        "time_bound": len(entries) - states["untimed"] - states["earlier"],
        "on_time": states["on-time"],
        "late": states["late"],
        "pending": states["pending"],
        "overdue": states["overdue"],
        "untimed": states["untimed"],
        "earlier": states["earlier"],
        "judged": states["on-time"] + states["late"] + states["overdue"],
        "on_time_rate": _rate(states["on-time"], states["late"], states["overdue"]),
    }


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (the value below which `fraction` of the values lie)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(BANGKOK).isoformat() if moment else None


def _news(
    entries: list[Assessed], period: Period, in_print: set[str], vocabulary: Vocabulary, posted: Posted
) -> NewsFigures:
    counted = [a for a in entries if not a.withdrawn_unpublished]
    totals = _counts(counted)
    months = [month_key(y, m) for y, m in period.months()]
    by_month: dict[str, MonthCounts] = {}
    for key in months:
        here = [a for a in counted if a.anchor is not None and month_of(a.anchor) == key]
        year, mon = int(key[:4]), int(key[5:])
        by_month[key] = {
            "label": month_label(year, mon),
            **_counts(here),
            "by_type": {t: sum(1 for a in here if _data(a).get("news_type") == t) for t in vocabulary.news_types},
        }
    by_type: dict[str, TypeCounts] = {
        t: {"label": label, **_counts([a for a in counted if _data(a).get("news_type") == t])}
        for t, label in vocabulary.news_types.items()
    }
    channels: Counter[str] = Counter()
    per_item: Counter[int] = Counter()
    for a in counted:
        used = _channels(a)
        channels.update(used)
        per_item[len(used)] += 1
    policy: dict[str, PrintShare] = {}
    for key in months:
        here = [
            a
            for a in counted
            if _data(a).get("plan") == "policy" and a.anchor is not None and month_of(a.anchor) == key
        ]
        printed = sum(1 for a in here if a.record.id in in_print)
        policy[key] = {
            "policy": len(here),
            "in_print": printed,
            "share": round(printed / len(here), 4) if here else None,
        }
    all_policy = [a for a in counted if _data(a).get("plan") == "policy"]
    all_printed = sum(1 for a in all_policy if a.record.id in in_print)
    return {
        "produced": totals["count"],
        "time_bound": totals["time_bound"],
        "on_time": totals["on_time"],
        "late": totals["late"],
        "overdue": totals["overdue"],
        "pending": totals["pending"],
        "untimed": totals["untimed"],
        "earlier": totals["earlier"],
        "judged": totals["judged"],
        "on_time_rate": totals["on_time_rate"],
        "rate_minimum": RATE_MINIMUM,
        "target": ON_TIME_TARGET,
        "meets_target": None if totals["on_time_rate"] is None else totals["on_time_rate"] >= ON_TIME_TARGET,
        "withdrawn_unpublished": len(entries) - len(counted),
        "urgent_awaiting": sum(1 for a in counted if a.urgent_awaiting),
        "by_type": by_type,
        "by_month": by_month,
        "by_plan": {p: sum(1 for a in counted if _data(a).get("plan") == p) for p in vocabulary.plans},
        "by_format": {f: sum(1 for a in counted if _data(a).get("format") == f) for f in vocabulary.formats},
        "channels": {
            "total": dict(sorted(channels.items(), key=lambda kv: (-kv[1], kv[0]))),
            "uses": sum(channels.values()),
            "per_item_mean": round(sum(channels.values()) / len(counted), 2) if counted else None,
            "items_by_channel_count": {str(k): per_item[k] for k in sorted(per_item)},
            "evidence": _evidence(counted, posted),
        },
        "policy_in_print": {
            "policy": len(all_policy),
            "in_print": all_printed,
            "share": round(all_printed / len(all_policy), 4) if all_policy else None,
            "by_month": policy,
        },
    }


def _data(a: Assessed) -> dict[str, Any]:
    return a.record.data or {}


def _evidence(counted: list[Assessed], posted: Posted) -> dict[str, Evidence]:
    """Per social channel: the items that ask for it, and how many of them have a receipt (section 3's
    channel figures as claims and as evidence, side by side)."""
    out: dict[str, Evidence] = {}
    for channel in SOCIAL_CHANNELS:
        asked = {a.record.id for a in counted if channel in _channels(a)}
        done = {a.record.id for a in counted if channel in _posted(a, posted)}
        out[channel] = {"intended": len(asked), "posted": len(asked & done), "posted_unasked": len(done - asked)}
    return out


def _posted(a: Assessed, posted: Posted) -> dict[str, Receipt]:
    """The item's post receipts, made under its id now or before a rename."""
    return posted_for(posted, (a.record.id, *a.record.renamed_from))


def _channels(a: Assessed) -> list[str]:
    value = _data(a).get("channels")
    return [str(c) for c in value] if isinstance(value, list) else []


def _disclosures(entries: list[Assessed], categories: Iterable[str]) -> DisclosureFigures:
    hours: list[float] = []
    awaiting: list[Awaiting] = []
    by_category: dict[str, CategoryCounts] = {
        c: {"requests": 0, "published": 0, "awaiting_live_check": 0} for c in categories
    }
    published = 0
    for a in entries:
        data = _data(a)
        category = str(data.get("category", "other"))
        slot = by_category.setdefault(category, {"requests": 0, "published": 0, "awaiting_live_check": 0})
        slot["requests"] += 1
        if a.published_at is None or a.record.withdrawn_at is not None:
            continue
        published += 1
        slot["published"] += 1
        requested = _time(data.get("requested_at"))
        if requested is not None:
            hours.append(max(0.0, (a.published_at - requested).total_seconds() / 3600))
        if not isinstance(data.get("live_check"), dict):
            slot["awaiting_live_check"] += 1
            awaiting.append(
                {
                    "id": a.record.id,
                    "title": str(data.get("title", "")),
                    "category": category,
                    "published_at": _iso(a.published_at),
                }
            )
    med, p90 = median(hours), percentile(hours, 0.9)
    return {
        "requests": len(entries),
        "published": published,
        "request_to_publication_hours": {
            "count": len(hours),
            "median": round(med, 2) if med is not None else None,
            "p90": round(p90, 2) if p90 is not None else None,
        },
        "awaiting_live_check": len(awaiting),
        "awaiting": awaiting,
        "by_category": by_category,
    }


def _clippings(entries: list[Assessed]) -> ClippingFigures:
    def count(key: str) -> dict[str, int]:
        found = Counter(str(_data(a).get(key, "")) for a in entries)
        return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))

    return {
        "total": len(entries),
        "by_outlet": count("outlet"),
        "by_medium": count("medium"),
        "by_effect": count("effect"),
    }


def _flag(
    kind: str, message: str, *, item: str | None = None, commit: str | None = None, at: datetime | None = None
) -> TrustFlag:
    code, label = TRUST_CODES[kind]
    return {
        "code": code,
        "kind": kind,
        "label": label,
        "item": item,
        "commit": commit,
        "at": _iso(at),
        "message": message,
    }


def trust_flags(
    facts: HistoryFacts, entries: list[Assessed], period: Period, now: datetime, vocabulary: Vocabulary
) -> list[TrustFlag]:
    flags: list[TrustFlag] = []
    for b in facts.backwards:
        if period.contains(b.time) or period.contains(b.previous_time):
            flags.append(
                _flag(
                    "time-backwards",
                    f"commit {b.sha[:10]} ลงเวลา {format_datetime(b.time)} "
                    f"ก่อน commit ก่อนหน้า {b.previous_sha[:10]} ({format_datetime(b.previous_time)})",
                    commit=b.sha,
                    at=b.time,
                )
            )
    for sha, moment in facts.future_commits:
        flags.append(
            _flag("future-time", f"commit {sha[:10]} ลงเวลา {format_datetime(moment)} ซึ่งยังไม่ถึง", commit=sha, at=moment)
        )
    for a in entries:
        flags += _item_flags(a, now, vocabulary)
    return flags


def _item_flags(a: Assessed, now: datetime, vocabulary: Vocabulary) -> list[TrustFlag]:
    """What an auditor would question about one item: its sign-offs' times, paper, urgency, edits."""
    flags: list[TrustFlag] = []
    r = a.record
    published = r.published_at  # the one rule (publication_history.published_at): public from then on
    for s in r.signoffs:
        step = vocabulary.label(STEP, s.step)
        # signed after publication: the urgent case; a fully signed item signed again is a correction
        if published is not None and s.recorded_at > published and r.published_urgent:
            flags.append(
                _flag(
                    "signoff-after-publication",
                    f"{r.id}: ขั้น {step} โดย {s.by} บันทึกเมื่อ {format_datetime(s.recorded_at)} "
                    f"หลังเผยแพร่ ({format_datetime(published)})",
                    item=r.id,
                    at=s.recorded_at,
                )
            )
        if s.at is not None and (s.at > now or s.at > s.recorded_at):
            flags.append(
                _flag(
                    "future-time",
                    f"{r.id}: ขั้น {step} โดย {s.by} ลงเวลา {format_datetime(s.at)} "
                    f"หลังเวลาที่บันทึกใน git ({format_datetime(s.recorded_at)})",
                    item=r.id,
                    at=s.at,
                )
            )
    if a.published_at is not None and r.corrected_at is not None:
        flags.append(
            _flag(
                "corrected",
                f"{r.id}: เผยแพร่เมื่อ {format_datetime(a.published_at)} แก้ไขและลงนามใหม่เมื่อ "
                f"{format_datetime(r.corrected_at)}",
                item=r.id,
                at=r.corrected_at,
            )
        )
    paper = _on_paper(r, vocabulary)
    if a.published_at is not None and paper:
        flags.append(_flag("signed-on-paper", f"{r.id}: {', '.join(paper)}", item=r.id, at=a.published_at))
    if a.published_at is not None and r.published_urgent:
        flags.append(
            _flag(
                "published-without-signoffs",
                f"{r.id}: เผยแพร่ด่วนเมื่อ {format_datetime(a.published_at)} โดยยังลงนามไม่ครบ"
                + ("" if r.complete_now else " และยังรอลงนามอยู่"),
                item=r.id,
                at=a.published_at,
            )
        )
    elif a.published_at is not None and not r.complete_now and r.withdrawn_at is None:
        flags.append(
            _flag(
                "published-without-signoffs",
                f"{r.id}: แก้ไขหลังเผยแพร่ เนื้อหาที่อยู่บนเว็บไซต์ยังไม่ได้ลงนามใหม่",
                item=r.id,
                at=a.published_at,
            )
        )
    return flags


def _on_paper(record: ItemRecord, vocabulary: Vocabulary) -> list[str]:
    """The published version's sign-offs and orders that name no review (DOMAIN.md, "Acts are backed")."""
    data = record.data or {}
    said = [
        f"ขั้น {vocabulary.label(STEP, str(a.get('step')))} โดย {a.get('by')}"
        for a in data.get("approvals") or ()
        if isinstance(a, dict) and given_on_paper(a)
    ]
    for key, label in ORDERS.items():
        order = data.get(key)
        if isinstance(order, dict) and given_on_paper(order):
            said.append(f"{label} โดย {order.get('by')}")
    return said


def _item_entry(a: Assessed, posted: Posted) -> ItemEntry:
    data = _data(a)
    return {
        "id": a.record.id,
        "kind": a.record.kind,
        "news_type": data.get("news_type") if a.record.kind == "news" else None,
        "state": a.state,
        "published_at": _iso(a.published_at),
        "deadline": _iso(a.deadline),
        "title": str(data.get("title", "")),
        "produced_at": _iso(a.produced_at),
        "produce_deadline": _iso(a.produce_deadline),
        "late_seconds": a.late_seconds,
        "urgent_awaiting": a.urgent_awaiting,
        "withdrawn_at": _iso(a.withdrawn_at),
        "first_committed_at": _iso(a.record.first_committed_at),
        "month": month_of(a.anchor) if a.anchor else None,
        "channels": _channels(a),
        "posted": {ch: r.at.isoformat(timespec="seconds") for ch, r in sorted(_posted(a, posted).items())},
        "signoffs": [
            {"by": s.by, "step": s.step, "at": _iso(s.at), "recorded_at": _iso(s.recorded_at)}
            for s in a.record.signoffs
            if s.current
        ],
    }


def compute(
    facts: HistoryFacts, office: Office, period: Period, now: datetime, receipts: Iterable[Receipt] = ()
) -> Figures:
    """Every figure for `period`, as plain JSON-ready data (its shape: `figures.Figures`).

    `receipts`: the social posts' receipts from the records branch (core/social.py), the evidence
    beside the channels the items ask for."""
    posted = posted_channels(receipts)
    assessed = [assess(r, office, now) for r in facts.items if r.data is not None]
    in_period = [a for a in assessed if period.contains(a.anchor)]
    in_print: set[str] = {a.record.id for a in assessed if a.record.kind == "news" and PRINT_CHANNEL in _channels(a)}
    for a in assessed:
        if a.record.kind == "clipping" and str(_data(a).get("medium")) in PRINT_MEDIA:
            about = _data(a).get("about")
            if isinstance(about, list):
                in_print.update(str(i) for i in about)
    news = [a for a in in_period if a.record.kind == "news"]
    disclosures = [a for a in in_period if a.record.kind == "disclosure"]
    clippings = [a for a in in_period if a.record.kind == "clipping"]
    late = sorted((a for a in news if a.state in ("late", "overdue")), key=lambda a: -(a.late_seconds or 0))
    return {
        "office": {"name": office.name, "short_name": office.short_name},
        "labels": {
            "channels": dict(office.channels),
            "kinds": office.vocabulary.kinds,
            "news_types": office.vocabulary.news_types,
            "plans": office.vocabulary.plans,
            "formats": office.vocabulary.formats,
            "categories": office.vocabulary.categories,
            "media": office.vocabulary.media,
            "effects": office.vocabulary.effects,
            "states": STATE_LABELS,
        },
        "generated_at": _iso(now),
        "history": {"ref": facts.ref, "head": facts.head, "commits": facts.commits},
        "period": {"start": _iso(period.start), "end": _iso(period.end), "label": period.label, "key": period.key},
        "news": _news(news, period, in_print, office.vocabulary, posted),
        "disclosures": _disclosures(disclosures, office.vocabulary.categories),
        "clippings": _clippings(clippings),
        "late": [
            {
                "id": a.record.id,
                "title": str(_data(a).get("title", "")),
                "state": a.state,
                "news_type": _data(a).get("news_type"),
                "deadline": _iso(a.deadline),
                "published_at": _iso(a.published_at),
                "late_seconds": a.late_seconds,
                "late_label": format_duration_seconds(a.late_seconds),
            }
            for a in late
        ],
        "trust": trust_flags(facts, in_period, period, now, office.vocabulary),
        "items": [_item_entry(a, posted) for a in sorted(in_period, key=lambda a: (a.record.kind, a.record.id))],
    }


def format_duration_seconds(seconds: int | None) -> str:
    return format_duration(timedelta(seconds=seconds)) if seconds else ""
