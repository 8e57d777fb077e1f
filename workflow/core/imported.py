"""Posts of an office's earlier website → news items, each as `khaosan new` would lay it out.

What an imported item claims is what the earlier site can vouch for, no more:

- a post the old site published before the office adopted Khaosan keeps that
  time as `earlier_site.published_at` (DOMAIN.md, "Items from before Khaosan");
  one published on or after the adoption day cannot be back-dated (KS221), so it
  comes without `earlier_site` and is judged like any item of Khaosan's;
- a draft or a post awaiting review was never public: it comes as an item with
  no `earlier_site`, to be finished and signed like a new one; a scheduled post
  keeps its time as `publish_at`;
- nothing is signed: `approvals: []`. Signing is an act of a named person, done
  afterwards (`khaosan approve`, or a review in a pull request);
- private, password-protected and trashed posts, and pages, are not imported
  (a private post was never meant for the public; pages are the new site's own).

Which person is the author, which group answers for the facts, and the news
type, plan and format come from the office's mapping file when it gives them,
else from honest defaults: a general news item (no time standard: the old site
kept no event times), the plan and format `khaosan new` uses, the first PR
officer in office.yml. Every default is said in `Choices.said`, in Thai.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import count
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from workflow.core import scaffold
from workflow.core.deadlines import is_timed
from workflow.core.earlier import adoption_start
from workflow.core.htmlbody import (
    Converted,
    Gallery,
    Internal,
    Media,
    Note,
    Place,
    convert,
    plain_text,
    upload_path,
)
from workflow.core.structure import Office
from workflow.core.thaitime import BANGKOK, be_year
from workflow.core.wordpress import Entry, Export, plain

SOURCE_NAMES = {"wordpress": "WordPress", "rss": "ฟีด RSS", "atom": "ฟีด Atom"}
_FROM = {"wordpress": "นำเข้าจาก WordPress", "rss": "นำเข้าจากฟีด RSS", "atom": "นำเข้าจากฟีด Atom"}
DEFAULT_CHOICES = {"news_type": "general", "plan": "proactive", "format": "press-release"}
_SLUG_PART = re.compile(r"[^a-z0-9]+")
_URL = re.compile(r"^https?://[^\s]+$")
_QUOTE = re.compile(r"^ {0,3}>", re.MULTILINE)
_UNCATEGORISED = frozenset({"uncategorized", "ไม่มีหมวดหมู่"})
_SUMMARY_LENGTH = 300


class MappingError(ValueError):
    """The office's mapping file says something this office cannot mean (KS235)."""


@dataclass(frozen=True)
class CategoryChoice:
    news_type: str | None = None
    plan: str | None = None
    format: str | None = None
    topic_group: str | None = None


@dataclass(frozen=True)
class Choices:
    """Who wrote the posts and what kind of news they are: the mapping file's word, else the defaults."""

    author: str
    news_type: str
    plan: str
    format: str
    topic_group: str | None  # None: the author's group
    authors: Mapping[str, str] = field(default_factory=dict)  # WordPress login -> person id
    categories: Mapping[str, CategoryChoice] = field(default_factory=dict)  # category slug or name
    said: tuple[str, ...] = ()


@dataclass(frozen=True)
class Planned:
    """One post on its way to be an item: where it goes and what the earlier site vouches for."""

    entry: Entry
    state: str  # earlier, after-adoption, draft, scheduled
    produced: datetime
    folder: str  # under content/
    slug: str

    @property
    def path(self) -> str:
        return f"content/{self.folder}/{self.slug}.md"

    @property
    def be_year(self) -> int:
        return be_year(self.produced)


@dataclass(frozen=True)
class Skipped:
    entry: Entry
    why: str  # Thai


@dataclass(frozen=True)
class Plan:
    items: tuple[Planned, ...]
    skipped: tuple[Skipped, ...]
    others: int  # attachments, menus, revisions, …: not items, and not worth a line each


@dataclass(frozen=True)
class Site:
    """The export with its attachments indexed once (a post looks up its images by id and by path)."""

    export: Export
    by_id: Mapping[int, Entry]
    by_upload: Mapping[str, Entry]
    attached: Mapping[int, tuple[Entry, ...]]

    @classmethod
    def of(cls, export: Export) -> Site:
        files = [e for e in export.entries if e.kind == "attachment" and e.attachment_url]
        attached: dict[int, list[Entry]] = {}
        for entry in files:
            attached.setdefault(entry.parent, []).append(entry)
        return cls(
            export,
            {e.id: e for e in files},
            {upload_path(e.attachment_url): e for e in files},
            {k: tuple(v) for k, v in attached.items()},
        )


