"""What every command shares: the repository, `now`, parsing of times given on the command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workflow.core.approvals_text import EditError, add_approval_to_file
from workflow.core.thaitime import BANGKOK, parse_time
from workflow.edges.files.repository import Repository, find_root
from workflow.errors import EXIT_CONTENT, KhaosanError

if TYPE_CHECKING:
    from workflow.core.social import Receipt


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, help="โฟลเดอร์ของคลังข้อมูล (ค่าเริ่มต้น: หาจาก office.yml)")
    parser.add_argument("--now", help="ถือว่าเวลาปัจจุบันคือเวลานี้ (ISO 8601) สำหรับทดสอบหรือตรวจย้อนหลัง")


def repository(args: argparse.Namespace) -> Repository:
    return Repository(find_root(args.root))


def time_arg(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError:
        raise KhaosanError("KS903", f"{name} '{value}' ไม่ใช่วันเวลา", "เขียนแบบ 2026-11-20T12:00:00+07:00") from None


def now_of(args: argparse.Namespace) -> datetime:
    return time_arg(args.now, "--now") or datetime.now(BANGKOK)


def safely_edited(rel: str, edit: Callable[[], str]) -> str:
    """The text `edit` makes (an edit that keeps every other byte and verifies itself), or KS904."""
    try:
        return edit()
    except EditError as exc:
        raise KhaosanError(
            "KS904",
            f"แก้ไข {rel} อย่างปลอดภัยไม่ได้ ({exc})",
            "เพิ่มการลงนามด้วยมือตามรูปแบบใน README แล้วรัน khaosan check",
            exit_code=EXIT_CONTENT,
        ) from None


def text_with_approval(rel: str, text: str, approval: Mapping[str, str | bool], expected: dict[str, Any]) -> str:
    """The file's text with the approval added (every other byte kept), or KS904."""
    return safely_edited(rel, lambda: add_approval_to_file(text, approval, expected))


def social_receipts(root: Path) -> list[Receipt]:
    """The receipts of the social posts (the records branch as this clone has it); bad lines are left out."""
    from workflow.core.social import parse_receipts
    from workflow.edges.git.records import read_receipts_text

    return parse_receipts(read_receipts_text(root))[0]
