"""`khaosan verify`: every recorded act held against the review it names, before the site goes live.

A real git repository whose pull request was reviewed on a local GitHub-shaped
server and recorded by `pr-record`, merged into main; then an insider with
push rights edits main directly, as branch protection would not let them, and
each edit must stop the deploy.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support.cli import CliResult, run_cli
from support.github_server import NAME, OWNER
from support.items import ATTACHMENT, NOW, PATHS, item_text
from support.pullrepo import NUMBER, PullRepo, make_pull_repo

from workflow.core.validate import item_digest, parse_item
from workflow.edges.files.repository import Repository

NEWS, DISCLOSURE = PATHS["news"], PATHS["disclosure"]
EVERYONE = ("anan.w", "malee.t", "rattana.b", "prasert.j")  # facts, check, content, permit
REVIEW = re.compile(r"https://github\.com/[^\s\"]+#pullrequestreview-(\d+)")


def khaosan(*argv: str) -> CliResult:
    result = run_cli([*argv, "--now", NOW])
    assert "Traceback" not in result.output
    return result


def _no_paper(office: str) -> str:
    return office.replace("signoffs:\n  paper: true", "signoffs:\n  paper: false")


@pytest.fixture
def main(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PullRepo]:
    """main after a properly reviewed pull request was merged; the office accepts no paper."""
    repo, server = make_pull_repo(tmp_path / "repo")
    with server:
        for key, value in repo.environment().items():
            monkeypatch.setenv(key, value)
        monkeypatch.chdir(repo.root)
        for person in EVERYONE:
            repo.review(person)
        recorded = run_cli(["pr-record", "--pr", str(NUMBER), "--now", NOW])
        assert recorded.code == 0, recorded.output
        repo.change({}, "บันทึกการลงนามจากการอนุมัติในคำขอ")
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--no-ff", f"pr-{NUMBER}", "-m", f"Merge pull request #{NUMBER}")
        repo.write("office.yml", _no_paper(repo.read("office.yml")))
        repo.commit("สำนักงานไม่รับการลงนามบนกระดาษ")
        yield repo


def test_a_properly_reviewed_merge_verifies_and_writes_its_receipt(main: PullRepo, tmp_path: Path) -> None:
    assert "paper: false" in main.read("office.yml")
    assert len(REVIEW.findall(main.read(NEWS) + main.read(DISCLOSURE))) == 4  # pr-record named each review
    out = tmp_path / "output"
    out.mkdir()
    result = khaosan("verify", "--all", "--receipt", str(out))
    assert result.code == 0, result.output
    assert "รองรับ 4 ลงนามบนกระดาษ 0 ผ่าน" in result.err
    receipt = json.loads((out / "api" / "verified.json").read_text(encoding="utf-8"))
    assert receipt["commit"] == main.git("rev-parse", "HEAD") and receipt["backed_by_review"] == 4
    assert khaosan("check", "--publish").code == 0


def _push(main: PullRepo, path: str, edit) -> str:
    """An insider's commit straight to main."""
    main.write(path, edit(main.read(path)))
    return main.commit("แก้ไขตรงบน main")


def _refused(main: PullRepo, code: str, *texts: str) -> CliResult:
    result = khaosan("verify", "--all", "--format", "github")
    assert result.code == 1, result.output
    assert code in result.out and all(t in result.out for t in texts), result.out
    assert "ไม่เผยแพร่" in result.err
    return result


def test_a_typed_approval_without_a_review_is_refused_where_paper_is_not_allowed(main: PullRepo) -> None:
    digest = re.search(r"digest: (sha256:[0-9a-f]+)", main.read(DISCLOSURE))[1]  # type: ignore[index]
    typed = f"  - {{by: prasert.j, step: permit, at: 2026-11-23T09:00:00+07:00, digest: {digest}}}\n"
    _push(main, DISCLOSURE, lambda text: text.replace("approvals:\n", "approvals:\n" + typed))
    _refused(main, "KS311", f"file={DISCLOSURE},line=")
    assert khaosan("check", "--publish").code == 1  # the build's gate refuses it too, without the API


def test_another_items_review_cannot_back_a_typed_approval(main: PullRepo) -> None:
    news_review = REVIEW.search(main.read(NEWS))[0]  # type: ignore[index]
    # the director's real review of the news item, claimed for the disclosure's permit step
    _push(main, DISCLOSURE, lambda t: re.sub(r"(step: permit\n(?:.*\n){2}\s+review: )\S+", rf"\g<1>{news_review}", t))
    assert news_review in main.read(DISCLOSURE)
    _refused(main, "KS615")


def test_a_changed_time_a_changed_digest_or_another_signer_is_refused(main: PullRepo) -> None:
    original = main.read(DISCLOSURE)
    for forged in (
        re.sub(r"(step: permit\n\s+at: )\S+", r"\g<1>2026-11-22T08:00:00+07:00", original, count=1),
        original.replace("by: prasert.j", "by: wilaiwan.s", 1),
    ):
        assert forged != original
        _push(main, DISCLOSURE, lambda _, text=forged: text)
        _refused(main, "KS615", f"file={DISCLOSURE}")
    # the content changed and the digests retyped to match it: the review saw other content
    changed = item_text("disclosure").replace("ร่าง", "ร่างที่แก้", 1)
    approvals = original[original.index("approvals:") : original.index("---", 4)]
    body_digest = _digest_of(main, changed)
    forged = changed.replace("approvals: []\n", re.sub(r"sha256:[0-9a-f]{64}", body_digest, approvals))
    _push(main, DISCLOSURE, lambda _: forged)
    _refused(main, "KS615", "เนื้อหาฉบับอื่น")


