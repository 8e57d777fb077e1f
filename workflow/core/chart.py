"""The ผลการดำเนินงาน chart as SVG, and its numbers as a table: one list of months feeds both.

Pure: figures in (`compute` in `workflow/core/metrics.py`), markup and rows out. The SVG's words are
real `<text>` set in whatever font the page uses (the site's own Sarabun web font: inline SVG
inherits the page's CSS), so nothing depends on the fonts of the machine that builds the site,
and the words stay text a reader can select, zoom and have read out. Drawn for a phone first:
one row a month (a stacked bar of news by type, then the on-time rate as a short bar against
the target), 340 units wide, so at 360 px the text is drawn at about 13 px.

`chart_texts` lists every string the chart draws, with its weight, so the build can check the
web font has a glyph for each character before publishing (`missing_glyphs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from workflow.core.figures import Figures
from workflow.core.thaitime import THAI_MONTHS_SHORT

# Bars a reader can tell apart, each at least 3:1 against white (WCAG 1.4.11) and against the next.
TYPE_COLOURS = {"meeting": "#1f5fa8", "inspection": "#2e7d32", "press-conference": "#b35900", "general": "#616161"}
RATE_COLOUR = "#8e2424"
TARGET = 0.8

WIDTH = 340
FONT = 13  # user units; at a 360 px viewport the chart is about 328 px wide: 12.5 px text
LINE = 20
ROW = 34
LABEL_X, BAR_X, BAR_MAX = 2, 62, 140
RATE_X, RATE_W = 252, 84


def percent(rate: float | None) -> str:
    """A rate for people: one decimal, or a dash where there is none (too few items)."""
    return "–" if rate is None else f"{rate * 100:.1f}%"


def month_tick(key: str) -> str:
    """ "2026-11" → "พ.ย. 69": a short Buddhist-Era month for a chart's axis."""
    year, month = int(key[:4]), int(key[5:])
    return f"{THAI_MONTHS_SHORT[month - 1]} {str(year + 543)[-2:]}"


@dataclass(frozen=True)
class Month:
    key: str
    tick: str
    label: str
    by_type: tuple[int, ...]  # in the order of `Series.types`
    count: int
    on_time: int
    late: int
    overdue: int
    rate: float | None


@dataclass(frozen=True)
class Series:
    types: tuple[tuple[str, str], ...]  # (news type id, Thai label)
    months: tuple[Month, ...]


def series(figures: Figures) -> Series:
    """The months of the period with their counts: what the chart draws and the table lists."""
    types = tuple(figures["labels"]["news_types"].items())
    months = tuple(
        Month(
            key,
            month_tick(key),
            m["label"],
            tuple(m["by_type"].get(t, 0) for t, _ in types),
            m["count"],
            m["on_time"],
            m["late"],
            m["overdue"],
            m["on_time_rate"],
        )
        for key, m in figures["news"]["by_month"].items()
    )
    return Series(types, months)


def table(data: Series) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The chart's numbers, every one of them, as (headings, rows) for an accessible table."""
    headings = ("เดือน", *(label for _, label in data.types), "รวม", "ทันเวลา", "ล่าช้า", "เลยกำหนด", "ร้อยละทันเวลา")
    rows = [
        (
            m.label,
            *(str(n) for n in m.by_type),
            str(m.count),
            str(m.on_time),
            str(m.late),
            str(m.overdue),
            percent(m.rate),
        )
        for m in data.months
    ]
    return headings, rows


LEGEND_RATE = "ร้อยละที่ทันเวลา (แถบขวา)"
LEGEND_TARGET = f"เป้าหมายร้อยละ {round(TARGET * 100)} (เส้นประ)"
HEAD_COUNT = "จำนวนข่าว"
HEAD_RATE = "ทันเวลา"


def chart_texts(data: Series) -> list[tuple[str, int]]:
    """Every string the chart draws, with its font weight (400 or 700)."""
    texts = [(label, 400) for _, label in data.types] + [(LEGEND_RATE, 400), (LEGEND_TARGET, 400)]
    texts += [(HEAD_COUNT, 700), (HEAD_RATE, 700)]
    for m in data.months:
        texts += [(m.tick, 400), (str(m.count), 400), (percent(m.rate), 400)]
    return texts


def _text(x: float, y: float, words: str, *, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="700"' if bold else ""
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{weight}>{escape(words)}</text>'


def chart_svg(data: Series, title: str, table_id: str) -> str:
    """The chart as inline SVG markup; `title` names it, `table_id` is the table with its numbers."""
    parts: list[str] = []
    y = 0.0
    for (type_id, label), colour in ((t, TYPE_COLOURS.get(t[0], "#616161")) for t in data.types):
        parts.append(
            f'<rect x="0" y="{y + 4:g}" width="12" height="12" fill="{colour}" data-type="{escape(type_id)}"/>'
        )
        parts.append(_text(18, y + 14, label))
        y += LINE
    parts.append(f'<rect x="0" y="{y + 7:g}" width="12" height="6" fill="{RATE_COLOUR}"/>')
    parts.append(_text(18, y + 14, LEGEND_RATE))
    y += LINE
    parts.append(f'<line x1="6" x2="6" y1="{y + 2:g}" y2="{y + 18:g}" class="target"/>')
    parts.append(_text(18, y + 14, LEGEND_TARGET))
    y += LINE + 12
    parts.append(_text(BAR_X, y + 14, HEAD_COUNT, bold=True))
    parts.append(_text(RATE_X + RATE_W, y + 14, HEAD_RATE, anchor="end", bold=True))
    y += LINE + 4
    top = y
    most = max([m.count for m in data.months] + [1])
    for m in data.months:
        parts.append(f'<g data-month="{m.key}">')
        parts.append(_text(LABEL_X, y + 22, m.tick))
        x = float(BAR_X)
        for (type_id, _), n in zip(data.types, m.by_type, strict=True):
            if n:
                width = BAR_MAX * n / most
                colour = TYPE_COLOURS.get(type_id, "#616161")
                parts.append(f'<rect x="{x:.1f}" y="{y + 8:g}" width="{width:.1f}" height="18" fill="{colour}"/>')
                x += width
        parts.append(_text(x + 4, y + 22, str(m.count)))
        parts.append(f'<rect x="{RATE_X}" y="{y + 20:g}" width="{RATE_W}" height="6" class="track"/>')
        if m.rate is not None:
            parts.append(
                f'<rect x="{RATE_X}" y="{y + 20:g}" width="{RATE_W * m.rate:.1f}" height="6" fill="{RATE_COLOUR}"/>'
            )
        parts.append(_text(RATE_X + RATE_W, y + 15, percent(m.rate), anchor="end"))
        parts.append("</g>")
        y += ROW
    target = RATE_X + RATE_W * TARGET
    parts.append(f'<line x1="{target:g}" x2="{target:g}" y1="{top + 16:g}" y2="{y:g}" class="target"/>')
    height = y + 6
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:g}" role="img" aria-labelledby="chart-title" '
        f'aria-describedby="{escape(table_id)}" font-size="{FONT}">'
        f'<title id="chart-title">{escape(title)}</title>' + "".join(parts) + "</svg>"
    )


def missing_glyphs(texts: list[tuple[str, int]], coverage: dict[int, frozenset[int]]) -> list[str]:
    """The characters (each once, in order) a font with `coverage` (weight → code points) cannot
    draw; white space aside, which needs no glyph."""
    missing: list[str] = []
    for words, weight in texts:
        have = coverage.get(weight, frozenset())
        for char in words:
            if not char.isspace() and ord(char) not in have and char not in missing:
                missing.append(char)
    return missing
