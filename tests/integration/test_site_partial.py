"""A build after a change renders only what changed, and its site is the full build's, byte for byte.

Each case changes the sample office the way people do (a new signed item, a
withdrawal, a deleted item, a changed attachment), runs `khaosan build`
(partial), then `khaosan build --full` into another folder, and compares the
two sites file by file (the search bundle aside: it is checked on its own).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from support.site import indexed_urls, project_copy, staging_left
from test_site import NOW, add_news

from workflow.cli import main
from workflow.commands.build import FOUND, PAGES_LIVE, SITE_LIVE
from workflow.core.site_plan import Manifest
from workflow.edges.site import record as site_state


def files_of(site: Path) -> dict[str, bytes]:
    found = {}
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and not rel.startswith("pagefind/"):
            data = path.read_bytes()
            if rel == "api/items.json":  # carries the time it was generated
                doc = json.loads(data)
                doc.pop("generated")
                data = json.dumps(doc, sort_keys=True).encode()
            found[rel] = data
    return found


def build(root: Path, *args: str) -> int:
    return main(["build", "--root", str(root), "--now", NOW, *args])


def assert_same_as_full(root: Path, tmp_path: Path) -> None:
    full = tmp_path / "full-site"
    shutil.rmtree(full, ignore_errors=True)
    work = root / ".khaosan-build"
    saved = {p.name: p.read_bytes() for p in work.iterdir() if p.is_file()}
    assert build(root, "--full", "--no-search", "--output", str(full)) == 0
    for name, data in saved.items():  # the full build into another folder must not replace the record
        (work / name).write_bytes(data)
    partial, whole = files_of(root / "output"), files_of(full)
    assert sorted(partial) == sorted(whole)
    assert [rel for rel in partial if partial[rel] != whole[rel]] == []


@pytest.fixture
def office(tmp_path):
    root = project_copy(tmp_path, content=True)
    assert build(root) == 0
    return root


def last_line(out: str, marker: str) -> str:
    return next(line for line in reversed(out.splitlines()) if marker in line)


def test_nothing_changed_renders_no_item_page(office, tmp_path, capsys):
    capsys.readouterr()
    before = {p: os.stat(p).st_mtime_ns for p in (office / "output").rglob("index.html")}
    assert build(office, "--no-search") == 0
    line = last_line(capsys.readouterr().out, "ขึ้นแล้ว")
    assert "เฉพาะส่วนที่เปลี่ยน" in line and "สร้างใหม่ 0 หน้า" in line
    item = office / "output" / "news" / "2569" / "inspection-20260121-school-lunch" / "index.html"
    assert os.stat(item).st_mtime_ns == before[item]  # the same file, untouched
    assert_same_as_full(office, tmp_path)


def pages_in_search(site: Path) -> int:
    return len(indexed_urls(site))


def test_a_new_signed_item_is_published_with_its_listings_feeds_and_search(office, tmp_path, capsys):
    indexed = pages_in_search(office / "output")
    clippings, news = office / "output" / "clippings" / "index.html", office / "output" / "news" / "index.html"
    before = {path: os.stat(path) for path in (clippings, news)}
    add_news(office, "partial-new", "ข่าวใหม่ที่เผยแพร่ทีหลัง")
    capsys.readouterr()
    assert build(office) == 0
    # a listing the new item does not move is left as it is (not renamed again); one it moves is replaced
    assert (os.stat(clippings).st_ino, os.stat(clippings).st_mtime_ns) == (
        before[clippings].st_ino,
        before[clippings].st_mtime_ns,
    )
    assert os.stat(news).st_ino != before[news].st_ino
    out = capsys.readouterr().out
    assert "เฉพาะส่วนที่เปลี่ยน" in last_line(out, "ขึ้นแล้ว")
    assert FOUND in out  # the search followed the new page before the listings were rendered
    site = office / "output"
    assert "ข่าวใหม่ที่เผยแพร่ทีหลัง" in (site / "news" / "2569" / "partial-new" / "index.html").read_text("utf-8")
    assert "partial-new" in (site / "news" / "index.html").read_text("utf-8")
    assert "partial-new" in (site / "feeds" / "all.atom.xml").read_text("utf-8")
    assert "partial-new" in (site / "sitemap.xml").read_text("utf-8")
    assert (site / "files" / "partial-new.pdf").is_file()
    assert not list((site / "pagefind").glob(".next-*"))
    assert staging_left(office) == []
    assert pages_in_search(site) == indexed + 1  # the search index followed, with the new page
    assert_same_as_full(office, tmp_path)


def test_the_new_page_goes_live_first_and_its_listings_leave_it_as_it_is(office, tmp_path, monkeypatch, capsys):
    """The first step places the new page and its file, rendered from that item alone, before any
    listing is rendered; the search follows; then the listings, rendered with every item, find
    the page's bytes already right (not placed again) and the site is the full build's."""
    placed: list[list[str]] = []
    real = site_state.place

    def recorded(delta, site, output, rels, pages, undo=None):
        before = dict(output)
        real(delta, site, output, rels, pages, undo)
        placed.append(sorted(rel for rel in output if output[rel] != before.get(rel)))

    monkeypatch.setattr(site_state, "place", recorded)
    add_news(office, "first-step", "ข่าวที่ขึ้นก่อนหน้ารวม")
    capsys.readouterr()
    assert build(office) == 0
    page = "news/2569/first-step/index.html"
    assert placed[0] == ["files/first-step.pdf", page]  # the first step: the page and its file, nothing else
    assert "news/index.html" in placed[1] and page not in placed[1]
    said = capsys.readouterr().out.splitlines()
    steps = [
        next(i for i, line in enumerate(said) if line.startswith(words)) for words in (PAGES_LIVE, FOUND, SITE_LIVE)
    ]
    assert steps == sorted(steps)  # page, then search, then the whole site
    assert "first-step" in " ".join(indexed_urls(office / "output"))
    assert staging_left(office) == []
    assert_same_as_full(office, tmp_path)


@pytest.mark.parametrize("search", [True, False], ids=["search", "no-search"])
def test_a_build_failing_after_its_first_pages_puts_site_search_and_record_back(office, monkeypatch, capsys, search):
    """The new page went live, the search followed, then the listings failed: the site is as it was,
    byte for byte and file for file (the page taken down again), the search holds what it held, the
    record describes the site again, so the next build is partial and publishes the item whole."""
    from workflow.edges.site import build as site

    output = office / "output"

    def site_files() -> dict[Path, tuple[bytes, int]]:  # the search's files apart: its list is written back
        return {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in output.rglob("*") if p.is_file()}

    def search_files() -> dict[Path, bytes]:
        return {p: p.read_bytes() for p in (output / "pagefind").rglob("*") if p.is_file()}

    before, searched, urls = site_files(), search_files(), indexed_urls(output)
    record = (office / ".khaosan-build" / site_state.MANIFEST).read_bytes()
    add_news(office, "never-listed", "ข่าวที่หน้ารวมสร้างไม่สำเร็จ")
    went_live = []

    def broken(job, *args, **kwargs):
        went_live.append((output / "news" / "2569" / "never-listed" / "index.html").is_file())
        raise site.KhaosanError("KS905", "Pelican หยุดทำงาน: ทดสอบ", exit_code=1)

    monkeypatch.setattr(site._Job, "_listings", broken)
    assert build(office, *([] if search else ["--no-search"])) == 1
    assert went_live == [True]
    after = site_files()
    assert {p: v for p, v in after.items() if "pagefind" not in p.parts} == {
        p: v for p, v in before.items() if "pagefind" not in p.parts
    }
    assert search_files() == searched and indexed_urls(output) == urls
    assert (office / ".khaosan-build" / site_state.MANIFEST).read_bytes() == record
    assert staging_left(office) == []
    assert "KS905" in capsys.readouterr().err
    monkeypatch.undo()
    assert build(office, "--no-search") == 0
    assert "เฉพาะส่วนที่เปลี่ยน" in last_line(capsys.readouterr().out, "ขึ้นแล้ว")
    assert (output / "news" / "2569" / "never-listed" / "index.html").is_file()


def test_withdrawal_keeps_the_page_drops_body_and_files(office, tmp_path, capsys):
    add_news(office, "to-withdraw", "ข่าวที่จะถอน")
    assert build(office, "--no-search") == 0
    path = office / "content" / "news" / "2569" / "to-withdraw.md"
    path.write_text(
        path.read_text("utf-8").replace(
            "channels: [website]\n",
            "channels: [website]\nwithdrawn:\n  at: 2026-11-20T09:00:00+07:00\n"
            "  by: malee.t\n  reason: ข้อมูลคลาดเคลื่อน\n",
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert build(office, "--no-search") == 0
    assert "เฉพาะส่วนที่เปลี่ยน" in last_line(capsys.readouterr().out, "ขึ้นแล้ว")
    page = (office / "output" / "news" / "2569" / "to-withdraw" / "index.html").read_text("utf-8")
    assert "ถอนการเผยแพร่แล้ว" in page and "คอมพิวเตอร์พกพา" not in page
    assert not (office / "output" / "files" / "to-withdraw.pdf").exists()
    assert_same_as_full(office, tmp_path)


def test_a_deleted_item_leaves_the_site_with_its_folder(office, tmp_path):
    add_news(office, "to-delete", "ข่าวที่จะลบ")
    assert build(office, "--no-search") == 0
    (office / "content" / "news" / "2569" / "to-delete.md").unlink()
    assert build(office, "--no-search") == 0
    assert not (office / "output" / "news" / "2569" / "to-delete").exists()
    assert not (office / "output" / "files" / "to-delete.pdf").exists()
    assert "to-delete" not in (office / "output" / "sitemap.xml").read_text("utf-8")
    assert_same_as_full(office, tmp_path)


def test_a_changed_attachment_holds_the_item_until_signed_again(office, tmp_path, capsys):
    add_news(office, "file-changes", "ข่าวที่ไฟล์แนบเปลี่ยน")
    assert build(office, "--no-search") == 0
    (office / "content" / "files" / "file-changes.pdf").write_bytes(b"%PDF-1.4\n% another file\n%%EOF\n")
    assert build(office, "--no-search") == 0
    assert "file-changes" in capsys.readouterr().err  # named as held
    assert not (office / "output" / "news" / "2569" / "file-changes").exists()
    assert_same_as_full(office, tmp_path)


def test_a_site_changed_by_hand_gets_a_full_build(office, capsys):
    page = office / "output" / "contact" / "index.html"
    page.write_text(page.read_text("utf-8") + "<!-- edited by hand -->", encoding="utf-8")
    capsys.readouterr()
    assert build(office, "--no-search") == 0
    line = last_line(capsys.readouterr().out, "ขึ้นแล้ว")
    assert "ทั้งเว็บไซต์" in line and "contact/index.html" in line
    assert "edited by hand" not in page.read_text("utf-8")


def test_a_theme_change_gets_a_full_build(office, capsys):
    css = office / "theme" / "static" / "css" / "site.css"
    css.write_text(css.read_text("utf-8") + "\n/* changed */\n", encoding="utf-8")
    capsys.readouterr()
    assert build(office, "--no-search") == 0
    assert "ทั้งเว็บไซต์" in last_line(capsys.readouterr().out, "ขึ้นแล้ว")
    assert "/* changed */" in (office / "output" / "theme" / "css" / "site.css").read_text("utf-8")


def test_a_failed_partial_build_leaves_the_site_and_its_record(office, monkeypatch, capsys):
    from workflow.edges.site import build as site

    before = {p: p.read_bytes() for p in (office / "output").rglob("*") if p.is_file()}
    record = (office / ".khaosan-build" / site_state.MANIFEST).read_bytes()
    add_news(office, "never-live", "ข่าวที่สร้างไม่สำเร็จ")

    def broken(*args, **kwargs):
        raise site.KhaosanError("KS905", "Pelican หยุดทำงาน: ทดสอบ", exit_code=1)

    monkeypatch.setattr(site, "run_pelican", broken)
    assert build(office, "--no-search") == 1
    assert {p: p.read_bytes() for p in (office / "output").rglob("*") if p.is_file()} == before
    assert (office / ".khaosan-build" / site_state.MANIFEST).read_bytes() == record
    assert staging_left(office) == []
    assert "KS905" in capsys.readouterr().err


def test_an_unreadable_record_means_a_full_build(office, capsys):
    (office / ".khaosan-build" / site_state.READS).write_bytes(b"not a pickle")
    capsys.readouterr()
    assert build(office, "--no-search") == 0
    assert "ทั้งเว็บไซต์" in last_line(capsys.readouterr().out, "ขึ้นแล้ว")
    manifest = Manifest.from_json(json.loads((office / ".khaosan-build" / site_state.MANIFEST).read_text("utf-8")))
    assert manifest is not None and manifest.pages


def test_an_unreadable_record_after_the_first_pages_means_a_full_build(office, tmp_path, capsys):
    """The reader record is read only after the new page went live: unreadable then, the build
    falls back on a full one, whose site (the new item in it) is swapped in whole."""
    (office / ".khaosan-build" / site_state.READS).write_bytes(b"not a pickle")
    add_news(office, "after-first", "ข่าวที่บันทึกอ่านไม่ได้")
    capsys.readouterr()
    assert build(office, "--no-search") == 0
    out = capsys.readouterr().out
    assert out.startswith(PAGES_LIVE) and "ทั้งเว็บไซต์" in last_line(out, "ขึ้นแล้ว")
    assert (office / "output" / "news" / "2569" / "after-first" / "index.html").is_file()
    assert staging_left(office) == []
    assert_same_as_full(office, tmp_path)


def test_a_failure_after_the_full_build_it_fell_back_on_swapped_in_undoes_nothing(office, monkeypatch):
    """The reader record unreadable after the first pages, the full build swapped in, then an error
    (here the disk, as the record is written): the full site stays as it is; nothing the first
    step placed is taken out of it (the undo is for the site that step changed, not this one)."""
    from support.whole import broken_links

    (office / ".khaosan-build" / site_state.READS).write_bytes(b"not a pickle")
    add_news(office, "after-swap", "ข่าวก่อนดิสก์เต็ม")

    def full_disk(site):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_state, "fingerprint", full_disk)
    with pytest.raises(OSError):
        build(office, "--no-search")
    site = office / "output"
    assert (site / "news" / "2569" / "after-swap" / "index.html").is_file()
    assert broken_links(site) == []


def test_a_deleted_clipping_leaves_the_page_it_cited(office, tmp_path, capsys):
    cited = office / "output" / "news" / "2568" / "inspection-20251103-school-opening" / "index.html"
    assert "daily-20251105-school-opening" in cited.read_text("utf-8")
    (office / "content" / "clippings" / "2568" / "daily-20251105-school-opening.md").unlink()
    capsys.readouterr()
    assert build(office, "--no-search") == 0
    assert "สร้างใหม่ 1 หน้า" in last_line(capsys.readouterr().out, "ขึ้นแล้ว")  # the page it cited
    assert "daily-20251105-school-opening" not in cited.read_text("utf-8")
    assert_same_as_full(office, tmp_path)


class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_planted_record_runs_nothing_and_means_a_full_build(office, tmp_path, capsys):
    import pickle

    marker = tmp_path / "ran"
    (office / ".khaosan-build" / site_state.READS).write_bytes(pickle.dumps({"content/x.md": _Planted(marker)}))
    capsys.readouterr()
    assert build(office, "--no-search") == 0
    assert not marker.exists()
    assert "ทั้งเว็บไซต์" in last_line(capsys.readouterr().out, "ขึ้นแล้ว")


def test_kept_results_committed_to_git_are_not_trusted(office, capsys):
    import subprocess

    git = ["git", "-C", str(office), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", ".khaosan-build/site-manifest.json"], check=True)
    capsys.readouterr()
    assert build(office, "--no-search") == 0
    out = capsys.readouterr()
    assert "ถูกเพิ่มเข้า git" in out.err
    assert "ทั้งเว็บไซต์" in last_line(out.out, "ขึ้นแล้ว")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_kept_results_committed_to_git_are_not_written_either(office, capsys):
    import subprocess

    git = ["git", "-C", str(office), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", ".khaosan-build/site-manifest.json"], check=True)
    tracked = (office / ".khaosan-build" / site_state.MANIFEST).read_bytes()
    add_news(office, "while-tracked", "ข่าวระหว่างบันทึกอยู่ใน git")
    capsys.readouterr()
    assert build(office, "--no-search") == 0
    assert "KS930" in capsys.readouterr().err
    assert (office / ".khaosan-build" / site_state.MANIFEST).read_bytes() == tracked  # not rewritten
    assert (office / "output" / "news" / "2569" / "while-tracked" / "index.html").is_file()
    assert not list(office.glob(".output.work-*"))  # the private folder is gone


@pytest.mark.parametrize("committed", [True, False], ids=["committed", "local"])
def test_a_khaosan_build_link_is_never_followed(tmp_path, capsys, committed):
    """`.khaosan-build -> content` (committed in a pull request, or made by hand): the build
    writes no record, lock or staging there, reads nothing from there, and still builds."""
    import subprocess

    root = project_copy(tmp_path, content=True)
    (root / ".khaosan-build").symlink_to("content")
    if committed:
        git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "planted"], check=True)
    before = _tree(root / "content")
    for args in ((), ("--full",), ()):
        capsys.readouterr()
        assert build(root, "--no-search", *args) == 0
        out = capsys.readouterr()
        assert "KS930" in out.err and "ทั้งเว็บไซต์" in last_line(out.out, "ขึ้นแล้ว")
        assert _tree(root / "content") == before  # nothing written into content/
    assert (root / ".khaosan-build").is_symlink()  # left as it was, for a person to remove
    assert (root / "output" / "index.html").is_file()
    assert not list(root.glob(".output.work-*"))


def test_links_inside_khaosan_build_are_removed_not_followed(office, tmp_path, capsys):
    """In Khaosan's own folder, a link where the lock, a record, the reused `next/` folder or the
    `undo/` folder of replaced pages goes (or deeper in them) is removed; what it pointed at is
    untouched."""
    decoy = tmp_path / "decoy"
    (decoy / "deep").mkdir(parents=True)
    (decoy / "keep.txt").write_text("ของผู้อื่น", encoding="utf-8")
    (decoy / "deep" / "keep.txt").write_text("ของผู้อื่น", encoding="utf-8")
    kept = {"keep.txt": "ของผู้อื่น".encode(), "deep/keep.txt": "ของผู้อื่น".encode()}
    folders = sorted(p for p in decoy.rglob("*") if p.is_dir())  # no folder made through a link either
    work = office / ".khaosan-build"
    (work / "lock").unlink()
    (work / "lock").symlink_to(decoy / "keep.txt")
    (work / "next" / "news").mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / "next" / "news")
    (work / "next" / "news").symlink_to(decoy / "deep")
    (work / "undo").mkdir(exist_ok=True)
    (work / "undo" / "news").symlink_to(decoy / "deep")  # where a replaced news page would be kept
    add_news(office, "after-links", "ข่าวหลังวางลิงก์")
    capsys.readouterr()
    assert build(office, "--no-search") == 0
    assert "เฉพาะส่วนที่เปลี่ยน" in last_line(capsys.readouterr().out, "ขึ้นแล้ว")
    assert _tree(decoy) == kept and sorted(p for p in decoy.rglob("*") if p.is_dir()) == folders
    assert not (work / "lock").is_symlink() and not (work / "next" / "news").is_symlink()
    assert not (work / "undo" / "news").is_symlink()
    assert (office / "output" / "news" / "2569" / "after-links" / "index.html").is_file()
    shutil.rmtree(work / "next")
    (work / "next").symlink_to(decoy)
    shutil.rmtree(work / "undo")
    (work / "undo").symlink_to(decoy)
    add_news(office, "after-next-link", "ข่าวหลังวางลิงก์แทนโฟลเดอร์")
    assert build(office, "--no-search") == 0
    assert _tree(decoy) == kept and sorted(p for p in decoy.rglob("*") if p.is_dir()) == folders
    assert (office / "output" / "news" / "2569" / "after-next-link" / "index.html").is_file()
    assert_same_as_full(office, tmp_path)
