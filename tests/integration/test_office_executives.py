"""ITA O2 (issue 16): the executives on the office page with photo, position and an official contact,
and a vacant position said to be vacant. The photos are files like any item's: a missing one is
KS263 on its office.yml line, the site's copy is cleaned of its metadata (GPS, owner), a partial
build keeps it, and a changed photo reaches the site cleaned too."""

from __future__ import annotations

import json
import re
from pathlib import Path

from support import leaky
from support.cli import run_cli
from support.site import page_html, project_copy

NOW = "2026-11-25T12:00:00+07:00"
PHOTO = "images/office/prasert-j.jpg"


def _office(root: Path) -> None:
    """The sample office.yml, its director given a photo full of metadata."""
    (root / "content" / "images" / "office").mkdir(parents=True, exist_ok=True)
    (root / "content" / PHOTO).write_bytes(leaky.plain_jpeg((48, 60)))
    text = (root / "office.yml").read_text(encoding="utf-8")
    assert PHOTO in text  # the sample's director has one: the test leaves the line as it is
    for other in ("images/office/wilaiwan-s.jpg", "images/office/thanakorn-r.jpg"):
        (root / "content" / other).write_bytes(leaky.plain_jpeg((48, 60)))


def build(root: Path, *extra: str):
    result = run_cli(["build", "--root", str(root), "--now", NOW, "--no-search", *extra])
    assert "Traceback" not in result.output
    return result


def test_a_missing_photo_is_named_on_its_line_and_never_a_broken_image(tmp_path):
    """A warning, not a refusal: the page shows the person without a photo (no broken image), and a
    copy of office.yml made without the office's photos still checks and builds."""
    root = project_copy(tmp_path)
    for photo in (root / "content" / "images" / "office").glob("*.jpg"):
        photo.unlink()
    result = run_cli(["check", "--root", str(root), "--now", NOW, "--format", "json"])
    assert result.code == 0, result.output
    found = [p for p in json.loads(result.out)["problems"] if p["code"] == "KS263"]
    named = {p["message"].rsplit(": ", 1)[1]: p for p in found}
    assert set(named) == {PHOTO, "images/office/wilaiwan-s.jpg", "images/office/thanakorn-r.jpg"}
    assert all(p["path"] == "office.yml" and p["severity"] == "warning" for p in found)
    line = named[PHOTO]["line"]
    assert PHOTO in (root / "office.yml").read_text(encoding="utf-8").splitlines()[line - 1]
    built = build(root)
    assert built.code == 0, built.output
    page = page_html(root / "output" / "office" / "index.html")
    assert "<strong>นายประเสริฐ ใจดีงาม</strong>" in page and "images/office/" not in page


def test_the_office_page_shows_photo_position_contact_and_vacancy(tmp_path):
    root = project_copy(tmp_path)
    _office(root)
    result = build(root)
    assert result.code == 0, result.output
    page = page_html(root / "output" / "office" / "index.html")
    director = re.search(r'<li class="person">(.*?)</li>', page, re.S)
    assert director is not None
    shown = director.group(1)
    assert 'src="../images/office/prasert-j.jpg" alt="ภาพถ่ายนายประเสริฐ ใจดีงาม"' in shown
    assert "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาภูผาหมอก เขต 1" in shown
    assert '<a href="tel:099000001">0 9900 0001</a>' in shown
    assert '<a href="mailto:director@phuphamok1.example">' in shown
    assert re.search(r'class="person vacant"><div><strong>รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา</strong><br>ตำแหน่งว่าง', page)


def test_the_sites_photo_is_clean_and_the_persons_file_untouched(tmp_path):
    root = project_copy(tmp_path)
    _office(root)
    original = (root / "content" / PHOTO).read_bytes()
    assert leaky.leaks(original)  # the planted GPS and owner are there to find
    assert build(root).code == 0
    served = (root / "output" / PHOTO).read_bytes()
    assert leaky.leaks(served) == []
    assert (root / "content" / PHOTO).read_bytes() == original


def test_a_partial_build_keeps_the_photos_and_takes_a_changed_one_cleaned(tmp_path):
    root = project_copy(tmp_path)
    _office(root)
    assert build(root).code == 0
    first = (root / "output" / PHOTO).read_bytes()
    again = build(root)  # nothing changed: a partial build
    assert again.code == 0 and "ทั้งเว็บไซต์" not in again.out, again.out
    assert (root / "output" / PHOTO).read_bytes() == first
    (root / "content" / PHOTO).write_bytes(leaky.plain_jpeg((50, 62)))  # a new photo, metadata and all
    changed = build(root)
    assert changed.code == 0, changed.output
    served = (root / "output" / PHOTO).read_bytes()
    assert served != first and leaky.leaks(served) == []


def test_an_executives_official_contact_is_not_personal_data_in_an_item(tmp_path):
    """office.yml publishes the position's number: an item quoting it passes the PDPA gate."""
    root = project_copy(tmp_path, content=True)
    _office(root)
    news = next((root / "content" / "news").rglob("*.md"))
    text = news.read_text(encoding="utf-8")
    news.write_text(text.rstrip("\n") + "\nสอบถามได้ที่ 0 9900 0003\n", encoding="utf-8")
    result = run_cli(["check", "--publish", "--root", str(root), "--now", NOW, "--format", "json", str(news)])
    codes = {p["code"] for p in json.loads(result.out)["problems"]}
    assert "KS702" not in codes, codes
