"""/admin/ (Decap CMS) in Debian's Chromium with a local backend: `decap-server` (npm, pinned) in
its git mode, whose editorial workflow is a branch per entry, as on GitHub a pull request per entry.

A PR officer opens /admin/, writes a meeting news item through the form (Thai title, the event's
times, an image with its alt text and credit, a PDF attachment), saves: the file on the entry's
branch passes `khaosan check`, and once signed (`khaosan approve`, as the other tests sign) the
publish gate. A signed item edited in the form keeps its approvals byte for byte (now stale).
The editor's item format is also run on every sample item without the form: nothing is lost.

Missing browser, node or npm package: skipped on a developer machine, a failure in CI.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from support.browser import CHROMIUM, LAUNCH_ARGS, require, require_editor_packages
from support.media import pdf, plain_jpeg
from support.site import project_copy, served

from workflow.cli import main
from workflow.core import yamlparse
from workflow.core.editor import NEVER_EDITED

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts"
NOW = "2026-11-25T12:00:00+07:00"  # the browser's clock too: the new item's folder and slug
SIGNED = "news/2569/meeting-20260224-personnel-committee"  # a signed sample meeting item
TITLE = "ประชุมผู้บริหารสถานศึกษา ครั้งที่ 11/2569 (ผ่านโปรแกรมแก้ไข)"
ALT = "ผู้บริหารสถานศึกษานั่งประชุมในห้องประชุมภูผาหมอก"
CREDIT = "งานประชาสัมพันธ์ สพป.ภูผาหมอก เขต 1"
BODY = "ที่ประชุมรับทราบแนวทางการจัดการเรียนรู้ภาคเรียนที่ 2/2569\n\nและมอบหมายให้โรงเรียนรายงานผลภายในเดือนธันวาคม\n"
# Decap's own signal that a save reached the backend (its toast), bounded only against a hang.
SAVED_BOUND_MS = 60_000
EDITORS: list = []


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True)
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Editor:
    """The repository's `main` as committed (`sample`, `head`) is what tests compare against:
    decap-server checks entry branches out in the working tree while it answers, so the files on
    disk may be another branch's at any moment."""

    root: Path
    url: str
    backend: Backend
    head: str
    sample: dict[str, str]


class Backend:
    """decap-server on `port`; its output is read as it comes (a full pipe would stall it)."""

    def __init__(self, modules: Path, root: Path, port: int) -> None:
        env = {"PATH": os.environ["PATH"], "MODE": "git", "GIT_REPO_DIRECTORY": str(root), "PORT": str(port)}
        self.process = subprocess.Popen(
            ["node", str(modules / "decap-server" / "dist" / "index.js")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.listening = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if "listening on port" in line:
                self.listening.set()
        self.listening.set()  # ended: the caller sees it is not running

    def wait_listening(self) -> None:
        self.listening.wait()
        assert self.process.poll() is None, "decap-server did not start: " + "".join(self.lines)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()
        self.reader.join()
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    modules = require_editor_packages()
    require(CHROMIUM, Path(CHROMIUM).exists())
    root = project_copy(tmp_path_factory.mktemp("editor"), content=True)
    port = _free_port()
    office = (root / "office.yml").read_text(encoding="utf-8")
    office = office.replace("  branch: main\n", f"  branch: main\n  local_backend: http://localhost:{port}/api/v1\n")
    (root / "office.yml").write_text(office, encoding="utf-8")
    (root / ".gitignore").write_text("output/\n.khaosan-build/\n", encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.name", "Khaosan Test")  # decap-server commits as the repository's user
    _git(root, "config", "user.email", "test@example.invalid")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "sample")
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    head = _git(root, "rev-parse", "main").strip()
    sample = {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.glob("content/**/*.md"))
    }
    backend = Backend(modules, root, port)
    try:
        backend.wait_listening()
        with served(root / "output") as url:
            EDITORS.append(Editor(root, url, backend, head, sample))
            yield EDITORS[-1]
    finally:
        backend.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(editor, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, timezone_id="Asia/Bangkok", locale="th-TH")
    page = context.new_page()
    page.clock.set_system_time(datetime.fromisoformat(NOW))  # the page's clock, flowing from NOW
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: print("console:", m.type, m.text) if m.type in ("error", "warning") else None)
    page.goto(editor.url + "/admin/", wait_until="load")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()  # the local backend: no account
    page.get_by_text("ข่าวประชาสัมพันธ์").first.wait_for()
    yield page
    context.close()
    assert errors == []


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def _shot(page, name: str) -> None:
    page.screenshot(path=str(_artifact(name)), full_page=False)


