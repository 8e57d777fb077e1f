"""`khaosan status` as people and tools read it: per item, in Thai, what is signed, what is
missing, who may give it, and each deadline with the time left (or how early or late it was met).

Pure: `item_status` turns one checked item into plain data; the text and the JSON
are both made from that data, so they never disagree. People are named with their
id beside the name (`นายอนันต์ วงศ์ไพศาล (anan.w)`): the id is what `approve --by` takes.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from workflow.core.deadlines import deadlines
from workflow.core.pdpa import mask_any
from workflow.core.rules import WRONG_YEAR
from workflow.core.signoffs import given_on_paper
from workflow.core.structure import Office
from workflow.core.thaitime import format_datetime, format_duration
from workflow.core.validate import ItemResult
from workflow.core.vocabulary import KIND

_MARK = {"signed": "✓", "stale": "!", "missing": "✗"}


def item_status(result: ItemResult, office: Office, now: datetime) -> dict[str, Any]:
    """Plain data for one item: the text and JSON views both render this."""
    item, signoffs = result.item, result.signoffs
    errors = len(result.errors)
    entry: dict[str, Any] = {"path": result.path, "errors": errors}
    if item is None or signoffs is None:
        entry["state"] = "invalid"
        return entry
    std = office.standards.get(str(item.data.get("news_type")))
    timed = item.kind == "news" and not any(p.code in WRONG_YEAR for p in result.problems)  # no deadline from 3112
    on_paper = {(str(a.get("by")), str(a.get("step"))) for a in item.approvals if given_on_paper(a)}
    entry.update(
        {
            "id": item.id,
            "kind": item.kind,
            "title": item.title,
            "state": "invalid"
            if errors
            else "withdrawn"
            if isinstance(item.data.get("withdrawn"), dict)
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
                for d in (deadlines(item.data, std, now) if timed else [])
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
                    "paper": s.status == "signed" and (str(s.by), s.step) in on_paper,
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
    "withdrawn": "ถอนการเผยแพร่แล้ว — หน้าเว็บแจ้งเหตุผลที่ถอน",
}


def _gap(what: str, gap: timedelta) -> str:
    return (
        f"{what}ก่อนกำหนด {format_duration(gap)}"
        if gap.total_seconds() >= 0
        else f"{what}หลังกำหนด {format_duration(gap)}"
    )


def _deadline_line(due: dict[str, Any], entry: dict[str, Any], office: Office, now: datetime) -> str:
    """The deadline, and how early or late the stage was met, or the time left."""
    at = datetime.fromisoformat(due["at"])
    signed = [datetime.fromisoformat(s["at"]) for s in entry["steps"] if s["status"] == "signed"]
    if due["stage"] == "produce" and entry["produced_at"] is not None:
        produced = entry["produced_at"]
        when = _gap("จัดทำเสร็จ", at - (datetime.fromisoformat(produced) if isinstance(produced, str) else produced))
    elif due["stage"] != "produce" and entry["state"] == "ready" and signed:
        when = _gap("ลงนามครบ", at - max(signed))
    else:
        left = at - now
        when = (
            f"เหลืออีก {format_duration(left)}" if left.total_seconds() >= 0 else f"เลยกำหนดมาแล้ว {format_duration(left)}"
        )
    return f"  {due['label']}: {format_datetime(at, digits=office.date_digits)} ({when})"


def named(office: Office, person_id: str) -> str:
    """`นายอนันต์ วงศ์ไพศาล (anan.w)`: the name people know and the id the commands take."""
    person = office.people.get(person_id)
    return f"{person.name} ({person_id})" if person else person_id


def _step_line(step: dict[str, Any], office: Office) -> str:
    mark = _MARK[step["status"]]
    if step["status"] == "signed":
        at = format_datetime(datetime.fromisoformat(step["at"]), digits=office.date_digits, short=True)
        how = " (ลงนามบนกระดาษ)" if step.get("paper") else ""
        return f"  {mark} {step['label']}: {named(office, step['by'])} เมื่อ {at}{how}"
    names = ", ".join(named(office, p) for p in step["eligible"][:4])
    more = f" และอีก {len(step['eligible']) - 4} คน" if len(step["eligible"]) > 4 else ""
    why = "ล้าสมัย เนื้อหาเปลี่ยนหลังลงนาม ต้องลงนามใหม่" if step["status"] == "stale" else "ยังไม่ลงนาม"
    return f"  {mark} {step['label']}: {why} — ผู้ลงนามได้: {step['rule']}" + (f" ได้แก่ {names}{more}" if names else "")


def _pdpa_line(allow: dict[str, Any], office: Office) -> str:
    who = named(office, str(allow["by"]))
    return f"  ⚑ ข้อยกเว้น PDPA ที่ตรวจแล้ว: {allow['match']} — {allow['reason']} (ตรวจโดย {who})"


def item_lines(entry: dict[str, Any], office: Office, now: datetime) -> list[str]:
    """One item's block of the text view."""
    if "kind" not in entry:
        return [f"{entry['path']}", f"  สถานะ: {_STATE['invalid']}"]
    kind = office.vocabulary.label(KIND, entry["kind"])
    lines = [f"{entry['path']}", f"  {kind}: {entry['title']}", f"  สถานะ: {_STATE[entry['state']]}"]
    if entry["standard"]:
        lines.append(f"  มาตรฐานเวลา: {entry['standard']}")
    lines += [_deadline_line(due, entry, office, now) for due in entry["deadlines"]]
    lines += [_step_line(step, office) for step in entry["steps"]]
    lines += [_pdpa_line(allow, office) for allow in entry["pdpa_allow"]]
    lines += [_post_line(post, office) for post in entry.get("social", ())]
    return lines


def _post_line(post: dict[str, str], office: Office) -> str:
    """Where and when the item went out on a social channel, from its receipt."""
    channel = office.channels.get(post["channel"], post["channel"])
    at = format_datetime(datetime.fromisoformat(post["at"]), digits=office.date_digits, short=True)
    if post["event"] == "failed":
        return f"  ✗ โพสต์ลง{channel}ไม่สำเร็จ ({post.get('code', '')}) เมื่อ {at}: รอบถัดไปจะลองใหม่"
    if post["event"] == "withdrawn":
        return f"  ✎ แก้โพสต์ใน{channel}ว่าถอนการเผยแพร่แล้ว เมื่อ {at}"
    return f"  ✓ โพสต์ลง{channel}แล้ว เมื่อ {at} (รหัส {post['post_id']})"


def status_text(entries: list[dict[str, Any]], office: Office, now: datetime) -> str:
    """Every item's block, a blank line between."""
    blocks = ["\n".join(item_lines(e, office, now)) for e in entries]
    return "\n\n".join(blocks) if blocks else "ไม่มีรายการ"


def all_ready(entries: list[dict[str, Any]]) -> bool:
    """Nothing to wait for: every item signed (or withdrawn) and without an error."""
    return all(e["state"] in ("ready", "withdrawn") and not e["errors"] for e in entries)


def status_json(entries: list[dict[str, Any]], now: datetime) -> str:
    """The same data for tools."""
    return json.dumps({"now": now.isoformat(), "items": entries}, ensure_ascii=False, indent=2)
