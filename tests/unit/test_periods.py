"""Reporting periods: Buddhist-Era and ISO months, fiscal halves and years, Bangkok boundaries."""

from __future__ import annotations

from datetime import datetime

import pytest

from workflow.core import periods


def t(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_month_in_buddhist_era_and_iso_are_the_same_month():
    be, ce = periods.month("2569-11"), periods.month("2026-11")
    assert be == ce
    assert be.start == t("2026-11-01T00:00:00+07:00") and be.end == t("2026-12-01T00:00:00+07:00")
    assert be.label == "เดือนพฤศจิกายน 2569"
    assert be.key == "2026-11"


def test_december_ends_at_the_next_new_year():
    assert periods.month("2569-12").end == t("2027-01-01T00:00:00+07:00")


def test_fiscal_year_2569_runs_from_1_october_2568_to_30_september_2569():
    fy = periods.fiscal_year("2569")
    assert fy.start == t("2025-10-01T00:00:00+07:00") and fy.end == t("2026-10-01T00:00:00+07:00")
    assert "2569" in fy.label and "1 ตุลาคม 2568" in fy.label and "30 กันยายน 2569" in fy.label
    assert periods.fiscal_year("2026") == fy
    assert len(fy.months()) == 12 and fy.months()[0] == (2025, 10) and fy.months()[-1] == (2026, 9)


def test_fiscal_year_boundary_is_bangkok_midnight_not_utc():
    fy = periods.fiscal_year("2569")
    assert not fy.contains(t("2025-09-30T23:59:59+07:00"))
    assert fy.contains(t("2025-10-01T00:00:00+07:00"))
    assert fy.contains(t("2025-09-30T17:00:00+00:00"))  # 1 Oct 00:00 in Bangkok
    assert not fy.contains(t("2025-09-30T16:59:59+00:00"))
    assert fy.contains(t("2026-09-30T23:59:59+07:00"))
    assert not fy.contains(t("2026-09-30T17:00:00+00:00"))  # already FY 2570 in Bangkok
    assert periods.fiscal_year_of(t("2026-09-30T17:00:00+00:00")) == 2570
    assert periods.fiscal_year_of(t("2026-09-30T16:59:59+00:00")) == 2569


def test_halves():
    first, second = periods.half("2569H1"), periods.half("2569h2")
    assert first.start == t("2025-10-01T00:00:00+07:00") and first.end == t("2026-04-01T00:00:00+07:00")
    assert second.start == first.end and second.end == t("2026-10-01T00:00:00+07:00")
    assert "ตุลาคม 2568" in first.label and "มีนาคม 2569" in first.label
    assert first.key == "FY2569H1" and len(first.months()) == 6


def test_range_includes_both_days():
    p = periods.between("2026-11-01", "2569-11-30")
    assert p.start == t("2026-11-01T00:00:00+07:00") and p.end == t("2026-12-01T00:00:00+07:00")
    assert p.months() == [(2026, 11)]


@pytest.mark.parametrize(
    "call,text",
    [
        (periods.month, "2569-13"),
        (periods.month, "พฤศจิกายน"),
        (periods.half, "2569H3"),
        (periods.fiscal_year, "69"),
        (periods.fiscal_year, "2569-1"),
    ],
)
def test_bad_periods_say_so_in_thai(call, text):
    with pytest.raises(periods.PeriodError) as caught:
        call(text)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in str(caught.value))


def test_range_that_ends_before_it_starts():
    with pytest.raises(periods.PeriodError):
        periods.between("2026-11-02", "2026-11-01")
