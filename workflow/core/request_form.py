"""The seed's request form (แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูลข่าวสาร) filled from a disclosure and its git record.

Pure: the parsed item, its evaluated sign-offs, the office and (when the repository has its
history) the item's record on the main branch in; the form's fields out, as text, in the
order and the parts of the paper form. What the record does not hold stays a dotted line to
fill in by hand, as on paper: the form never invents a value.

Part 1: the requester, position, group, date, detail, category (the seven boxes), subject,
delivery, and the signatures of the requester and the one who permitted it; the sign-offs
with names, positions, times and how each was given; part 2: the webmaster's received /
completed times; part 3: the group director's publication date and the live-page check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workflow.core.publication_history import ItemRecord
from workflow.core.signoffs import Signoffs
from workflow.core.structure import Item, Office, Person
from workflow.core.thaitime import BANGKOK, THAI_MONTHS, format_date, format_datetime, parse_time, thai_digits

BLANK = "." * 24  # a value the record does not hold: written in by hand, as on the paper form
TITLE = "แบบฟอร์มการขออนุญาตเผยแพร่ข้อมูลข่าวสาร"
STATUS_LABELS = {"signed": "ลงนามแล้ว", "stale": "ลงนามไว้ก่อนเนื้อหาเปลี่ยน (ต้องลงนามใหม่)", "missing": "ยังไม่ได้ลงนาม"}


@dataclass(frozen=True)
class Box:
    label: str
    checked: bool


@dataclass(frozen=True)
class Signature:
    role: str  # ผู้ขออนุญาต, ผู้อนุญาต, ผู้ดูแลเว็บไซต์, ผู้ตรวจสอบ
    name: str
    position: str
    note: str = ""  # when and how it was given, from the record


@dataclass(frozen=True)
class SignoffLine:
    step: str  # the step's Thai label
    name: str
    position: str
    at: str
    how: str  # บนกระดาษ / อนุมัติบน GitHub (its address)
    status: str


@dataclass(frozen=True)
class RequestForm:
    title: str
    subtitle: str
    date: str
    to: str
    requester: str
    position: str
    group: str
    detail: str
    intent: str
    categories: tuple[Box, ...]
    subject: str
    deliveries: tuple[Box, ...]
    part1: tuple[Signature, ...]
    signoffs: tuple[SignoffLine, ...]
    received: str
    completed: str
    webmaster: Signature
    checker: Signature
    published: str
    verified: str
    record: tuple[tuple[str, str], ...]  # what the form was filled from: item, digest, commits

    def texts(self) -> list[str]:
        """Every text of the form, in order (what a reader of the PDF or DOCX must find)."""
        out = [self.title, self.subtitle, self.date, self.to, self.requester, self.position, self.group]
        out += [self.detail, self.intent, *(b.label for b in self.categories), self.subject]
        out += [b.label for b in self.deliveries]
        for s in (*self.part1, self.webmaster, self.checker):
            out += [s.role, s.name, s.position, s.note]
        for line in self.signoffs:
            out += [line.step, line.name, line.position, line.at, line.how, line.status]
        out += [self.received, self.completed, self.published, self.verified]
        out += [f"{k}: {v}" for k, v in self.record]
        return [t for t in out if t]


def _time(value: Any) -> datetime | None:
    try:
        return parse_time(str(value)) if value else None
    except ValueError:
        return None


def _when(moment: datetime | None, office: Office) -> str:
    return format_datetime(moment, digits=office.date_digits) if moment else BLANK


def paper_date(moment: datetime | None, office: Office) -> str:
    """`วันที่ 10 เดือน พฤศจิกายน พ.ศ. 2568`: the form's date line."""
    if moment is None:
        return f"วันที่ {BLANK} เดือน {BLANK} พ.ศ. {BLANK}"
    local = moment.astimezone(BANGKOK)
    text = f"วันที่ {local.day} เดือน {THAI_MONTHS[local.month - 1]} พ.ศ. {local.year + 543}"
    return thai_digits(text) if office.date_digits == "thai" else text


def _person(office: Office, person_id: Any) -> Person | None:
    return office.person(str(person_id)) if person_id else None


def _signature(role: str, person: Person | None, note: str = "") -> Signature:
    return Signature(role, person.name if person else BLANK, person.position if person else BLANK, note)


def _approval(item: Item, step: str, by: str | None) -> dict[str, Any]:
    for approval in item.approvals:
        if isinstance(approval, dict) and approval.get("step") == step and approval.get("by") == by:
            return approval
    return {}


def _how(approval: dict[str, Any]) -> str:
    if approval.get("review"):
        return f"อนุมัติบน GitHub ({approval['review']})"
    if approval.get("paper"):
        return "ลงนามบนกระดาษ (บันทึกด้วย khaosan approve)"
    return BLANK if not approval else "บันทึกในไฟล์"


def _group_director(office: Office, group: str | None) -> Person | None:
    return next((p for p in office.people.values() if p.group == group and p.has("group-director")), None)


