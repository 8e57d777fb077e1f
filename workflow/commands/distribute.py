"""`khaosan distribute`: after a deploy, post each newly public item once to the Facebook Page and LINE.

Run by the site workflow after the deploy job: the items the deployed build made public
(`--as-of`, the build's time), whose `channels` ask for `facebook` or `line`, are posted
once each; the receipts go to the records branch (edges/git/records.py) before the call
(a claim: the lock) and after it (the evidence). What to post, hold or edit, and every
text, is decided in `core/social.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from workflow.commands.common import add_common, now_of, repository, time_arg
from workflow.core.earlier import earlier_published
from workflow.core.problems import CODES
from workflow.core.publication import Candidate, decide_candidate
from workflow.core.publication_history import HistoryFacts, publication_times
from workflow.core.social import (
    SOCIAL_CHANNELS,
    Action,
    Held,
    Plan,
    Post,
    Public,
    Receipt,
    facebook_message,
    line_messages,
    parse_receipts,
    plan,
    post_of,
    withdrawn_message,
)
from workflow.core.structure import Office
from workflow.core.thaitime import format_datetime
from workflow.core.validate import parse_item
from workflow.edges.checking.items import check_items
from workflow.edges.files.repository import Repository
from workflow.edges.git.history import main_history
from workflow.edges.git.records import Records, RecordsError, read_receipts_text
from workflow.edges.render.problems import render
from workflow.edges.social.facebook import FacebookPage
from workflow.edges.social.http import SocialError
from workflow.edges.social.line import LineAccount
from workflow.errors import EXIT_CONTENT, EXIT_OK, KhaosanError

HELP = "โพสต์รายการที่เพิ่งเผยแพร่ลงเพจเฟซบุ๊กและ LINE Official ของสำนักงาน ครั้งเดียวต่อช่องทาง พร้อมใบรับ"
TRIES = 5
LineKind = Literal["flex", "text"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("distribute", help=HELP, description=HELP)
    parser.add_argument("--dry-run", action="store_true", help="แสดงสิ่งที่จะโพสต์และข้อความ ไม่โพสต์ ไม่บันทึกใบรับ")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="รูปแบบผลลัพธ์")
    parser.add_argument(
        "--as-of", metavar="TIME", help="เวลาที่สร้างเว็บไซต์ที่ขึ้นแล้ว: โพสต์เฉพาะรายการที่เผยแพร่ ณ เวลานั้น (ค่าเริ่มต้น: ตอนนี้)"
    )
    add_common(parser)
    parser.set_defaults(run=run)


def public_items(
    repo: Repository, office: Office, candidates: list[Candidate], facts: HistoryFacts, as_of: datetime
) -> list[Public]:
    """The news items public at `as_of`, published on main (git's time), that ask for a social channel."""
    times = publication_times(facts)
    former = {r.id: tuple(i for i in r.renamed_from if i != r.id) for r in facts.items}
    found = []
    for c in candidates:
        decision = decide_candidate(c, as_of)
        published = times.get(c.item_id)
        if c.kind != "news" or not decision.public or published is None:
            continue
        item = parse_item(c.path, repo.read(c.path))[0]
        if item is None:
            continue
        channels = item.data.get("channels")
        channels = tuple(str(ch) for ch in channels) if isinstance(channels, list) else ()
        if not set(channels) & set(SOCIAL_CHANNELS):
            continue
        withdrawn = item.data.get("withdrawn")
        reason = str(withdrawn.get("reason", "")) if isinstance(withdrawn, dict) else None
        post = post_of(
            item.id,
            item.data,
            item.body,
            site_url=office.site_url,
            published_at=published,
            hashtags=office.social.hashtags,
            digits=office.date_digits,
        )
        earlier = earlier_published(item.data) is not None
        ready = decision.reason == "ready"
        found.append(Public(post, channels, ready, reason, earlier, former.get(item.id, ())))
    return found


def run_id() -> str:
    """This run's name in the receipts: the Actions run and attempt, or a local one."""
    run, attempt = os.environ.get("GITHUB_RUN_ID"), os.environ.get("GITHUB_RUN_ATTEMPT", "1")
    return f"actions-{run}-{attempt}" if run else f"local-{uuid.uuid4().hex[:12]}"


def run(args: argparse.Namespace) -> int:
    repo = repository(args)
    now = now_of(args)
    as_of = time_arg(args.as_of, "--as-of") or now
    gate = check_items(repo, repo.item_paths(), now=as_of, safety=True, candidates=True)
    if gate.errors or gate.office is None:
        print(render(gate.errors or gate.problems, "text", {}))
        print("ไม่โพสต์: มีข้อผิดพลาดที่ทำให้สร้างเว็บไซต์ไม่ได้", file=sys.stderr)
        return EXIT_CONTENT
    office = gate.office
    facts = main_history(repo.root, office, now=as_of)
    if facts is None:
        raise KhaosanError("KS502", "ต้องมีประวัติ git ครบ (ไม่ใช่ shallow clone) จึงรู้ว่ารายการใดเผยแพร่เมื่อใด")
    publics = public_items(repo, office, gate.candidates, facts, as_of)
    me = run_id()
    if args.dry_run:
        receipts, _ = parse_receipts(read_receipts_text(repo.root))
        the_plan = plan(publics, receipts, office.social, now, me)
        _report(args.format, the_plan, [], now, dry=True, kind=office.social.line_message, names=office.channels)
        return EXIT_OK
    records = Records(repo.root, os.environ.get("KHAOSAN_RECORDS_REMOTE") or "origin")
    the_plan = _claimed_plan(records, publics, office, now, me)
    results = _perform(the_plan, office, records, now, me)
    _report(args.format, the_plan, results, now, dry=False, kind=office.social.line_message, names=office.channels)
    return EXIT_CONTENT if any(r.event == "failed" for r in results) else EXIT_OK


def _claimed_plan(records: Records, publics: list[Public], office: Office, now: datetime, me: str) -> Plan:
    """The plan made on the receipts as they are, with its claims pushed on exactly that tip."""
    for _ in range(TRIES):
        receipts, bad = parse_receipts(records.read())
        for number in bad:
            print(f"KS819 {CODES['KS819'].message}: บรรทัด {number} ของใบรับ (ข้ามไป)", file=sys.stderr)
        the_plan = plan(publics, receipts, office.social, now, me)
        if not the_plan.actions:
            return the_plan
        claims = [Receipt("claim", a.public.post.item_id, a.channel, now, a.key, me).line() for a in the_plan.actions]
        if records.claim(claims, f"distribute {me}: claim {len(claims)}"):
            return the_plan
    raise RecordsError(f"สาขาเปลี่ยนระหว่างจองการโพสต์ {TRIES} ครั้ง")


def _perform(the_plan: Plan, office: Office, records: Records, now: datetime, me: str) -> list[Receipt]:
    services: dict[str, Any] = {}
    results = []
    for action in the_plan.actions:
        item_id = action.public.post.item_id
        try:
            receipt = _do(action, services, office, now, me)
        except SocialError as error:
            receipt = Receipt(
                "failed", item_id, action.channel, now, action.key, me, code=error.code, detail=error.detail
            )
        records.append([receipt.line()], f"distribute {me}: {receipt.event} {item_id} {action.channel}")
        results.append(receipt)
    return results


def _service(services: dict[str, Any], channel: str, office: Office) -> Any:
    if channel not in services:
        if channel == "facebook":
            services[channel] = FacebookPage.from_environment()
        else:
            services[channel] = LineAccount.from_environment(audience=office.social.line_audience)
    return services[channel]


def _do(action: Action, services: dict[str, Any], office: Office, now: datetime, me: str) -> Receipt:
    post = action.public.post
    service = _service(services, action.channel, office)

    def done(event: str, post_id: str) -> Receipt:
        return Receipt(event, post.item_id, action.channel, now, action.key, me, post_id=post_id)

    if action.kind == "withdraw":
        assert action.posted is not None
        service.edit(action.posted.post_id, withdrawn_message(post, action.public.withdrawn_reason or ""))
        return done("withdrawn", action.posted.post_id)
    if action.channel == "facebook":
        # a claim left by a run that stopped: the post may have gone out; look before posting again
        found = service.find_post(post.url) if action.resume is not None else None
        post_id = found or service.publish(facebook_message(post), post.url, post.image_url)
        return done("posted", post_id)
    request_id = service.send(line_messages(post, office.social.line_message), action.key)  # the same key: sent once
    return done("posted", request_id)


# ---------------------------------------------------------------- report ----


def _held_line(h: Held) -> str:
    entry = CODES[h.code]
    return f"{h.code} {entry.message}: {h.detail} — {entry.hint}"


def _report(
    fmt: str,
    the_plan: Plan,
    results: list[Receipt],
    now: datetime,
    *,
    dry: bool,
    kind: LineKind,
    names: Mapping[str, str],
) -> None:
    """What this run did (or, dry, would do), in Thai; channels by the names office.yml gives them."""
    if fmt == "json":
        print(json.dumps(_json(the_plan, results, dry, kind), ensure_ascii=False, indent=2, default=str))
        return
    head = "ลองดูก่อน (ไม่โพสต์ ไม่บันทึก)" if dry else "โพสต์ลงสื่อสังคม"
    print(f"{head} ณ {format_datetime(now)}")
    if not the_plan.enabled:
        print(f"KS800 {CODES['KS800'].message} — {CODES['KS800'].hint}")
    by_key = {(r.item, r.channel): r for r in results}
    for action in the_plan.actions:
        _action_lines(
            action,
            by_key.get((action.public.post.item_id, action.channel)),
            dry=dry,
            kind=kind,
            name=names.get(action.channel, action.channel),
        )
    for h in the_plan.held:
        print(_held_line(h))
        if dry and h.post is not None:
            _preview(h.post, kind, None, h.channel)
    if dry:
        for public, channel, why in the_plan.skipped:
            print(f"ไม่โพสต์: {public.post.item_id} → {names.get(channel, channel)}: {why}")
    posted = sum(1 for r in results if r.event == "posted")
    failed = sum(1 for r in results if r.event == "failed")
    edited = sum(1 for r in results if r.event == "withdrawn")
    tail = f"จะทำ {len(the_plan.actions)}" if dry else f"โพสต์ {posted} แก้โพสต์ที่ถอน {edited} ไม่สำเร็จ {failed}"
    print(f"\nสรุป: {tail} รอ/ไม่โพสต์ {len(the_plan.held)} ไม่เข้าเกณฑ์ {len(the_plan.skipped)}")


def _action_lines(action: Action, result: Receipt | None, *, dry: bool, kind: LineKind, name: str) -> None:
    post = action.public.post
    if dry:
        verb = "จะแก้โพสต์ที่ถอนการเผยแพร่" if action.kind == "withdraw" else "จะโพสต์"
        print(f"\n{verb}: {post.item_id} → {name}")
        _preview(post, kind, action)
    elif result is not None and result.event == "failed":
        entry = CODES[result.code]
        print(f"ไม่สำเร็จ: {post.item_id} → {name}: {result.code} {entry.message}: {result.detail} — {entry.hint}")
    elif result is not None:
        verb = "แก้โพสต์แล้ว (ถอนการเผยแพร่)" if result.event == "withdrawn" else "โพสต์แล้ว"
        print(f"{verb}: {post.item_id} → {name} (รหัส {result.post_id})")


def _preview(post: Post, kind: LineKind, action: Action | None, channel: str | None = None) -> None:
    channel = action.channel if action else channel or "facebook"
    if action is not None and action.kind == "withdraw":
        text = withdrawn_message(post, action.public.withdrawn_reason or "")
    elif channel == "facebook":
        text = facebook_message(post)
    else:
        text = _line_preview(post, kind)
    print("  ┌" + "─" * 40)
    for line in text.splitlines():
        print(f"  │ {line}")
    print("  └" + "─" * 40)


def _line_preview(post: Post, kind: LineKind) -> str:
    """The Flex card as a person sees it (its texts and its button), for the dry run."""
    messages = line_messages(post, kind)
    if messages[0]["type"] == "text":
        return str(messages[0]["text"])
    bubble = messages[0]["contents"]
    lines = [str(part["text"]) for part in bubble["body"]["contents"]]
    button = bubble["footer"]["contents"][0]["action"]
    lines.append(f"[ {button['label']} ] → {button['uri']}")
    if "hero" in bubble:
        lines.insert(0, f"(ภาพ {bubble['hero']['url']})")
    return "\n".join(lines)


def _json(the_plan: Plan, results: list[Receipt], dry: bool, kind: LineKind) -> dict[str, Any]:
    return {
        "dry_run": dry,
        "enabled": the_plan.enabled,
        "actions": [
            {
                "kind": a.kind,
                "item": a.public.post.item_id,
                "channel": a.channel,
                "key": a.key,
                "facebook_message": facebook_message(a.public.post) if a.channel == "facebook" else None,
                "line_messages": line_messages(a.public.post, kind) if a.channel == "line" else None,
            }
            for a in the_plan.actions
        ],
        "results": [
            {
                "event": r.event,
                "item": r.item,
                "channel": r.channel,
                "post_id": r.post_id,
                "code": r.code,
                "detail": r.detail,
            }
            for r in results
        ],
        "held": [
            {"item": h.item_id, "channel": h.channel, "code": h.code, "message": f"{CODES[h.code].message}: {h.detail}"}
            for h in the_plan.held
        ],
        "skipped": [{"item": p.post.item_id, "channel": ch, "why": why} for p, ch, why in the_plan.skipped],
    }
