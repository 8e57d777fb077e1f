"""GitHub, over its REST API: the only module in Khaosan that talks HTTP.

`GitHub` is the few calls the pull-request workflow needs; `RestGitHub` is the
one real implementation, on the standard library's `urllib` (no extra
dependency for seven calls; see docs/github.md). Configuration comes the
way GitHub Actions gives it (`GITHUB_TOKEN`, `GITHUB_REPOSITORY`,
`GITHUB_API_URL` for GitHub Enterprise Server, `GITHUB_EVENT_PATH`,
`GITHUB_SHA`). Lists follow the `Link` header; 5xx answers and rate limits are
retried with back-off (`retry-after`, `x-ratelimit-remaining`/`-reset`) through
an injectable `sleep`; 401, 403, 404 and no network become a `GitHubError`: a
`KhaosanError` with a KS6xx code and a Thai message.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from workflow.core.problems import CODES
from workflow.errors import KhaosanError

CHECK_NAME = "khaosan/sign-offs"  # the check run branch protection requires (source: GitHub Actions)
COMMENT_MARKER = "<!-- khaosan:sign-offs -->"
API_VERSION = "2022-11-28"
USER_AGENT = "khaosan-publishing-workflow"
_sleep = time.sleep  # the default wait between tries (tests replace it)
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class GitHubError(KhaosanError):
    """A GitHub call that cannot succeed as things are: code + Thai message + what to do."""

    def __init__(self, code: str, detail: str = "", status: int | None = None) -> None:
        entry = CODES[code]
        super().__init__(code, f"{entry.message}: {detail}" if detail else entry.message, entry.hint)
        self.status = status


class NotAFile(GitHubError):
    """The path is a symlink (or a folder, a submodule), not a file: what reviewers see is not an item.

    GitHub answers a symlink to a file in the repository with the *target's* content and path,
    and any other symlink as `type: symlink`: both are told apart from a file here."""

    def __init__(self, path: str, kind: str, target: str) -> None:
        super().__init__("KS731", f"{path} เป็น{_KINDS.get(kind, kind)} ไปที่ {target}" if target else path)
        self.path, self.kind, self.target = path, kind, target


_KINDS = {"symlink": "ลิงก์ (symlink)", "dir": "โฟลเดอร์", "submodule": "submodule"}


class GitHub(Protocol):
    """What the workflow asks of GitHub; tests and other hosts may implement it."""

    def pull_request(self, number: int) -> dict[str, Any]: ...

    def pull_files(self, number: int) -> list[dict[str, Any]]: ...

    def pull_reviews(self, number: int) -> list[dict[str, Any]]: ...

    def file_at(self, path: str, ref: str) -> bytes | None: ...

    def upsert_comment(self, number: int, body: str, marker: str = COMMENT_MARKER) -> dict[str, Any]: ...

    def report_check(
        self, sha: str, state: str, description: str, details_url: str | None = None
    ) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8")) if self.body else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise GitHubError("KS607", f"HTTP {self.status}") from None


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _lower(headers: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()} if headers is not None else {}


@dataclass
class RestGitHub:
    """GitHub's REST API with a token, for one repository (`owner/name`)."""

    repository: str
    token: str
    api_url: str = "https://api.github.com"
    sleep: Callable[[float], None] = field(default_factory=lambda: _sleep)
    clock: Callable[[], float] = field(default_factory=lambda: time.time)
    timeout: float = 30.0
    attempts: int = 5  # tries per request, the first included
    max_wait: float = 300.0  # longest single wait for a rate limit before giving up (s)
    calls: list[tuple[str, str]] = field(default_factory=list, repr=False)  # (method, url): for tests and logs

    # -- configuration -----------------------------------------------------
    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None, **options: Any) -> RestGitHub:
        env = os.environ if env is None else env
        token, repository = env.get("GITHUB_TOKEN", ""), env.get("GITHUB_REPOSITORY", "")
        missing = [name for name, value in (("GITHUB_TOKEN", token), ("GITHUB_REPOSITORY", repository)) if not value]
        if missing:
            raise GitHubError("KS606", "ไม่มี " + " และ ".join(missing))
        if repository.count("/") != 1:
            raise GitHubError("KS606", f"GITHUB_REPOSITORY '{repository}' ต้องเป็นแบบ เจ้าของ/ชื่อคลัง")
        api = env.get("GITHUB_API_URL") or "https://api.github.com"
        return cls(repository, token, api.rstrip("/"), **options)

    # -- the calls ---------------------------------------------------------
    def pull_request(self, number: int) -> dict[str, Any]:
        return self._object("GET", f"/pulls/{int(number)}")

    def pull_files(self, number: int) -> list[dict[str, Any]]:
        return self._list(f"/pulls/{int(number)}/files")

    def pull_reviews(self, number: int) -> list[dict[str, Any]]:
        return self._list(f"/pulls/{int(number)}/reviews")

    def file_at(self, path: str, ref: str) -> bytes | None:
        """The file's bytes at `ref`, or None when it is not there; NotAFile for a symlink, folder or submodule."""
        url = self._url(f"/contents/{urllib.parse.quote(path)}") + "?" + urllib.parse.urlencode({"ref": ref})
        try:
            data = self._send("GET", url).json()
        except GitHubError as exc:
            if exc.status == 404:
                return None
            raise
        if not isinstance(data, dict):
            return None
        if data.get("type") != "file" or data.get("path", path) != path:
            kind = "symlink" if data.get("type") in ("file", "symlink") else str(data.get("type"))
            raise NotAFile(path, kind, str(data.get("target") or data.get("path") or ""))
        if data.get("encoding") == "base64" and (data.get("content") or not data.get("size")):
            try:
                return base64.b64decode(str(data.get("content", "")))
            except ValueError:
                raise GitHubError("KS607", f"เนื้อหาไฟล์ {path}") from None
        # Files over 1 MB come without content: ask for the raw bytes.
        return self._send("GET", url, accept="application/vnd.github.raw+json").body

    def upsert_comment(self, number: int, body: str, marker: str = COMMENT_MARKER) -> dict[str, Any]:
        """Edit our one comment (found by its hidden marker) or create it: never a second one."""
        text = body if body.startswith(marker) else f"{marker}\n{body}"
        for comment in self._list(f"/issues/{int(number)}/comments"):  # ours starts with it; a quote does not
            if str(comment.get("body") or "").startswith(marker):
                if comment.get("body") == text:
                    return comment
                return self._object("PATCH", f"/issues/comments/{int(comment['id'])}", {"body": text})
        return self._object("POST", f"/issues/{int(number)}/comments", {"body": text})

    def report_check(self, sha: str, state: str, description: str, details_url: str | None = None) -> dict[str, Any]:
        """The sign-off verdict as a check run: only a GitHub App (Actions' own token is one) can create
        one, so a person's token cannot forge it as it could a commit status. `pending` stays in progress."""
        payload: dict[str, Any] = {
            "name": CHECK_NAME,
            "head_sha": sha,
            "output": {"title": description[:140], "summary": description},
        }
        if state == "pending":
            payload["status"] = "in_progress"
        else:
            payload.update(status="completed", conclusion="success" if state == "success" else "failure")
        if details_url:
            payload["details_url"] = details_url
        return self._object("POST", "/check-runs", payload)

    # -- HTTP ----------------------------------------------------------------
    def _url(self, tail: str) -> str:
        return f"{self.api_url}/repos/{self.repository}{tail}"

    def _object(self, method: str, tail: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        data = self._send(method, self._url(tail), payload).json()
        if not isinstance(data, dict):
            raise GitHubError("KS607", f"{method} {tail}")
        return data

    def _list(self, tail: str) -> list[dict[str, Any]]:
        """Every page, following `Link: <…>; rel="next"`."""
        url: str | None = self._url(tail) + "?per_page=100"
        found: list[dict[str, Any]] = []
        seen: set[str] = set()
        while url and url not in seen:
            seen.add(url)
            response = self._send("GET", url)
            page = response.json()
            if not isinstance(page, list):
                raise GitHubError("KS607", f"GET {tail}")
            found.extend(entry for entry in page if isinstance(entry, dict))
            match = _NEXT.search(response.headers.get("link", ""))
            url = match.group(1) if match else None
            if url is not None and _origin(url) != _origin(self.api_url):  # the token goes to GitHub only
                raise GitHubError("KS607", f"Link ไปยัง {_origin(url)}")
        return found

    def _send(
        self, method: str, url: str, payload: dict[str, Any] | None = None, accept: str = "application/vnd.github+json"
    ) -> Response:
        data = json.dumps(payload).encode("utf-8") if payload is not None else None
        headers = {
            "Accept": accept,
            "Authorization": f"Bearer {self.token}",
            "User-Agent": USER_AGENT,
            "X-GitHub-Api-Version": API_VERSION,
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        where = f"{method} {urllib.parse.urlsplit(url).path}"
        backoff = 1.0
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            self.calls.append((method, url))
            request = urllib.request.Request(url, data=data, headers=headers, method=method)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                    return Response(answer.status, _lower(answer.headers), answer.read())
            except urllib.error.HTTPError as exc:
                response = Response(exc.code, _lower(exc.headers), exc.read())
                exc.close()
            except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
                if last:
                    reason = getattr(exc, "reason", exc)
                    raise GitHubError("KS604", f"{where} ({reason})") from None
                self.sleep(backoff)
                backoff *= 2
                continue
            wait = self._wait_for(response, backoff)
            if wait is None:
                raise self._error(response, where)
            if last or wait > self.max_wait:
                raise GitHubError("KS605", f"{where}: HTTP {response.status}", response.status)
            self.sleep(wait)
            backoff *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait_for(self, response: Response, backoff: float) -> float | None:
        """Seconds to wait before trying again, or None when trying again cannot help."""
        status, headers = response.status, response.headers
        if status >= 500:
            return backoff
        if status not in (403, 429):
            return None
        retry_after = headers.get("retry-after")
        if retry_after is not None:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                return 60.0
        if headers.get("x-ratelimit-remaining") == "0":
            try:
                reset = float(headers.get("x-ratelimit-reset", ""))
            except ValueError:
                return 60.0
            return max(1.0, reset - self.clock() + 1)
        message = ""
        body = response.json() if response.body.startswith(b"{") else None
        if isinstance(body, dict):
            message = str(body.get("message", ""))
        if status == 429 or "secondary rate limit" in message.lower():
            return max(60.0, backoff)  # GitHub: at least a minute, then back off exponentially
        return None

    def _error(self, response: Response, where: str) -> GitHubError:
        message = ""
        if response.body.startswith(b"{"):
            body = response.json()
            if isinstance(body, dict):
                message = str(body.get("message", ""))
        detail = f"{where}" + (f" — GitHub: {message}" if message else "")
        code = {401: "KS601", 403: "KS602", 404: "KS603"}.get(response.status, "KS607")
        if code == "KS607":
            detail = f"{where}: HTTP {response.status}" + (f" — GitHub: {message}" if message else "")
        return GitHubError(code, detail, response.status)


def read_event(path: str | None = None) -> dict[str, Any]:
    """The Actions event payload (`GITHUB_EVENT_PATH`): the webhook's JSON."""
    path = path or os.environ.get("GITHUB_EVENT_PATH")
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GitHubError("KS606", f"อ่าน GITHUB_EVENT_PATH ({path}) ไม่ได้: {exc}") from None
    return data if isinstance(data, dict) else {}


def pull_number_of(event: Mapping[str, Any]) -> int | None:
    """The pull request an event is about: `pull_request(_target)` and review events, or the
    `workflow_run` that a review's workflow ended (its `pull_requests`, for branches of this repository)."""
    pr = event.get("pull_request")
    if isinstance(pr, dict) and isinstance(pr.get("number"), int):
        return int(pr["number"])
    run = event.get("workflow_run")
    pulls = run.get("pull_requests") if isinstance(run, dict) else None
    if isinstance(pulls, list) and pulls and isinstance(pulls[0], dict) and isinstance(pulls[0].get("number"), int):
        return int(pulls[0]["number"])
    number = event.get("number")
    return number if isinstance(number, int) else None
