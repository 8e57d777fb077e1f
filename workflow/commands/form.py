"""`khaosan form PATH [--output DIR] [--force]`: the seed's request form (แบบฟอร์มการขออนุญาตเผยแพร่
ข้อมูลข่าวสาร) filled from a disclosure and its git record, as PDF and DOCX (A4, laid out like the paper
form). What the record does not hold stays a dotted line to fill in by hand.

`khaosan form --half 2569H1 | --fiscal-year 2569`: the six- or twelve-month summary of the disclosures
published in that period (what, requested by whom, permitted by whom, published and checked when)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workflow.commands.common import add_common, now_of, repository
from workflow.errors import EXIT_CONTENT, EXIT_OK, KhaosanError

HELP = "แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูลข่าวสารที่กรอกจากรายการและประวัติใน git (PDF และ DOCX)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("form", help=HELP, description=HELP)
    parser.add_argument("path", nargs="?", help="ไฟล์รายการข้อมูลข่าวสาร (content/disclosures/…/….md)")
    period = parser.add_mutually_exclusive_group()
    period.add_argument("--half", help="สรุปการเผยแพร่รอบ 6 เดือน เช่น 2569H1 (แทนการระบุไฟล์)")
    period.add_argument("--fiscal-year", help="สรุปการเผยแพร่รอบ 12 เดือน ปีงบประมาณ พ.ศ. เช่น 2569 (แทนการระบุไฟล์)")
    parser.add_argument("--output", type=Path, help="โฟลเดอร์ที่จะเขียนไฟล์ (ค่าเริ่มต้น: โฟลเดอร์ปัจจุบัน)")
    parser.add_argument("--force", action="store_true", help="เขียนทับไฟล์ที่มีอยู่แล้ว")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if bool(args.path) == bool(args.half or args.fiscal_year):
        raise KhaosanError(
            "KS903",
            "ระบุไฟล์รายการ หรือ --half / --fiscal-year อย่างใดอย่างหนึ่ง",
            "เช่น khaosan form content/disclosures/…/….md",
        )
    if not args.path:
        return summary(args)
    from workflow.core.request_form import fill
    from workflow.edges.checking.items import check_items
    from workflow.edges.git.history import main_history
    from workflow.edges.render.forms import form_docx, form_pdf
    from workflow.edges.render.problems import render

    repo = repository(args)
    now = now_of(args)
    chosen = repo.select([args.path])
    if len(chosen) != 1 or Path(args.path).is_dir():
        raise KhaosanError("KS903", f"{args.path} ไม่ใช่ไฟล์รายการหนึ่งไฟล์", "ระบุไฟล์ .md ของรายการข้อมูลข่าวสาร")
    (rel,) = chosen
    checked = check_items(repo, [rel], now=now, keep_items=True)
    if checked.office is None or not checked.results:
        print(render(checked.problems, "text", {}))
        return EXIT_CONTENT
    result = checked.results[0]
    if result.item is not None and result.item.kind != "disclosure":
        raise KhaosanError(
            "KS824",
            f"{rel} เป็น{checked.office.vocabulary.kinds.get(result.item.kind, result.item.kind)} ไม่ใช่ข้อมูลข่าวสาร",
            "แบบฟอร์มขออนุญาตเผยแพร่ใช้กับรายการใต้ content/disclosures/ เท่านั้น",
        )
    if result.errors or result.item is None or result.signoffs is None or result.digest is None:
        print(render(result.errors or list(result.problems), "text", {}))
        print("กรอกแบบฟอร์มไม่ได้: แก้ข้อผิดพลาดของรายการก่อน", file=sys.stderr)
        return EXIT_CONTENT
    item, office = result.item, checked.office
    facts = main_history(repo.root, office, now=now)
    record = next((r for r in facts.items if r.id == item.id), None) if facts else None
    if facts is None:
        print("ไม่มีประวัติ git ครบถ้วน: วันที่เผยแพร่และ commit เว้นไว้ให้กรอกเอง", file=sys.stderr)
    form = fill(
        item,
        office,
        result.signoffs,
        digest=result.digest,
        published_at=record.published_at if record and record.withdrawn_at is None else None,
        published_commit=record.published_commit if record else None,
        first_commit=record.first_commit if record else None,
    )
    folder = (args.output or Path.cwd()).resolve()
    stem = "form-" + item.id.replace("/", "-")
    data = {f"{stem}.pdf": form_pdf(form), f"{stem}.docx": form_docx(form)}  # both made before either is written
    for path in write_all(folder, data, force=args.force):
        print(f"เขียนแบบฟอร์มแล้ว: {path}")
    return EXIT_OK


def write_all(folder: Path, data: dict[str, bytes], *, force: bool) -> list[Path]:
    """Every file written whole, or none when one exists already (without `--force`)."""
    from workflow.edges.files.atomic import create_file, write_file

    if folder.exists() and not folder.is_dir():
        raise KhaosanError("KS823", f"{folder} เป็นไฟล์ ไม่ใช่โฟลเดอร์", "ระบุโฟลเดอร์หลัง --output")
    existing = [folder / name for name in data if (folder / name).exists()]
    if existing and not force:
        raise KhaosanError(
            "KS822", "มีไฟล์นี้อยู่แล้ว จะไม่เขียนทับ: " + ", ".join(map(str, existing)), "สั่งซ้ำพร้อม --force เพื่อเขียนทับ"
        )
    written = []
    try:
        for name, content in data.items():
            (write_file if force else create_file)(folder / name, content)
            written.append(folder / name)
    except FileExistsError as exc:
        raise KhaosanError("KS822", f"มีไฟล์นี้อยู่แล้ว จะไม่เขียนทับ: {exc}", "สั่งซ้ำพร้อม --force เพื่อเขียนทับ") from None
    except OSError as exc:
        raise KhaosanError("KS823", f"เขียนไฟล์ไม่ได้: {exc.strerror or exc}", "ตรวจว่าโฟลเดอร์เขียนได้และพื้นที่ดิสก์พอ") from None
    return written


def summary(args: argparse.Namespace) -> int:
    from workflow.core import periods
    from workflow.core.request_form import summarise
    from workflow.edges.git.history import main_history
    from workflow.edges.render.documents import report_people
    from workflow.edges.render.forms import summary_docx, summary_pdf
    from workflow.edges.render.problems import render

    try:
        period = periods.half(args.half) if args.half else periods.fiscal_year(args.fiscal_year)
    except periods.PeriodError as exc:
        raise KhaosanError("KS903", str(exc), "ใช้ --half 2569H1 หรือ --fiscal-year 2569") from None
    repo = repository(args)
    now = now_of(args)
    office, problems = repo.office()
    if office is None:
        print(render(problems, "text", {}))
        return EXIT_CONTENT
    facts = main_history(repo.root, office, now=now)
    if facts is None:
        raise KhaosanError(
            "KS825",
            "สรุปการเผยแพร่ต้องอ่านจากประวัติ git แต่คลังนี้ไม่มีประวัติครบ",
            "สั่งในคลัง git ที่มีประวัติครบ (ไม่ใช่ shallow clone)",
        )
    found = summarise(facts.items, office, period.start, period.end, period.label)
    people = report_people(office)
    stem = f"disclosures-{period.key}"
    data = {f"{stem}.pdf": summary_pdf(found, people), f"{stem}.docx": summary_docx(found, people)}
    for path in write_all((args.output or Path.cwd()).resolve(), data, force=args.force):
        print(f"เขียนสรุปการเผยแพร่แล้ว: {path}")
    return EXIT_OK
