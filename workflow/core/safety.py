"""Safe to publish: personal data, attachments, links, as problems with a place and a fix.

Pure. Runs only in the publish gate (`check --publish`) and `build`: the edge
hands in what it found inside each referenced file (`Attachment`), extracted
once per file hash per run. Plain `check` never pays for any of this.

Decisions (docs/safety.md):
- A PDPA finding is an error unless the item records a reviewed exception
  (`pdpa_allow: [{match, reason, by}]`, part of the digest: approvers see it).
  An exception that matches nothing is a warning, so none lingers unseen.
- Image GPS position and camera owner are stripped from the staged copy at
  build (`workflow/edges/site/scrub/`); the gate warns so the person knows.
- Attachments: type by content, the office's allowed types and size limit,
  executables, macros and encrypted PDFs refused; a PDF/DOCX author naming a
  person is a warning (the file itself may be fine; its metadata is not).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from workflow.core import pdpa
from workflow.core.digest import _BODY_REF
from workflow.core.problems import Path, Problem, problem
from workflow.core.structure import AttachmentPolicy, Item, Office

# A file that cannot be opened cannot be scanned for personal data. Warning for now (test fixtures and
# sample data use placeholder PDFs); "error" makes the gate refuse what it cannot read.
UNREADABLE_SEVERITY: Literal["error", "warning"] = "warning"
# What each extension promises; the content must keep the promise.
EXTENSION_TYPES = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
    "gif": "gif",
    "webp": "webp",
    "doc": "ole",
    "xls": "ole",
    "ppt": "ole",
    "zip": "zip",
    "txt": "text",
    "csv": "text",
    "docm": "macro",
    "xlsm": "macro",
    "pptm": "macro",
    "dotm": "macro",
    "xltm": "macro",
}
EXECUTABLE_EXTENSIONS = frozenset(
    {
        "exe",
        "com",
        "bat",
        "cmd",
        "msi",
        "scr",
        "ps1",
        "vbs",
        "vbe",
        "js",
        "jse",
        "wsf",
        "jar",
        "apk",
        "sh",
        "dll",
        "lnk",
        "hta",
        "cpl",
        "app",
        "dmg",
    }
)
REFUSED_KINDS = {"exe": "ไฟล์โปรแกรม", "macro": "เอกสารที่มีมาโคร", "script": "สคริปต์"}
TYPE_LABELS = {
    "pdf": "PDF",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "pptx": "PowerPoint (.pptx)",
    "jpeg": "ภาพ JPEG",
    "png": "ภาพ PNG",
    "gif": "ภาพ GIF",
    "webp": "ภาพ WebP",
    "ole": "เอกสาร Office รุ่นเก่า",
    "zip": "ไฟล์ ZIP",
    "text": "ข้อความ",
    "exe": "ไฟล์โปรแกรม",
    "macro": "เอกสารที่มีมาโคร",
    "script": "สคริปต์",
    "unknown": "ไม่ทราบชนิด",
    "empty": "ไฟล์ว่าง",
}
# A link to another item: [..](/news/2569/x/), [..]({filename}/news/2569/x.md), [..](/disclosures/a/b)
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_ITEM_LINK = re.compile(r"^(?:\{filename\}|\{index\})?/?((?:news|clippings)/[^/]+/[^/#?]+|disclosures/[^/]+/[^/#?]+)")
_OUTSIDE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_HONORIFIC = re.compile(r"นาย|นาง|น\.ส\.|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง|^(?:mr|mrs|ms|miss|dr)\.?\s", re.IGNORECASE)
_NOT_A_PERSON = re.compile(
    r"\b(?:microsoft|office|user|windows|admin|word|excel|adobe|acrobat|canon|epson|scanner|"
    r"computer|owner|pc|hp|brother|ricoh|xerox|fuji|google|libreoffice|writer)\b",
    re.IGNORECASE,
)
_LATIN_NAME = re.compile(r"^[A-Z][a-z]+(?:\s+[A-Z][a-z.]+)+$")


@dataclass(frozen=True)
class Attachment:
    """What the edge found in one referenced file (never its bytes)."""

    ref: str
    size: int
    kind: str  # by content: a key of TYPE_LABELS
    texts: tuple[tuple[str, str], ...] = ()  # (where in the file, e.g. "หน้า 3", its text)
    authors: tuple[str, ...] = ()  # document metadata: author, last modified by
    encrypted: bool = False
    error: str = ""  # could not be read: why
    gps: bool = False  # image EXIF holds a position
    owner: str = ""  # image EXIF camera owner / artist
    read: bool = True  # False: not opened (too big, refused type)


@dataclass
class Exceptions:
    """The item's `pdpa_allow` entries, and which of them a finding used."""

    entries: list[tuple[int, set[str]]] = field(default_factory=list)
    used: set[int] = field(default_factory=set)

    def covers(self, finding: pdpa.Finding) -> bool:
        for index, forms in self.entries:
            if finding.match in forms or pdpa.normalise(finding.code, finding.match) in forms:
                self.used.add(index)
                return True
        return False


