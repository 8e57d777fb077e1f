"""The REST client against the local GitHub-shaped server: pagination, retries, errors,
and every payload the server sends checked against GitHub's documented schemas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.github_server import NAME, OWNER, SHARED, FakeGitHub, closed_port_url
from support.pullrepo import NUMBER, PullRepo, make_pull_repo
from support.schemas import assert_valid

from workflow.edges.github.client import COMMENT_MARKER, GitHubError, RestGitHub, pull_number_of, read_event


@pytest.fixture
def pr(tmp_path: Path) -> Iterator[PullRepo]:
    repo, server = make_pull_repo(tmp_path / "repo")
    with server:
        yield repo


def client(url: str, waits: list[float], **options) -> RestGitHub:
    return RestGitHub(f"{OWNER}/{NAME}", "test-token", url, sleep=waits.append, clock=lambda: 1_000_000.0, **options)


def test_configuration_from_the_actions_environment() -> None:
    gh = RestGitHub.from_environment(
        {"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": "https://ghe.example/api/v3/"}
    )
    assert gh.api_url == "https://ghe.example/api/v3" and gh.repository == "o/r"
    assert (
        RestGitHub.from_environment({"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "o/r"}).api_url
        == "https://api.github.com"
    )
    with pytest.raises(GitHubError) as caught:
        RestGitHub.from_environment({"GITHUB_REPOSITORY": "o/r"})
    assert caught.value.code == "KS606"
    with pytest.raises(GitHubError):
        RestGitHub.from_environment({"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "no-slash"})


def test_pagination_follows_link_to_the_end(pr: PullRepo) -> None:
    pull = pr.server.pulls[NUMBER]
    pull.files = [pr.server.diff_entry(f"content/images/p{i}.jpg", "added") for i in range(250)]
    waits: list[float] = []
    gh = client(pr.server.url, waits)
    files = gh.pull_files(NUMBER)
    assert [f["filename"] for f in files] == [f"content/images/p{i}.jpg" for i in range(250)]
    assert sum("/files" in p for _, p in pr.server.requests) == 3 and waits == []


def test_pagination_never_sends_the_token_elsewhere(pr: PullRepo) -> None:
    pull = pr.server.pulls[NUMBER]
    pull.files = [pr.server.diff_entry(f"content/images/p{i}.jpg", "added") for i in range(150)]
    gh = client(pr.server.url.replace("127.0.0.1", "localhost"), [])  # the server's Link names 127.0.0.1
    with pytest.raises(GitHubError) as caught:
        gh.pull_files(NUMBER)
    assert caught.value.code == "KS607"


def test_primary_rate_limit_waits_until_reset(pr: PullRepo) -> None:
    pr.server.fail_next(
        "/pulls/7$",
        403,
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1000030"},
        {"message": "API rate limit exceeded for installation"},
    )
    waits: list[float] = []
    assert client(pr.server.url, waits).pull_request(NUMBER)["number"] == NUMBER
    assert waits == [31.0]


def test_secondary_rate_limit_waits_a_minute(pr: PullRepo) -> None:
    pr.server.fail_next("/pulls/7$", 403, body={"message": "You have exceeded a secondary rate limit"})
    waits: list[float] = []
    client(pr.server.url, waits).pull_request(NUMBER)
    assert waits == [60.0]


def test_a_rate_limit_too_far_away_gives_up_with_a_thai_error(pr: PullRepo) -> None:
    pr.server.fail_next("/pulls/7$", 429, {"retry-after": "3600"})
    waits: list[float] = []
    with pytest.raises(GitHubError) as caught:
        client(pr.server.url, waits).pull_request(NUMBER)
    assert caught.value.code == "KS605" and waits == []


def test_server_errors_back_off_then_succeed(pr: PullRepo) -> None:
    pr.server.fail_next("/reviews$", 500, times=3)
    waits: list[float] = []
    assert client(pr.server.url, waits).pull_reviews(NUMBER) == []
    assert waits == [1.0, 2.0, 4.0]


@pytest.mark.parametrize(("status", "code"), [(401, "KS601"), (403, "KS602"), (404, "KS603"), (422, "KS607")])
def test_errors_people_can_act_on(pr: PullRepo, status: int, code: str) -> None:
    pr.server.fail_next("/pulls/7$", status, body={"message": "nope", "documentation_url": "https://docs.github.com"})
    with pytest.raises(GitHubError) as caught:
        client(pr.server.url, []).pull_request(NUMBER)
    assert caught.value.code == code and caught.value.hint
    assert str(caught.value).startswith(code + " ")


def test_network_down() -> None:
    waits: list[float] = []
    with pytest.raises(GitHubError) as caught:
        client(closed_port_url(), waits, attempts=3).pull_request(NUMBER)
    assert caught.value.code == "KS604" and waits == [1.0, 2.0]


def test_file_at_a_commit(pr: PullRepo) -> None:
    gh = client(pr.server.url, [])
    assert gh.file_at("office.yml", pr.base) == (pr.root / "office.yml").read_bytes()
    assert gh.file_at("content/news/2569/meeting-20261120-executives.md", pr.base) is None  # not yet there
    assert gh.file_at("content/files/procurement/tor-2569-01.pdf", pr.head).startswith(b"%PDF")


def test_large_file_comes_raw(pr: PullRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    original = FakeGitHub._content

    def without_content(self, path, ref, raw):  # GitHub leaves `content` empty above 1 MB
        status, body, data = original(self, path, ref, raw)
        if body is not None and status == 200:
            body = {**body, "content": "", "encoding": "none"}
        return status, body, data

    monkeypatch.setattr(FakeGitHub, "_content", without_content)
    assert client(pr.server.url, []).file_at("office.yml", pr.base) == (pr.root / "office.yml").read_bytes()


def test_one_comment_created_then_edited(pr: PullRepo) -> None:
    gh = client(pr.server.url, [])
    for i in range(45):  # our comment is on the second page
        pr.server.comment(NUMBER, f"ความเห็นที่ {i}", login="malee-t-example")
    first = gh.upsert_comment(NUMBER, "สถานะ 1")
    assert first["body"] == f"{COMMENT_MARKER}\nสถานะ 1"
    for i in range(40):
        pr.server.comment(NUMBER, f"ความเห็นเพิ่ม {i}", login="malee-t-example")
    second = gh.upsert_comment(NUMBER, "สถานะ 2")
    assert second["id"] == first["id"] and second["body"].endswith("สถานะ 2")
    assert sum(COMMENT_MARKER in c["body"] for c in pr.server.comments[NUMBER]) == 1


def test_the_verdict_is_a_check_run(pr: PullRepo) -> None:
    """A check run, which only an App's token (Actions' own) can create: pending stays in progress."""
    gh = client(pr.server.url, [])
    waiting = gh.report_check(pr.head, "pending", "รอลงนาม " * 40, "https://example.invalid/run")
    assert waiting["name"] == "khaosan/sign-offs" and waiting["status"] == "in_progress"
    assert waiting["conclusion"] is None and len(waiting["output"]["title"]) <= 140
    assert waiting["details_url"] == "https://example.invalid/run"
    for state, conclusion in (("success", "success"), ("failure", "failure")):
        done = gh.report_check(pr.head, state, "ตรวจแล้ว")
        assert (done["status"], done["conclusion"], done["head_sha"]) == ("completed", conclusion, pr.head)


def test_every_payload_the_server_sends_matches_githubs_schemas(pr: PullRepo) -> None:
    gh = client(pr.server.url, [])
    pr.review("anan.w")
    pr.review("malee.t", "CHANGES_REQUESTED")
    gh.pull_request(NUMBER)
    gh.pull_files(NUMBER)
    gh.pull_reviews(NUMBER)
    gh.file_at("office.yml", pr.head)
    gh.upsert_comment(NUMBER, "หนึ่ง")
    gh.upsert_comment(NUMBER, "สอง")
    gh.report_check(pr.head, "success", "ลงนามครบ")
    with pytest.raises(GitHubError):
        client(pr.server.url, []).pull_request(404)
    kinds = {sent.schema for sent in pr.server.sent}
    assert kinds >= {
        "pulls-get",
        "pulls-list-files",
        "pulls-list-reviews",
        "repos-get-content",
        "issues-list-comments",
        "issues-create-comment",
        "issues-update-comment",
        "checks-create",
        "basic-error",
    }
    for sent in pr.server.sent:
        assert_valid(sent.schema, sent.payload)


@pytest.mark.parametrize("name", sorted(p.name for p in SHARED.glob("webhook-*.example.json")))
def test_event_payloads_name_their_pull_request(tmp_path: Path, name: str) -> None:
    event = tmp_path / "event.json"
    event.write_bytes((SHARED / name).read_bytes())
    data = read_event(str(event))
    assert pull_number_of(data) == json.loads((SHARED / name).read_text(encoding="utf-8"))["pull_request"]["number"]


def test_no_event_no_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    assert read_event(None) == {}
    assert pull_number_of({}) is None and pull_number_of({"number": 5}) == 5


# GitHub's own inconsistencies (shared/github/README.md): these examples predate `has_discussions`.
_OLDER_THAN_SCHEMA = {
    "webhook-pull-request-review-submitted",
    "webhook-pull-request-review-dismissed",
    "webhook-pull-request-synchronize",
}


@pytest.mark.parametrize("name", sorted(p.name[: -len(".example.json")] for p in SHARED.glob("webhook-*.example.json")))
def test_event_payload_examples_are_githubs_documented_shapes(name: str) -> None:
    payload = json.loads((SHARED / f"{name}.example.json").read_text(encoding="utf-8"))
    if name in _OLDER_THAN_SCHEMA:
        for side in ("base", "head"):
            payload["pull_request"][side]["repo"].setdefault("has_discussions", False)
    assert_valid(name, payload)


def test_the_pull_request_of_a_workflow_run_event() -> None:
    """The sign-off workflow runs from the default branch on `workflow_run`: the pull request comes
    from the ended run's `pull_requests` (a branch of this repository; a fork's run lists none)."""
    event = {"workflow_run": {"event": "pull_request_review", "pull_requests": [{"number": 42, "id": 1}]}}
    assert pull_number_of(event) == 42
    assert pull_number_of({"workflow_run": {"pull_requests": []}}) is None
