"""Valid base items as text, built from small field templates.

Each template maps a front matter key to the YAML text after `key:`; a value
starting with a newline is a nested block. `item_text(kind, **changes)` swaps,
adds (at the end) or drops (`None`) fields, so a test states only what it
changes. Every base item passes `khaosan check` (see tests/unit/test_rules.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
NOW = "2026-11-25T12:00:00+07:00"
NOW_DT = datetime.fromisoformat(NOW)

PATHS = {
    "news": "content/news/2569/meeting-20261120-executives.md",
    "disclosure": "content/disclosures/procurement/tor-2569-01.md",
    "clipping": "content/clippings/2569/dailynews-20261121.md",
}
IDS = {kind: path[len("content/") : -len(".md")] for kind, path in PATHS.items()}
ATTACHMENT = "files/procurement/tor-2569-01.pdf"
# A real (tiny, one blank page) PDF: the publish gate opens attachments to scan them for personal data.
ATTACHMENT_BYTES = (
    b"%PDF-1.4\n% draft TOR 2569-01\n"
    b"1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
    b"3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>> endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000029 00000 n \n0000000074 00000 n \n0000000125 00000 n \n"
    b"trailer <</Size 4/Root 1 0 R>>\nstartxref\n190\n%%EOF\n"
)
FILES: dict[str, bytes] = {ATTACHMENT: ATTACHMENT_BYTES}


def block(mapping: Mapping[str, str], indent: int = 2) -> str:
    """A nested mapping as the text after `key:`."""
    pad = " " * indent
    return "".join(f"\n{pad}{key}: {value}" for key, value in mapping.items())


EVENT = {
    "name": "การประชุมผู้บริหารสถานศึกษา ครั้งที่ 11/2569",
    "starts_at": "2026-11-20T09:00:00+07:00",
    "ends_at": "2026-11-20T12:00:00+07:00",
}

TEMPLATES: dict[str, dict[str, str]] = {
    "news": {
        "type": "news",
        "title": "ประชุมผู้บริหารสถานศึกษา ครั้งที่ 11/2569",
        "news_type": "meeting",
        "plan": "policy",
        "format": "press-release",
        "source": "meeting",
        "author": "somchai.p",
        "topic_group": "policy",
        "produced_at": "2026-11-20T14:10:00+07:00",
        "event": block(EVENT),
        "channels": "[website, facebook]",
        "approvals": "[]",
    },
    "disclosure": {
        "type": "disclosure",
        "title": "ประกาศร่างขอบเขตของงาน (TOR) จัดซื้อครุภัณฑ์คอมพิวเตอร์",
        "category": "procurement",
        "requester": "nattapong.c",
        "requested_at": "2026-11-21T09:00:00+07:00",
        "detail": "ร่างขอบเขตของงานเพื่อรับฟังความคิดเห็น",
        "delivery": "email",
        "attachments": f"\n  - file: {ATTACHMENT}\n    title: ร่างขอบเขตของงาน",
        "approvals": "[]",
    },
    "clipping": {
        "type": "clipping",
        "title": "สพป.ภูผาหมอก เขต 1 ชี้แจงนโยบายการจัดการเรียนรู้",
        "outlet": "หนังสือพิมพ์ภูผาหมอกรายวัน",
        "medium": "newspaper",
        "published_on": "2026-11-21",
        "effect": "positive",
        "about": f"[{IDS['news']}]",
        "recorded_by": "kanda.s",
        "approvals": "[]",
    },
}

BODIES = {
    "news": "วันที่ 20 พฤศจิกายน 2569 สำนักงานเขตพื้นที่การศึกษาจัดประชุมผู้บริหารสถานศึกษา\n",
    "disclosure": "ร่างขอบเขตของงานสำหรับรับฟังความคิดเห็นจากผู้ประกอบการ\n",
    "clipping": "หนังสือพิมพ์รายงานการประชุมผู้บริหารสถานศึกษา\n",
}

# Who signs the base items, in order, and when: all eligible, none the owner.
SIGNERS: dict[str, list[tuple[str, str, str]]] = {
    "news": [("anan.w", "facts", "2026-11-20T15:00:00+07:00"), ("malee.t", "check", "2026-11-20T16:00:00+07:00")],
    "disclosure": [
        ("rattana.b", "content", "2026-11-21T10:00:00+07:00"),
        ("prasert.j", "permit", "2026-11-21T11:00:00+07:00"),
    ],
    "clipping": [("malee.t", "check", "2026-11-22T10:00:00+07:00")],
}


def render(fields: Mapping[str, str], body: str) -> str:
    lines = ["---"]
    for key, value in fields.items():
        lines.append(f"{key}:{value}" if value.startswith("\n") else f"{key}: {value}")
    return "\n".join(lines) + "\n---\n" + body


def fields_of(kind: str, **changes: str | None) -> dict[str, str]:
    fields = dict(TEMPLATES[kind])
    for key, value in changes.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return fields


def item_text(kind: str, *, body: str | None = None, **changes: str | None) -> str:
    """The base item of `kind` with `changes` applied."""
    return render(fields_of(kind, **changes), BODIES[kind] if body is None else body)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hasher(files: Mapping[str, bytes]) -> Callable[[str], str | None]:
    """A `file_hash` for the core: sha256 of the named bytes, None when missing."""
    hashes = {ref: sha256_hex(data) for ref, data in files.items()}
    return hashes.get


def digest_of(text: str, files: Mapping[str, bytes] = FILES, path: str = "content/x.md") -> str:
    """The digest `khaosan approve` would record for this text (approvals are not part of it)."""
    from workflow.core.validate import item_digest, parse_item

    item, _, problems = parse_item(path, text.encode("utf-8"))
    assert item is not None, problems
    return item_digest(item, hasher(files))


def approvals_block(entries: Iterable[tuple[str, str, str, str]]) -> str:
    """`(by, step, at, digest)` entries as the text after `approvals:`."""
    lines = []
    for by, step, at, digest in entries:
        lines += [f"\n  - by: {by}", f"\n    step: {step}", f"\n    at: {at}", f"\n    digest: {digest}"]
    return "".join(lines) or "[]"


def signed_text(
    kind: str,
    signers: Iterable[tuple[str, str, str]] | None = None,
    *,
    digest: str | None = None,
    files: Mapping[str, bytes] = FILES,
    body: str | None = None,
    **changes: str | None,
) -> str:
    """The item with approvals recorded for its current content (or for `digest`)."""
    unsigned = item_text(kind, body=body, **changes)
    current = digest or digest_of(unsigned, files)
    entries = [(by, step, at, current) for by, step, at in (SIGNERS[kind] if signers is None else signers)]
    return item_text(kind, body=body, **{**changes, "approvals": approvals_block(entries)})


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based number of the `nth` line containing `needle`."""
    seen = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not found {nth} time(s) in:\n{text}")
