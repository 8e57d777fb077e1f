"""A local HTTP server that answers like GitHub's REST API for the calls Khaosan makes.

Every JSON body is built from GitHub's own documented examples
(`../shared/github/*.example.json`) with only the fields a scenario needs
changed, and every body sent is recorded with the schema it must match, so a
test can validate all of them (tests/integration/test_github_client.py).
File contents come from a real git repository (`git show REF:PATH`).
"""

from __future__ import annotations

import base64
import copy
import json
import posixpath
import re
import subprocess
import threading
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .items import PROJECT

SHARED = PROJECT / "tests" / "fixtures" / "github"  # a copy of ../shared/github (GitHub's own data; README.md there)
OWNER, NAME = "phuphamok1", "khaosan-content"
BOT = "github-actions[bot]"
SYMLINK_EXAMPLE = "repos-get-content.example.response-if-content-is-a-symlink.json"
REGULAR = ("100644", "100755")  # git modes of a regular file
# What `FakeGitHub._route` answers: (status, schema name, JSON body | raw bytes, whole list to paginate or None).
Routed = tuple[int, str, Any, list[dict[str, Any]] | None]


@cache
def example(name: str) -> Any:
    return json.loads((SHARED / f"{name}.example.json").read_text(encoding="utf-8"))


def _user(login: str, number: int = 1) -> dict[str, Any]:
    user = copy.deepcopy(example("pulls-list-reviews")[0]["user"])
    user.update(
        {
            "login": login,
            "id": number,
            "url": f"https://api.github.com/users/{login}",
            "html_url": f"https://github.com/{login}",
            "type": "Bot" if login.endswith("[bot]") else "User",
        }
    )
    return user


def _login_id(login: str) -> int:
    return sum(map(ord, login)) + 1000


@dataclass
class Pull:
    number: int
    head: str
    base: str
    author: str
    files: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    commits: list[str] = field(default_factory=list)


@dataclass
class Scripted:
    """A one-off answer for the next request whose path matches."""

    pattern: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass
class Sent:
    schema: str  # file stem in shared/github: "<name>.schema.json"
    payload: Any


