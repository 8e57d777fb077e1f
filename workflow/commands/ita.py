"""`khaosan ita [--fiscal-year 2569] [--format table|json|csv|xlsx] [--output FILE [--force]]`: every O-item of
the fiscal year's OIT list with the URLs of its evidence on the site and its state, for the person who fills
in the ITAS form. Exit 0 when every item is มีครบ, 1 while something is missing or not current.

What counts as evidence is what the site shows: the same publish gate and git dates as `khaosan build`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workflow.commands.common import add_common, now_of, repository
from workflow.core.periods import PeriodError, current_fiscal_year, fiscal_year
from workflow.errors import EXIT_CONTENT, EXIT_OK, KhaosanError

if TYPE_CHECKING:
    from workflow.core.ita import Assessment

HELP = "รายการ OIT ของการประเมิน ITA ประจำปีงบประมาณ: ที่อยู่หลักฐานบนเว็บไซต์และสถานะของแต่ละข้อ"
FORMATS = ("table", "json", "csv", "xlsx")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("ita", help=HELP, description=HELP)
    parser.add_argument("--fiscal-year", help="ปีงบประมาณ พ.ศ. เช่น 2569 (ค่าเริ่มต้น: ปีงบประมาณปัจจุบัน)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="รูปแบบผลลัพธ์ (xlsx ต้องใช้ --output)")
    parser.add_argument("--output", type=Path, help="เขียนผลลงไฟล์นี้แทนการแสดงบนจอ")
    parser.add_argument("--force", action="store_true", help="เขียนทับไฟล์ที่มีอยู่แล้ว")
    add_common(parser)
    parser.set_defaults(run=run)


def year_of(args: argparse.Namespace, now: datetime) -> int:
    try:
        period = fiscal_year(args.fiscal_year) if args.fiscal_year else current_fiscal_year(now)
    except PeriodError as exc:
        raise KhaosanError("KS903", str(exc), "ใช้ --fiscal-year 2569") from None
    return int(period.key.removeprefix("FY"))


def run(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and args.output is None:
        raise KhaosanError("KS821", "รูปแบบ xlsx ต้องเขียนลงไฟล์", "ระบุ --output ita-2569.xlsx")
    if args.output is not None and args.output.exists() and not args.force:  # before the work, not after
        raise KhaosanError("KS822", f"มีไฟล์ {args.output} อยู่แล้ว จะไม่เขียนทับ", "เลือกชื่ออื่น หรือสั่งซ้ำพร้อม --force")
    repo = repository(args)
    now = now_of(args)
    year = year_of(args, now)
    lists = repo.schemas.ita
    if year not in lists:
        known = ", ".join(str(y) for y in sorted(lists)) or "ไม่มี"
        raise KhaosanError(
            "KS820",
            f"ไม่มีรายการ OIT ของปีงบประมาณ {year} (มีของปี {known})",
            f"เพิ่มไฟล์ data/ita/{year}.yml ตามแบบของปีก่อน หรือระบุ --fiscal-year ปีที่มี",
        )
    from workflow.commands.build import with_git_dates, work_folder
    from workflow.core.ita import assess, evidence_of, services_of
    from workflow.core.publication import decide_candidate
    from workflow.edges.checking.items import check_items
    from workflow.edges.git.history import main_history
    from workflow.edges.render.problems import render

    kept = work_folder(repo.root)  # the build's kept verdicts and history (KS930 said once when it is not ours)
    gate = check_items(repo, repo.item_paths(), now=now, safety=True, candidates=True, cache_dir=kept)
    if gate.errors or gate.office is None:
        print(render(gate.errors or gate.problems, "text", {}))
        print("ตอบไม่ได้ว่าข้อใดมีหลักฐาน: มีข้อผิดพลาดที่ทำให้สร้างเว็บไซต์ไม่ได้ (แก้แล้วสั่งอีกครั้ง)", file=sys.stderr)
        return EXIT_CONTENT
    office = gate.office
    facts = main_history(repo.root, office, now=now, cache_dir=kept)
    decisions = with_git_dates([decide_candidate(c, now) for c in gate.candidates], facts)
    public = [c for c, d in zip(gate.candidates, decisions, strict=True) if d.public]
    found = assess(year, lists, evidence_of(public), services_of(office), now)
    write(args, found, office.site_url, office.name)
    return EXIT_OK if not found.missing else EXIT_CONTENT


def write(args: argparse.Namespace, found: Assessment, site_url: str, office_name: str) -> None:
    """Print the table, JSON or CSV, or write it (and the workbook) whole to `--output`."""
    from workflow.edges.files.atomic import create_file, write_file
    from workflow.edges.render import ita as render_ita

    if args.format == "xlsx":
        data = render_ita.xlsx_bytes(found, site_url, office_name)
    else:
        make = {"table": render_ita.table, "json": render_ita.to_json, "csv": render_ita.to_csv}[args.format]
        text = make(found, site_url)
        if args.output is None:
            sys.stdout.write(text)
            return
        data = text.encode("utf-8")
    try:
        (write_file if args.force else create_file)(args.output, data)
    except FileExistsError:
        raise KhaosanError("KS822", f"มีไฟล์ {args.output} อยู่แล้ว จะไม่เขียนทับ", "เลือกชื่ออื่น หรือสั่งซ้ำพร้อม --force") from None
    except OSError as exc:
        raise KhaosanError(
            "KS823", f"เขียน {args.output} ไม่ได้: {exc.strerror or exc}", "ตรวจว่าโฟลเดอร์เขียนได้และพื้นที่ดิสก์พอ"
        ) from None
    print(f"เขียน {args.output} แล้ว", file=sys.stderr)
