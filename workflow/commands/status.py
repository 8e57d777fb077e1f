"""`khaosan status [PATH…]`: per item, in Thai, what is signed, what is missing,
who may give it, and the deadline under the time standard with the time left.

Exit 0 when every item is ready (signed, no error), 1 when some item still waits for a
sign-off or has an error: a script or a CI step can ask "is everything ready?"."""

from __future__ import annotations

import argparse

from workflow.commands.common import add_common, now_of, repository, social_receipts
from workflow.core.social import item_posts, ledger
from workflow.edges.checking.items import check_items
from workflow.edges.render.status import all_ready, item_status, status_json, status_text
from workflow.errors import EXIT_CONTENT, EXIT_OK

HELP = "แสดงสถานะการลงนามและกำหนดเวลาของแต่ละรายการ"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("status", help=HELP, description=HELP)
    parser.add_argument("paths", nargs="*", help="ไฟล์หรือโฟลเดอร์ (ค่าเริ่มต้น: ทั้งคลังข้อมูล)")
    parser.add_argument("--pending", action="store_true", help="แสดงเฉพาะรายการที่ยังลงนามไม่ครบ")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="รูปแบบผลลัพธ์")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    repo = repository(args)
    now = now_of(args)
    result = check_items(repo, repo.select(args.paths), now=now, keep_items=True)
    if result.office is None:
        from workflow.edges.render.problems import render

        print(render(result.problems, "text", {}))
        return EXIT_CONTENT
    every = [item_status(r, result.office, now) for r in result.results]
    states = ledger(social_receipts(repo.root))
    for entry in every:
        posts = item_posts(states, entry["id"]) if "id" in entry else []
        if posts:
            entry["social"] = posts
    entries = [e for e in every if e["state"] not in ("ready", "withdrawn")] if args.pending else every
    print(status_json(entries, now) if args.format == "json" else status_text(entries, result.office, now))
    return EXIT_OK if all_ready(every) else EXIT_CONTENT