@dataclass(frozen=True)
class Written:
    text: str
    converted: Converted
    notes: tuple[Note, ...]


# -- choices ---------------------------------------------------------------------------------


def _default_author(office: Office) -> tuple[str, str]:
    for person in office.people.values():
        if person.has("pr-officer"):
            return person.id, f"{person.name} นักประชาสัมพันธ์คนแรกใน office.yml"
    first = next(iter(office.people.values()))
    return first.id, f"{first.name} บุคคลแรกใน office.yml (ไม่มีผู้มีบทบาท pr-officer)"


def _checked(office: Office, field_name: str, value: Any, where: str) -> str:
    allowed = {
        "news_type": office.vocabulary.news_types,
        "plan": office.vocabulary.plans,
        "format": office.vocabulary.formats,
        "topic_group": office.groups,
        "author": {p: p for p in office.people},
    }[field_name]
    if not isinstance(value, str) or value not in allowed:
        listed = ", ".join(list(allowed)[:12])
        raise MappingError(f"{where}: '{value}' ใช้ไม่ได้ (เลือกจาก {listed})")
    return value


def _category(office: Office, name: str, value: Any) -> CategoryChoice:
    if not isinstance(value, Mapping):
        raise MappingError(f"categories.{name}: ต้องเป็นชุดข้อมูล เช่น {{plan: policy}}")
    unknown = set(value) - {"news_type", "plan", "format", "topic_group"}
    if unknown:
        raise MappingError(f"categories.{name}: ไม่รู้จัก {', '.join(sorted(map(str, unknown)))}")
    return CategoryChoice(**{k: _checked(office, k, v, f"categories.{name}.{k}") for k, v in value.items()})


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, Mapping):
        raise MappingError(f"{key}: ต้องเป็นชุดข้อมูลแบบ ชื่อ: ค่า")
    return value


def choices_for(office: Office, export: Export, mapping: Any) -> Choices:
    """The mapping file's choices checked against office.yml and the schemas, the rest by default."""
    if mapping is not None and not isinstance(mapping, Mapping):
        raise MappingError("ไฟล์จับคู่ต้องเป็นชุดข้อมูลที่มี authors, categories หรือ defaults")
    data: Mapping[str, Any] = mapping or {}
    unknown = set(data) - {"authors", "categories", "defaults"}
    if unknown:
        raise MappingError(f"ไม่รู้จัก {', '.join(sorted(map(str, unknown)))} (ใช้ authors, categories, defaults)")
    defaults = {k: _checked(office, k, v, f"defaults.{k}") for k, v in _section(data, "defaults").items()}
    authors = {str(k): _checked(office, "author", v, f"authors.{k}") for k, v in _section(data, "authors").items()}
    categories = {str(k): _category(office, str(k), v) for k, v in _section(data, "categories").items()}
    author, why = (defaults["author"], "จาก defaults ในไฟล์จับคู่") if "author" in defaults else _default_author(office)
    choices = Choices(
        author=author,
        news_type=defaults.get("news_type", DEFAULT_CHOICES["news_type"]),
        plan=defaults.get("plan", DEFAULT_CHOICES["plan"]),
        format=defaults.get("format", DEFAULT_CHOICES["format"]),
        topic_group=defaults.get("topic_group"),
        authors=authors,
        categories=categories,
    )
    return replace(choices, said=_said(office, export, choices, why))


def _said(office: Office, export: Export, choices: Choices, why: str) -> tuple[str, ...]:
    vocabulary = office.vocabulary
    lines = []
    logins = sorted({e.author for e in export.entries if e.kind == "post" and e.author})
    for login in logins:
        person = choices.authors.get(login)
        shown = export.authors.get(login, login)
        lines.append(
            f"ผู้เขียน {shown} ({login}) → {person} (จากไฟล์จับคู่)"
            if person
            else f"ผู้เขียน {shown} ({login}) → {choices.author} ({why})"
        )
    if not logins:
        lines.append(f"ผู้เขียน → {choices.author} ({why})")
    group = choices.topic_group or f"กลุ่มของผู้เขียน ({office.people[choices.author].group})"
    lines.append(f"กลุ่มเจ้าของเรื่อง (topic_group) → {group}")
    for key, label in (("news_type", "ประเภทข่าว"), ("plan", "แผนการประชาสัมพันธ์"), ("format", "รูปแบบข่าว")):
        value = getattr(choices, key)
        mapped = sum(1 for c in choices.categories.values() if getattr(c, key))
        extra = f" ยกเว้นหมวดที่ไฟล์จับคู่ระบุ {mapped} หมวด" if mapped else ""
        lines.append(f"{label} ({key}) → {value} = {vocabulary.label(key, value)}{extra}")
    return tuple(lines)


