"""workflow.core.deadlines: due times under the office's time standards."""

from __future__ import annotations

import pytest
from support.checking import office

from workflow.core.deadlines import deadlines, is_timed
from workflow.core.office import DEFAULT_STANDARDS
from workflow.core.structure import DeadlineRule, Standard

EVENT = {"starts_at": "2026-11-20T09:00:00+07:00", "ends_at": "2026-11-20T12:00:00+07:00"}


def due(news_type: str, event: object = EVENT) -> list[tuple[str, str]]:
    return [(d.stage, d.at.isoformat()) for d in deadlines({"event": event}, office().standards.get(news_type))]


def test_meeting_publish_within_3_hours_after_it_ends():
    assert due("meeting") == [("publish", "2026-11-20T15:00:00+07:00")]


def test_inspection_publish_within_24_hours_after_it_ends():
    assert due("inspection") == [("publish", "2026-11-21T12:00:00+07:00")]


def test_press_conference_produce_3_hours_before_and_publish_1_hour_after_start():
    assert due("press-conference") == [
        ("produce", "2026-11-20T06:00:00+07:00"),
        ("publish", "2026-11-20T10:00:00+07:00"),
    ]


def test_general_news_has_no_deadline():
    assert due("general") == []
    assert not is_timed(office().standards["general"])


def test_labels_are_thai():
    labels = [d.label for d in deadlines({"event": EVENT}, office().standards["press-conference"])]
    assert labels == ["จัดทำเสร็จภายใน", "เผยแพร่ภายใน"]


@pytest.mark.parametrize(
    "event",
    [None, "2026-11-20", {}, {"ends_at": "2026-11-20T12:00"}, {"starts_at": "x", "ends_at": "2026-11-20T25:00"}],
)
def test_no_deadline_without_valid_event_times(event):
    assert due("press-conference", event) == []


def test_only_the_anchor_that_is_needed_must_be_valid():
    assert due("press-conference", {"starts_at": "2026-11-20T09:00"}) == [
        ("produce", "2026-11-20T06:00:00+07:00"),
        ("publish", "2026-11-20T10:00:00+07:00"),
    ]
    assert due("meeting", {"starts_at": "2026-11-20T09:00"}) == []


def test_unknown_news_type_has_no_standard():
    assert deadlines({"event": EVENT}, None) == []
    assert not is_timed(None)


def test_office_standards_override_defaults():
    custom = Standard("ภายใน 2 ชั่วโมง", publish=DeadlineRule("ends_at", 2.5))
    assert [d.at.isoformat() for d in deadlines({"event": EVENT}, custom)] == ["2026-11-20T14:30:00+07:00"]


def test_sample_office_ships_the_manuals_numbers():
    for news_type, standard in DEFAULT_STANDARDS.items():
        assert office().standards[news_type].publish == standard.publish
        assert office().standards[news_type].produce == standard.produce