def extension(ref: str) -> str:
    name = ref.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _line_finder(body: str, body_first_line: int) -> Callable[[int], tuple[int, int]]:
    """(line, column) in the file of each offset in the body: the line starts found once, then a
    bisection each (50,000 findings counted newlines from the start each time: 6 s on 1 MiB)."""
    starts: list[int] = []  # found on the first question: most bodies never ask

    def place(offset: int) -> tuple[int, int]:
        if not starts:
            starts.extend([0, *(m.end() for m in re.finditer("\n", body))])
        index = bisect.bisect_right(starts, offset) - 1
        return body_first_line + index, offset - starts[index] + 1

    return place


def _pdpa_problem(path: str, f: pdpa.Finding, where_text: str, **place: Any) -> Problem:
    label = pdpa.LABELS[f.code]
    hint = (
        f"ลบหรือปิดบัง{label}ออกจาก{where_text} หรือถ้าผู้มีอำนาจตรวจแล้วว่าเปิดเผยได้ "
        f"ให้บันทึก pdpa_allow: [{{match: '{f.masked}' (ค่าเต็ม), reason: เหตุผล, by: รหัสผู้ตรวจ}}]"
    )
    return problem(f.code, path, detail=f"{f.masked} ใน{where_text}", hint=hint, **place)


def _exceptions(item: Item, office: Office) -> tuple[Exceptions, list[Problem]]:
    found: list[Problem] = []
    exceptions = Exceptions()
    for index, entry in enumerate(item.data.get("pdpa_allow") or []):
        if not isinstance(entry, dict):
            continue
        by = entry.get("by")
        if isinstance(by, str) and office.person(by) is None:
            found.append(problem("KS201", item.path, where=("pdpa_allow", index, "by"), detail=by))
        match = entry.get("match")
        if isinstance(match, str):
            exceptions.entries.append((index, pdpa.normalise_any(match)))
    return exceptions, found


def personal_data(
    item: Item,
    office: Office,
    attachments: Mapping[str, Attachment],
    body_first_line: int,
    refs: Iterable[str] = (),
) -> list[Problem]:
    """KS701–KS708 in everything published: the body (its links too), the front matter, the item's
    and its files' names, the files' texts; KS707 for exceptions that match nothing."""
    exceptions, found = _exceptions(item, office)
    allowed = office.allowed_contacts
    place = _line_finder(item.body, body_first_line)
    for f in pdpa.scan_text(item.body, allowed):
        if not exceptions.covers(f):
            line, column = place(f.start)
            found.append(_pdpa_problem(item.path, f, "เนื้อหา", line=line, column=column))
    found.extend(_field_findings(item, allowed, exceptions))
    found.extend(_name_findings(item, refs, allowed, exceptions, body_first_line))
    found.extend(_attachment_findings(item, attachments, allowed, exceptions, body_first_line))
    for index, _forms in exceptions.entries:
        if index not in exceptions.used:
            found.append(problem("KS707", item.path, where=("pdpa_allow", index, "match"), severity="warning"))
    return found


