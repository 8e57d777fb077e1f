"""The WordPress export fixture and the uploads folder an office copies beside it (not a test module)."""

from __future__ import annotations

from pathlib import Path

from support.items import ATTACHMENT_BYTES
from support.media import jpeg_with_gps

PROJECT = Path(__file__).resolve().parents[2]
EXPORT = PROJECT / "tests" / "fixtures" / "wordpress" / "export.xml"
NOW = "2026-11-25T12:00:00+07:00"
# The post id -> the item `khaosan import wordpress` writes for it.
ITEMS = {
    101: "content/news/2568/general-20250612-wp101.md",
    102: "content/news/2568/general-20250820-school-lunch-visit.md",
    103: "content/news/2569/general-20261002-wp103.md",
    104: "content/news/2569/general-20261120-admission-2570.md",
    105: "content/news/2569/general-20261125-teacher-awards.md",
}


def make_uploads(base: Path) -> Path:
    """What an office copies from the old server's wp-content/uploads (school-visit.jpg is missing):
    the featured image, a JPEG with GPS and a camera owner, and the agenda, a real PDF."""
    uploads = base / "uploads"
    (uploads / "2025" / "06").mkdir(parents=True)
    (uploads / "2025" / "06" / "meeting.jpg").write_bytes(jpeg_with_gps())
    (uploads / "2025" / "06" / "agenda-6-2568.pdf").write_bytes(ATTACHMENT_BYTES)
    return uploads
