"""The disk side of `khaosan import`: the export file read within bounds, media found in the
old site's uploads folder and copied under content/, items created, never anything replaced.

What the earlier site's posts link to is looked up under `--uploads` (a copy of its
`wp-content/uploads/`) by the path after `uploads/`; nothing is ever fetched from
the network, so an image that was only on the old server is reported, not brought.
A resized copy (`photo-1024x768.jpg`) is traded for its original when that is there.
Only the file types the office publishes (office.yml `attachments.allowed_types`, by
extension here; the publish gate checks the bytes) up to its size limit are copied,
and only from inside the uploads folder (a symlink out of it is not followed).
The copies are as they were: `khaosan build` scrubs every published image, so GPS
and camera owners never reach the site, and the repository keeps the original.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from workflow.core.htmlbody import Media, Placed, extension
from workflow.core.safety import EXTENSION_TYPES
from workflow.core.structure import AttachmentPolicy
from workflow.edges.files.atomic import create_file
from workflow.errors import KhaosanError

MAX_EXPORT = 256 * 1024 * 1024  # a large office's export is tens of MB; more is not an export
_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def read_bounded(path: Path, what: str) -> bytes:
    """A file named on the command line, whole, at most MAX_EXPORT bytes (KS901, KS233)."""
    try:
        info = path.stat()
    except OSError:
        raise KhaosanError("KS901", f"ไม่พบ{what} {path}") from None
    if not stat.S_ISREG(info.st_mode):
        raise KhaosanError("KS901", f"{path} ไม่ใช่ไฟล์")
    if info.st_size > MAX_EXPORT:
        raise KhaosanError("KS233", f"{path}: {info.st_size:,} ไบต์ (รับได้ไม่เกิน {MAX_EXPORT:,} ไบต์)")
    with open(path, "rb") as handle:
        data = handle.read(MAX_EXPORT + 1)
    if len(data) > MAX_EXPORT:  # it grew while we looked
        raise KhaosanError("KS233", f"{path}: ใหญ่เกิน {MAX_EXPORT:,} ไบต์")
    return data


def uploads_folder(path: Path | None) -> Path | None:
    if path is None:
        return None
    if not path.is_dir():
        raise KhaosanError("KS901", f"ไม่พบโฟลเดอร์ --uploads {path}", "ระบุโฟลเดอร์ wp-content/uploads ที่คัดลอกจากเว็บไซต์เดิม")
    return path.resolve()


def ascii_name(upload: str, fallback: str) -> str:
    """A file name the repository accepts (ASCII letters, digits, `._-`); a Thai one becomes `fallback`."""
    name = unquote(upload.rsplit("/", 1)[-1])
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext.lower()
    if not stem.isascii():
        stem = fallback
    stem = _UNSAFE.sub("-", stem).strip("-._")[:80] or fallback
    name = f"{stem}.{ext}" if ext else stem
    return name if _NAME.match(name) else fallback


@dataclass
class Uploads:
    """Finds media under the uploads folder and copies each under content/ once."""

    root: Path | None
    content: Path
    policy: AttachmentPolicy
    copied: list[str] = field(default_factory=list)  # refs of the files this run created
    reused: list[str] = field(default_factory=list)  # refs whose identical file was already there
    _done: dict[str, Placed] = field(default_factory=dict)

    def placer(self, be_year: int, stem: str) -> PostUploads:
        return PostUploads(self, be_year, stem)

    def _source(self, media: Media) -> tuple[Path | None, str]:
        """The file under the uploads folder (the original before a resized copy) and its path there,
        or None and why there is none."""
        if self.root is None:
            return None, "ไม่ได้ระบุ --uploads (ไม่ดึงไฟล์จากอินเทอร์เน็ต)"
        for relative in dict.fromkeys((media.original, media.upload)):
            candidate = self.root / relative
            try:
                real = Path(os.path.realpath(candidate))
                inside = real.is_relative_to(self.root) and stat.S_ISREG(real.stat().st_mode)
            except OSError:
                continue
            if inside:
                return real, relative
        return None, f"ไม่พบ {media.upload} ใน --uploads"

    def place(self, media: Media, be_year: int, stem: str) -> Placed:
        if not media.upload:
            return Placed(None, "ไม่ได้อยู่ใน wp-content/uploads ของเว็บไซต์เดิม (ไม่ดึงไฟล์จากอินเทอร์เน็ต)")
        kind = EXTENSION_TYPES.get(extension(media.upload))  # the gate's one table: what the name promises
        if kind is None or kind not in self.policy.allowed_types:
            return Placed(None, f"ชนิดไฟล์ .{extension(media.upload)} เผยแพร่ไม่ได้ (attachments.allowed_types)")
        source, found = self._source(media)
        if source is None:
            return Placed(None, found)
        key = f"{found}|{media.image}"  # one copy of each file, however many posts and sizes show it
        if key not in self._done:
            self._done[key] = self._copy(media, source, found, be_year, stem, kind)
        return self._done[key]

    def _copy(self, media: Media, source: Path, found: str, be_year: int, stem: str, kind: str) -> Placed:
        size = source.stat().st_size
        if size > self.policy.max_bytes:
            return Placed(None, f"ใหญ่ {size:,} ไบต์ เกิน attachments.max_bytes ({self.policy.max_bytes:,})")
        data = source.read_bytes()
        folder = "images" if media.image and kind in ("jpeg", "png", "gif", "webp") else "files"
        fallback = f"{stem}-{hashlib.sha256(media.upload.encode()).hexdigest()[:6]}"
        name = ascii_name(found, fallback)
        return self._create(f"{folder}/{be_year}", name, data)

    def _create(self, folder: str, name: str, data: bytes) -> Placed:
        """Under content/<folder>/: the same bytes already there are reused; a different file keeps
        its name and this one takes the next free `-2`, `-3`, …"""
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        for n in range(1, 1000):
            candidate = name if n == 1 else f"{stem}-{n}{dot}{ext}"
            ref = f"{folder}/{candidate}"
            target = self.content / ref
            if target.is_file() and not target.is_symlink():
                if target.read_bytes() == data:
                    self.reused.append(ref)
                    return Placed(ref)
                continue
            if target.exists() or target.is_symlink():
                continue
            try:
                create_file(target, data)
            except FileExistsError:
                continue
            self.copied.append(ref)
            return Placed(ref)
        return Placed(None, f"มีไฟล์ชื่อ {name} อยู่แล้วหลายไฟล์ใน content/{folder}")


@dataclass
class PostUploads:
    """`place` for one post: its item's year folder, and a fallback name from its slug."""

    uploads: Uploads
    be_year: int
    stem: str

    def __call__(self, media: Media) -> Placed:
        return self.uploads.place(media, self.be_year, self.stem)


def create_item(path: Path, text: str) -> bool:
    """Write a new item; False when a file is already there (it is never replaced)."""
    if path.exists() or path.is_symlink():
        return False
    try:
        create_file(path, text.encode("utf-8"))
    except FileExistsError:
        return False
    return True