def _field_findings(item: Item, allowed: pdpa.Allowed, exceptions: Exceptions) -> Iterator[Problem]:
    fields = list(pdpa.strings(item.data))
    if not pdpa.scan_text("\n\n".join(value for _, value in fields), allowed):
        return  # one pass over all of them finds nothing: no need to look key by key
    for keys, value in fields:
        for f in pdpa.scan_text(value, allowed):
            if not exceptions.covers(f):
                name = ".".join(map(str, keys))
                yield _pdpa_problem(item.path, f, f"ส่วนหัว ({name})", where=keys)


def _name_findings(
    item: Item, refs: Iterable[str], allowed: pdpa.Allowed, exceptions: Exceptions, body_first_line: int
) -> Iterator[Problem]:
    """Names become addresses (the page's URL, the file's link, the sitemap, the open data)."""
    for f in pdpa.scan_name(item.path, allowed):
        if not exceptions.covers(f):
            yield _pdpa_problem(item.path, f, f"ชื่อไฟล์รายการ {item.path}", line=1, column=1)
    for ref in dict.fromkeys(refs):
        for f in pdpa.scan_name(ref, allowed):
            if not exceptions.covers(f):
                yield _pdpa_problem(item.path, f, f"ชื่อไฟล์ content/{ref}", **_ref_place(item, ref, body_first_line))


def _attachment_findings(
    item: Item,
    attachments: Mapping[str, Attachment],
    allowed: pdpa.Allowed,
    exceptions: Exceptions,
    body_first_line: int,
) -> Iterator[Problem]:
    for ref, info in attachments.items():
        where = _ref_place(item, ref, body_first_line)
        for place, text in info.texts:
            for f in pdpa.scan_text(text, allowed):
                if not exceptions.covers(f):
                    yield _pdpa_problem(item.path, f, f"ไฟล์แนบ content/{ref} {place}", **where)


def _ref_place(item: Item, ref: str, body_first_line: int) -> dict[str, Any]:
    """Where a person fixes a file reference: its front matter entry, else its body link."""
    for key in ("attachments", "images"):
        for index, entry in enumerate(item.data.get(key) or []):
            if isinstance(entry, dict) and entry.get("file") == ref:
                where: Path = (key, index, "file")
                return {"where": where}
    for m in _BODY_REF.finditer(item.body):
        if m.group(1) == ref:
            line, column = _line_finder(item.body, body_first_line)(m.start(1))
            return {"line": line, "column": column}
    return {"where": ()}


def attachment_problems(
    item: Item, office: Office, attachments: Mapping[str, Attachment], body_first_line: int
) -> Iterator[Problem]:
    """KS706, KS711–KS718 for every referenced file the edge could look at."""
    people = [p.name for p in office.people.values()]
    for ref, info in attachments.items():
        place = _ref_place(item, ref, body_first_line)
        name = f"content/{ref}"
        refused = _refusal(item.path, name, extension(ref), info, office.attachments, place)
        if refused is not None:
            yield refused
            continue
        for author in info.authors:
            if names_a_person(author, people):
                yield problem("KS716", item.path, detail=f"{name}: '{author}'", severity="warning", **place)
        if info.gps or info.owner:
            what = " และ ".join(
                w for w in ("พิกัด GPS" if info.gps else "", f"ชื่อเจ้าของกล้อง '{info.owner}'" if info.owner else "") if w
            )
            yield problem("KS706", item.path, detail=f"{name}: {what}", severity="warning", **place)


