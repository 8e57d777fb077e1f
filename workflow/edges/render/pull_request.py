"""The comment `khaosan pr-check` writes on a pull request: short Thai Markdown people read on their phones.

A pure function of the reviews' outcome (`core/reviews.py`), the items' deadlines
and the check's error counts: per item its kind, deadline and time left, each
step's signer or who may sign it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime

from workflow.core.deadlines import Deadline
from workflow.core.reviews import ItemReview, StepReview, summarise
from workflow.core.signoffs import REQUIRED_STEPS, eligibility
from workflow.core.structure import Item, Office, Person
from workflow.core.thaitime import format_datetime, format_duration
from workflow.core.vocabulary import KIND

COMPACT_AFTER = 6  # more items than this: the fully signed ones take one line each
_HEAD = {"success": "✅", "pending": "⏳", "failure": "❌"}


_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_PUNCTUATION = frozenset("!\"#$%'()*+,-./:;=?@[\\]^_`{|}~")
_JOINER = "\u2060"  # WORD JOINER: invisible, and no mention or autolink spans it


def plain(text: str) -> str:
    """Text from an item or office.yml as data, never Markdown: no link, image, mention, HTML,
    heading or list can come of it on GitHub (every ASCII punctuation escaped, `<>&` as entities,
    mentions and autolinks broken by a word joiner, line breaks as spaces)."""
    out = []
    for ch in " ".join(text.split()):
        out.append(_ENTITIES.get(ch) or ("\\" + ch if ch in _PUNCTUATION else ch))
        if ch == "@":
            out.append(_JOINER)
    return "".join(out).replace("\\:\\/", "\\:" + _JOINER + "\\/").replace("www\\.", "www" + _JOINER + "\\.")


def code(text: str) -> str:
    """`text` as an inline code span, whatever backticks it holds (a fence longer than any run in it)."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {' '.join(text.split())} {fence}"


def _breadth(item: Item, office: Office, person: Person) -> int:
    """How many of the item's steps the person may give: the most specific signers are named first."""
    return sum(eligibility(step, item, office).allows(person) for step in REQUIRED_STEPS.get(item.kind, ()))


def _short(moment: datetime, digits: str) -> str:
    return format_datetime(moment, digits=digits, short=True)


def _deadline_line(due: Deadline, now: datetime, digits: str) -> str:
    left = due.at - now
    when = f"เหลือ {format_duration(left)}" if left.total_seconds() >= 0 else f"เลยกำหนด {format_duration(left)}"
    return f"⏰ {due.label} {_short(due.at, digits)} ({when})  "


def _step_line(state: StepReview, item: Item, office: Office) -> str:
    if state.status == "signed" and state.by and state.at:
        return f"✅ {state.label}: {plain(office.people[state.by].name)} {_short(state.at, office.date_digits)}  "
    order = sorted(
        (p for p in state.eligible if p in office.people),
        key=lambda p: (p != state.by, _breadth(item, office, office.people[p])),
    )
    names = [plain(office.people[p].name) for p in order]
    with_login = [f"@{office.people[p].github}" for p in order if office.people[p].github]
    shown = ", ".join(with_login[:4]) if with_login else ", ".join(names[:3])
    if state.status == "stale" and state.by:
        why = f"⚠️ {state.label}: {plain(office.people[state.by].name)} อนุมัติก่อนแก้ไข ต้องอนุมัติใหม่"
    else:
        why = f"⬜ {state.label}: รอ"
    return f"{why} — ลงนามได้: {shown or state.rule}  "


def _item_lines(result: ItemReview, office: Office, now: datetime, deadlines: list[Deadline], errors: int) -> list[str]:
    item = result.item
    lines = [f"**{office.vocabulary.label(KIND, item.kind)}: {plain(item.title)}**  ", f"{code(item.id)}  "]
    lines += [_deadline_line(due, now, office.date_digits) for due in deadlines]
    if result.urgent and not result.complete:
        lines.append("🚨 เผยแพร่ด่วน — ยังรอลงนาม  ")
    lines += [_step_line(state, item, office) for state in result.steps]
    count = errors + len(result.errors)
    if count:
        lines.append(f"❌ ข้อผิดพลาด {count} รายการ (ดูในแท็บ Files changed)  ")
    return [*lines, ""]


def _system_lines(files: list[str]) -> list[str]:
    """A change to what the build runs or renders is no content: say so, so that nobody signs past it."""
    if not files:
        return []
    shown = ", ".join(code(f) for f in files[:5]) + (f" และอีก {len(files) - 5} ไฟล์" if len(files) > 5 else "")
    return [
        f"⚠️ คำขอนี้แก้ไขไฟล์ของระบบ {len(files)} ไฟล์: {shown}  ",
        "ต้องให้ผู้ดูแลระบบตาม .github/CODEOWNERS ตรวจและอนุมัติก่อนรวม การลงนามรายการไม่ครอบคลุมไฟล์เหล่านี้  ",
        "",
    ]


def comment_text(
    results: Iterable[ItemReview],
    office: Office,
    now: datetime,
    deadlines: Mapping[str, list[Deadline]],
    check_errors: Mapping[str, int],
    unknown: Iterable[str] = (),
    marker: str = "",
    ineligible: Iterable[str] = (),
    system_files: Iterable[str] = (),
) -> str:
    """Short Thai Markdown: per item its kind, deadline and time left, each step's signer or who may sign."""
    results = list(results)
    summary = summarise(results, sum(check_errors.values()))
    lines = [marker] if marker else []
    lines += [
        f"### {_HEAD[summary.state]} การลงนาม: {summary.description}",
        f"ตรวจเมื่อ {_short(now, office.date_digits)}",
        "",
    ]
    lines += _system_lines(list(system_files))
    if not results:
        lines.append("คำขอนี้ไม่มีไฟล์รายการ (content/…/*.md) ที่ต้องลงนาม")
    compact = len(results) > COMPACT_AFTER
    for result in results:
        errors = check_errors.get(result.path, 0)
        if compact and result.complete and not errors and not result.errors:
            lines.append(f"✅ {code(result.item.id)} ลงนามครบ  ")
        else:
            lines += _item_lines(result, office, now, deadlines.get(result.path, []), errors)
    lines += [f"ℹ️ @{login} ไม่มีชื่อใน office.yml การอนุมัติจึงไม่นับ  " for login in unknown]
    lines += [f"ℹ️ @{login} ไม่มีสิทธิ์ลงนามรายการใดในคำขอนี้ การอนุมัติจึงไม่นับ  " for login in ineligible]
    lines.append("<sub>อนุมัติด้วยปุ่ม Review → Approve · บันทึกลงไฟล์ด้วย khaosan pr-record</sub>")
    return "\n".join(lines).rstrip() + "\n"
