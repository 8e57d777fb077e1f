"""`khaosan pr-record [--pr N]`: write the sign-offs given on GitHub into the items.

Each approving review that satisfies a step becomes an approval
`{by, step, at, digest}` in the item's front matter, exactly as `khaosan
approve` writes it (byte-preserving insert, verified by parsing again), so the
repository alone tells who approved what. Run in a checkout of the pull
request's head; every changed file is written whole and all are renamed into
place together, or none is.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import datetime
from functools import partial

from workflow.commands.common import now_of, safely_edited, text_with_approval
from workflow.commands.pr_shared import add_pr_arguments, client, local_repository, pr_number, schemas_for
from workflow.core.approvals_text import add_field_to_file
from workflow.core.reviews import ItemReview, new_approvals, new_order_reviews
from workflow.core.signoffs import ORDERS, with_approval
from workflow.core.structure import Office
from workflow.core.thaitime import format_datetime, parse_time
from workflow.core.vocabulary import STEP
from workflow.edges.files.repository import Repository
from workflow.edges.github.client import GitHubError
from workflow.edges.github.pull_request import PullState, gather, items_referencing, replace_all
from workflow.errors import EXIT_CONTENT, EXIT_OK, KhaosanError

HELP = "บันทึกการลงนามที่อนุมัติบน GitHub ลงในไฟล์รายการของคำขอ"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("pr-record", help=HELP, description=HELP)
    add_pr_arguments(parser)
    parser.set_defaults(run=run)


def _local_head(repo: Repository, path: str, state: PullState, number: int) -> bytes:
    """The item's file in this checkout, which must be the pull request's head version (KS611)."""
    try:
        local: bytes | None = repo.read(path)
    except OSError:
        local = None
    if local is None or local != state.raw_heads[path]:
        raise GitHubError("KS611", f"{path} ในเครื่องไม่ใช่ฉบับล่าสุดของคำขอ #{number} ({state.head_sha[:7]})")
    return local


def _with_approvals(
    result: ItemReview, adds: list[dict[str, str]], text: str, office: Office, now: datetime
) -> tuple[str, list[str]]:
    """The item's text with each new approval written in the way `approve` writes it, and what was done, in Thai."""
    data = result.item.data
    said: list[str] = []
    for approval in adds:
        step = office.vocabulary.label(STEP, approval["step"])
        new_item, _, bad = with_approval(replace(result.item, data=data), office, result.digest, approval, now=now)
        if bad:
            said.append(f"{result.path}: ไม่บันทึกขั้น {step} โดย {approval['by']}: {bad[0].code} {bad[0].message}")
            continue
        text = text_with_approval(result.path, text, approval, new_item.data)
        data = new_item.data
        said.append(
            f"{result.path}: บันทึกขั้น {step} โดย {office.people[approval['by']].name} "
            f"(อนุมัติเมื่อ {format_datetime(parse_time(approval['at']), digits=office.date_digits)})"
        )
    return text, said


def _with_order_reviews(result: ItemReview, orders: dict[str, dict[str, str]], text: str) -> tuple[str, list[str]]:
    """The text with the review that backs each urgent order or withdrawal named in it."""
    said = []
    for key, fields in orders.items():
        for name, value in fields.items():
            text = safely_edited(result.path, partial(add_field_to_file, text, key, name, value))
        said.append(f"{result.path}: บันทึกการอนุมัติที่รองรับ{ORDERS[key]} ({fields['review']})")
    return text, said


def run(args: argparse.Namespace) -> int:
    now = now_of(args)
    number = pr_number(args)
    repo = local_repository(args)
    if repo is None:
        raise KhaosanError("KS404", "pr-record ต้องรันในโฟลเดอร์ของคลังข้อมูลที่ checkout สาขาของคำขอไว้")
    state = gather(
        client(), number, schemas_for(repo), now, repo.item_ids(), items_referencing(repo.read, repo.item_paths())
    )
    changes = []
    said: list[str] = []
    for result in state.reviewed:
        adds, orders = new_approvals(result), new_order_reviews(result)
        if not adds and not orders:
            continue
        local = _local_head(repo, result.path, state, number)
        text, done = _with_approvals(result, adds, local.decode("utf-8"), state.office, now)
        text, noted = _with_order_reviews(result, orders, text)
        said += done + noted
        if text.encode("utf-8") != local:
            changes.append((repo.root / result.path, text.encode("utf-8"), local))
    try:
        replace_all(changes)
    except FileExistsError as exc:
        raise KhaosanError("KS904", f"{exc} ถูกแก้ไขระหว่างบันทึก", "สั่งอีกครั้ง", exit_code=EXIT_CONTENT) from None
    for line in said:
        print(line)
    if not changes:
        print(f"คำขอ #{number}: ไม่มีการลงนามใหม่ที่ต้องบันทึก", file=sys.stderr)
    return EXIT_OK
