"""Strip GPS position and camera owner from images in the build's staged copy.

Decision (issue 7): strip at build rather than block. Phone cameras record the
position in every photo, and a PR officer should not need an EXIF tool to
publish one; the site must never show where a photo was taken (a school, a
child's home) or whose camera it was. The person's file in the repository is
never modified: the staged file is a hard link to it, so the clean copy is
written beside it and renamed over the link (which breaks the link, never
writes through it). `khaosan check --publish` warns (KS706) so the person
knows their file still holds the data.

JPEG is rewritten losslessly: only the EXIF segment is rebuilt (orientation
and the rest kept) and XMP segments (which may repeat the position) dropped;
the compressed image data is copied byte for byte. PNG and WebP go through
Pillow with the cleaned EXIF.

Call from `workflow/edges/site/build.py`, `stage_content`, after each newly staged image:

    if ref.startswith("images/"):
        scrub_staged(stage / ref)
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

from workflow.edges.files.attachments import sniff

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
PERSONAL_TAGS = (0x013B, 0x9C9D, 0xA430, 0xA431, 0xA435, 0x927C)  # Artist, XPAuthor, owner, serials, MakerNote
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"


def _clean_exif(payload: bytes) -> bytes | None:
    """EXIF (with its `Exif\\0\\0` prefix) without position and owner; None when there was none to remove."""
    from PIL import Image

    exif = Image.Exif()
    exif.load(payload)
    inner = exif.get_ifd(EXIF_IFD)
    changed = False
    if GPS_IFD in exif:
        del exif[GPS_IFD]
        changed = True
    for tag in PERSONAL_TAGS:
        if tag in exif:
            del exif[tag]
            changed = True
        if tag in inner:
            del inner[tag]
            changed = True
    if not changed:
        return None
    data = exif.tobytes()
    return data if data.startswith(b"Exif\x00\x00") else b"Exif\x00\x00" + data


def scrub_jpeg(data: bytes) -> bytes | None:
    """The JPEG without GPS/owner EXIF and XMP, or None when there is nothing to remove."""
    if not data.startswith(b"\xff\xd8"):
        return None
    out = bytearray(b"\xff\xd8")
    pos, changed = 2, False
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None  # not a segment where one must be: leave the file alone
        marker = data[pos + 1]
        if marker == 0xDA or marker == 0xD9:  # start of scan: the rest is image data
            out += data[pos:]
            return bytes(out) if changed else None
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        body = segment[4:]
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            cleaned = _clean_exif(body)
            if cleaned is not None and len(cleaned) + 2 <= 0xFFFF:
                out += b"\xff\xe1" + (len(cleaned) + 2).to_bytes(2, "big") + cleaned
                changed = True
            else:
                out += segment
        elif marker == 0xE1 and body.startswith(_XMP):
            changed = True  # dropped: XMP may repeat the position
        else:
            out += segment
        pos += 2 + length
    return None


def _scrub_pillow(data: bytes, kind: str) -> bytes | None:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        raw = image.info.get("exif")
        if not raw:
            return None
        cleaned = _clean_exif(raw if raw.startswith(b"Exif") else b"Exif\x00\x00" + raw)
        if cleaned is None:
            return None
        out = io.BytesIO()
        options = {"lossless": True} if kind == "webp" and image.info.get("lossless") else {"quality": 95}
        image.save(out, format=kind.upper(), exif=cleaned, **(options if kind == "webp" else {}))
        return out.getvalue()


def scrub_bytes(data: bytes) -> bytes | None:
    kind = sniff(data[:16])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if kind == "jpeg":
                return scrub_jpeg(data)
            if kind in ("png", "webp"):
                return _scrub_pillow(data, kind)
        except Exception:  # a broken image: the gate reported it (KS717); do not fail the build here
            return None
    return None


def scrub_staged(path: Path) -> bool:
    """Replace the staged image at `path` by a copy without GPS and owner; True if it had any.

    Writes a new file and renames it over `path`: when `path` is a hard link to
    the person's file, that file keeps every byte.
    """
    data = path.read_bytes()
    cleaned = scrub_bytes(data)
    if cleaned is None:
        return False
    temp = path.with_name(f".{path.name}.scrub-{os.getpid()}")
    try:
        temp.write_bytes(cleaned)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return True