def _for_categories(entry: Entry, choices: Choices) -> CategoryChoice:
    """The first mapped category of the post wins, field by field."""
    merged: dict[str, str] = {}
    for term in entry.terms:
        if term.domain != "category":
            continue
        found = next(
            (choices.categories[k] for k in (term.slug, unquote(term.slug), term.name) if k in choices.categories), None
        )
        for key, value in found.__dict__.items() if found else ():
            if value and key not in merged:
                merged[key] = value
    return CategoryChoice(**merged)


# -- which posts, and as what ----------------------------------------------------------------------


_NOT_IMPORTED = {
    "private": "โพสต์ส่วนตัว (private): ไม่ได้มีไว้ให้ประชาชนเห็น",
    "trash": "อยู่ในถังขยะของเว็บไซต์เดิม",
}


def _state(entry: Entry, adopted: date, now: datetime) -> str | None:
    """earlier, after-adoption, draft or scheduled; None: not an item (the reason is `_skip_reason`'s)."""
    if entry.status in ("draft", "pending"):
        return "draft"
    if entry.status == "future" or (entry.status == "publish" and entry.when is not None and entry.when > now):
        return "scheduled" if entry.when is not None else "draft"
    if entry.status != "publish":
        return None
    if entry.when is None:
        return "draft"  # no time to vouch for
    start = adoption_start(adopted)
    return "after-adoption" if start is not None and entry.when >= start else "earlier"


def _skip_reason(entry: Entry) -> str | None:
    """Why a post or page is left out (None: an item, or not worth a line: menus, revisions, …)."""
    if entry.kind == "page":
        return "หน้า (page) ของเว็บไซต์เดิม: เว็บไซต์ใหม่มีหน้าเกี่ยวกับสำนักงานของตนเอง"
    if entry.kind != "post" or entry.status == "auto-draft":
        return None
    if entry.password:
        return "ตั้งรหัสผ่านไว้: ไม่ได้มีไว้ให้ประชาชนเห็น"
    return _NOT_IMPORTED.get(entry.status, f"สถานะ {entry.status}")


def _produced(entry: Entry, state: str, now: datetime) -> datetime:
    """When the text was written: the post's time, never later than now (a scheduled post was written
    before its time: its last edit)."""
    if state in ("earlier", "after-adoption") and entry.when is not None:
        return entry.when
    candidates = [t for t in (entry.modified, entry.when) if t is not None and t <= now]
    return (candidates[0] if candidates else now).astimezone(BANGKOK).replace(microsecond=0)


def _slug_tail(entry: Entry, source: str) -> str:
    """The post's own slug when it is ASCII; Thai slugs (percent-encoded) give `wp<id>`."""
    slug = entry.slug.lower()
    if slug and slug.isascii() and "%" not in slug:
        tail = _SLUG_PART.sub("-", slug).strip("-")[:48].strip("-")
        if tail:
            return tail
    if source == "wordpress":
        return f"wp{entry.id}"
    return "feed-" + hashlib.sha256(f"{entry.link}|{entry.title}".encode()).hexdigest()[:8]


def plan(export: Export, choices: Choices, adopted: date, now: datetime) -> Plan:
    """Every post that becomes an item, with its path; the ones left out, with why."""
    items: list[Planned] = []
    skipped: list[Skipped] = []
    others = 0
    taken: set[str] = set()
    for entry in export.entries:
        state = _state(entry, adopted, now) if entry.kind == "post" and not entry.password else None
        if state is None:
            why = _skip_reason(entry)
            if why is None:
                others += 1
            else:
                skipped.append(Skipped(entry, why))
            continue
        produced = _produced(entry, state, now)
        news_type = _for_categories(entry, choices).news_type or choices.news_type
        base = f"{news_type}-{produced:%Y%m%d}-{_slug_tail(entry, export.source)}"
        slug = base if base not in taken else next(f"{base}-{n}" for n in count(2) if f"{base}-{n}" not in taken)
        taken.add(slug)
        items.append(Planned(entry, state, produced, f"news/{be_year(produced)}", slug))
    return Plan(tuple(items), tuple(skipped), others)