def _refusal(
    path: str, name: str, ext: str, info: Attachment, rules: AttachmentPolicy, place: dict[str, Any]
) -> Problem | None:
    """The one problem that stops looking further into a file (the first that applies), if any."""
    if info.kind == "empty":
        return problem("KS718", path, detail=name, **place)
    if info.size > rules.max_bytes:
        return problem("KS713", path, detail=f"{name} {info.size:,} ไบต์ เกิน {rules.max_bytes:,} ไบต์", **place)
    if ext in EXECUTABLE_EXTENSIONS or info.kind in REFUSED_KINDS or EXTENSION_TYPES.get(ext) == "macro":
        what = REFUSED_KINDS.get(info.kind) or (
            "เอกสารที่มีมาโคร" if EXTENSION_TYPES.get(ext) == "macro" else "ไฟล์โปรแกรม"
        )
        return problem("KS714", path, detail=f"{name} ({what})", **place)
    if info.error:  # a warning, not a block: placeholder and slightly broken PDFs are common (see docs)
        return problem(
            "KS717",
            path,
            detail=f"{name}: {info.error} จึงตรวจข้อมูลส่วนบุคคลในไฟล์ไม่ได้",
            severity=UNREADABLE_SEVERITY,
            **place,
        )
    return _type_refusal(path, name, ext, info, rules, place)


def _type_refusal(
    path: str, name: str, ext: str, info: Attachment, rules: AttachmentPolicy, place: dict[str, Any]
) -> Problem | None:
    promised = EXTENSION_TYPES.get(ext)
    if promised is not None and promised != info.kind:
        what = TYPE_LABELS.get(info.kind, info.kind)
        return problem("KS711", path, detail=f"{name} นามสกุล .{ext} แต่เนื้อไฟล์เป็น{what}", **place)
    if info.kind not in rules.allowed_types:
        return problem(
            "KS712",
            path,
            detail=f"{name} เป็น{TYPE_LABELS.get(info.kind, info.kind)}",
            hint=f"ใช้ไฟล์ชนิดที่ office.yml อนุญาต: {', '.join(sorted(rules.allowed_types))}",
            **place,
        )
    if info.encrypted:
        return problem("KS715", path, detail=name, **place)
    return None


def names_a_person(author: str, people: list[str]) -> bool:
    """Does document metadata name a person (rather than an office, a group or software)?"""
    text = author.strip()
    if not text:
        return False
    if _HONORIFIC.search(text):
        return True
    if _LATIN_NAME.match(text) and not _NOT_A_PERSON.search(text):
        return True
    squashed = text.replace(" ", "")
    return any(
        name.replace(" ", "").endswith(squashed) or squashed in name.replace(" ", "")
        for name in people
        if len(squashed) >= 4
    )


def link_problems(item: Item, item_ids: frozenset[str], body_first_line: int) -> Iterator[Problem]:
    """KS721: a link to another item that does not exist (files and images: KS207)."""
    place = _line_finder(item.body, body_first_line)
    for m in _LINK.finditer(item.body):
        target = m.group(1)
        link = _ITEM_LINK.match(target)
        if link is None or _OUTSIDE.match(target):
            continue
        item_id = link.group(1).removesuffix(".md").removesuffix(".html").removesuffix("/index")
        if item_id not in item_ids:
            line, column = place(m.start(1))
            yield problem("KS721", item.path, detail=target, line=line, column=column)


def outside_links(body: str) -> list[str]:
    """Links to other sites in a body, once each, in order (listed in the build report)."""
    return list(dict.fromkeys(m.group(1) for m in _LINK.finditer(body) if _OUTSIDE.match(m.group(1))))


def safety_problems(
    item: Item,
    office: Office,
    *,
    refs: list[str],
    inspect: Callable[[str], Attachment | None] | None,
    item_ids: frozenset[str],
    body_first_line: int,
) -> list[Problem]:
    attachments: dict[str, Attachment] = {}
    if inspect is not None:
        for ref in refs:
            info = inspect(ref)
            if info is not None:
                attachments[ref] = info
    found = list(attachment_problems(item, office, attachments, body_first_line))
    blocked = {p.detail.split(" ", 1)[0].split(":", 1)[0] for p in found if p.severity == "error"}
    readable = {ref: a for ref, a in attachments.items() if f"content/{ref}" not in blocked}
    found.extend(personal_data(item, office, readable, body_first_line, refs))
    found.extend(link_problems(item, item_ids, body_first_line))
    return found
