"""Deadlines under the office's time standards (manual: มาตรฐานระยะเวลา).

The office configures rules (`structure.DeadlineRule`: so many hours after the
event starts or ends); an item's `Deadline`s are those rules applied to its
event: what `status`, the pull-request comment and the metrics all read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from workflow.core.structure import DeadlineRule, Standard
from workflow.core.thaitime import parse_time

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


def deadlines(data: dict[str, Any], standard: Standard | None) -> list[Deadline]:
    """The item's due times; empty for untimed news or an event without valid times."""
    if not is_timed(standard):
        return []
    assert standard is not None
    event = data.get("event")
    if not isinstance(event, dict):
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