class FakeGitHub:
    def __init__(self, git_root: Path) -> None:
        self.git_root = git_root
        self.pulls: dict[int, Pull] = {}
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self.checks: list[dict[str, Any]] = []  # check runs created, as answered
        self.script: list[Scripted] = []
        self.requests: list[tuple[str, str]] = []  # (method, path?query)
        self.sent: list[Sent] = []
        self.tokens = {"test-token"}
        self.files_cap = 3000  # GET /pulls/N/files lists no more (a test lowers it rather than make 3000 files)
        self._ids = 100
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> FakeGitHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    # -- scenario set-up ------------------------------------------------------------
    def next_id(self) -> int:
        with self._lock:
            self._ids += 1
            return self._ids

    def pull(self, number: int, *, head: str, base: str, author: str) -> Pull:
        pull = Pull(number, head, base, author)
        self.pulls[number] = pull
        self.sync(number, head)
        return pull

    def sync(self, number: int, head: str) -> None:
        """The pull request's head moved: its files and commits follow git."""
        pull = self.pulls[number]
        pull.head = head
        out = self._git("diff", "--name-status", "--no-renames", pull.base, head).decode()
        files = []
        for line in out.splitlines():
            status, path = line.split("\t", 1)
            files.append(self.diff_entry(path, {"A": "added", "D": "removed"}.get(status, "modified"), head))
        pull.files = files
        pull.commits = self._git("rev-list", "--reverse", f"{pull.base}..{head}").decode().split()

    def review(self, number: int, login: str, state: str, commit: str, at: str) -> dict[str, Any]:
        review = copy.deepcopy(example("pulls-list-reviews")[0])
        rid = self.next_id()
        review.update(
            {
                "id": rid,
                "node_id": f"PRR_{rid}",
                "user": _user(login, _login_id(login)),
                "state": state,
                "commit_id": commit,
                "submitted_at": at,
                "body": "",
                "html_url": f"https://github.com/{OWNER}/{NAME}/pull/{number}#pullrequestreview-{rid}",
                "pull_request_url": f"https://api.github.com/repos/{OWNER}/{NAME}/pulls/{number}",
            }
        )
        review["_links"]["html"]["href"] = review["html_url"]
        review["_links"]["pull_request"]["href"] = review["pull_request_url"]
        self.pulls[number].reviews.append(review)
        return review

    def diff_entry(self, path: str, status: str, head: str = "0" * 40) -> dict[str, Any]:
        entry = copy.deepcopy(example("pulls-list-files")[0])
        entry.update(
            {
                "filename": path,
                "status": status,
                "blob_url": f"https://github.com/{OWNER}/{NAME}/blob/{head}/{path}",
                "raw_url": f"https://github.com/{OWNER}/{NAME}/raw/{head}/{path}",
                "contents_url": f"https://api.github.com/repos/{OWNER}/{NAME}/contents/{path}?ref={head}",
            }
        )
        return entry

    def comment(self, number: int, body: str, login: str = BOT) -> dict[str, Any]:
        comment = copy.deepcopy(example("issues-create-comment"))
        cid = self.next_id()
        comment.update(
            {
                "id": cid,
                "node_id": f"IC_{cid}",
                "body": body,
                "user": _user(login, _login_id(login)),
                "url": f"https://api.github.com/repos/{OWNER}/{NAME}/issues/comments/{cid}",
                "html_url": f"https://github.com/{OWNER}/{NAME}/pull/{number}#issuecomment-{cid}",
                "issue_url": f"https://api.github.com/repos/{OWNER}/{NAME}/issues/{number}",
            }
        )
        self.comments.setdefault(number, []).append(comment)
        return comment

    def fail_next(
        self, pattern: str, status: int, headers: dict[str, str] | None = None, body: Any = None, times: int = 1
    ) -> None:
        for _ in range(times):
            self.script.append(Scripted(pattern, status, headers or {}, body))

    # -- answers ---------------------------------------------------------------------
    def _git(self, *args: str) -> bytes:
        return subprocess.run(["git", *args], cwd=self.git_root, check=True, capture_output=True).stdout

    def _pull_payload(self, pull: Pull) -> dict[str, Any]:
        data = copy.deepcopy(example("pulls-get"))
        author = _user(pull.author, _login_id(pull.author))
        data.update(
            {
                "number": pull.number,
                "id": 9000 + pull.number,
                "user": author,
                "title": "ขอเผยแพร่ข่าวและเอกสาร",
                "requested_teams": [],  # GitHub's example lacks `type` there
                "commits": len(pull.commits),
                "changed_files": len(pull.files),
            }
        )
        data["head"]["sha"], data["head"]["ref"] = pull.head, f"pr-{pull.number}"
        data["base"]["sha"], data["base"]["ref"] = pull.base, "main"
        return data

    def _mode(self, path: str, ref: str) -> str | None:
        """The git mode of `path` at `ref` (100644, 100755, 120000 for a symlink, …); None when absent."""
        try:
            listed = self._git("ls-tree", ref, "--", path).decode("utf-8", "replace").split()
        except subprocess.CalledProcessError:
            return None
        return listed[0] if listed else None

    def _content(self, path: str, ref: str, raw: bool) -> tuple[int, Any, bytes | None]:
        """GitHub's documented answer: a symlink to a file in the repository is answered with that
        file's content (and its own path); any other symlink with `type: symlink` and its target."""
        if self._mode(path, ref) == "120000":
            target = self._git("show", f"{ref}:{path}").decode("utf-8", "replace")
            inside = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if target.startswith("/") or inside.startswith("../") or self._mode(inside, ref) not in REGULAR:
                body = json.loads((SHARED / SYMLINK_EXAMPLE).read_text(encoding="utf-8"))
                body.update({"target": target, "name": path.rsplit("/", 1)[-1], "path": path})
                return 200, body, None
            path = inside
        try:
            data = self._git("show", f"{ref}:{path}")
        except subprocess.CalledProcessError:
            return (
                404,
                {
                    "message": "Not Found",
                    "documentation_url": "https://docs.github.com/rest/repos/contents#get-repository-content",
                    "status": "404",
                },
                None,
            )
        if raw:
            return 200, None, data
        body = copy.deepcopy(example("repos-get-content"))
        encoded = base64.b64encode(data).decode()
        wrapped = "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60)) + "\n"
        blob = self._git("rev-parse", f"{ref}:{path}").decode().strip()
        body.update(
            {
                "type": "file",
                "encoding": "base64",
                "size": len(data),
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "content": wrapped,
                "sha": blob,
                "url": f"https://api.github.com/repos/{OWNER}/{NAME}/contents/{path}?ref={ref}",
                "git_url": f"https://api.github.com/repos/{OWNER}/{NAME}/git/blobs/{blob}",
                "html_url": f"https://github.com/{OWNER}/{NAME}/blob/{ref}/{path}",
                "download_url": f"https://raw.githubusercontent.com/{OWNER}/{NAME}/{ref}/{path}",
            }
        )
        body["_links"] = {"git": body["git_url"], "self": body["url"], "html": body["html_url"]}
        return 200, body, None

    def _commit_payload(self, sha: str) -> dict[str, Any]:
        entry = copy.deepcopy(example("pulls-list-commits")[0])
        entry.update(
            {
                "sha": sha,
                "node_id": f"C_{sha[:10]}",
                "url": f"https://api.github.com/repos/{OWNER}/{NAME}/commits/{sha}",
                "html_url": f"https://github.com/{OWNER}/{NAME}/commit/{sha}",
            }
        )
        return entry

    def _check_payload(self, request: dict[str, Any]) -> dict[str, Any]:
        """POST /check-runs, answered as GitHub documents it (only an App's token may create one)."""
        check = copy.deepcopy(example("checks-create"))
        cid = self.next_id()
        done = request.get("status") == "completed"
        check.update(
            {
                "id": cid,
                "name": request["name"],
                "head_sha": request["head_sha"],
                "status": request.get("status", "queued"),
                "conclusion": request.get("conclusion") if done else None,
                "completed_at": "2026-11-22T03:00:00Z" if done else None,
                "details_url": request.get("details_url"),
                "url": f"https://api.github.com/repos/{OWNER}/{NAME}/check-runs/{cid}",
                "html_url": f"https://github.com/{OWNER}/{NAME}/runs/{cid}",
            }
        )
        check["output"] = {**check["output"], **request.get("output", {}), "annotations_count": 0}
        self.checks.append(check)
        return check

    def _route(self, method: str, path: str, query: dict[str, list[str]], payload: Any, accept: str) -> Routed:
        """The answer to one authorised request."""
        prefix = f"/repos/{OWNER}/{NAME}"
        if not path.startswith(prefix):
            return 404, "basic-error", {"message": "Not Found", "status": "404"}, None
        tail = path[len(prefix) :]
        if m := re.fullmatch(r"/pulls/(\d+)(/files|/reviews|/commits)?", tail):
            return self._pull_route(int(m.group(1)), m.group(2))
        if m := re.fullmatch(r"/contents/(.+)", tail):
            ref = query.get("ref", ["HEAD"])[0]
            status, body, raw = self._content(unquote(m.group(1)), ref, "raw" in accept)
            schema = "repos-get-content" if status == 200 else "basic-error"
            return status, schema, raw if raw is not None else body, None
        if m := re.fullmatch(r"/issues/(\d+)/comments", tail):
            number = int(m.group(1))
            if method == "POST":
                return 201, "issues-create-comment", self.comment(number, payload["body"]), None
            return 200, "issues-list-comments", None, self.comments.get(number, [])
        if (m := re.fullmatch(r"/issues/comments/(\d+)", tail)) and method == "PATCH":
            return self._update_comment(int(m.group(1)), payload["body"])
        if tail == "/check-runs" and method == "POST":
            return 201, "checks-create", self._check_payload(payload), None
        return 404, "basic-error", {"message": "Not Found", "status": "404"}, None

    def _pull_route(self, number: int, part: str | None) -> Routed:
        """GET /pulls/N, or its /files, /reviews or /commits listing."""
        pull = self.pulls.get(number)
        if pull is None:
            return (
                404,
                "basic-error",
                {
                    "message": "Not Found",
                    "documentation_url": "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
                    "status": "404",
                },
                None,
            )
        if part is None:
            return 200, "pulls-get", self._pull_payload(pull), None
        if part == "/files":  # GitHub's documented cap: at most 3000 files, whatever `changed_files` says
            return 200, "pulls-list-files", None, pull.files[: self.files_cap]
        if part == "/reviews":
            return 200, "pulls-list-reviews", None, pull.reviews
        return 200, "pulls-list-commits", None, [self._commit_payload(c) for c in pull.commits]

    def _update_comment(self, comment_id: int, body: str) -> Routed:
        """PATCH /issues/comments/ID on whichever pull request has it."""
        for comments in self.comments.values():
            for comment in comments:
                if comment["id"] == comment_id:
                    comment["body"] = body
                    comment["updated_at"] = "2026-11-25T05:00:00Z"
                    return 200, "issues-update-comment", comment, None
        return 404, "basic-error", {"message": "Not Found", "status": "404"}, None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        """The request handler class, bound to this fake (the server makes one handler per request)."""
        return type("Handler", (_Handler,), {"fake": self})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeGitHub

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None, schema: str | None = None) -> None:
        if isinstance(body, bytes):
            data, kind = body, "application/octet-stream"
        else:
            data, kind = json.dumps(body).encode(), "application/json; charset=utf-8"
            if schema is not None:
                self.fake.sent.append(Sent(schema, body))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ratelimit-limit", "5000")
        self.send_header("x-ratelimit-remaining", "4999")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _serve(self, method: str) -> None:
        fake = self.fake
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(length)) if length else None
        fake.requests.append((method, self.path))
        for index, scripted in enumerate(fake.script):
            if re.search(scripted.pattern, parts.path):
                del fake.script[index]
                body = (
                    scripted.body
                    if scripted.body is not None
                    else {
                        "message": "scripted failure",
                        "documentation_url": "https://docs.github.com/rest",
                        "status": str(scripted.status),
                    }
                )
                self._answer(scripted.status, body, scripted.headers, "basic-error")
                return
        if self.headers.get("Authorization") not in {f"Bearer {t}" for t in fake.tokens}:
            self._answer(
                401,
                {
                    "message": "Bad credentials",
                    "documentation_url": "https://docs.github.com/rest",
                    "status": "401",
                },
                schema="basic-error",
            )
            return
        status, schema, body, listing = fake._route(
            method, parts.path, parse_qs(parts.query), payload, self.headers.get("Accept", "")
        )
        if listing is None:
            self._answer(status, body, schema=None if isinstance(body, bytes) else schema)
            return
        query = parse_qs(parts.query)
        per_page = min(100, int(query.get("per_page", ["30"])[0]))
        page = int(query.get("page", ["1"])[0])
        last = max(1, -(-len(listing) // per_page))
        chunk = listing[(page - 1) * per_page : page * per_page]
        links = []
        base = f"{fake.url}{parts.path}?per_page={per_page}"
        if page < last:
            links.append(f'<{base}&page={page + 1}>; rel="next"')
            links.append(f'<{base}&page={last}>; rel="last"')
        if page > 1:
            links.append(f'<{base}&page=1>; rel="first"')
            links.append(f'<{base}&page={page - 1}>; rel="prev"')
        self._answer(status, chunk, {"Link": ", ".join(links)} if links else {}, schema)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")


def closed_port_url() -> str:
    """An address where nothing listens: the network is down."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
