"""`khaosan metrics [period] [--format table|json|csv] [--report DIR [--force]]`:
the manual's figures (section 3) for a month, half a fiscal year, a fiscal year
or any range, read from the main branch's git history."""

from __future__ import annotations

import argparse
import csv
import io
import json
from typing import Any

from workflow.commands.common import add_common, now_of, repository
from workflow.core import periods
from workflow.core.metrics import STATE_LABELS, compute
from workflow.core.structure import CATEGORIES, NEWS_TYPES
from workflow.errors import EXIT_OK, KhaosanError

HELP = "ตัวชี้วัดงานประชาสัมพันธ์และการเปิดเผยข้อมูล จากประวัติใน git (รายเดือน ครึ่งปี หรือทั้งปีงบประมาณ)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("metrics", help=HELP, description=HELP)
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--month", help="เดือน เช่น 2569-11 (พ.ศ.) หรือ 2026-11")
    when.add_argument("--half", help="ครึ่งปีงบประมาณ เช่น 2569H1 (ต.ค. 2568 – มี.ค. 2569)")
    when.add_argument("--fiscal-year", help="ปีงบประมาณ พ.ศ. เช่น 2569 (1 ต.ค. 2568 – 30 ก.ย. 2569)")
    when.add_argument("--from", dest="start", help="วันเริ่ม เช่น 2026-10-01 (ใช้คู่กับ --to)")
    parser.add_argument("--to", dest="end", help="วันสุดท้าย (นับรวม) เช่น 2026-10-31")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table", help="รูปแบบผลลัพธ์")
    parser.add_argument("--report", metavar="DIR", help="เขียนรายงาน .docx .xlsx และ .pdf ลงในโฟลเดอร์นี้")
    parser.add_argument("--force", action="store_true", help="เขียนทับไฟล์รายงานที่มีอยู่แล้ว")
    add_common(parser)
    parser.set_defaults(run=run)


def period_of(args: argparse.Namespace, now: Any) -> periods.Period:
    try:
        if args.month:
            return periods.month(args.month)
        if args.half:
            return periods.half(args.half)
        if args.fiscal_year:
            return periods.fiscal_year(args.fiscal_year)
        if args.start or args.end:
            if not (args.start and args.end):
                raise periods.PeriodError("--from ต้องใช้คู่กับ --to")
            return periods.between(args.start, args.end)
    except periods.PeriodError as exc:
        raise KhaosanError(
            "KS501",
            f"ช่วงเวลาของรายงานไม่ถูกต้อง: {exc}",
            "ใช้ --month 2569-11, --half 2569H1, --fiscal-year 2569 หรือ --from … --to …",
        ) from None
    return periods.current_fiscal_year(now)


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f} %"