def _field(page, name: str):
    """The form's control for a field (Decap numbers each control's id after the field's name)."""
    return page.locator(f'[id^="{name}-field-"]')


def _choose(page, field: str, label: str, typed: str | None = None) -> None:
    box = _field(page, field)
    box.click()
    if typed:
        box.fill(typed)
    page.get_by_role("option", name=label, exact=True).click()


def _upload(page, button: str, path: Path) -> None:
    page.get_by_role("button", name=button).last.click()
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_text(path.name).first.wait_for()
    insert = page.get_by_role("button", name="เลือกข้อมูลที่ถูกเลือก")
    if insert.is_disabled():
        page.get_by_text(path.name).first.click()
    insert.click()


def _saved(page) -> None:
    page.get_by_role("button", name="บันทึก").click()
    try:
        page.get_by_text("เนื้อหาถูกบันทึก").first.wait_for(timeout=SAVED_BOUND_MS)  # Decap's "entry saved"
    except Exception:
        _shot(page, "editor-save-failed")
        print("".join(EDITORS[0].backend.lines[-40:]) if EDITORS else "")
        raise


def _branch_file(root: Path, branch: str, path: str) -> bytes:
    return subprocess.run(["git", "-C", str(root), "show", f"{branch}:{path}"], capture_output=True, check=True).stdout


def _checkout(root: Path, branch: str, where: Path) -> Path:
    _git(root, "worktree", "add", "-q", "--detach", str(where), branch)
    return where


@pytest.mark.browser
def test_a_meeting_item_written_in_the_form_passes_the_gate_once_signed(editor, page, tmp_path):
    photo, minutes = tmp_path / "meeting-photo.jpg", tmp_path / "meeting-minutes.pdf"
    photo.write_bytes(plain_jpeg())
    minutes.write_bytes(pdf("Minutes of the meeting 11/2569"))
    page.goto(editor.url + "/admin/#/collections/news/new")
    _field(page, "title").first.fill(TITLE)
    _choose(page, "news_type", "ข่าวสรุปผล/ประเด็นสำคัญจากการประชุม")
    _choose(page, "plan", "นโยบายกระทรวงและผู้บริหาร/โครงการสำคัญ")
    _choose(page, "format", "ข่าวแจก")
    _choose(page, "source", "การประชุม")
    _choose(page, "author", "นายสมชาย ประชาสุข", typed="สมชาย")  # from the roster, read from office.yml
    _choose(page, "topic_group", "กลุ่มส่งเสริมการจัดการศึกษา (promotion)")
    _field(page, "produced_at").fill("2026-11-25T11:00")
    _field(page, "name").fill("ประชุมผู้บริหารสถานศึกษา ครั้งที่ 11/2569")
    _field(page, "place").fill("ห้องประชุมภูผาหมอก")
    _field(page, "starts_at").fill("2026-11-25T09:00")
    _field(page, "ends_at").fill("2026-11-25T10:30")
    _choose(page, "channels", "เว็บไซต์สำนักงาน")
    page.get_by_role("button", name="เพิ่ม ภาพประกอบ").click()
    _upload(page, "เลือกรูปภาพ", photo)
    _field(page, "alt").fill(ALT)
    _field(page, "credit").fill(CREDIT)
    page.get_by_role("button", name="เพิ่ม ไฟล์แนบ").click()
    _upload(page, "เลือกไฟล์", minutes)
    _field(page, "title").last.fill("บันทึกการประชุม ครั้งที่ 11/2569")
    page.locator('[contenteditable="true"]').last.fill(BODY)  # the body, raw Markdown
    preview = page.frame_locator("iframe").first
    preview.get_by_role("heading", name=TITLE).wait_for()  # the site's own item template, filled
    preview.get_by_text("25 พฤศจิกายน 2569").first.wait_for()  # Buddhist Era, Thai month
    preview.get_by_text("ภาพ: " + CREDIT).wait_for()
    preview.get_by_role("img", name=ALT).wait_for()
    preview.get_by_role("heading", name="เอกสารแนบ").wait_for()
    notice = page.get_by_role("note")
    assert "ไม่ข้ามการป้องกันสาขา" in notice.inner_text()  # the publish step, said in Thai
    page.locator("iframe").first.screenshot(path=str(_artifact("editor-preview-meeting")))
    _field(page, "title").first.scroll_into_view_if_needed()
    _shot(page, "editor-form-meeting")
    page.clock.set_system_time(datetime.fromisoformat(NOW))  # saved "at" NOW: the slug's minute
    _saved(page)
    page.wait_for_url(re.compile(r"#/collections/news/entries/2569/meeting-20261125-1200$"))  # Decap moved on
    page.goto(editor.url + "/admin/#/workflow")  # the editorial workflow: the entry is a draft request
    page.get_by_text(TITLE).first.wait_for(timeout=SAVED_BOUND_MS)
    _shot(page, "editor-board")

    branches = _git(editor.root, "for-each-ref", "--format=%(refname:short)", "refs/heads/cms/").split()
    branch = next(b for b in branches if "meeting-20261125-1200" in b)  # a branch per entry
    path = "content/news/2569/meeting-20261125-1200.md"  # where `khaosan new` puts it
    text = _branch_file(editor.root, branch, path).decode("utf-8")
    front = yamlparse.load(text.split("---\n")[1])  # Khaosan's own loader: times stay as written
    assert front["title"] == TITLE and front["author"] == "somchai.p" and front["topic_group"] == "promotion"
    assert front["event"]["starts_at"] == "2026-11-25T09:00:00+07:00"  # explicit +07:00, not UTC
    assert front["event"]["ends_at"] == "2026-11-25T10:30:00+07:00"
    assert front["produced_at"] == "2026-11-25T11:00:00+07:00"
    assert front["images"] == [{"file": "images/meeting-photo.jpg", "alt": ALT, "credit": CREDIT}]
    assert front["attachments"] == [{"file": "files/meeting-minutes.pdf", "title": "บันทึกการประชุม ครั้งที่ 11/2569"}]
    assert set(front) & set(NEVER_EDITED) == {"approvals"} and front["approvals"] == []
    assert _branch_file(editor.root, branch, "content/images/meeting-photo.jpg") == photo.read_bytes()
    assert _branch_file(editor.root, branch, "content/files/meeting-minutes.pdf") == minutes.read_bytes()
    assert _git(editor.root, "rev-parse", "main").strip() == editor.head  # main untouched

    work = _checkout(editor.root, branch, tmp_path / "entry")
    item = work / path
    run = ["--root", str(work), "--now", NOW]
    assert main(["check", str(item), *run]) == 0
    for by, step, at in (
        ("jirayu.t", "facts", "2026-11-25T11:30:00+07:00"),
        ("malee.t", "check", "2026-11-25T11:45:00+07:00"),
    ):
        assert main(["approve", str(item), "--by", by, "--step", step, "--at", at, *run]) == 0
    assert main(["check", "--publish", str(item), *run]) == 0


