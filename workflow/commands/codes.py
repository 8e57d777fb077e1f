"""`khaosan codes`: every problem code with its Thai message and fix (the README table)."""

from __future__ import annotations

import argparse

from workflow.core.problems import CODES

HELP = "แสดงรหัสปัญหาทั้งหมดพร้อมคำอธิบาย"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("codes", help=HELP, description=HELP)
    parser.add_argument("--markdown", action="store_true", help="พิมพ์เป็นตาราง Markdown")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.markdown:
        print("| รหัส | ปัญหา | วิธีแก้ |\n|---|---|---|")
    for code in CODES.values():
        if args.markdown:
            print(f"| `{code.code}` | {code.message} | {code.hint} |")
        else:
            print(f"{code.code}  {code.message} — {code.hint}")
    return 0
