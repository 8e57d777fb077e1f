"""Which pages a build must render, given what the last build rendered.

Pure: the site edge hands in the published items (their `Candidate` and
`Decision`), a key for everything that every page shares (theme, settings,
code), and the manifest of the last build; this module says whether a full
build is needed and, if not, which item pages to render again and which of
the last build's files may be kept as they are.

An item page shows its own item and, through clipping `about`, the items it
is about or the clippings that cite it: its key covers exactly those, so a
page is rendered again when (and only when) something it shows changed.
Listings, feeds, the sitemap and the open data are written every time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workflow.core.publication import Candidate, Decision

FORMAT = 1
FULL_SHARE = 0.5  # above this share of pages to render (and FULL_MIN pages), a full build costs no more
FULL_MIN = 50


def _hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def item_key(c: Candidate, d: Decision) -> str:
    """Everything of one item its own page shows: its bytes, its files' bytes, its dates, urgency."""
    corrected = d.corrected.isoformat() if d.corrected else None
    return _hash(c.source, c.files, d.date.isoformat() if d.date else None, d.reason, corrected)


def related(candidates: Iterable[Candidate]) -> dict[str, set[str]]:
    """Item id → the public items its page shows (clipping `about`, both ways)."""
    public = list(candidates)
    ids = {c.item_id for c in public}
    links: dict[str, set[str]] = {c.item_id: set() for c in public}
    for c in public:
        for target in c.about:
            if target in ids:
                links[c.item_id].add(target)
                links[target].add(c.item_id)
    return links


def page_keys(published: Iterable[tuple[Candidate, Decision]]) -> dict[str, str]:
    """Item id → the key of its page: its own key and the keys of the items it shows."""
    pairs = list(published)
    own = {c.item_id: item_key(c, d) for c, d in pairs}
    shows = related(c for c, _ in pairs)
    return {
        item_id: _hash(key, sorted((other, own[other]) for other in shows[item_id])) for item_id, key in own.items()
    }


@dataclass(frozen=True)
class Manifest:
    """What the last build wrote: read back before the next one."""

    shared: str  # the key of what every page shares
    pages: dict[str, str]  # item id → page key
    files: dict[str, str]  # content file (e.g. files/2569/x.pdf) → sha256, as staged
    output: dict[str, tuple[int, int]]  # output file → (size, mtime_ns), to see the site was not touched since

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "shared": self.shared,
            "pages": self.pages,
            "files": self.files,
            "output": {k: list(v) for k, v in self.output.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest | None:
        """None for anything that is not a manifest this version wrote."""
        try:
            if data["format"] != FORMAT:
                return None
            return cls(
                str(data["shared"]),
                {str(k): str(v) for k, v in data["pages"].items()},
                {str(k): str(v) for k, v in data["files"].items()},
                {str(k): (int(v[0]), int(v[1])) for k, v in data["output"].items()},
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None


@dataclass(frozen=True)
class Plan:
    full: bool
    why: str  # in Thai, for the build report
    render: frozenset[str] = frozenset()  # item ids whose page is rendered
    keep_pages: frozenset[str] = frozenset()  # item ids whose page the last build wrote and still holds
    keep_files: frozenset[str] = frozenset()  # content files kept from the last build
    stage_files: frozenset[str] = frozenset()  # content files to stage (new, changed, or on a page rendered again)


def files_of(published: Iterable[tuple[Candidate, Decision]]) -> dict[str, str | None]:
    """Content files the site carries (withdrawn items carry none) → their sha256."""
    files: dict[str, str | None] = {}
    for c, _ in published:
        if not c.withdrawn:
            files.update(c.files)
    return files


def plan(
    previous: Manifest | None,
    shared: str,
    pages: Mapping[str, str],
    files: Mapping[str, str | None],
    item_files: Mapping[str, Iterable[str]],
    cached: frozenset[str] | None = None,
) -> Plan:
    """`pages`: item id → page key; `files`: see `files_of`; `item_files`: item id → the files its page
    lists; `cached`: the items whose reader output the last build kept under their current key
    (the others are read and rendered again: listings need what the reader makes of them)."""
    if previous is None:
        return Plan(True, "ไม่มีบันทึกการสร้างครั้งก่อน")
    if previous.shared != shared:
        return Plan(True, "ธีม การตั้งค่า ข้อมูลหน่วยงาน หรือโปรแกรมเปลี่ยนไป")
    keep = frozenset(i for i, key in pages.items() if previous.pages.get(i) == key and (cached is None or i in cached))
    render = frozenset(pages) - keep
    if len(render) > max(FULL_SHARE * len(pages), FULL_MIN):
        return Plan(True, f"หน้ารายการเปลี่ยน {len(render)} จาก {len(pages)} หน้า")
    keep_files = frozenset(ref for ref, sha in files.items() if sha is not None and previous.files.get(ref) == sha)
    # A page rendered again reads its files' sizes from the stage: stage them too.
    stage = {ref for ref in files if ref not in keep_files}
    stage.update(ref for item_id in render for ref in item_files.get(item_id, ()) if ref in files)
    return Plan(
        False, f"สร้างใหม่ {len(render)} หน้ารายการ ใช้ของเดิม {len(keep)} หน้า", render, keep, keep_files, frozenset(stage)
    )
