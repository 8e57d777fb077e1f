"""`khaosan new news|disclosure|clipping`: scaffold an item with every field of
the request form, times prefilled in Bangkok time; never overwrites a file.

What a person must still write is marked as such (`core/scaffold.py` keeps each
placeholder; `check` warns while one is left, the publish gate refuses it)."""

from __future__ import annotations

import argparse
import re
from datetime import datetime
from typing import Any

from workflow.commands.common import add_common, now_of, repository, time_arg
from workflow.core import scaffold
from workflow.core.structure import KINDS, new_item_place
from workflow.core.thaitime import BANGKOK
from workflow.core.vocabulary import CATEGORY, DELIVERY, EFFECT, FORMAT, MEDIUM, NEWS_TYPE, PLAN, Vocabulary
from workflow.edges.files.atomic import create_file
from workflow.errors import EXIT_OK, KhaosanError

HELP = "สร้างไฟล์รายการใหม่จากแบบฟอร์ม"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SOURCE_FOR = {"meeting": "meeting", "inspection": "inspection"}
# Options whose values a schema lists (argparse dest -> option, schema field): checked against the
# repository's schemas once they are loaded, so that an overridden schema's values are the choices.
SCHEMA_OPTIONS = {
    "news_type": ("--news-type", NEWS_TYPE),
    "plan": ("--plan", PLAN),
    "news_format": ("--format", FORMAT),
    "category": ("--category", CATEGORY),
    "delivery": ("--delivery", DELIVERY),
    "medium": ("--medium", MEDIUM),
    "effect": ("--effect", EFFECT),
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("new", help=HELP, description=HELP)
    parser.add_argument("kind", choices=KINDS, help="ชนิดรายการ")
    parser.add_argument("--title", required=True, help="หัวข้อ/เรื่อง")
    parser.add_argument("--slug", help="ชื่อไฟล์ภาษาอังกฤษ (ค่าเริ่มต้น: สร้างจากประเภทและเวลา)")
    parser.add_argument("--author", help="ข่าว: รหัสผู้เขียน")
    parser.add_argument("--news-type", default="general", help="ข่าว: ประเภทข่าว")
    parser.add_argument("--plan", default="proactive", help="ข่าว: แผนการประชาสัมพันธ์")
    parser.add_argument("--format", dest="news_format", default="press-release", help="ข่าว: รูปแบบข่าว")
    parser.add_argument("--topic-group", help="ข่าว: กลุ่มเจ้าของเรื่อง (ค่าเริ่มต้น: กลุ่มของผู้เขียน)")
    parser.add_argument("--starts-at", help="ข่าว: เวลาเริ่มกิจกรรม")
    parser.add_argument("--ends-at", help="ข่าว: เวลาเสร็จกิจกรรม")
    parser.add_argument("--requester", help="ข้อมูลเผยแพร่: รหัสผู้ขอ")
    parser.add_argument("--category", help="ข้อมูลเผยแพร่: หมวด")
    parser.add_argument("--category-other", help="ข้อมูลเผยแพร่: หัวข้อเมื่อหมวดเป็น other")
    parser.add_argument("--delivery", default="email", help="ข้อมูลเผยแพร่: ลักษณะการส่งไฟล์")
    parser.add_argument("--outlet", help="ข่าวจากสื่อ: ชื่อสื่อ")
    parser.add_argument("--medium", default="online", help="ข่าวจากสื่อ: ประเภทสื่อ")
    parser.add_argument("--effect", default="neutral", help="ข่าวจากสื่อ: ผลต่อหน่วยงาน")
    parser.add_argument("--url", help="ข่าวจากสื่อ: ลิงก์")
    parser.add_argument("--recorded-by", help="ข่าวจากสื่อ: รหัสผู้บันทึก")
    add_common(parser)
    parser.set_defaults(run=run)


def check_choices(args: argparse.Namespace, vocabulary: Vocabulary) -> None:
    """Each schema-listed option is one of the schema's values (the hint lists them with their labels)."""
    for dest, (option, field) in SCHEMA_OPTIONS.items():
        value = getattr(args, dest, None)
        choices = vocabulary.labels(field)
        if value is not None and choices and value not in choices:  # no labels: `check` judges the value
            listed = ", ".join(f"{v} ({label})" for v, label in choices.items())
            raise KhaosanError("KS903", f"{option} '{value}' ใช้ไม่ได้", f"เลือกจาก: {listed}")


def _need(value: str | None, option: str) -> str:
    if not value:
        raise KhaosanError("KS903", f"ต้องระบุ {option}", f"เพิ่ม {option} ในคำสั่ง")
    return value


def _event(name: str, starts: datetime | None, ends: datetime | None, stamp: datetime) -> dict[str, Any]:
    """The event's times as given; one not given is the other (or now), marked: start = end is "never set"."""

    def written(moment: datetime | None, other: datetime | None) -> str | scaffold.Unfilled:
        if moment is not None:
            return moment.isoformat()
        return scaffold.Unfilled((other or stamp).isoformat(), scaffold.TIMES_NOTE)

    return {
        "name": name,
        "place": scaffold.blank(),
        "starts_at": written(starts, ends),
        "ends_at": written(ends, starts),
    }


def values_for(args: argparse.Namespace, office: Any, now: datetime) -> dict[str, Any]:
    """Field values for the new item."""
    stamp = now.astimezone(BANGKOK).replace(second=0, microsecond=0)
    iso = stamp.isoformat()
    if args.kind == "news":
        author = _person(office, _need(args.author, "--author"))
        starts = time_arg(args.starts_at, "--starts-at")
        ends = time_arg(args.ends_at, "--ends-at")
        values: dict[str, Any] = {
            "type": "news",
            "title": args.title,
            "summary": scaffold.blank(),
            "news_type": args.news_type,
            "plan": args.plan,
            "format": args.news_format,
            "source": _SOURCE_FOR.get(args.news_type, "document"),
            "author": author,
            "topic_group": args.topic_group or office.people[author].group,
            "produced_at": iso,
            "channels": ["website"],
            "images": [],
            "attachments": [],
            "sources": [],
            "approvals": [],
        }
        if office.standards.get(args.news_type) and args.news_type != "general":
            values["event"] = _event(args.title, starts, ends, stamp)
        return values
    if args.kind == "disclosure":
        category = _need(args.category, "--category")
        values = {
            "type": "disclosure",
            "title": args.title,
            "category": category,
            "requester": _person(office, _need(args.requester, "--requester")),
            "requested_at": iso,
            "detail": args.title,
            "delivery": args.delivery,
            "attachments": [],
            "images": [],
            "sources": [],
            "webmaster": None,
            "live_check": None,
            "approvals": [],
        }
        if category == "other":
            values["category_other"] = _need(args.category_other, "--category-other")
        return values
    values = {
        "type": "clipping",
        "title": args.title,
        "outlet": _need(args.outlet, "--outlet"),
        "medium": args.medium,
        "published_on": stamp.date().isoformat(),
        "effect": args.effect,
        "about": [],
        "summary": scaffold.blank(),
        "images": [],
        "sources": [],
        "approvals": [],
    }
    if args.url:
        values["url"] = args.url
    if args.recorded_by:
        values["recorded_by"] = _person(office, args.recorded_by)
    return values


def _person(office: Any, person_id: str) -> str:
    if person_id not in office.people:
        raise KhaosanError(
            "KS201", f"ไม่รู้จักรหัสบุคคล '{person_id}'", "ใช้รหัสจาก office.yml เช่น " + ", ".join(list(office.people)[:3])
        )
    return person_id


def run(args: argparse.Namespace) -> int:
    repo = repository(args)
    check_choices(args, repo.schemas.vocabulary)
    office, _problems = repo.office()
    if office is None:
        raise KhaosanError("KS903", "office.yml มีข้อผิดพลาด", "รัน khaosan check เพื่อดูรายละเอียด")
    now = now_of(args)
    values = values_for(args, office, now)
    folder, base = new_item_place(args.kind, values, now)
    schema = repo.schemas.bundled[args.kind]
    text = scaffold.render(schema, values, scaffold.PLACEHOLDER_BODIES[args.kind])
    if args.slug:
        if not _SLUG.match(args.slug):
            raise KhaosanError("KS210", f"--slug '{args.slug}' ใช้ไม่ได้", "ใช้อักษรอังกฤษตัวเล็ก ตัวเลข และ - เท่านั้น")
        candidates = [args.slug]
    else:
        candidates = [base] + [f"{base}-{n}" for n in range(2, 100)]
    for slug in candidates:
        target = repo.content / folder / f"{slug}.md"
        try:
            create_file(target, text.encode("utf-8"))
        except FileExistsError:
            continue
        print(f"สร้าง {repo.rel(target)} แล้ว — กรอกส่วนที่เหลือ แล้วตรวจด้วย khaosan check {repo.rel(target)}")
        if "event" in values and not (args.starts_at and args.ends_at):
            print("อย่าลืมแก้ event.starts_at และ event.ends_at เป็นเวลาจริงของกิจกรรม (ใช้คำนวณมาตรฐานเวลา)")
        return EXIT_OK
    raise KhaosanError("KS902", f"content/{folder}/{candidates[0]}.md", "ใช้ --slug ตั้งชื่อไฟล์ใหม่")
