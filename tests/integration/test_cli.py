"""The `khaosan` command end to end in a temporary repository: check, new, approve, status, codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from support.cli import THAI, run_cli
from support.items import (
    ATTACHMENT,
    ATTACHMENT_BYTES,
    BODIES,
    IDS,
    PATHS,
    PROJECT,
    digest_of,
    item_text,
    line_of,
    signed_text,
)
from support.textdiff import inserted_lines

NEWS = PATHS["news"]
FACTS = ("--by", "anan.w", "--step", "facts", "--at", "2026-11-20T15:00:00+07:00")
CHECK = ("--by", "malee.t", "--step", "check", "--at", "2026-11-20T16:00:00+07:00")


def report(result) -> dict:
    assert "Traceback" not in result.output
    return json.loads(result.out)


def problems(result) -> list[tuple[str, int]]:
    return [(p["code"], p["line"]) for p in report(result)["problems"]]


# -- check: exit codes and formats -------------------------------------------------


def test_check_clean_repository_exits_0(repo):
    for kind in ("news", "disclosure", "clipping"):
        repo.add(kind, signed=True)
    result = repo.khaosan("check", "--publish")
    assert result.code == 0
    assert result.out == ""
    assert re.search(r"\b3 ไฟล์: ข้อผิดพลาด 0 คำเตือน 0", result.err)


def test_check_with_an_error_exits_1(repo):
    repo.add("news", author="somsri.p")
    result = repo.khaosan("check")
    assert result.code == 1
    assert result.out.startswith(f"{NEWS}:{line_of(item_text('news'), 'author:')}:")
    assert "KS201" in result.out and THAI.search(result.out)


def test_check_empty_repository(repo):
    result = repo.khaosan("check")
    assert result.code == 0
    assert re.search(r"\b0 ไฟล์: ข้อผิดพลาด 0", result.err)


def test_check_nonexistent_path_exits_2(repo):
    result = repo.khaosan("check", "content/news/2569/no-such-file.md")
    assert result.code == 2
    assert "KS901" in result.err and "Traceback" not in result.output


def test_check_path_outside_the_repository_exits_2(repo, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\n---\n", encoding="utf-8")
    result = repo.khaosan("check", str(outside))
    assert result.code == 2 and "KS901" in result.err


def test_check_a_file_that_is_not_an_item_is_a_usage_error(repo):
    repo.write("notes.txt", "บันทึก\n")
    result = repo.khaosan("check", "notes.txt")
    assert result.code == 2 and "KS903" in result.err


@pytest.mark.parametrize(
    "argv",
    [
        ("check", "--bogus"),
        ("check", "--format", "xml"),
        ("frobnicate",),
        (),
        ("approve", NEWS, "--by", "anan.w", "--step", "verify"),
    ],
)
def test_usage_errors_exit_2_with_ks903(repo, argv):
    result = run_cli(argv)
    assert result.code == 2
    assert "KS903" in result.err and "Traceback" not in result.output


def test_argparse_speaks_thai(repo):
    missing = run_cli(["new", "news"])
    assert missing.code == 2
    assert missing.err.startswith("วิธีใช้: khaosan new")
    assert "KS903 ค่าที่สั่งไม่ถูกต้อง: ขาดค่าที่ต้องระบุ: --title" in missing.err
    choice = run_cli(["status", "--format", "xml"])
    assert "--format: ไม่มีตัวเลือก 'xml'" in choice.err and "invalid choice" not in choice.err
    unknown = run_cli(["check", "--bogus"])
    assert "ไม่รู้จักค่าที่สั่ง: --bogus" in unknown.err
    helped = run_cli(["check", "--help"])
    assert helped.code == 0 and helped.out.startswith("วิธีใช้: khaosan check")
    assert "ตัวเลือก:" in helped.out and "แสดงวิธีใช้นี้แล้วจบ" in helped.out
    assert not re.search(r"usage:|options:|positional arguments|show this help", helped.out)
    top = run_cli(["--help"])
    assert "คำสั่ง:" in top.out and "show program's version" not in top.out


def test_bad_now_is_a_usage_error(repo):
    result = repo.khaosan("check", now="2026-11-25")
    assert result.code == 2 and "KS903" in result.err and "--now" in result.err


def test_no_office_yml_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli(["check", "--root", str(tmp_path)])
    assert result.code == 2
    assert result.err.startswith("KS404")


def test_broken_office_yml_exits_1(repo):
    repo.write("office.yml", repo.read("office.yml").replace("roles: [director]", "roles: [boss]"))
    result = repo.khaosan("check")
    assert result.code == 1
    assert "office.yml:" in result.out and "KS104" in result.out


def test_check_json_has_summary_and_problems(repo):
    repo.add("news")
    repo.add("disclosure", category_other="ประกาศ")
    result = repo.khaosan("check", "--format", "json", "--publish")
    assert result.code == 1
    data = report(result)
    assert set(data) == {"summary", "problems"}
    assert data["summary"]["files"] == 2 and data["summary"]["publish"] is True
    assert data["summary"]["errors"] == len(data["problems"]) == 5  # KS204 + 2 × KS305 per item
    assert data["summary"]["pending"] == sorted([PATHS["disclosure"], NEWS])
    for p in data["problems"]:
        assert set(p) == {"path", "line", "column", "code", "severity", "message", "hint"}
    assert result.err == ""  # JSON on stdout only: nothing else to parse around


def test_check_github_annotations(repo):
    repo.add("news", topic_group="pr")
    result = repo.khaosan("check", "--format", "github")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines and all(line.startswith(f"::error file={NEWS},line=") for line in lines)
    assert f"line={line_of(item_text('news'), 'topic_group:')}," in lines[0] and "title=KS202::" in lines[0]


def test_github_warnings_for_stale_approvals(repo):
    rel = repo.add("news", signed=True)
    repo.write(rel, repo.read(rel) + "เพิ่มเติม\n")
    result = repo.khaosan("check", "--format", "github")
    assert result.code == 0
    assert [line.split(",")[0] for line in result.out.splitlines()] == [f"::warning file={rel}"] * 2


def test_check_a_folder_selects_what_is_under_it(repo):
    repo.add("news", author="somsri.p")
    repo.add("disclosure")
    assert repo.khaosan("check", "content/disclosures").code == 0
    assert repo.khaosan("check", "content/news").code == 1
    assert repo.khaosan("check", "content").code == 1


def test_check_from_a_subfolder_finds_the_repository(repo, monkeypatch):
    repo.add("news")
    monkeypatch.chdir(repo.path("content/news"))
    result = repo.khaosan("check", "2569")
    assert result.code == 0 and re.search(r"\b1 ไฟล์: ข้อผิดพลาด 0", result.err)


def test_ks209_ids_differing_only_in_case(repo):
    repo.add("news")
    other = repo.add("news", rel=NEWS.replace("meeting-", "Meeting-"))
    found = problems(repo.khaosan("check", "--format", "json"))
    assert ("KS209", 1) in found and ("KS210", 1) in found
    assert other != NEWS


def test_ks213_clipping_about_an_item_that_is_not_in_the_repository(repo):
    rel = repo.add("clipping")
    text = repo.read(rel)
    assert problems(repo.khaosan("check", "--format", "json")) == [("KS213", line_of(text, "about:"))]
    repo.add("news")
    assert problems(repo.khaosan("check", "--format", "json")) == []


def test_ks207_attachment_and_body_reference_on_disk(repo):
    rel = repo.add("disclosure", body="ดู[ไฟล์](files/../../office.yml) ประกอบ\n")
    text = repo.read(rel)
    assert problems(repo.khaosan("check", rel, "--format", "json")) == [("KS207", line_of(text, "ดู[ไฟล์]"))]
    repo.path(f"content/{ATTACHMENT}").unlink()
    assert ("KS207", line_of(text, "- file:")) in problems(repo.khaosan("check", rel, "--format", "json"))


def test_the_real_entry_point_never_shows_a_traceback(repo):
    repo.write("content/news/2569/broken.md", b"---\ntitle: [\n---\n")
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    done = subprocess.run(
        [sys.executable, "-m", "workflow", "check", "--now", "2026-11-25T12:00:00+07:00"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1
    assert "KS010" in done.stdout and "Traceback" not in done.stdout + done.stderr


# -- new: every kind, never overwriting ----------------------------------------------

NEW_ARGS = {
    "news": ("--author", "somchai.p"),
    "disclosure": ("--requester", "nattapong.c", "--category", "procurement"),
    "clipping": ("--outlet", "หนังสือพิมพ์ภูผาหมอก", "--recorded-by", "kanda.s", "--url", "https://x.example/a"),
}
NEW_PATHS = {
    "news": "content/news/2569/first.md",
    "disclosure": "content/disclosures/procurement/first.md",
    "clipping": "content/clippings/2569/first.md",
}


@pytest.mark.parametrize("kind", sorted(NEW_ARGS))
def test_new_creates_an_item_that_check_accepts_as_pending(repo, kind):
    result = repo.khaosan("new", kind, "--title", "[ด่วน] เรื่อง: ทดสอบ # 1", "--slug", "first", *NEW_ARGS[kind])
    assert result.code == 0, result.output
    rel = NEW_PATHS[kind]
    assert rel in result.out
    checked = repo.khaosan("check", rel, "--format", "json")
    assert checked.code == 0, checked.out
    assert report(checked)["summary"]["pending"] == [rel]
    # what `new` left to fill in is named (a warning while writing; the publish gate refuses it)
    left = report(checked)["problems"]
    assert left and {(p["code"], p["severity"]) for p in left} <= {("KS217", "warning"), ("KS218", "warning")}


@pytest.mark.parametrize(
    ("news_type", "extra"),
    [
        ("meeting", ()),
        ("inspection", ()),
        ("general", ()),
        ("press-conference", ("--starts-at", "2026-11-26T09:00:00+07:00", "--ends-at", "2026-11-26T10:00:00+07:00")),
    ],
)
def test_new_news_of_each_type_passes_check(repo, news_type, extra):
    result = repo.khaosan("new", "news", "--title", "ข่าว", "--author", "kanda.s", "--news-type", news_type, *extra)
    assert result.code == 0
    assert repo.khaosan("check").code == 0


def test_new_disclosure_other_needs_and_records_its_topic(repo):
    missing = repo.khaosan("new", "disclosure", "--title", "ประกาศ", "--requester", "orawan.p", "--category", "other")
    assert missing.code == 2 and "--category-other" in missing.err
    made = repo.khaosan(
        "new",
        "disclosure",
        "--title",
        "ประกาศ",
        "--requester",
        "orawan.p",
        "--category",
        "other",
        "--category-other",
        "ประกาศรับสมัคร",
    )
    assert made.code == 0 and repo.khaosan("check").code == 0


def test_new_refuses_to_overwrite(repo):
    args = ("new", "news", "--title", "ข่าวแรก", "--author", "somchai.p", "--slug", "same-name")
    assert repo.khaosan(*args).code == 0
    rel = "content/news/2569/same-name.md"
    first = repo.read_bytes(rel)
    second = repo.khaosan("new", "news", "--title", "ข่าวที่สอง", "--author", "kanda.s", "--slug", "same-name")
    assert second.code == 2
    assert "KS902" in second.err and "Traceback" not in second.output
    assert repo.read_bytes(rel) == first
    assert sorted(p.name for p in repo.path("content/news/2569").iterdir()) == ["same-name.md"]


def test_new_without_slug_numbers_the_next_name(repo):
    for _ in range(2):
        assert repo.khaosan("new", "news", "--title", "ข่าว", "--author", "somchai.p").code == 0
    names = sorted(p.name for p in repo.path("content/news/2569").iterdir())
    assert names == ["general-20261125-1200-2.md", "general-20261125-1200.md"]


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("new", "news", "--title", "x"), "KS903"),
        (("new", "news", "--title", "x", "--author", "somsri.p"), "KS201"),
        (("new", "news", "--title", "x", "--author", "somchai.p", "--slug", "Bad_Slug"), "KS210"),
        (("new", "clipping", "--title", "x"), "KS903"),
        (("new", "news", "--title", "x", "--author", "somchai.p", "--starts-at", "พรุ่งนี้"), "KS903"),
    ],
)
def test_new_usage_errors(repo, argv, code):
    result = repo.khaosan(*argv)
    assert result.code == 2 and result.err.startswith(code)
    assert not repo.path("content/news").exists()


# -- approve ---------------------------------------------------------------------------


def test_approve_both_steps_then_the_publish_gate_passes(repo):
    rel = repo.add("news")
    first = repo.khaosan("approve", rel, *FACTS)
    assert first.code == 0 and "นายอนันต์ วงศ์ไพศาล" in first.out and "20 พฤศจิกายน 2569 เวลา 15:00 น." in first.out
    assert repo.khaosan("check", "--publish").code == 1
    assert repo.khaosan("approve", rel, *CHECK).code == 0
    assert repo.khaosan("check", "--publish").code == 0


def test_approve_then_body_edit_is_stale_at_that_digest_line(repo):
    rel = repo.add("news")
    assert repo.khaosan("approve", rel, *FACTS).code == 0
    assert repo.khaosan("approve", rel, *CHECK).code == 0
    repo.write(rel, repo.read(rel).replace(BODIES["news"], BODIES["news"] + "แก้ไขหลังลงนาม\n"))
    text = repo.read(rel)
    result = repo.khaosan("check", "--publish", "--format", "json")
    assert result.code == 1
    assert sorted(problems(result)) == [("KS304", line_of(text, "digest:", 1)), ("KS304", line_of(text, "digest:", 2))]


def test_front_matter_edit_after_facts_makes_facts_stale_and_blocks_check(repo):
    rel = repo.add("news")
    assert repo.khaosan("approve", rel, *FACTS).code == 0
    repo.write(rel, repo.read(rel).replace("ครั้งที่ 11/2569", "ครั้งที่ 12/2569"))
    text = repo.read(rel)
    result = repo.khaosan("check", "--publish", "--format", "json")
    assert ("KS304", line_of(text, "digest:", 1)) in problems(result)
    refused = repo.khaosan("approve", rel, *CHECK)  # check is for content whose facts were confirmed
    assert refused.code == 1 and "KS303" in refused.out
    assert repo.read(rel) == text


def test_approve_then_attachment_replaced_is_stale(repo):
    rel = repo.add("disclosure")
    assert repo.khaosan("approve", rel, "--by", "rattana.b", "--step", "content").code == 0
    assert repo.khaosan("approve", rel, "--by", "prasert.j", "--step", "permit").code == 0
    assert repo.khaosan("check", "--publish").code == 0
    repo.write(f"content/{ATTACHMENT}", ATTACHMENT_BYTES.replace(b"draft", b"final"))
    text = repo.read(rel)
    result = repo.khaosan("check", "--publish", "--format", "json")
    assert result.code == 1
    assert sorted(problems(result)) == [("KS304", line_of(text, "digest:", 1)), ("KS304", line_of(text, "digest:", 2))]


LAYOUTS = {
    "block-list": (
        "approvals:\n  - by: pimchanok.l\n    step: facts\n    at: 2026-11-20T14:30:00+07:00\n"
        "    digest: sha256:" + "0" * 64 + "\n"
    ),
    "empty-flow": "approvals: []\n",
    "comments-around": ("# การลงนาม (บันทึกด้วย khaosan approve)\napprovals: []  # ยังไม่มี\n# ท้ายส่วนหัว\n"),
    "indentless-with-comment": (
        "approvals:\n# ผอ.กลุ่มนโยบายลงนามทางกระดาษ\n- {by: pimchanok.l, step: facts, "
        "at: 2026-11-20T14:30:00+07:00, digest: sha256:" + "0" * 64 + "}  # เก่า\n"
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_approve_keeps_every_other_byte(repo, layout):
    text = item_text("news").replace("approvals: []\n", LAYOUTS[layout])
    text = text.replace("channels: [website, facebook]", "channels:   [website,facebook]   # ช่องทาง")
    rel = repo.write(NEWS, text).relative_to(repo.root).as_posix()
    result = repo.khaosan("approve", rel, "--by", "anan.w", "--step", "facts")
    assert result.code == 0, result.output
    after = repo.read(rel)
    # `[]` is the one token an approval replaces (a comment after it keeps its place)
    before = text.replace("approvals: []\n", "approvals:\n").replace("approvals: [] ", "approvals:  ")
    added = inserted_lines(before, after)
    assert [line.strip().split(":")[0] for line in added] in (["- by", "step", "at", "digest", "paper"], ["- {by"])
    assert repo.khaosan("check", rel).code == 0


def test_approve_refuses_a_file_without_approvals_key_and_leaves_it(repo):
    rel = repo.add("news", approvals=None)
    before = repo.read_bytes(rel)
    result = repo.khaosan("approve", rel, *FACTS)
    assert result.code == 1 and "KS101" in result.out
    assert repo.read_bytes(rel) == before


def same_code_as_check(repo, rel: str, by: str, step: str, at: str) -> str:
    """The code `check` gives for the same approval written into the file by hand."""
    hand = signed_text("news", [(by, step, at)], digest=digest_of(repo.read(rel)))
    repo.write("content/news/2569/by-hand.md", hand)
    result = repo.khaosan("check", "content/news/2569/by-hand.md", "--format", "json")
    repo.path("content/news/2569/by-hand.md").unlink()
    codes = [p["code"] for p in report(result)["problems"]]
    assert len(codes) == 1
    return codes[0]


@pytest.mark.parametrize(
    ("by", "step", "code"),
    [
        ("somchai.p", "facts", "KS302"),  # the author
        ("rattana.b", "facts", "KS301"),  # another group's director
        ("anan.w", "check", "KS301"),  # a group director, not admin's
        ("somsri.p", "facts", "KS201"),  # nobody of that name
    ],
)
def test_approve_refuses_like_check_and_leaves_the_file_byte_identical(repo, by, step, code):
    rel = repo.add("news")
    before = repo.read_bytes(rel)
    at = "2026-11-20T15:00:00+07:00"
    result = repo.khaosan("approve", rel, "--by", by, "--step", step, "--at", at)
    assert result.code == 1
    assert f" {code} " in result.out and THAI.search(result.out)
    assert "ไม่ได้บันทึกการลงนาม" in result.err
    assert repo.read_bytes(rel) == before
    assert same_code_as_check(repo, rel, by, step, at) == code


@pytest.mark.parametrize(
    ("at", "code"),
    [
        ("2026-11-25T12:00:01+07:00", "KS212"),  # after --now
        ("2026-11-20T14:00:00+07:00", "KS306"),
    ],
)  # before produced_at
def test_approve_refuses_impossible_times(repo, at, code):
    rel = repo.add("news")
    before = repo.read_bytes(rel)
    result = repo.khaosan("approve", rel, "--by", "anan.w", "--step", "facts", "--at", at)
    assert result.code == 1 and code in result.out
    assert repo.read_bytes(rel) == before


def test_approve_refuses_a_step_of_another_kind(repo):
    rel = repo.add("news")
    before = repo.read_bytes(rel)
    result = repo.khaosan("approve", rel, "--by", "prasert.j", "--step", "permit")
    assert result.code == 1 and "KS307" in result.out
    assert repo.read_bytes(rel) == before


def test_approve_refuses_a_file_with_errors(repo):
    rel = repo.add("news", topic_group="pr")
    before = repo.read_bytes(rel)
    result = repo.khaosan("approve", rel, *FACTS)
    assert result.code == 1 and "KS202" in result.out
    assert repo.read_bytes(rel) == before


def test_approve_twice_is_a_no_op(repo):
    rel = repo.add("news")
    assert repo.khaosan("approve", rel, *FACTS).code == 0
    once = repo.read_bytes(rel)
    again = repo.khaosan("approve", rel, *FACTS)
    assert again.code == 0 and "ไม่ต้องลงนามซ้ำ" in again.out
    assert repo.read_bytes(rel) == once


def test_approve_records_a_thai_note_readably(repo):
    rel = repo.add("news")
    assert repo.khaosan("approve", rel, *FACTS, "--note", "ตรวจแล้ว: ถูกต้อง").code == 0
    assert '    note: "ตรวจแล้ว: ถูกต้อง"\n' in repo.read(rel)
    assert repo.khaosan("check", rel).code == 0


def test_approve_a_folder_is_a_usage_error(repo):
    repo.add("news")
    result = repo.khaosan("approve", "content/news", *FACTS)
    assert result.code == 2 and result.err.startswith("KS903")


def test_approve_missing_file_is_a_usage_error(repo):
    result = repo.khaosan("approve", "content/news/2569/none.md", *FACTS)
    assert result.code == 2 and "KS901" in result.err


def test_approve_refuses_a_later_step_before_an_earlier_one(repo):
    rel = repo.add("news")
    before = (repo.root / rel).read_bytes()
    check_first = repo.khaosan(
        "approve", rel, "--by", "malee.t", "--step", "check", "--at", "2026-11-20T15:00:00+07:00"
    )
    assert check_first.code == 1 and "KS303" in check_first.out
    assert (repo.root / rel).read_bytes() == before
    assert (
        repo.khaosan("approve", rel, "--by", "anan.w", "--step", "facts", "--at", "2026-11-20T16:00:00+07:00").code == 0
    )
    assert (
        repo.khaosan("approve", rel, "--by", "malee.t", "--step", "check", "--at", "2026-11-20T16:30:00+07:00").code
        == 0
    )
    assert repo.khaosan("check", "--publish").code == 0


# -- status ---------------------------------------------------------------------------


def test_status_shows_the_thai_deadline_and_who_may_sign(repo):
    repo.add("news")
    result = repo.khaosan("status")
    assert result.code == 1  # a sign-off is missing
    out = result.out
    assert "สถานะ: รอลงนาม" in out
    assert "มาตรฐานเวลา: เผยแพร่ภายใน 3 ชั่วโมงหลังการประชุมเสร็จ" in out
    assert "เผยแพร่ภายใน: 20 พฤศจิกายน 2569 เวลา 15:00 น. (เลยกำหนดมาแล้ว 4 วัน 21 ชม.)" in out
    assert "✗ ยืนยันข้อเท็จจริง: ยังไม่ลงนาม — ผู้ลงนามได้: บุคลากรของกลุ่มนโยบายและแผน" in out
    assert "นายอนันต์ วงศ์ไพศาล (anan.w) และอีก 1 คน" in out
    assert "✗ ตรวจสอบก่อนเผยแพร่: ยังไม่ลงนาม — ผู้ลงนามได้: ผู้อำนวยการกลุ่มอำนวยการ" in out
    assert "นางมาลี ทองคำ (malee.t)" in out


def test_status_time_left_for_a_press_conference(repo):
    event = "\n  starts_at: 2026-11-25T16:00:00+07:00\n  ends_at: 2026-11-25T17:00:00+07:00"
    repo.add(
        "news", news_type="press-conference", source="document", event=event, produced_at="2026-11-25T09:00:00+07:00"
    )
    out = repo.khaosan("status").out
    assert "จัดทำเสร็จภายใน: 25 พฤศจิกายน 2569 เวลา 13:00 น. (จัดทำเสร็จก่อนกำหนด 4 ชม.)" in out
    assert "เผยแพร่ภายใน: 25 พฤศจิกายน 2569 เวลา 17:00 น. (เหลืออีก 5 ชม.)" in out


def test_status_compares_the_last_sign_off_with_the_deadline(repo):
    repo.add("news", signed=True)  # check signed 16:00, an hour after the 15:00 deadline
    out = repo.khaosan("status").out
    assert "เผยแพร่ภายใน: 20 พฤศจิกายน 2569 เวลา 15:00 น. (ลงนามครบหลังกำหนด 1 ชม.)" in out


def test_status_after_signing_and_after_an_edit(repo):
    rel = repo.add("news")
    repo.khaosan("approve", rel, *FACTS)
    out = repo.khaosan("status").out
    # `approve` records a sign-off given outside GitHub: the record and status say so
    assert "✓ ยืนยันข้อเท็จจริง: นายอนันต์ วงศ์ไพศาล (anan.w) เมื่อ 20 พ.ย. 2569 เวลา 15:00 น. (ลงนามบนกระดาษ)" in out
    assert "    paper: true\n" in repo.read(rel)
    repo.khaosan("approve", rel, *CHECK)
    assert "สถานะ: ลงนามครบ พร้อมเผยแพร่" in repo.khaosan("status").out
    repo.write(rel, repo.read(rel) + "เพิ่ม\n")
    out = repo.khaosan("status").out
    assert "! ยืนยันข้อเท็จจริง: ล้าสมัย เนื้อหาเปลี่ยนหลังลงนาม ต้องลงนามใหม่" in out


def test_status_disclosure_and_invalid_items(repo):
    repo.add("disclosure")
    repo.write("content/news/2569/broken.md", "---\ntitle: [\n---\n")
    out = repo.khaosan("status").out
    assert "ข้อมูลข่าวสารที่เผยแพร่ต่อสาธารณะ: ประกาศร่างขอบเขตของงาน" in out
    assert "ผู้ลงนามได้: ผู้อำนวยการกลุ่มบริหารงานการเงินและสินทรัพย์ (กลุ่มของผู้ขอเผยแพร่) ได้แก่ นางรัตนา บุญมา (rattana.b)" in out
    assert "content/news/2569/broken.md\n  สถานะ: มีข้อผิดพลาด (ดู khaosan check)" in out
    assert "มาตรฐานเวลา" not in out.split("broken.md")[0]


def test_status_json_and_pending(repo):
    repo.add("news", signed=True)
    repo.add("clipping")
    data = json.loads(repo.khaosan("status", "--format", "json").out)
    assert data["now"] == "2026-11-25T12:00:00+07:00"
    states = {item["id"]: item["state"] for item in data["items"]}
    assert states == {IDS["news"]: "ready", IDS["clipping"]: "pending"}
    news = next(i for i in data["items"] if i["kind"] == "news")
    assert news["deadlines"] == [
        {"stage": "publish", "label": "เผยแพร่ภายใน", "at": "2026-11-20T15:00:00+07:00", "seconds_left": -421200}
    ]
    pending = json.loads(repo.khaosan("status", "--pending", "--format", "json").out)
    assert [i["id"] for i in pending["items"]] == [IDS["clipping"]]


def test_status_urgent_item(repo):
    repo.add("news", urgent="\n  by: malee.t\n  reason: ต้องเผยแพร่ทันการประชุม")
    assert "สถานะ: เผยแพร่ด่วน — ยังรอลงนาม" in repo.khaosan("status").out


def test_status_of_a_withdrawn_item_says_so_and_it_waits_for_nothing(repo):
    withdrawn = "\n  at: 2026-11-24T09:00:00+07:00\n  by: prasert.j\n  reason: ข้อมูลคลาดเคลื่อน"
    repo.add("news", signed=True, withdrawn=withdrawn)
    out = repo.khaosan("status").out
    assert "สถานะ: ถอนการเผยแพร่แล้ว" in out and "พร้อมเผยแพร่" not in out
    assert json.loads(repo.khaosan("status", "--pending", "--format", "json").out)["items"] == []


def test_approve_is_refused_where_the_office_takes_no_paper(repo):
    rel = repo.add("news")
    office = repo.read("office.yml")
    repo.write("office.yml", office.replace("signoffs:\n  paper: true", "signoffs:\n  paper: false"))
    before = repo.read(rel)
    result = repo.khaosan("approve", rel, *FACTS)
    assert result.code == 1 and "KS311" in result.output and repo.read(rel) == before


def test_status_of_an_empty_repository(repo):
    assert repo.khaosan("status").out.strip() == "ไม่มีรายการ"


def test_status_names_people_with_the_id_approve_takes(repo):
    rel = repo.add("news")
    out = repo.khaosan("status").out
    assert "นางมาลี ทองคำ (malee.t)" in out
    assert repo.khaosan("approve", rel, "--by", "anan.w", *FACTS[2:]).code == 0  # the id as status showed it
    assert "✓ ยืนยันข้อเท็จจริง: นายอนันต์ วงศ์ไพศาล (anan.w) เมื่อ" in repo.khaosan("status").out


def test_status_exits_0_only_when_every_item_is_ready(repo):
    repo.add("news", signed=True)
    assert repo.khaosan("status").code == 0
    repo.add("clipping")  # waits for its sign-off
    assert repo.khaosan("status").code == 1
    assert repo.khaosan("status", "--pending").code == 1
    assert repo.khaosan("status", PATHS["news"]).code == 0
    repo.add("clipping", signed=True, recorded_by="somsri.p")  # signed, but names nobody in office.yml
    assert repo.khaosan("status", PATHS["clipping"]).code == 1
    assert repo.khaosan("status").code == 1


# -- codes, version -----------------------------------------------------------------------


def test_codes_lists_every_code_in_thai():
    from workflow.core.problems import CODES

    result = run_cli(["codes"])
    assert result.code == 0
    assert [line.split()[0] for line in result.out.splitlines()] == list(CODES)
    table = run_cli(["codes", "--markdown"]).out.splitlines()
    assert table[:2] == ["| รหัส | ปัญหา | วิธีแก้ |", "|---|---|---|"] and len(table) == len(CODES) + 2


def test_version():
    result = run_cli(["--version"])
    assert result.code == 0 and result.out.startswith("khaosan ")


def test_approve_refuses_the_second_step_by_the_person_who_gave_the_first(repo):
    """A deputy may give either step of a news item, never both: the second pair of eyes is another person."""
    rel = repo.add("news")
    facts = repo.khaosan("approve", rel, "--by", "thanakorn.r", "--step", "facts", "--at", "2026-11-20T15:00:00+07:00")
    assert facts.code == 0, facts.err
    before = repo.read_bytes(rel)
    again = repo.khaosan("approve", rel, "--by", "thanakorn.r", "--step", "check", "--at", "2026-11-20T16:00:00+07:00")
    assert again.code == 1 and " KS310 " in again.out and "นายธนากร" in again.out
    assert repo.read_bytes(rel) == before
    other = repo.khaosan("approve", rel, "--by", "wilaiwan.s", "--step", "check", "--at", "2026-11-20T16:00:00+07:00")
    assert other.code == 0, other.err
    assert repo.khaosan("check", rel, "--publish").code == 0
