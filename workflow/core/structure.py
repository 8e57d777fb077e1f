"""The domain model: the office, its people, and one content item.

Built from data that already passed its schema, so constructors trust shapes
and only cross-reference checks remain (in `office.py` and `rules.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("news", "disclosure", "clipping")
KIND_FOLDER = {"news": "news", "disclosure": "disclosures", "clipping": "clippings"}
FOLDER_KIND = {v: k for k, v in KIND_FOLDER.items()}

# Front matter keys that record the process, not the content (DOMAIN.md):
# left out of the digest so that recording a sign-off does not change it.
PROCESS_KEYS = frozenset({"approvals", "channels", "webmaster", "live_check", "urgent", "withdrawn"})

NEWS_TYPES = {
    "meeting": "ข่าวสรุปผล/ประเด็นสำคัญจากการประชุม",
    "inspection": "ข่าวการติดตามคณะผู้บริหารตรวจราชการในพื้นที่",
    "press-conference": "ข่าวประชาสัมพันธ์เพื่อการแถลงข่าว",
    "general": "ข่าวทั่วไป",
}
CATEGORIES = {
    "organization": "ข้อมูลพื้นฐานเกี่ยวกับโครงสร้าง ภารกิจ และผู้บริหาร",
    "policy-strategy": "นโยบายและยุทธศาสตร์",
    "action-plan": "แผนปฏิบัติราชการประจำปี และการติดตามประเมินผลการดำเนินการตามแผน",
    "procurement": "ข้อมูลการจัดซื้อจัดจ้าง",
    "work-manual": "มาตรฐานหรือคู่มือการปฏิบัติงานส่วนบุคคล",
    "service-standard": "มาตรฐานและขั้นตอนการให้บริการ",
    "other": "ข้อมูลข่าวสารอื่น ๆ",
}
KIND_LABELS = {"news": "ข่าวประชาสัมพันธ์", "disclosure": "ข้อมูลข่าวสารเผยแพร่ต่อสาธารณะ", "clipping": "ข่าวจากสื่อมวลชน"}
ROLE_LABELS = {
    "director": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
    "deputy-director": "รองผู้อำนวยการ",
    "group-director": "ผู้อำนวยการกลุ่ม",
    "pr-officer": "นักประชาสัมพันธ์",
    "webmaster": "ผู้ดูแลเว็บไซต์",
    "staff": "บุคลากร",
}
STEP_LABELS = {
    "facts": "ยืนยันข้อเท็จจริง",
    "check": "ตรวจสอบก่อนเผยแพร่",
    "content": "ผอ.กลุ่มตรวจสอบเนื้อหา",
    "permit": "ผู้อำนวยการอนุญาตให้เผยแพร่",
}


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    position: str
    group: str
    roles: frozenset[str]
    github: str | None = None

    def has(self, role: str) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class Deadline:
    anchor: str  # "starts_at" | "ends_at"
    hours: float


@dataclass(frozen=True)
class Standard:
    label: str = ""
    produce: Deadline | None = None
    publish: Deadline | None = None


@dataclass(frozen=True)
class Office:
    name: str
    short_name: str
    site_url: str
    groups: dict[str, str]
    people: dict[str, Person]
    standards: dict[str, Standard]
    channels: dict[str, str]
    date_digits: str = "arabic"
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # Derived answers that depend only on the office (who may sign what): computed once per run.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def person(self, person_id: str) -> Person | None:
        return self.people.get(person_id)


@dataclass(frozen=True)
class Item:
    """One parsed content file. `data` is the front matter as loaded."""

    id: str
    path: str  # repository-relative, e.g. content/news/2569/x.md
    data: dict[str, Any]
    body: str
    yaml_text: str = field(repr=False, default="")
    yaml_first_line: int = 2

    @property
    def kind(self) -> str:
        return str(self.data.get("type", ""))

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))

    @property
    def approvals(self) -> list[dict[str, Any]]:
        value = self.data.get("approvals")
        return value if isinstance(value, list) else []

    @property
    def owner(self) -> str | None:
        """The person whose item it is: nobody signs off their own."""
        key = {"news": "author", "disclosure": "requester", "clipping": "recorded_by"}.get(self.kind)
        value = self.data.get(key) if key else None
        return value if isinstance(value, str) else None


def item_id_for(path: str) -> str | None:
    """`content/news/2569/x.md` -> `news/2569/x`; None outside `content/`."""
    if not path.startswith("content/") or not path.endswith(".md"):
        return None
    return path[len("content/") : -len(".md")]
