"""`khaosan metrics [period] [--format table|json|csv] [--report DIR [--force]]`:
the manual's figures (section 3) for a month, half a fiscal year, a fiscal year
or any range, read from the main branch's git history."""

from __future__ import annotations

import argparse
from typing import Any

from workflow.commands.common import add_common, now_of, repository, social_receipts
from workflow.core import periods
from workflow.core.metrics import compute
from workflow.edges.render.metrics import table, to_csv, to_json
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


def run(args: argparse.Namespace) -> int:
    repo = repository(args)
    now = now_of(args)
    period = period_of(args, now)
    from workflow.edges.git.history import read_history
    from workflow.edges.git.log import Log, is_shallow

    if is_shallow(repo.root):
        raise KhaosanError(
            "KS502",
            "ประวัติ git ถูกตัด (shallow clone) ตัวเลขจะผิด",
            "สั่ง git fetch --unshallow (ใน GitHub Actions ใช้ fetch-depth: 0) แล้วสั่งอีกครั้ง",
        )
    with Log(repo.root) as log:  # git walks the history while the office is read
        office, problems = repo.office()
        if office is None:
            from workflow.edges.render.problems import render

            print(render(problems, "text", {}))
            return 1
        # the build's kept history (parses, verdicts, digests of immutable git objects) makes this run fast
        from workflow.commands.build import work_folder

        kept = work_folder(repo.root)
        facts = read_history(repo.root, office, now=now, window=(period.start, period.end), log=log, cache_dir=kept)
    figures = compute(facts, office, period, now, social_receipts(repo.root))
    if args.report:
        from workflow.edges.render.documents import report_people, write_reports

        written = write_reports(figures, repo.root, args.report, force=args.force, people=report_people(office))
        for path in written:
            print(f"เขียนรายงานแล้ว: {path}")
        return EXIT_OK
    if args.format == "json":
        print(to_json(figures))
    elif args.format == "csv":
        print(to_csv(figures), end="")
    else:
        print(table(figures))
    return EXIT_OK