def _link_key(url: str) -> str | None:
    """One spelling of a post's address: scheme, `www.`, a trailing slash and a fragment do not
    matter; of the query only WordPress's own post ids (`?p=123`, `?page_id=`) do."""
    try:
        parts = urlsplit(url.strip())
        query = parse_qs(parts.query)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    ids = [f"{k}={query[k][0]}" for k in ("p", "page_id") if query.get(k)]
    return f"{host}{unquote(parts.path).rstrip('/')}" + (f"?{ids[0]}" if ids else "")


def internal_links(export: Export, found: Plan) -> Internal:
    """Links between posts of the earlier site, by permalink or by `?p=` id, to the items they became
    (`{filename}/news/2568/x.md`, which the site resolves and the gate checks, KS721)."""
    table: dict[str, str] = {}
    for planned in found.items:
        target = "{filename}/" + planned.path.removeprefix("content/")
        entry = planned.entry
        shortlink = f"{export.link.rstrip('/')}/?p={entry.id}" if export.source == "wordpress" and entry.id else ""
        for url in (entry.link, shortlink):
            key = _link_key(url) if url else None
            if key is not None:
                table.setdefault(key, target)

    def lookup(url: str) -> str | None:
        key = _link_key(url)
        return None if key is None else table.get(key)

    return lookup


# -- the item's text --------------------------------------------------------------------------------


def _tags(entry: Entry) -> list[str]:
    names = [t.name for t in entry.terms if t.domain in ("category", "post_tag") and t.name]
    return list(dict.fromkeys(n for n in names if n.lower() not in _UNCATEGORISED))


def _summary(entry: Entry) -> str:
    text = " ".join(plain_text(entry.excerpt)) if entry.excerpt else ""
    return text[:_SUMMARY_LENGTH].rstrip()


def site_label(export: Export) -> str:
    return export.title or export.link or "เว็บไซต์เดิม"


def earlier_from(export: Export) -> str:
    return f"{_FROM[export.source]} ({site_label(export)})"


def _alt(attachment: Entry) -> str:
    """What WordPress says an image shows: its alt text, else its caption, else its title."""
    return attachment.meta.get("_wp_attachment_image_alt", "").strip() or plain(attachment.excerpt) or attachment.title


def _attachment_alt(site: Site, media: Media) -> str:
    for key in (media.upload, media.original):
        found = site.by_upload.get(key)
        if found is not None:
            return _alt(found)
    return ""


def _image_entries(converted: Converted, site: Site, entry: Entry) -> list[Any]:
    entries = []
    credit = site_label(site.export)
    for ref, media in converted.images:
        alt = media.alt or _attachment_alt(site, media) or f"ภาพประกอบ: {entry.title}"
        image: dict[str, str] = {"file": ref, "alt": alt, "credit": credit}
        if media.caption and media.caption != alt:
            image["caption"] = media.caption
        entries.append(image)
    return entries


def _event(planned: Planned, news_type: str, office: Office) -> dict[str, Any] | None:
    """A timed news type needs its event's times, which no WordPress post holds: marked for a person."""
    if not is_timed(office.standards.get(news_type)):
        return None
    moment = (planned.entry.when or planned.produced).isoformat()
    return {
        "name": planned.entry.title,
        "starts_at": scaffold.Unfilled(moment, scaffold.TIMES_NOTE),
        "ends_at": scaffold.Unfilled(moment, scaffold.TIMES_NOTE),
    }


