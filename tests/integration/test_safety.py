"""The publish gate's deeper look (issue 7): personal data, attachments, links, through the CLI.

Each rule has a test here that fails when the rule is removed. Plain `check`
(without --publish) never runs these: it must stay as fast as before.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support.items import ATTACHMENT, ATTACHMENT_BYTES, PATHS, digest_of, item_text, line_of
from support.media import docx, jpeg_with_gps, pdf, plain_jpeg

from workflow.edges.site.scrub import scrub_staged

ID = "1-2345-67890-12-1"


def gate(repo, *paths: str) -> list[dict]:
    result = repo.khaosan("check", *paths, "--publish", "--format", "json")
    assert "Traceback" not in result.output
    return [p for p in json.loads(result.out)["problems"] if p["code"].startswith("KS7")]


def codes(problems: list[dict]) -> list[str]:
    return sorted(p["code"] for p in problems)


def disclosure(repo, ref: str, data: bytes, **changes: str) -> str:
    rel = repo.add("disclosure", attachments=f"\n  - file: {ref}\n    title: เอกสาร", **changes)
    repo.write(f"content/{ref}", data)  # after add(): it writes the base attachment
    return rel


# -- personal data in the item itself ---------------------------------------------------


def test_national_id_in_body_blocks_publication_masked_with_its_line(repo):
    rel = repo.add("news", body=f"ย่อหน้าแรก\nผู้ได้รับรางวัล เลขประจำตัว {ID}\n")
    result = repo.khaosan("check", rel, "--publish")
    assert result.code == 1
    line = line_of(repo.read(rel), "ผู้ได้รับรางวัล")
    assert f"{rel}:{line}:" in result.out and "KS701" in result.out
    assert "1-2345-xxxxx-xx-1" in result.out
    assert ID not in result.output  # the gate never repeats what it protects


def test_plain_check_does_not_scan(repo):
    rel = repo.add("news", body=f"เลขประจำตัว {ID}\n")
    result = repo.khaosan("check", rel, "--format", "json")
    assert all(not p["code"].startswith("KS7") for p in json.loads(result.out)["problems"])


def test_phone_email_child_and_account_in_body_and_front_matter(repo):
    body = "ติดต่อ 081-234-5678 หรือ somchai.p@gmail.com\nด.ญ.สมใจ ใจดี เกิดวันที่ 3 มีนาคม 2560\nโอนเข้าเลขที่บัญชี 123-4-56789-0\n"
    rel = repo.add("news", body=body, summary="ผู้ประสานงาน โทร 089-876-5432")
    found = gate(repo, rel)
    assert codes(found) == ["KS702", "KS702", "KS703", "KS704", "KS705"]
    summary = [p for p in found if "summary" in p["message"]]
    assert summary and summary[0]["line"] == line_of(repo.read(rel), "summary:")


def test_office_contacts_from_office_yml_pass(repo):
    rel = repo.add("news", body="สอบถามโทร 0 9900 0001 หรือ saraban@phuphamok1.example\n")
    assert gate(repo, rel) == []


# -- reviewed exceptions ----------------------------------------------------------------

ALLOW = "\n  - match: 081-234-5678\n    reason: เบอร์ราชการของผู้ประสานงานโครงการ\n    by: malee.t"


def test_reviewed_exception_lets_it_pass_and_status_shows_it(repo):
    rel = repo.add("news", body="ผู้ประสานงานโครงการ โทร ๐๘๑-๒๓๔-๕๖๗๘\n", pdpa_allow=ALLOW)
    assert gate(repo, rel) == []
    status = repo.khaosan("status", rel)
    assert "ข้อยกเว้น PDPA" in status.out and "081-xxx-xxx8" in status.out and "นางมาลี ทองคำ" in status.out
    assert "081-234-5678" not in status.out
    entry = json.loads(repo.khaosan("status", rel, "--format", "json").out)["items"][0]
    assert entry["pdpa_allow"] == [
        {"match": "081-xxx-xxx8", "reason": "เบอร์ราชการของผู้ประสานงานโครงการ", "by": "malee.t"}
    ]


def test_an_exception_that_matches_nothing_is_a_warning(repo):
    rel = repo.add("news", pdpa_allow=ALLOW)
    found = gate(repo, rel)
    assert [(p["code"], p["severity"]) for p in found] == [("KS707", "warning")]


def test_an_exception_by_an_unknown_person_is_refused(repo):
    rel = repo.add("news", body="โทร 081-234-5678\n", pdpa_allow=ALLOW.replace("malee.t", "nobody.x"))
    result = repo.khaosan("check", rel, "--publish", "--format", "json")
    assert "KS201" in [p["code"] for p in json.loads(result.out)["problems"]]


def test_exceptions_are_content_so_part_of_the_digest():
    plain = item_text("news")
    allowed = item_text("news", pdpa_allow=ALLOW)
    assert digest_of(plain) != digest_of(allowed)


def test_exception_schema_requires_reason_and_by(repo):
    rel = repo.add("news", pdpa_allow="\n  - match: 081-234-5678")
    result = repo.khaosan("check", rel, "--format", "json")
    assert {p["code"] for p in json.loads(result.out)["problems"]} == {"KS101"}


# -- attachments ------------------------------------------------------------------------


def test_id_inside_a_pdf_names_the_attachment_and_page(repo):
    rel = disclosure(repo, ATTACHMENT, pdf(f"Applicant ID {ID}"))
    found = gate(repo, rel)
    assert codes(found) == ["KS701"]
    assert f"content/{ATTACHMENT} หน้า 1" in found[0]["message"] and "1-2345-xxxxx-xx-1" in found[0]["message"]
    assert found[0]["line"] == line_of(repo.read(rel), f"  - file: {ATTACHMENT}")


def test_phone_inside_a_docx_names_the_paragraph(repo):
    rel = disclosure(repo, "files/procurement/form.docx", docx(["แบบฟอร์ม", "ติดต่อ 081-234-5678"]))
    found = gate(repo, rel)
    assert codes(found) == ["KS702"] and "ย่อหน้า 2" in found[0]["message"]


def test_a_csv_list_is_scanned_when_the_office_allows_text(repo):
    office = repo.read("office.yml").replace("allowed_types: [pdf, docx", "allowed_types: [text, pdf, docx")
    repo.write("office.yml", office)
    rows = "ลำดับ,ชื่อ,เลขประจำตัว\n" + "".join(f"{n},นักเรียน {n},-\n" for n in range(300)) + f"301,ด.ช.กล้า,{ID}\n"
    rel = disclosure(repo, "files/procurement/list.csv", rows.encode("utf-8"))
    found = gate(repo, rel)
    assert codes(found) == ["KS701"] and "บรรทัด 201–302" in found[0]["message"]


def test_a_pdf_that_is_not_a_pdf_is_refused(repo):
    rel = disclosure(repo, ATTACHMENT, b"<html>not a pdf</html>")
    assert codes(gate(repo, rel)) == ["KS711"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("files/procurement/form.docm", docx(["x"], macro=True)),
        ("files/procurement/form.docx", docx(["x"], macro=True)),  # macros hidden behind .docx
        ("files/procurement/setup.exe", b"MZ\x90\x00" + b"\x00" * 60),
        ("files/procurement/report.pdf", b"MZ\x90\x00" + b"\x00" * 60),
        ("files/procurement/book.xlsm", b"PK\x03\x04broken"),
    ],
)
def test_executables_and_macros_are_refused(repo, name, data):
    rel = disclosure(repo, name, data)
    assert codes(gate(repo, rel)) == ["KS714"]


def test_encrypted_pdf_is_refused(repo):
    rel = disclosure(repo, ATTACHMENT, pdf("secret", encrypt=True))
    assert codes(gate(repo, rel)) == ["KS715"]


def test_pdf_author_naming_a_person_is_flagged(repo):
    rel = disclosure(repo, ATTACHMENT, pdf("plain", author="นายสมชาย ประชาสุข"))
    assert [(p["code"], p["severity"]) for p in gate(repo, rel)] == [("KS716", "warning")]
    rel = disclosure(repo, ATTACHMENT, pdf("plain", author="สพป.ภูผาหมอก เขต 1"))
    assert gate(repo, rel) == []


def test_types_and_size_come_from_office_yml(repo):
    office = (
        repo.read("office.yml")
        .replace("allowed_types: [pdf, docx, xlsx, pptx, jpeg, png, gif, webp]", "allowed_types: [pdf]")
        .replace("max_bytes: 31457280", "max_bytes: 2000")
    )
    repo.write("office.yml", office)
    rel = disclosure(repo, ATTACHMENT, pdf("x" * 3000))
    found = gate(repo, rel)
    assert codes(found) == ["KS713"] and "2,000" in found[0]["message"]
    rel = disclosure(repo, "files/procurement/form.docx", docx(["x"]))
    assert codes(gate(repo, rel)) == ["KS712"]


def test_zero_byte_and_200_mb_sparse_attachments(repo):
    rel = disclosure(repo, ATTACHMENT, b"")
    assert codes(gate(repo, rel)) == ["KS718"]
    big = repo.path(f"content/{ATTACHMENT}")
    with open(big, "wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(200 * 1024 * 1024)  # sparse: no disk, still 200 MB to read
    found = gate(repo, rel)
    assert codes(found) == ["KS713"] and "209,715,200" in found[0]["message"]


def test_unreadable_pdf_is_a_warning_that_says_it_was_not_scanned(repo):
    rel = disclosure(repo, ATTACHMENT, b"%PDF-1.4\n% placeholder\n%%EOF\n")
    found = gate(repo, rel)
    assert [(p["code"], p["severity"]) for p in found] == [("KS717", "warning")]
    assert "ตรวจข้อมูลส่วนบุคคลในไฟล์ไม่ได้" in found[0]["message"]


def test_corrupt_docx_found_by_fuzzing_is_a_clear_warning(repo):
    crash = Path(__file__).resolve().parents[1] / "fixtures" / "fuzz" / "atheris-zlib-error.docx"
    rel = disclosure(repo, "files/procurement/form.docx", crash.read_bytes())  # zlib.error inside zipfile
    assert [(p["code"], p["severity"]) for p in gate(repo, rel)] == [("KS717", "warning")]


def test_same_file_named_twice_is_read_once(repo, monkeypatch):
    from workflow.edges.files import attachments

    calls: list[str] = []
    real = attachments.inspect_file
    monkeypatch.setattr(
        attachments, "inspect_file", lambda path, ref, policy: calls.append(ref) or real(path, ref, policy)
    )
    repo.add(
        "disclosure",
        attachments=f"\n  - file: {ATTACHMENT}\n    title: ก\n  - file: files/procurement/copy.pdf\n    title: ข",
    )
    repo.write("content/files/procurement/copy.pdf", pdf("same"))
    repo.write(f"content/{ATTACHMENT}", pdf("same"))
    gate(repo)
    assert len(calls) == 1


# -- images: GPS and camera owner -------------------------------------------------------

IMAGE = "images/2569/meeting-01.jpg"


def test_image_gps_is_a_warning_in_the_gate(repo):
    repo.write(f"content/{IMAGE}", jpeg_with_gps())
    rel = repo.add("news", images=f"\n  - file: {IMAGE}\n    alt: ภาพการประชุม\n    credit: งานประชาสัมพันธ์")
    found = gate(repo, rel)
    assert [(p["code"], p["severity"]) for p in found] == [("KS706", "warning")]
    assert "GPS" in found[0]["message"] and "Somchai Camera" in found[0]["message"]


def test_scrub_strips_the_staged_copy_and_never_the_persons_file(tmp_path):
    original = tmp_path / "content" / "photo.jpg"
    original.parent.mkdir()
    original.write_bytes(jpeg_with_gps())
    before = original.read_bytes()
    staged = tmp_path / "stage" / "photo.jpg"
    staged.parent.mkdir()
    os.link(original, staged)  # as site.py stages: a hard link
    assert scrub_staged(staged) is True
    assert original.read_bytes() == before
    from workflow.edges.files.attachments import _image

    clean = _image("x.jpg", staged.read_bytes(), "jpeg")
    assert not clean.gps and not clean.owner and clean.error == ""
    from PIL import Image

    with Image.open(staged) as image:
        assert image.getexif().get(0x0112) == 1  # orientation kept


def test_scrub_leaves_clean_images_alone(tmp_path):
    path = tmp_path / "a.jpg"
    path.write_bytes(plain_jpeg())
    assert scrub_staged(path) is False


# -- links ------------------------------------------------------------------------------


def test_link_to_a_missing_item_blocks_and_to_an_existing_one_passes(repo):
    repo.add("clipping")
    rel = repo.add(
        "news",
        body="ดู [ข่าวเดิม](/clippings/2569/dailynews-20261121/) และ [ไม่มี](/news/2569/nothing-here/)\n"
        "และ [เว็บ สพฐ.](https://www.obec.go.th/)\n",
    )
    found = gate(repo, rel)
    assert codes(found) == ["KS721"] and "/news/2569/nothing-here/" in found[0]["message"]


def test_outside_links_are_listed_not_fetched():
    from workflow.core.safety import outside_links

    body = "[ก](https://a.example/x) [ข](/news/2569/y/) [ค](https://a.example/x) [ง](http://b.example)"
    assert outside_links(body) == ["https://a.example/x", "http://b.example"]


# -- build refuses to replace what is not a site -----------------------------------------


@pytest.mark.parametrize("target", [".", "content", "content/news", ".."])
def test_build_never_replaces_the_repository_or_content(repo, target):
    repo.add("news")
    before = sorted(p.relative_to(repo.root) for p in repo.root.rglob("*"))
    result = repo.khaosan("build", "--output", target)
    assert result.code == 2 and "KS903" in result.err
    assert sorted(p.relative_to(repo.root) for p in repo.root.rglob("*")) == before


def test_build_never_replaces_a_folder_that_is_not_a_site(repo, tmp_path):
    other = tmp_path / "documents"
    other.mkdir()
    (other / "thesis.docx").write_bytes(b"precious")
    result = repo.khaosan("build", "--output", str(other))
    assert result.code == 2 and (other / "thesis.docx").read_bytes() == b"precious"


def test_sample_paths_are_what_the_tests_assume():
    assert Path(PATHS["news"]).suffix == ".md"


# -- at build: the site gets the staged, scrubbed copy; outside links are listed -----------


def _site_repo(repo) -> None:
    import shutil

    from support.items import PROJECT

    shutil.copy(PROJECT / "pelicanconf.py", repo.root / "pelicanconf.py")
    shutil.copytree(PROJECT / "theme", repo.root / "theme")


def test_build_lists_outside_links(repo):
    from support.items import signed_text

    _site_repo(repo)
    repo.write(PATHS["news"], signed_text("news", body="ดู [สพฐ.](https://www.obec.go.th/) ประกอบ\n"))
    result = repo.khaosan("build")
    assert result.code == 0, result.output
    assert "ลิงก์ไปเว็บไซต์ภายนอก 1 ลิงก์" in result.out and "https://www.obec.go.th/" in result.out


def test_build_strips_gps_from_the_site_copy_and_keeps_the_persons_file(repo):
    from support.items import signed_text

    from workflow.edges.files.attachments import _image

    _site_repo(repo)
    photo = jpeg_with_gps()
    repo.write(f"content/{IMAGE}", photo)
    images = f"\n  - file: {IMAGE}\n    alt: ภาพการประชุม\n    credit: งานประชาสัมพันธ์"
    repo.write(PATHS["news"], signed_text("news", files={IMAGE: photo}, images=images))
    result = repo.khaosan("build")
    assert result.code == 0, result.output
    assert repo.read_bytes(f"content/{IMAGE}") == photo
    published = _image(IMAGE, repo.read_bytes(f"output/{IMAGE}"), "jpeg")
    assert not published.gps and not published.owner
    # a partial build that copies a new photo into the site cleans it the same way
    repo.write(f"content/{ATTACHMENT}", ATTACHMENT_BYTES)
    for kind in ("disclosure", "clipping"):  # other items, unchanged: the next build is partial
        repo.write(PATHS[kind], signed_text(kind))
    assert repo.khaosan("build", "--no-search").code == 0
    photo2 = jpeg_with_gps() + b"\x00"
    repo.write(f"content/{IMAGE}", photo2)
    repo.write(PATHS["news"], signed_text("news", files={IMAGE: photo2}, images=images))
    result = repo.khaosan("build", "--no-search")
    assert result.code == 0 and "เฉพาะส่วนที่เปลี่ยน" in result.output, result.output
    assert repo.read_bytes(f"content/{IMAGE}") == photo2
    published = _image(IMAGE, repo.read_bytes(f"output/{IMAGE}"), "jpeg")
    assert not published.gps and not published.owner
