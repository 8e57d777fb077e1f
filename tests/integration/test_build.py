"""`khaosan build`: a real Pelican build, only public items, and a failed build
that leaves the previous site as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.site import project_copy, sign_news, staging_left

from workflow.cli import main

NOW = "2026-11-25T12:00:00+07:00"

NEWS = """---
type: news
title: {title}
news_type: general
plan: proactive
format: press-release
source: document
author: somchai.p
topic_group: promotion
produced_at: 2026-11-10T10:00:00+07:00
channels: [website]
attachments:
  - {{file: files/{slug}.pdf, title: เอกสารประกอบ}}
approvals: []
---
เนื้อหาข่าว {title}
"""


def make_repo(tmp_path: Path) -> Path:
    return project_copy(tmp_path)


def add_news(root: Path, slug: str, title: str, *, signed: bool) -> Path:
    path = root / "content" / "news" / "2569" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NEWS.format(title=title, slug=slug), encoding="utf-8")
    (root / "content" / "files" / f"{slug}.pdf").write_bytes(b"%PDF-1.4\n% " + slug.encode() + b"\n%%EOF\n")
    if signed:
        sign_news(root, path, NOW)
    return path


def build(root: Path) -> int:
    return main(["build", "--root", str(root), "--now", NOW])


def all_output_text(output: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in output.rglob("*") if p.is_file())


def test_build_publishes_signed_items_and_leaves_out_pending_ones(tmp_path, capsys):
    root = make_repo(tmp_path)
    add_news(root, "signed-item", "ข่าวที่ลงนามครบแล้ว", signed=True)
    add_news(root, "pending-item", "ข่าวที่ยังรอลงนามอยู่", signed=False)

    assert build(root) == 0

    output = root / "output"
    page = output / "news" / "2569" / "signed-item" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "ข่าวที่ลงนามครบแล้ว" in html
    assert 'lang="th"' in (output / "index.html").read_text(encoding="utf-8")
    assert (output / "files" / "signed-item.pdf").is_file()
    # the pending item leaves no trace: neither its title nor its attachment
    assert "ข่าวที่ยังรอลงนามอยู่" not in all_output_text(output)
    assert not (output / "files" / "pending-item.pdf").exists()
    err = capsys.readouterr().err
    assert "ไม่เผยแพร่ content/news/2569/pending-item.md: รอลงนาม" in err


def test_build_says_it_in_thai_only(tmp_path, capsys):
    root = make_repo(tmp_path)
    add_news(root, "signed-item", "ข่าวที่ลงนามครบแล้ว", signed=True)
    capsys.readouterr()
    assert build(root) == 0
    said = capsys.readouterr()
    assert "สร้างเว็บไซต์แล้ว: 1 รายการ" in said.out
    assert "Done:" not in said.out + said.err and "Processed" not in said.out + said.err


@pytest.mark.parametrize("missing", ["pelicanconf.py", "theme"])
def test_build_without_its_settings_says_which_in_thai(tmp_path, capsys, missing):
    import shutil

    root = make_repo(tmp_path)
    add_news(root, "signed-item", "ข่าว", signed=True)
    target = root / missing
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()
    capsys.readouterr()
    assert build(root) == 2
    said = capsys.readouterr()
    assert said.err.startswith("KS907 ไม่พบ " + missing) and "Traceback" not in said.out + said.err
    assert not (root / "output").exists()


def test_serve_without_pelicanconf_says_so_before_serving(tmp_path):
    from support.cli import run_cli

    root = make_repo(tmp_path)
    (root / "pelicanconf.py").unlink()
    result = run_cli(["serve", "--root", str(root), "--port", "0"])
    assert result.code == 2 and result.err.startswith("KS907") and "Traceback" not in result.output


def test_build_reads_items_through_khaosan_parser(tmp_path):
    """The page shows values only our reader computes (Thai BE date, kind label)."""
    root = make_repo(tmp_path)
    add_news(root, "signed-item", "ข่าวทดสอบวันที่", signed=True)
    assert build(root) == 0
    html = (root / "output" / "news" / "2569" / "signed-item" / "index.html").read_text(encoding="utf-8")
    assert "10 พฤศจิกายน 2569" in html
    assert "ข่าวประชาสัมพันธ์" in html


def test_content_error_stops_the_build_and_keeps_the_old_site(tmp_path, capsys):
    root = make_repo(tmp_path)
    add_news(root, "signed-item", "ข่าวเดิม", signed=True)
    assert build(root) == 0
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}

    bad = root / "content" / "news" / "2569" / "broken.md"
    bad.write_text("---\ntitle: [ไม่ปิด\n---\n", encoding="utf-8")
    assert build(root) == 1

    after = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    assert after == before
    out = capsys.readouterr()
    assert "content/news/2569/broken.md:2:" in out.out
    assert "Traceback" not in out.out + out.err


def test_pelican_failure_keeps_the_old_site(tmp_path, capsys):
    root = make_repo(tmp_path)
    add_news(root, "signed-item", "ข่าวเดิม", signed=True)
    assert build(root) == 0
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}

    (root / "theme" / "templates" / "article.html").write_text("{% block content %}{{ article.nope(", encoding="utf-8")
    add_news(root, "second-item", "ข่าวใหม่", signed=True)
    assert build(root) == 1

    after = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    assert after == before
    out = capsys.readouterr()
    assert "KS905" in out.err
    assert staging_left(root) == []


@pytest.mark.parametrize("name", ["output"])
def test_build_never_touches_content(tmp_path, name):
    root = make_repo(tmp_path)
    path = add_news(root, "signed-item", "ข่าว", signed=True)
    before = path.read_bytes()
    assert build(root) == 0
    assert build(root) == 0  # a second build replaces the first
    assert path.read_bytes() == before
    assert (root / name / "news" / "2569" / "signed-item" / "index.html").is_file()