@pytest.mark.browser
def test_editing_a_signed_item_keeps_its_approvals_byte_for_byte(editor, page, tmp_path, capsys):
    path = f"content/{SIGNED}.md"
    before = editor.sample[path]
    page.goto(editor.url + f"/admin/#/collections/news/entries/{SIGNED.removeprefix('news/')}")
    title = _field(page, "title").first
    title.wait_for()
    title.fill(title.input_value() + " (แก้ไข)")
    _saved(page)
    _shot(page, "editor-saved-signed-edit")
    branch = next(
        b
        for b in _git(editor.root, "for-each-ref", "--format=%(refname:short)", "refs/heads/cms/").split()
        if SIGNED.split("/")[-1] in b
    )
    after = _branch_file(editor.root, branch, path).decode("utf-8")
    for key in NEVER_EDITED:
        assert _block(after, key) == _block(before, key), key  # byte for byte, or absent in both
    assert _block(before, "approvals")
    assert _branch_file(editor.root, "main", path).decode("utf-8") == before  # main's copy untouched
    work = _checkout(editor.root, branch, tmp_path / "entry")
    capsys.readouterr()
    assert main(["check", "--publish", str(work / path), "--root", str(work), "--now", NOW, "--format", "json"]) == 1
    codes = {p["code"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert "KS304" in codes  # the content changed: the sign-offs are stale, as they must be


def _block(text: str, key: str) -> str:
    """A top-level key's lines in the front matter, as bytes on disk."""
    front = text.split("---\n")[1]
    found = re.search(rf"^{re.escape(key)}:.*\n(?:(?:[ -].*|)\n)*", front, re.M)
    return found.group(0) if found else ""


def _digest_of(root: Path, rel: str, raw: bytes) -> str:
    from workflow.core.validate import item_digest, parse_item

    item, _, problems = parse_item(rel, raw)
    assert item is not None, problems
    return item_digest(item, lambda ref: None)  # the files are the same bytes on both sides


@pytest.mark.browser
def test_every_sample_item_read_and_written_by_the_editor_loses_nothing(editor, page):
    """What Decap does on a save, without the form: the editor's format reads each sample item and
    writes it back. Every act field's lines are the same bytes, every value and the body the same,
    so the digest is the same: a save that changes nothing leaves every sign-off valid."""
    files = editor.sample
    written = page.evaluate(
        "files => Object.fromEntries(Object.entries(files).map(([p, t]) => "
        "[p, KhaosanEditor.toFile(KhaosanEditor.fromFile(t))]))",
        files,
    )
    assert len(written) == len(files) > 50
    kept = 0
    for rel, before in files.items():
        after = written[rel]
        for key in NEVER_EDITED:
            assert _block(after, key) == _block(before, key), (rel, key)
            kept += bool(_block(before, key))
        assert _digest_of(editor.root, rel, after.encode()) == _digest_of(editor.root, rel, before.encode()), rel
    assert kept > 50  # the samples do hold approvals (and earlier_site, urgent, ...) to keep


@pytest.mark.browser
def test_the_editor_format_refuses_to_write_acts_or_extra_lines(editor, page):
    """A careless or hostile form value cannot add a sign-off or a key: an `approvals` value in the
    form is never written, a title with a line break and `approvals:` stays one quoted line, a time
    from a browser on UTC is written as the same moment +07:00, and the item file's own
    approvals are written back as they were."""
    before = editor.sample[f"content/{SIGNED}.md"]
    forged = page.evaluate(
        """text => {
          const data = KhaosanEditor.fromFile(text);
          data.title = "หัวข้อ\\napprovals: []\\nurgent: {by: prasert.j, reason: x}";
          data.approvals = [{by: "prasert.j", step: "check", at: "2026-11-25T12:00:00+07:00",
                             digest: "sha256:" + "0".repeat(64)}];
          data.urgent = {by: "prasert.j", reason: "ด่วน"};
          data.produced_at = "2026-11-25T02:00:00Z";
          data.event.starts_at = "2026-11-25T09:00";
          return KhaosanEditor.toFile(data);
        }""",
        before,
    )
    front = yamlparse.load(forged.split("---\n")[1])
    assert front["title"] == "หัวข้อ\napprovals: []\nurgent: {by: prasert.j, reason: x}"
    assert "urgent" not in front and _block(forged, "approvals") == _block(before, "approvals")
    assert front["produced_at"] == "2026-11-25T09:00:00+07:00"  # 02:00 UTC is 09:00 in Bangkok
    assert front["event"]["starts_at"] == "2026-11-25T09:00:00+07:00"  # no offset: Bangkok time
    refused = page.evaluate(
        "text => { try { KhaosanEditor.fromFile(text); return ''; } catch (e) { return String(e.message); } }",
        "---\ntype: news\ntitle: x\napprovals: [{by: a,\n  step: b}]\n" + '"urgent": {by: x, reason: y}\n---\nbody\n',
    )
    assert "urgent" in refused  # an act field whose lines it cannot find: not opened at all


@pytest.mark.browser
def test_the_preview_runs_nothing_an_entry_holds(editor, page):
    """A reviewer who opens someone's entry in the editor must not run its HTML: the preview shows
    the body sanitized (Decap's sanitize_preview) and the fields as text."""
    page.goto(editor.url + "/admin/#/collections/news/new")
    _field(page, "title").first.fill('หัวข้อ <img src=x onerror="parent.pwned=1">')
    body = (
        'ย่อหน้าแรก\n\n<img src=x onerror="parent.pwned=2"> <a href="javascript:parent.pwned=3">ลิงก์</a>\n\nย่อหน้าสุดท้าย\n'
    )
    page.locator('[contenteditable="true"]').last.fill(body)
    preview = page.frame_locator("iframe").first
    preview.get_by_text("ย่อหน้าสุดท้าย").wait_for()
    preview.get_by_role("heading", name='หัวข้อ <img src=x onerror="parent.pwned=1">').wait_for()  # text
    assert preview.locator("[onerror]").count() == 0
    assert preview.locator('a[href^="javascript:"]').count() == 0
