"""`khaosan status [PATH…]`: per item, in Thai, what is signed, what is missing,
who may give it, and the deadline under the time standard with the time left."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

from workflow.commands.common import add_common, now_of, repository
from workflow.core.deadlines import deadlines
from workflow.core.pdpa import mask_any
from workflow.core.structure import KIND_LABELS, Office
from workflow.core.thaitime import format_datetime, format_duration
from workflow.core.validate import ItemResult
from workflow.edges.checking.items import scan
from workflow.errors import EXIT_OK

HELP = "แสดงสถานะการลงนามและกำหนดเวลาของแต่ละรายการ"
_MARK = {"signed": "✓", "stale": "!", "missing": "✗"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("status", help=HELP, description=HELP)
    parser.add_argument("paths", nargs="*", help="ไฟล์หรือโฟลเดอร์ (ค่าเริ่มต้น: ทั้งคลังข้อมูล)")
    parser.add_argument("--pending", action="store_true", help="แสดงเฉพาะรายการที่ยังลงนามไม่ครบ")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="รูปแบบผลลัพธ์")
    add_common(parser)
    parser.set_defaults(run=run)


def item_status(result: ItemResult, office: Office, now: datetime) -> dict[str, Any]:
    """Plain data for one item: the text and JSON views both render this."""
    item, signoffs = result.item, result.signoffs
    errors = len(result.errors)
    entry: dict[str, Any] = {"path": result.path, "errors": errors}
    if item is None or signoffs is None:
        entry["state"] = "invalid"
        return entry
    std = office.standards.get(str(item.data.get("news_type")))
    entry.update(
        {
            "id": item.id,
            "kind": item.kind,
            "title": item.title,
            "state": "invalid"
            if errors
            else "ready"
            if signoffs.complete
            else "urgent"
            if signoffs.urgent
            else "pending",
            "standard": std.label if std and item.kind == "news" else None,
            "produced_at": item.data.get("produced_at"),
            "deadlines": [
                {
                    "stage": d.stage,
                    "label": d.label,
                    "at": d.at.isoformat(),
                    "seconds_left": int((d.at - now).total_seconds()),
                }
                for d in (deadlines(item.data, std) if item.kind == "news" else [])
            ],
            "steps": [
                {
                    "step": s.step,
                    "label": s.label,
                    "status": s.status,
                    "by": s.by,
                    "at": s.at.isoformat() if s.at else None,
                    "rule": s.rule,
                    "eligible": list(s.eligible),
                }
                for s in signoffs.steps
            ],
            # reviewed PDPA exceptions: shown every time, never a silent skip (values masked)
            "pdpa_allow": [
                {"match": mask_any(str(a.get("match", ""))), "reason": a.get("reason"), "by": a.get("by")}
                for a in item.data.get("pdpa_allow") or []
                if isinstance(a, dict)
            ],
        }
    )
    return entry


_STATE = {
    "ready": "ลงนามครบ พร้อมเผยแพร่",
    "pending": "รอลงนาม",
    "invalid": "มีข้อผิดพลาด (ดู khaosan check)",
    "urgent": "เผยแพร่ด่วน — ยังรอลงนาม",
}


def _text(entry: dict[str, Any], office: Office, now: datetime) -> list[str]:
    if "kind" not in entry:
        return [f"{entry['path']}", f"  สถานะ: {_STATE['invalid']}"]
    kind = KIND_LABELS[entry["kind"]]
    lines = [f"{entry['path']}", f"  {kind}: {entry['title']}", f"  สถานะ: {_STATE[entry['state']]}"]
    if entry["standard"]:
        lines.append(f"  มาตรฐานเวลา: {entry['standard']}")
    signed = [datetime.fromisoformat(s["at"]) for s in entry["steps"] if s["status"] == "signed"]
    for due in entry["deadlines"]:
        at = datetime.fromisoformat(due["at"])
        done = (
            entry["produced_at"]
            if due["stage"] == "produce"
            else (max(signed) if entry["state"] == "ready" and signed else None)
        )
        if done is not None:
            what = "จัดทำเสร็จ" if due["stage"] == "produce" else "ลงนามครบ"
            gap = at - datetime.fromisoformat(done) if isinstance(done, str) else at - done
            when = (
                f"{what}ก่อนกำหนด {format_duration(gap)}"
                if gap.total_seconds() >= 0
                else f"{what}หลังกำหนด {format_duration(gap)}"
            )
        else:
            left = at - now
            when = (
                f"เหลืออีก {format_duration(left)}"
                if left.total_seconds() >= 0
                else f"เลยกำหนดมาแล้ว {format_duration(left)}"
            )
        lines.append(f"  {due['label']}: {format_datetime(at, digits=office.date_digits)} ({when})")
    for step in entry["steps"]:
        mark = _MARK[step["status"]]
        if step["status"] == "signed":
            person = office.people[step["by"]]
            at = format_datetime(datetime.fromisoformat(step["at"]), digits=office.date_digits, short=True)
            lines.append(f"  {mark} {step['label']}: {person.name} เมื่อ {at}")
        else:
            names = ", ".join(office.people[p].name for p in step["eligible"][:4])
            more = f" และอีก {len(step['eligible']) - 4} คน" if len(step["eligible"]) > 4 else ""
            why = "ล้าสมัย เนื้อหาเปลี่ยนหลังลงนาม ต้องลงนามใหม่" if step["status"] == "stale" else "ยังไม่ลงนาม"
            lines.append(
                f"  {mark} {step['label']}: {why} — ผู้ลงนามได้: {step['rule']}" + (f" ({names}{more})" if names else "")
            )
    for allow in entry["pdpa_allow"]:
        person = office.people.get(str(allow["by"]))
        who = person.name if person else allow["by"]
        lines.append(f"  ⚑ ข้อยกเว้น PDPA ที่ตรวจแล้ว: {allow['match']} — {allow['reason']} (ตรวจโดย {who})")
    return lines


def run(args: argparse.Namespace) -> int:
    repo = repository(args)
    now = now_of(args)
    result = scan(repo, repo.select(args.paths), now=now)
    if result.office is None:
        from workflow.edges.render.problems import render

        print(render(result.problems, "text", {}))
        return 1
    entries = [item_status(r, result.office, now) for r in result.results]
    if args.pending:
        entries = [e for e in entries if e["state"] != "ready"]
    if args.format == "json":
        print(json.dumps({"now": now.isoformat(), "items": entries}, ensure_ascii=False, indent=2))
        return EXIT_OK
    blocks = ["\n".join(_text(e, result.office, now)) for e in entries]
    print("\n\n".join(blocks) if blocks else "ไม่มีรายการ")
    return EXIT_OK