def fill(
    item: Item,
    office: Office,
    signoffs: Signoffs,
    *,
    digest: str,
    published_at: datetime | None,
    published_commit: str | None,
    first_commit: str | None,
) -> RequestForm:
    """The form for one disclosure (the caller has checked that it is one and that it parses)."""
    data, vocabulary = item.data, office.vocabulary
    requester = _person(office, data.get("requester"))
    group = office.groups.get(requester.group, BLANK) if requester else BLANK
    category = str(data.get("category", ""))
    categories = tuple(
        Box(f"{label} (ระบุ) {data.get('category_other') or BLANK}" if key == "other" else label, key == category)
        for key, label in vocabulary.categories.items()
    )
    email = office.contact.email[0] if office.contact.email else BLANK
    delivery = str(data.get("delivery", ""))
    deliveries = tuple(
        Box(f"E-mail : {email}" if key == "email" else label, key == delivery)
        for key, label in vocabulary.labels("delivery").items()
    )
    lines = []
    signers: dict[str, Signature] = {}
    for step in signoffs.steps:
        person = _person(office, step.by)
        approval = _approval(item, step.step, step.by)
        at = _when(step.at, office) if step.at else BLANK
        lines.append(
            SignoffLine(
                step.label or step.step,
                person.name if person else BLANK,
                person.position if person else BLANK,
                at,
                _how(approval),
                STATUS_LABELS.get(step.status, step.status),
            )
        )
        signers[step.step] = _signature("", person, at if person else "")
    permit = signers.get("permit", _signature("", None))
    webmaster = data.get("webmaster") or {}
    live = data.get("live_check") or {}
    checker = _person(office, live.get("by")) or _group_director(office, requester.group if requester else None)
    requested = _time(data.get("requested_at"))
    record = [("รายการ", item.id), ("ลายนิ้วมือเนื้อหา", digest)]
    if first_commit:
        record.append(("commit แรกที่มีรายการนี้", first_commit))
    if published_commit:
        record.append(("commit ที่เผยแพร่", published_commit))
    return RequestForm(
        title=TITLE,
        subtitle=f"บนเว็บไซต์{office.name}",
        date=paper_date(requested, office),
        to=f"เรียน ผู้อำนวยการ{office.name}",
        requester=requester.name if requester else BLANK,
        position=requester.position if requester else BLANK,
        group=group,
        detail=str(data.get("detail") or BLANK),
        intent=(f"มีความประสงค์ขอเผยแพร่ข้อมูลข่าวสาร เพื่อประชาสัมพันธ์บนเว็บไซต์{office.name} {office.site_url} ในหัวข้อ"),
        categories=categories,
        subject=str(data.get("title") or BLANK),
        deliveries=deliveries,
        part1=(
            _signature("ผู้ขออนุญาต", requester, _when(requested, office) if requested else ""),
            Signature("ผู้อนุญาต", permit.name, permit.position, permit.note),
        ),
        signoffs=tuple(lines),
        received=_when(_time(webmaster.get("received_at")), office),
        completed=_when(_time(webmaster.get("completed_at")), office),
        webmaster=_signature(vocabulary.label("roles", "webmaster"), _person(office, webmaster.get("by"))),
        checker=_signature("ผู้ตรวจสอบ", checker),
        published=format_date(published_at, digits=office.date_digits) if published_at else BLANK,
        verified=_when(_time(live.get("at")), office),
        record=tuple(record),
    )


# -- the six- and twelve-month summaries of what was published -------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    subject: str
    category: str
    requester: str  # name, position and group
    requested: str
    permitted: str  # who permitted it, when
    published: str
    checked: str  # the live-page check: who, when; or that it is still owed


@dataclass(frozen=True)
class PublicationSummary:
    title: str
    office: str
    period: str
    rows: tuple[SummaryRow, ...]
    by_category: tuple[tuple[str, int], ...]
    awaiting_check: int

    def texts(self) -> list[str]:
        out = [self.title, self.office, self.period]
        for row in self.rows:
            out += [
                row.subject,
                row.category,
                row.requester,
                row.requested,
                row.permitted,
                row.published,
                row.checked,
            ]
        return out + [f"{label} {count}" for label, count in self.by_category]


SUMMARY_TITLE = "สรุปการเผยแพร่ข้อมูลข่าวสารบนเว็บไซต์"
NOT_CHECKED = "ยังไม่ได้ตรวจบนเว็บไซต์"


def summarise(
    records: Iterable[ItemRecord], office: Office, start: datetime, end: datetime, label: str
) -> PublicationSummary:
    """Every disclosure published in [start, end) and still public, oldest first (the announcement's
    six- and twelve-month summaries): what, by whom, permitted by whom, published and checked when."""
    rows: list[tuple[datetime, SummaryRow]] = []
    counts: dict[str, int] = {}
    awaiting = 0
    for record in records:
        when = record.published_at
        if record.kind != "disclosure" or when is None or record.withdrawn_at is not None:
            continue
        if not start <= when < end:
            continue
        data = record.data or {}
        category = office.vocabulary.categories.get(str(data.get("category")), str(data.get("category")))
        counts[category] = counts.get(category, 0) + 1
        requester = _person(office, data.get("requester"))
        who = (
            f"{requester.name} {requester.position} {office.groups.get(requester.group, '')}".strip()
            if requester
            else BLANK
        )
        permit = next((s for s in record.signoffs if s.step == "permit" and s.current), None)
        permitter = _person(office, permit.by) if permit else None
        permitted = f"{permitter.name} {_when(permit.at, office)}" if permitter and permit else BLANK
        live = data.get("live_check") or {}
        checker = _person(office, live.get("by"))
        checked_at = _time(live.get("at"))
        if checker and checked_at:
            checked = f"{checker.name} {_when(checked_at, office)}"
        else:
            checked = NOT_CHECKED
            awaiting += 1
        row = SummaryRow(
            str(data.get("title") or record.id),
            category,
            who,
            _when(_time(data.get("requested_at")), office),
            permitted,
            _when(when, office),
            checked,
        )
        rows.append((when, row))
    ordered = tuple(row for _, row in sorted(rows, key=lambda pair: pair[0]))
    by_category = tuple(
        (label_, counts[label_]) for label_ in office.vocabulary.categories.values() if label_ in counts
    )
    return PublicationSummary(SUMMARY_TITLE, office.name, label, ordered, by_category, awaiting)
