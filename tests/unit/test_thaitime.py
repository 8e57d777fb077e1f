"""workflow.core.thaitime: Bangkok time, Buddhist Era dates, Thai durations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from workflow.core.thaitime import (
    BANGKOK,
    be_year,
    format_date,
    format_datetime,
    format_duration,
    parse_date,
    parse_time,
    thai_digits,
)


def test_parse_time_with_offset():
    moment = parse_time("2026-11-20T12:00:00+07:00")
    assert moment == datetime(2026, 11, 20, 5, 0, tzinfo=UTC)


def test_parse_time_without_offset_is_bangkok():
    assert parse_time("2026-11-20T12:00").utcoffset() == timedelta(hours=7)
    assert parse_time("2026-11-20T12:00") == parse_time("2026-11-20T12:00:00+07:00")


def test_parse_time_z():
    assert parse_time("2026-11-20T05:00:00Z") == parse_time("2026-11-20T12:00:00+07:00")


@pytest.mark.parametrize("value", ["2026-11-20", "12:30", "", "2026-11-31T10:00", "2026-11-20T24:00", "T"])
def test_parse_time_refuses_dates_clock_times_and_impossible_times(value):
    with pytest.raises(ValueError):
        parse_time(value)


@pytest.mark.parametrize("value", [None, 1605830400, datetime(2026, 11, 20)])
def test_parse_time_refuses_non_text(value):
    with pytest.raises(ValueError):
        parse_time(value)


def test_parse_date():
    assert parse_date("2026-11-20") == date(2026, 11, 20)
    with pytest.raises(ValueError):
        parse_date("2026-02-30")


def test_be_year_in_bangkok():
    assert be_year(date(2026, 11, 20)) == 2569
    assert be_year(datetime(2025, 12, 31, 18, 0, tzinfo=UTC)) == 2569  # already 1 Jan in Bangkok
    assert be_year(datetime(2025, 12, 31, 16, 59, tzinfo=UTC)) == 2568


def test_format_date_and_datetime():
    moment = datetime(2026, 11, 20, 8, 5, tzinfo=UTC)
    assert format_date(moment) == "20 พฤศจิกายน 2569"
    assert format_date(moment, short=True) == "20 พ.ย. 2569"
    assert format_date(moment, digits="thai") == "๒๐ พฤศจิกายน ๒๕๖๙"
    assert format_datetime(moment) == "20 พฤศจิกายน 2569 เวลา 15:05 น."
    assert format_datetime(moment, digits="thai", short=True) == "๒๐ พ.ย. ๒๕๖๙ เวลา ๑๕:๐๕ น."


def test_format_date_converts_to_bangkok_first():
    assert format_date(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == "1 มกราคม 2570"


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_has_a_thai_name(month):
    text = format_date(date(2026, month, 1))
    assert text.startswith("1 ") and text.endswith(" 2569") and not any(c.isascii() and c.isalpha() for c in text)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "0 นาที"),
        (timedelta(seconds=59), "0 นาที"),
        (timedelta(minutes=45), "45 นาที"),
        (timedelta(hours=3), "3 ชม."),
        (timedelta(hours=2, minutes=15), "2 ชม. 15 นาที"),
        (timedelta(days=4, hours=21), "4 วัน 21 ชม."),
        (timedelta(days=1, minutes=1), "1 วัน 1 นาที"),
        (-timedelta(hours=2, minutes=15), "2 ชม. 15 นาที"),
    ],
)
def test_format_duration(delta, text):
    assert format_duration(delta) == text


def test_thai_digits():
    assert thai_digits("2569-11") == "๒๕๖๙-๑๑"


def test_bangkok_is_utc_plus_seven():
    assert BANGKOK.utcoffset(None) == timedelta(hours=7)
