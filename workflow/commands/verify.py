"""`khaosan verify`: before the site goes live, every recorded act held against its review on GitHub.

Run by the site workflow after `khaosan build` and before the upload: it
checks the items that changed since the commit the live site was last verified
at (its receipt, api/verified.json on the public site), or every item when
that cannot be read, and on success writes the new receipt into the built
site. A typed approval pushed straight to main, or merged past a forged check,
stops the deploy here with the item named.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from workflow.commands.common import add_common, now_of, repository
from workflow.commands.pr_shared import client
from workflow.core.office import OFFICE_FILE
from workflow.core.problems import Problem
from workflow.core.structure import ASSET_FOLDERS, Item, is_item_path
from workflow.core.validate import item_digest, locate, parse_item
from workflow.edges.files.repository import Repository, UnsafeFile
from workflow.edges.git.log import changed_since, head_commit
from workflow.edges.github.pull_request import CONTENT, items_referencing
from workflow.edges.github.verification import Verification, verify_items
from workflow.edges.render.problems import FORMATS, render
from workflow.edges.site.live import live_commit, write_receipt
from workflow.errors import EXIT_CONTENT, EXIT_OK, KhaosanError

HELP = "ตรวจซ้ำก่อนเผยแพร่ว่าการลงนามทุกรายการมีการอนุมัติ (review) บน GitHub รองรับจริง"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("verify", help=HELP, description=HELP)
    since = parser.add_mutually_exclusive_group()
    since.add_argument("--since", metavar="COMMIT", help="ตรวจเฉพาะรายการที่เปลี่ยนหลัง commit นี้")
    since.add_argument("--all", action="store_true", help="ตรวจทุกรายการ")
    since.add_argument("--live", metavar="URL", help="เว็บไซต์ที่อ่านใบรับรองการตรวจครั้งก่อน (ค่าเริ่มต้น: site_url ใน office.yml)")
    parser.add_argument(
        "--receipt", metavar="OUTPUT", help="เมื่อผ่าน เขียนใบรับรองการตรวจลงในโฟลเดอร์เว็บไซต์ที่สร้างแล้ว (api/verified.json)"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="รูปแบบผลลัพธ์")
    add_common(parser)
    parser.set_defaults(run=run)


def _since(args: argparse.Namespace, site_url: str) -> tuple[str | None, str]:
    """The commit already verified, and where it came from (in Thai)."""
    if args.all:
        return None, "สั่งให้ตรวจทุกรายการ"
    if args.since:
        return args.since, f"--since {args.since}"
    commit, said = live_commit(args.live or site_url)
    return commit, said if commit else f"{said}: ตรวจทุกรายการ"


def _paths(repo: Repository, since: str | None) -> tuple[list[str], str]:
    """The items to verify: those changed since `since` (with the items naming a changed file), or all."""
    everything = repo.item_paths()
    changed = changed_since(repo.root, since) if since else None
    if changed is None:
        return everything, "ทุกรายการ" if since is None else f"{since[:12]} ไม่อยู่ในประวัติของสาขานี้: ทุกรายการ"
    if OFFICE_FILE in changed:  # who is whom, and whether paper counts, may have changed
        return everything, f"{OFFICE_FILE} เปลี่ยน: ทุกรายการ"
    paths = {p for p in changed if is_item_path(p) and (repo.root / p).exists()}
    assets = [p[len(CONTENT) :] for p in changed if p.startswith(ASSET_FOLDERS)]
    if assets:  # a file put back can make an old approval current again
        paths |= items_referencing(repo.read, everything)(assets)
    return sorted(paths), f"รายการที่เปลี่ยนหลัง {since[:12]}"


def _items(repo: Repository, paths: list[str]) -> list[tuple[Item, str]]:
    """Each item that parses, with its digest; what does not parse the build's gate refuses anyway."""
    found = []
    for path in paths:
        try:
            item = parse_item(path, repo.read(path))[0]
        except (OSError, UnsafeFile):
            continue
        if item is not None:
            found.append((item, item_digest(item, repo.file_hash)))
    return found


def run(args: argparse.Namespace) -> int:
    repo = repository(args)
    now = now_of(args)
    office, office_problems = repo.office()
    if office is None:
        print(render(office_problems, "text", {}))
        return EXIT_CONTENT
    head = head_commit(repo.root)
    since, origin = _since(args, office.site_url)
    paths, scope = _paths(repo, since)
    items = _items(repo, paths)
    result = verify_items(client, os.environ.get("GITHUB_REPOSITORY", ""), office, items)
    by_path = {item.path: item for item, _ in items}
    problems = [p for path in sorted({p.path for p in result.problems}) for p in _located(result, by_path[path])]
    summary = {"commit": head, "since": since, "items": result.items, "backed": len(result.backed)}
    summary |= {"paper": len(result.paper), "errors": len(problems)}
    out = render(problems, args.format, summary)
    if out:
        print(out)
    if args.format != "json":
        print(_tail(result, origin, scope, len(problems)), file=sys.stderr)
    if problems:
        return EXIT_CONTENT
    if args.receipt:
        _receipt(args.receipt, head, now, result)
    return EXIT_OK


def _located(result: Verification, item: Item) -> list[Problem]:
    return locate([p for p in result.problems if p.path == item.path], item)


def _tail(result: Verification, origin: str, scope: str, errors: int) -> str:
    told = f"ตรวจการลงนามซ้ำ {result.items:,} รายการ ({scope}; {origin}): "
    told += f"มีการอนุมัติบน GitHub รองรับ {len(result.backed):,} ลงนามบนกระดาษ {len(result.paper):,}"
    return told + (f" ไม่ผ่าน {errors:,}: ไม่เผยแพร่" if errors else " ผ่าน")


def _receipt(output: str, head: str, now: datetime, result: Verification) -> None:
    folder = Path(output)
    if not folder.is_dir():
        raise KhaosanError("KS901", f"ไม่พบโฟลเดอร์เว็บไซต์ {output}", "สั่ง khaosan build ก่อน khaosan verify --receipt")
    write_receipt(
        folder,
        {
            "commit": head,
            "verified_at": now.isoformat(timespec="seconds"),
            "items": result.items,
            "backed_by_review": len(result.backed),
            "on_paper": len(result.paper),
        },
    )