def _digest_of(main: PullRepo, text: str) -> str:
    """The digest `check` computes for this text in this repository (its attachment included)."""
    item = parse_item(DISCLOSURE, text.encode("utf-8"))[0]
    assert item is not None
    return item_digest(item, Repository(main.root).file_hash)


def test_reviews_elsewhere_missing_or_dismissed_back_nothing(main: PullRepo) -> None:
    original = main.read(NEWS)
    url = REVIEW.search(original)[0]  # type: ignore[index]
    rid = url.rsplit("-", 1)[1]
    for forged_url in (
        url.replace(f"/{OWNER}/{NAME}/", "/someone/else/"),  # a review in another repository
        url.replace(f"/pull/{NUMBER}#", "/pull/99#"),  # a pull request this repository does not have
        url.replace(rid, "999999"),  # a review that pull request does not have
    ):
        _push(main, NEWS, lambda _, u=forged_url: original.replace(url, u))
        _refused(main, "KS615", f"file={NEWS}")
    _push(main, NEWS, lambda _: original)
    assert khaosan("verify", "--all").code == 0
    for review in main.server.pulls[NUMBER].reviews:  # the signer's approval was dismissed after merging
        if str(review["id"]) == rid:
            review["state"] = "DISMISSED"
    _refused(main, "KS615", "DISMISSED")


@pytest.fixture
def live_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The public site: a local HTTP server over a folder."""
    folder = tmp_path / "live"
    folder.mkdir()
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_only_what_changed_since_the_live_receipt_is_verified(main: PullRepo, live_site: tuple[str, Path]) -> None:
    url, live = live_site
    assert khaosan("verify", "--all", "--receipt", str(live)).code == 0  # the deploy that is live now
    calls = len(main.server.requests)
    quiet = khaosan("verify", "--live", url)
    assert quiet.code == 0 and "ตรวจการลงนามซ้ำ 0 รายการ" in quiet.err, quiet.err
    assert len(main.server.requests) == calls  # nothing changed: GitHub is not asked at all
    # an insider's push after the live commit: verified, refused
    _push(main, NEWS, lambda t: re.sub(r"(step: check\n\s+at: )\S+", r"\g<1>2026-11-22T11:11:11+07:00", t))
    late = khaosan("verify", "--live", url, "--format", "github")
    assert late.code == 1 and "KS615" in late.out and "ตรวจการลงนามซ้ำ 1 รายการ" in late.err, late.output
    # a receipt naming a commit this history does not have (a rewritten branch): everything is verified
    (live / "api" / "verified.json").write_text(json.dumps({"commit": "f" * 40}), encoding="utf-8")
    everything = khaosan("verify", "--live", url)
    assert everything.code == 1 and "ตรวจการลงนามซ้ำ 2 รายการ" in everything.err
    # no receipt at all (the first deploy, or the site is down): everything too
    (live / "api" / "verified.json").unlink()
    assert "ตรวจการลงนามซ้ำ 2 รายการ" in khaosan("verify", "--live", url).err


def test_a_swapped_back_attachment_makes_its_items_checked_again(main: PullRepo, live_site: tuple[str, Path]) -> None:
    url, live = live_site
    assert khaosan("verify", "--all", "--receipt", str(live)).code == 0
    main.write(f"content/{ATTACHMENT}", b"%PDF-1.4\n% another file\n")
    main.commit("เปลี่ยนไฟล์แนบ")
    result = khaosan("verify", "--live", url)
    assert result.code == 0 and "ตรวจการลงนามซ้ำ 1 รายการ" in result.err, result.err


def test_paper_offices_verify_without_a_token(main: PullRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    main.write("office.yml", main.read("office.yml").replace("paper: false", "paper: true"))
    for path in (NEWS, DISCLOSURE):
        main.write(path, re.sub(r"\n\s+review: \S+", "", main.read(path)))
    main.commit("ลงนามบนกระดาษ")
    monkeypatch.delenv("GITHUB_TOKEN")
    result = khaosan("verify", "--all")
    assert result.code == 0 and "รองรับ 0 ลงนามบนกระดาษ 4 ผ่าน" in result.err, result.output


def test_the_audit_names_paper_sign_offs_and_not_reviewed_ones(main: PullRepo) -> None:
    def paper_flags() -> list[dict]:
        # the commits carry today's time: a period around any today, measured as of now
        result = run_cli(["metrics", "--from", "2020-01-01", "--to", "2099-12-31", "--format", "json"])
        assert result.code == 0, result.output
        return [f for f in json.loads(result.out)["trust"] if f["code"] == "KS515"]

    assert paper_flags() == []  # every sign-off names its review
    main.write("office.yml", main.read("office.yml").replace("paper: false", "paper: true"))
    main.write(NEWS, re.sub(r"\n\s+review: \S+", "", main.read(NEWS)))
    main.commit("ลงนามข่าวบนกระดาษ")
    (flag,) = paper_flags()
    assert flag["item"] == NEWS.removeprefix("content/").removesuffix(".md") and "anan.w" in flag["message"]
