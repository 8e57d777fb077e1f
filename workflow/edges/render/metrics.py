"""The figures as `khaosan metrics` prints them: a Thai table for the terminal, a CSV of the items, JSON.

Pure functions of `metrics.compute()`'s figures; the Thai names come from the
figures' own `labels`, so every format names things the same way.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping

from workflow.core.figures import Counts, Evidence, Figures, NewsFigures

CSV_FIELDS = (
    "id",
    "kind",
    "news_type",
    "state",
    "published_at",
    "deadline",
    "late_seconds",
    "month",
    "title",
    "urgent_awaiting",
    "withdrawn_at",
    "channels",
    "posted",
)


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f} %"


def _hours(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} ชม."


def rate_text(counts: Counts, minimum: int) -> str:
    """The on-time rate with what it is a share of, or why there is none: a rate of two items misleads."""
    if counts["on_time_rate"] is not None:
        return f"{_pct(counts['on_time_rate'])} (ทันเวลา {counts['on_time']} จาก {counts['judged']} ข่าว)"
    if counts["judged"] == 0:
        return "ยังไม่มีข่าวที่ครบกำหนด"
    return f"ข้อมูลยังไม่พอ (ครบกำหนด {counts['judged']} ข่าว ต้องมีอย่างน้อย {minimum} ข่าว)"


def _news_lines(figures: Figures) -> list[str]:
    news: NewsFigures = figures["news"]
    labels = figures["labels"]
    target = "ผ่าน" if news["meets_target"] else "ไม่ผ่าน" if news["meets_target"] is False else "ยังประเมินไม่ได้"
    lines = [
        labels["kinds"]["news"],
        f"  จำนวนข่าว                         {news['produced']:>6}",
        f"  ข่าวที่มีมาตรฐานเวลา                {news['time_bound']:>6}",
        f"    ทันเวลา                         {news['on_time']:>6}",
        f"    ล่าช้า                           {news['late']:>6}",
        f"    เลยกำหนดยังไม่เผยแพร่             {news['overdue']:>6}",
        f"    ยังไม่ถึงกำหนด                   {news['pending']:>6}",
        f"  ก่อนใช้ระบบ (ไม่นับในร้อยละ)          {news['earlier']:>6}",
        f"  ร้อยละที่ทันเวลา (เป้าหมาย ≥ 80 %)   {rate_text(news, news['rate_minimum'])}  {target}",
        "",
        "  ตามประเภทข่าว",
    ]
    for key, row in news["by_type"].items():
        lines.append(f"    {labels['news_types'][key]:<44} {row['count']:>5}  ทันเวลา {_pct(row['on_time_rate'])}")
    lines += ["", "  รายเดือน"]
    for month in news["by_month"].values():
        lines.append(f"    {month['label']:<20} {month['count']:>5} ข่าว  ทันเวลา {_pct(month['on_time_rate'])}")
    channels = ", ".join(f"{labels['channels'].get(k, k)} {v}" for k, v in news["channels"]["total"].items()) or "–"
    in_print = news["policy_in_print"]
    return [
        *lines,
        "",
        "  ตามแผนงาน: " + ", ".join(f"{labels['plans'][k]} {v}" for k, v in news["by_plan"].items()),
        "  ตามรูปแบบ: " + ", ".join(f"{labels['formats'][k]} {v}" for k, v in news["by_format"].items()),
        "",
        f"  ช่องทางเผยแพร่ (รวม {news['channels']['uses']} ครั้ง): {channels}",
        f"  โพสต์จริงที่มีใบรับ / ที่ระบุไว้ในรายการ: {evidence_text(news['channels']['evidence'], labels['channels'])}",
        f"  ข่าวนโยบายที่ได้ลงสื่อสิ่งพิมพ์: {in_print['in_print']}/{in_print['policy']} ({_pct(in_print['share'])})",
        "",
    ]


def evidence_text(evidence: Mapping[str, Evidence], names: Mapping[str, str]) -> str:
    """`เฟซบุ๊กสำนักงาน 3/5, LINE OpenChat 1/5`: receipts beside intent, per social channel."""
    parts = []
    for channel, e in evidence.items():
        part = f"{names.get(channel, channel)} {e['posted']}/{e['intended']}"
        if e["posted_unasked"]:
            part += f" (โพสต์โดยรายการไม่ได้ระบุ {e['posted_unasked']})"
        parts.append(part)
    return ", ".join(parts) or "–"


def _disclosure_lines(figures: Figures) -> list[str]:
    disc = figures["disclosures"]
    hours = disc["request_to_publication_hours"]
    lines = [
        figures["labels"]["kinds"]["disclosure"],
        f"  คำขอเผยแพร่ {disc['requests']}  เผยแพร่แล้ว {disc['published']}  "
        f"รอ ผอ.กลุ่มตรวจบนเว็บไซต์ {disc['awaiting_live_check']}",
        f"  เวลาจากคำขอถึงเผยแพร่: มัธยฐาน {_hours(hours['median'])}  เปอร์เซ็นไทล์ที่ 90 {_hours(hours['p90'])}",
    ]
    categories = figures["labels"]["categories"]
    for key, row in disc["by_category"].items():
        if row["requests"]:
            lines.append(f"    {categories.get(key, key)}: {row['requests']} คำขอ เผยแพร่ {row['published']}")
    return lines


def _clipping_and_audit_lines(figures: Figures) -> list[str]:
    clip, labels = figures["clippings"], figures["labels"]
    lines = ["", f"{labels['kinds']['clipping']} {clip['total']} ชิ้น"]
    for counted, label, names in (
        (clip["by_medium"], "ตามประเภทสื่อ", labels["media"]),
        (clip["by_effect"], "ตามผลต่อสำนักงาน", labels["effects"]),
    ):
        lines.append(f"  {label}: " + (", ".join(f"{names.get(k, k)} {v}" for k, v in counted.items()) or "–"))
    if figures["late"]:
        lines += ["", "ข่าวที่ล่าช้าหรือเลยกำหนด"]
        for row in figures["late"]:
            lines.append(f"  {row['id']}  {labels['states'][row['state']]} {row['late_label']}")
    if figures["trust"]:
        lines += ["", "ข้อสังเกตสำหรับผู้ตรวจสอบ"]
        for flag in figures["trust"]:
            lines.append(f"  {flag['code']} {flag['label']}: {flag['message']}")
    return lines


def table(figures: Figures) -> str:
    """The Thai summary for the terminal."""
    head = [figures["office"]["name"], f"ตัวชี้วัดงานประชาสัมพันธ์: {figures['period']['label']}", ""]
    return "\n".join(head + _news_lines(figures) + _disclosure_lines(figures) + _clipping_and_audit_lines(figures))


def to_csv(figures: Figures) -> str:
    """One row per item of the period (channels, and the channels with a post receipt, space-separated)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for item in figures["items"]:
        writer.writerow({**item, "channels": " ".join(item["channels"]), "posted": " ".join(item["posted"])})
    return out.getvalue()


def to_json(figures: Figures) -> str:
    """The figures as they are: what other tools read."""
    return json.dumps(figures, ensure_ascii=False, indent=2)