def _values(planned: Planned, site: Site, choices: Choices, office: Office, converted: Converted) -> dict[str, Any]:
    entry, export = planned.entry, site.export
    category = _for_categories(entry, choices)
    news_type = category.news_type or choices.news_type
    author = choices.authors.get(entry.author, choices.author)
    values: dict[str, Any] = {
        "type": "news",
        "title": entry.title or f"ไม่มีหัวข้อ (โพสต์ที่ {entry.id} บนเว็บไซต์เดิม)",
        "news_type": news_type,
        "plan": category.plan or choices.plan,
        "format": category.format or choices.format,
        "source": "document",
        "author": author,
        "topic_group": category.topic_group or choices.topic_group or office.people[author].group,
        "produced_at": planned.produced.isoformat(),
        "channels": ["website"],
        "approvals": [],
    }
    summary = _summary(entry)
    if summary:
        values["summary"] = summary
    event = _event(planned, news_type, office)
    if event:
        values["event"] = event
    images = _image_entries(converted, site, entry)
    if images:
        values["images"] = images
    if converted.files:
        values["attachments"] = [
            {"file": ref, "title": m.title or ref.rsplit("/", 1)[-1]} for ref, m in converted.files
        ]
    if _QUOTE.search(converted.markdown):  # a quotation names its source (KS208): where it was published
        values["sources"] = [_source(export, entry)]
    tags = _tags(entry)
    if tags:
        values["tags"] = tags
    if planned.state == "scheduled" and entry.when is not None:
        values["publish_at"] = entry.when.isoformat()
    if planned.state == "earlier" and entry.when is not None:
        values["earlier_site"] = _earlier(export, entry)
    return values


def _source(export: Export, entry: Entry) -> dict[str, str]:
    source = {"title": f"{entry.title} ({site_label(export)})"}
    if _URL.match(entry.link):
        source["url"] = entry.link
    return source


def _earlier(export: Export, entry: Entry) -> dict[str, str]:
    assert entry.when is not None
    record = {"published_at": entry.when.astimezone(BANGKOK).isoformat()}
    if _URL.match(entry.link):
        record["url"] = entry.link
    record["from"] = earlier_from(export)
    return record


def gallery_for(site: Site, entry: Entry) -> Gallery:
    """`[gallery ids=…]`: those attachments; `[gallery]`: the images attached to the post."""

    def shown(ids: tuple[int, ...]) -> list[Media]:
        chosen = [site.by_id.get(i) for i in ids] if ids else list(site.attached.get(entry.id, ()))
        return [
            Media(a.attachment_url, upload_path(a.attachment_url), True, alt=_alt(a), caption=plain(a.excerpt))
            for a in chosen
            if a is not None
        ]

    return shown


def _featured(site: Site, entry: Entry) -> str:
    """The post's featured image, as an <img> leading its HTML (WordPress shows it above the text)."""
    thumbnail = entry.meta.get("_thumbnail_id", "")
    found = site.by_id.get(int(thumbnail)) if thumbnail.isdigit() else None
    if found is None:
        return ""
    return f'<img src="{_attribute(found.attachment_url)}" alt="{_attribute(_alt(found))}">'


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def header(export: Export, entry: Entry, state: str) -> str:
    """The comment that opens the front matter: where the item came from (not content: not signed)."""
    where = re.sub(r"\s+", "", entry.link) or site_label(export)
    said = {
        "earlier": "เผยแพร่แล้วบนเว็บไซต์เดิม",
        "after-adoption": "เผยแพร่บนเว็บไซต์เดิมหลังวันเริ่มใช้ระบบ: ไม่มี earlier_site",
        "draft": f"ฉบับร่าง ({entry.status}) บนเว็บไซต์เดิม: ยังไม่เคยเผยแพร่",
        "scheduled": "ตั้งเวลาเผยแพร่ไว้บนเว็บไซต์เดิม: ไม่เผยแพร่ก่อน publish_at",
    }[state]
    return f"# {earlier_from(export)}: {where} ({said}) ยังไม่มีผู้ลงนาม\n"


def item_text(
    planned: Planned,
    site: Site,
    choices: Choices,
    office: Office,
    schema: dict[str, Any],
    place: Place,
    internal: Internal | None = None,
) -> Written:
    """The item's whole text (front matter laid out as `khaosan new` does, then the Markdown body)."""
    entry = planned.entry
    converted = convert(
        _featured(site, entry) + entry.content,
        base=entry.link or site.export.link,
        place=place,
        gallery=gallery_for(site, entry),
        internal=internal,
    )
    values = _values(planned, site, choices, office, converted)
    text = scaffold.render(schema, values, converted.markdown)
    text = "---\n" + header(site.export, entry, planned.state) + text[len("---\n") :]
    notes = list(converted.notes)
    if "sources" in values:
        notes.append(Note("KS237", "มีข้อความอ้างอิง (>): ใส่โพสต์เดิมเป็นแหล่งที่มาแล้ว ตรวจและระบุแหล่งที่มาจริง"))
    return Written(text, converted, tuple(notes))
