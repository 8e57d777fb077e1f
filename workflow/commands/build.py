"""`khaosan build`: check everything, leave out (and name) what is not ready,
then build the site with Pelican into `output/` (swapped in only when complete)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..core.publication import REASON_LABELS, decide
from ..edges.report import render
from ..edges.scan import scan
from ..edges.site import build_site
from ..errors import EXIT_CONTENT, EXIT_OK
from .common import add_common, now_of, repository

HELP = "ตรวจทุกไฟล์แล้วสร้างเว็บไซต์ลงใน output/"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("build", help=HELP, description=HELP)
    parser.add_argument("--output", type=Path, help="โฟลเดอร์ผลลัพธ์ (ค่าเริ่มต้น: output/ ในคลังข้อมูล)")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    repo = repository(args)
    now = now_of(args)
    result = scan(repo, repo.item_paths(), now=now)
    errors = result.errors
    if errors or result.office is None:
        print(render(errors or result.problems, "text", {}))
        print(f"ไม่ได้สร้างเว็บไซต์: มีข้อผิดพลาด {len(errors)} รายการ เว็บไซต์เดิมยังอยู่ครบ", file=sys.stderr)
        return EXIT_CONTENT
    decisions = [decide(r, now) for r in result.results]
    held = [d for d in decisions if not d.public]
    for d in held:
        print(f"ไม่เผยแพร่ {d.path}: {REASON_LABELS[d.reason]}", file=sys.stderr)
    for d in decisions:
        if d.reason == "urgent":
            print(f"เผยแพร่ด่วน {d.path}: ยังรอลงนาม", file=sys.stderr)
    output = (args.output or repo.root / "output").resolve()
    warnings = build_site(repo.root, output, result.office, result.results, decisions)
    for warning in warnings:
        print(f"คำเตือนจาก Pelican: {warning}", file=sys.stderr)
    public = len(decisions) - len(held)
    print(f"สร้างเว็บไซต์แล้ว: {public} รายการ ที่ {output} "
          f"(ไม่เผยแพร่ {len(held)} รายการ, {time.perf_counter() - started:.1f} วินาที)")
    print("หมายเหตุ: วันที่บนหน้าเว็บยังมาจากเวลาลงนามในไฟล์ ไม่ใช่จากประวัติ git", file=sys.stderr)
    return EXIT_OK
