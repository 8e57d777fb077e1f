"""`khaosan check [PATH…]`: validate items; `--publish` is the gate for going live."""

from __future__ import annotations

import argparse
import sys

from workflow.commands.common import add_common, now_of, repository
from workflow.edges.checking.items import check_items
from workflow.edges.render.problems import FORMATS, render
from workflow.errors import EXIT_CONTENT, EXIT_OK

HELP = "ตรวจไฟล์รายการ (ค่าเริ่มต้น: ทั้งคลังข้อมูล)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help=HELP, description=HELP)
    parser.add_argument("paths", nargs="*", help="ไฟล์หรือโฟลเดอร์ที่จะตรวจ")
    parser.add_argument("--publish", action="store_true", help="ตรวจแบบก่อนเผยแพร่: ลงนามไม่ครบหรือล้าสมัยถือเป็นข้อผิดพลาด")
    parser.add_argument("--format", choices=FORMATS, default="text", help="รูปแบบผลลัพธ์")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    repo = repository(args)
    paths = repo.select(args.paths)
    result = check_items(repo, paths, now=now_of(args), publish=args.publish)
    problems = result.problems
    errors = sum(p.severity == "error" for p in problems)
    pending = sorted(result.pending)
    summary = {
        "files": len(paths),
        "errors": errors,
        "warnings": len(problems) - errors,
        "pending": pending,
        "publish": args.publish,
    }
    out = render(problems, args.format, summary)
    if out:
        print(out)
    if args.format == "text":
        tail = f"ตรวจ office.yml และรายการ {len(paths):,} ไฟล์: ข้อผิดพลาด {errors} คำเตือน {len(problems) - errors}"
        if pending:
            tail += f" รอลงนาม {len(pending)} รายการ (ดูด้วย khaosan status)"
        print(tail, file=sys.stderr)
    return EXIT_CONTENT if errors else EXIT_OK
