"""Deadlines under the office's time standards (manual: มาตรฐานระยะเวลา).

The office configures rules (`structure.DeadlineRule`: so many hours after the
event starts or ends); an item's `Deadline`s are those rules applied to its
event: what `status`, the pull-request comment and the metrics all read.

An event whose times cannot be trusted has no deadline: a year outside what a file
may hold (a Buddhist-Era year typed by mistake, `thaitime.year_in_range`), or a
start equal to its end (what `khaosan new` writes until a person sets the times).
The rules report both (KS215/KS216, KS218); nothing here computes from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from workflow.core.structure import DeadlineRule, Standard
from workflow.core.thaitime import parse_time, typed_year, year_in_range

Stage = Literal["produce", "publish"]
STAGE_LABELS = {"produce": "จัดทำเสร็จภายใน", "publish": "เผยแพร่ภายใน"}


@dataclass(frozen=True)
class Deadline:
    """When one stage of one item is due."""

    stage: Stage
    at: datetime

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.stage]


def is_timed(standard: Standard | None) -> bool:
    return standard is not None and (standard.produce is not None or standard.publish is not None)


def times_never_set(event: Mapping[str, Any]) -> bool:
    """`khaosan new` writes the creation time as both start and end: an event that ends as it
    starts was never given its real times."""
    starts = event.get("starts_at")
    return isinstance(starts, str) and starts == event.get("ends_at")


def event_years_hold(event: Mapping[str, Any], now: datetime | None) -> bool:
    """Neither time of the event has a year a file may not hold (a Buddhist-Era year, say)."""
    years = (typed_year(event.get(key)) for key in ("starts_at", "ends_at"))
    return all(year is None or year_in_range(year, now) for year in years)


def deadlines(data: dict[str, Any], standard: Standard | None, now: datetime | None = None) -> list[Deadline]:
    """The item's due times; empty for untimed news or an event without valid times.

    With `now`, a year more than a few years ahead of it is no valid time either."""
    if not is_timed(standard):
        return []
    assert standard is not None
    event = data.get("event")
    if not isinstance(event, dict) or times_never_set(event) or not event_years_hold(event, now):
        return []
    stages: list[tuple[Stage, DeadlineRule | None]] = [("produce", standard.produce), ("publish", standard.publish)]
    result: list[Deadline] = []
    for stage, rule in stages:
        if rule is None:
            continue
        try:
            anchor = parse_time(event.get(rule.anchor, ""))
        except (ValueError, TypeError):
            return []
        result.append(Deadline(stage, anchor + timedelta(hours=rule.hours)))
    return result