def table(figures: dict[str, Any]) -> str:
    news, disc, clip = figures["news"], figures["disclosures"], figures["clippings"]
    lines = [f"{figures['office']['name']}", f"ตัวชี้วัดงานประชาสัมพันธ์: {figures['period']['label']}", ""]
    target = "ผ่าน" if news["meets_target"] else "ไม่ผ่าน" if news["meets_target"] is False else "ยังไม่มีข้อมูล"
    lines += [
        "ข่าวประชาสัมพันธ์",
        f"  จำนวนข่าว                         {news['produced']:>6}",
        f"  ข่าวที่มีมาตรฐานเวลา                {news['time_bound']:>6}",
        f"    ทันเวลา                         {news['on_time']:>6}",
        f"    ล่าช้า                           {news['late']:>6}",
        f"    เลยกำหนดยังไม่เผยแพร่             {news['overdue']:>6}",
        f"    ยังไม่ถึงกำหนด                   {news['pending']:>6}",
        f"  ร้อยละที่ทันเวลา (เป้าหมาย ≥ 80 %)   {_pct(news['on_time_rate']):>8}  {target}",
        "",
        "  ตามประเภทข่าว",
    ]
    for key, row in news["by_type"].items():
        lines.append(f"    {NEWS_TYPES[key]:<44} {row['count']:>5}  ทันเวลา {_pct(row['on_time_rate'])}")
    lines += ["", "  รายเดือน"]
    for row in news["by_month"].values():
        lines.append(f"    {row['label']:<20} {row['count']:>5} ข่าว  ทันเวลา {_pct(row['on_time_rate'])}")
    labels = figures["labels"]
    channels = ", ".join(f"{labels['channels'].get(k, k)} {v}" for k, v in news["channels"]["total"].items()) or "–"
    lines += [
        "",
        "  ตามแผนงาน: " + ", ".join(f"{labels['plans'][k]} {v}" for k, v in news["by_plan"].items()),
        "  ตามรูปแบบ: " + ", ".join(f"{labels['formats'][k]} {v}" for k, v in news["by_format"].items()),
    ]
    lines += [
        "",
        f"  ช่องทางเผยแพร่ (รวม {news['channels']['uses']} ครั้ง): {channels}",
        f"  ข่าวนโยบายที่ได้ลงสื่อสิ่งพิมพ์: {news['policy_in_print']['in_print']}/"
        f"{news['policy_in_print']['policy']} ({_pct(news['policy_in_print']['share'])})",
        "",
    ]
    hours = disc["request_to_publication_hours"]
    lines += [
        "ข้อมูลข่าวสารที่เผยแพร่ต่อสาธารณะ",
        f"  คำขอเผยแพร่ {disc['requests']}  เผยแพร่แล้ว {disc['published']}  "
        f"รอ ผอ.กลุ่มตรวจบนเว็บไซต์ {disc['awaiting_live_check']}",
        f"  เวลาจากคำขอถึงเผยแพร่: มัธยฐาน {_hours(hours['median'])}  เปอร์เซ็นไทล์ที่ 90 {_hours(hours['p90'])}",
    ]
    for key, row in disc["by_category"].items():
        if row["requests"]:
            lines.append(f"    {CATEGORIES.get(key, key)}: {row['requests']} คำขอ เผยแพร่ {row['published']}")
    lines += ["", f"ข่าวจากสื่อมวลชน {clip['total']} ชิ้น"]
    for key, label, names in (
        ("by_medium", "ตามประเภทสื่อ", labels["media"]),
        ("by_effect", "ตามผลต่อสำนักงาน", labels["effects"]),
    ):
        lines.append(f"  {label}: " + (", ".join(f"{names.get(k, k)} {v}" for k, v in clip[key].items()) or "–"))
    if figures["late"]:
        lines += ["", "ข่าวที่ล่าช้าหรือเลยกำหนด"]
        for row in figures["late"]:
            lines.append(f"  {row['id']}  {STATE_LABELS[row['state']]} {row['late_label']}")
    if figures["trust"]:
        lines += ["", "ข้อสังเกตสำหรับผู้ตรวจสอบ"]
        for flag in figures["trust"]:
            lines.append(f"  {flag['code']} {flag['label']}: {flag['message']}")
    return "\n".join(lines)


def _hours(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} ชม."


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
)


def to_csv(figures: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for item in figures["items"]:
        writer.writerow({**item, "channels": " ".join(item["channels"])})
    return out.getvalue()


def run(args: argparse.Namespace) -> int:
    repo = repository(args)
    now = now_of(args)
    period = period_of(args, now)
    from workflow.edges.git.history import Log, is_shallow, read_history

    if is_shallow(repo.root):
        raise KhaosanError(
            "KS502",
            "ประวัติ git ถูกตัด (shallow clone) ตัวเลขจะผิด",
            "สั่ง git fetch --unshallow (ใน GitHub Actions ใช้ fetch-depth: 0) แล้วสั่งอีกครั้ง",
        )
    log = Log(repo.root)  # git walks the history while the office is read
    office, problems = repo.office()
    if office is None:
        from workflow.edges.render.problems import render

        print(render(problems, "text", {}))
        return 1
    facts = read_history(repo.root, office, now=now, window=(period.start, period.end), log=log)
    figures = compute(facts, office, period, now)
    if args.report:
        from workflow.edges.render.documents import write_reports

        written = write_reports(figures, repo.root, args.report, force=args.force)
        for path in written:
            print(f"เขียนรายงานแล้ว: {path}")
        return EXIT_OK
    if args.format == "json":
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print(to_csv(figures), end="")
    else:
        print(table(figures))
    return EXIT_OK
