"""`khaosan approve PATH --by ID --step STEP [--at TIME]`: record a sign-off given
on paper or outside GitHub, with the digest of the content as it is now."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from workflow.commands.common import add_common, now_of, repository, text_with_approval, time_arg
from workflow.core.problems import Problem, problem
from workflow.core.rules import UNFINISHED
from workflow.core.signoffs import REQUIRED_STEPS, STEPS, with_approval
from workflow.core.thaitime import format_datetime
from workflow.core.validate import Context, ItemResult, check_item
from workflow.core.vocabulary import STEP
from workflow.edges.files.atomic import replace_file
from workflow.edges.render.problems import render
from workflow.errors import EXIT_CONTENT, EXIT_OK, KhaosanError

HELP = "บันทึกการลงนามหนึ่งขั้นลงในไฟล์รายการ"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("approve", help=HELP, description=HELP)
    parser.add_argument("path", help="ไฟล์รายการ")
    parser.add_argument("--by", required=True, help="รหัสบุคคลของผู้ลงนาม")
    parser.add_argument("--step", required=True, choices=sorted(STEPS), help="ขั้นการลงนาม")
    parser.add_argument("--at", help="เวลาที่ลงนาม (ค่าเริ่มต้น: ตอนนี้)")
    parser.add_argument("--note", help="หมายเหตุของผู้ลงนาม")
    add_common(parser)
    parser.set_defaults(run=run)


def refusal(result: ItemResult) -> tuple[list[Problem], str] | None:
    """Why this content cannot be signed as it is: an error, or what `new` left to fill in (the publish
    gate would refuse it: a sign-off is for finished content)."""
    if result.errors or result.item is None or result.digest is None:
        return result.errors, "แก้ข้อผิดพลาดของไฟล์ก่อนลงนาม"
    unfinished = [p for p in result.problems if p.code in UNFINISHED]
    if unfinished:
        return unfinished, "ยังลงนามไม่ได้: รายการยังมีข้อความตั้งต้นที่ต้องกรอก"
    return None


def run(args: argparse.Namespace) -> int:
    repo = repository(args)
    now = now_of(args)
    at = time_arg(args.at, "--at") or now.replace(microsecond=0)
    chosen = repo.select([args.path])
    if len(chosen) != 1 or Path(args.path).is_dir():  # a folder: which item is meant?
        raise KhaosanError("KS903", f"{args.path} ไม่ใช่ไฟล์รายการหนึ่งไฟล์", "ระบุไฟล์ .md ของรายการที่จะลงนาม")
    (rel,) = chosen
    office, office_problems = repo.office()
    if office is None:
        print(render(office_problems, "text", {}))
        return EXIT_CONTENT
    raw = repo.read(rel)
    ctx = Context(office, repo.schemas, now, repo.file_hash, repo.item_ids())
    result = check_item(rel, raw, ctx)
    refused = refusal(result)
    if refused is not None or result.item is None or result.digest is None:
        found, why = refused or ([], "แก้ข้อผิดพลาดของไฟล์ก่อนลงนาม")
        print(render(found, "text", {}))
        print(why, file=sys.stderr)
        return EXIT_CONTENT
    item, digest = result.item, result.digest
    if args.step not in REQUIRED_STEPS.get(item.kind, ()):
        print(render([problem("KS307", rel, detail=f"{args.step} ใช้กับ {item.kind} ไม่ได้")], "text", {}))
        return EXIT_CONTENT
    step_label = office.vocabulary.label(STEP, args.step)
    # Given outside GitHub: marked, and refused (KS311) where office.yml does not allow paper.
    approval: dict[str, str | bool] = {"by": args.by, "step": args.step, "at": at.isoformat(), "digest": digest}
    if args.note:
        approval["note"] = args.note
    approval["paper"] = True
    new_item, check, mine = with_approval(item, office, digest, approval, now=now)
    order = [p for p in check.problems if p.code == "KS303"]
    steps = REQUIRED_STEPS[item.kind]
    earlier = steps[: steps.index(args.step)]
    unsigned = [s for s in check.steps if s.step in earlier and s.status != "signed"]
    if unsigned:  # the manual's order: the group checks before the director permits
        order.append(
            problem(
                "KS303",
                rel,
                detail=f"ต้องลงนามขั้น {unsigned[0].label} ก่อน {step_label}",
                hint=f"ขั้น {unsigned[0].label} ลงนามได้โดย{unsigned[0].rule}",
            )
        )
    if mine or order:
        print(render([replace(p, line=1, column=1, where=None) for p in mine + order], "text", {}))
        print("ไม่ได้บันทึกการลงนาม", file=sys.stderr)
        return EXIT_CONTENT
    already = (
        [s for s in result.signoffs.steps if s.step == args.step and s.status == "signed"] if result.signoffs else []
    )
    if already and already[0].by == args.by:
        print(f"{rel}: {args.by} ลงนามขั้น {step_label} ไว้แล้วสำหรับเนื้อหานี้ ไม่ต้องลงนามซ้ำ")
        return EXIT_OK
    new_text = text_with_approval(rel, raw.decode("utf-8"), approval, new_item.data)
    try:
        replace_file(repo.root / rel, new_text.encode("utf-8"), expected=raw)
    except FileExistsError:
        raise KhaosanError("KS904", f"{rel} ถูกแก้ไขระหว่างลงนาม", "สั่งลงนามอีกครั้ง", exit_code=EXIT_CONTENT) from None
    person = office.people[args.by]
    print(
        f"{rel}: บันทึกการลงนามขั้น {step_label} โดย {person.name} เมื่อ {format_datetime(at, digits=office.date_digits)} แล้ว"
    )
    return EXIT_OK
