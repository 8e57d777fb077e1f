"""The ผลการดำเนินงาน chart (workflow/core/chart.py): one list of months for the SVG and the table,
labels escaped, and the glyph check that keeps boxes off the site."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from workflow.core import chart

PROJECT = Path(__file__).resolve().parents[2]
TYPES = {"meeting": "ข่าวประชุม", "general": "ข่าวทั่วไป"}


def _figures(labels: dict[str, str] | None = None) -> Any:
    def month(label: str, by_type: dict[str, int], on_time: int, late: int, rate: float | None) -> dict[str, Any]:
        return {
            "label": label,
            "by_type": by_type,
            "count": sum(by_type.values()),
            "on_time": on_time,
            "late": late,
            "overdue": 0,
            "on_time_rate": rate,
        }

    return {
        "labels": {"news_types": labels or TYPES},
        "news": {
            "by_month": {
                "2026-10": month("ตุลาคม 2569", {"meeting": 4, "general": 2}, 3, 1, 0.75),
                "2026-11": month("พฤศจิกายน 2569", {"general": 1}, 0, 0, None),
            }
        },
    }


def test_the_table_holds_every_number_the_chart_draws():
    data = chart.series(_figures())
    headings, rows = chart.table(data)
    assert headings == ("เดือน", "ข่าวประชุม", "ข่าวทั่วไป", "รวม", "ทันเวลา", "ล่าช้า", "เลยกำหนด", "ร้อยละทันเวลา")
    assert rows == [
        ("ตุลาคม 2569", "4", "2", "6", "3", "1", "0", "75.0%"),
        ("พฤศจิกายน 2569", "0", "1", "1", "0", "0", "0", "–"),
    ]
    svg = chart.chart_svg(data, "แผนภูมิ", "numbers")
    root = ET.fromstring(svg)  # well-formed XML
    drawn = [t.text for t in root.iter("text")]  # inline in HTML: no namespace needed
    for row, tick in zip(rows, ("ต.ค. 69", "พ.ย. 69"), strict=True):
        assert tick in drawn and row[3] in drawn and row[-1] in drawn
    assert [text for text, _ in chart.chart_texts(data)] == drawn  # what is checked is what is drawn


def test_a_label_is_text_never_markup():
    data = chart.series(_figures({"meeting": '<script>alert(1)</script> & "x"', "general": "ข่าวทั่วไป"}))
    svg = chart.chart_svg(data, "<b>", "t")
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in svg
    ET.fromstring(svg)


def test_missing_glyphs_names_each_character_once_and_ignores_spaces():
    coverage = {400: frozenset(map(ord, "ขาวทัน ")), 700: frozenset(map(ord, "ข"))}
    texts = [("ข่าว ทัน", 400), ("ข่าว", 700), ("ข่าว", 400)]
    assert chart.missing_glyphs(texts, coverage) == ["่", "า", "ว"]
    assert chart.missing_glyphs([("ข", 400)], {}) == ["ข"]  # no web font: nothing can be drawn


def test_the_sites_sarabun_draws_every_word_of_the_sample_chart():
    from support.checking import office

    from workflow.edges.site.glyphs import web_font

    family, coverage = web_font(PROJECT / "theme")
    assert family == "Sarabun" and set(coverage) == {400, 700}
    labels = office().vocabulary.news_types
    data = chart.series(_figures(labels))
    assert chart.missing_glyphs(chart.chart_texts(data), coverage) == []
    assert chart.missing_glyphs([("📰 ሰላም", 400)], coverage) == ["📰", "ሰ", "ላ", "ም"]
