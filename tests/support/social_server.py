"""A local HTTP server that answers as Meta's Graph API and LINE's Messaging API do, for the calls
`khaosan distribute` makes.

Shapes from the services' references: Graph API `POST /{page-id}/feed` and `/photos` answer
`{"id": …}`, `POST /{post-id}` answers `{"success": true}`, `GET /{page-id}/posts` answers
`{"data": […], "paging": …}`, errors are `{"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}`; LINE's broadcast and narrowcast answer `{}` with
`x-line-request-id` (narrowcast 202), a repeated `X-Line-Retry-Key` answers 409 with
`x-line-accepted-request-id`, errors are `{"message", "details": [{"message", "property"}]}`.
Every request is recorded; LINE bodies are checked against `LINE_REQUEST` (the reference's
limits) and Facebook forms against the fields each endpoint takes. `hold` makes the server
wait on an event before answering (overlapping runs are tested with events, never sleeps).
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PAGE_ID = "104857600123456"
FB_TOKEN = "EAAG-test-page-token-5f2c9d81"
LINE_TOKEN = "line-test-channel-token-9b7e41aa"
GRAPH_VERSION = "v23.0"

# The Messaging API reference's limits on the request (send broadcast / narrowcast message).
_ACTION = {
    "type": "object",
    "required": ["type", "label", "uri"],
    "properties": {
        "type": {"const": "uri"},
        "label": {"type": "string", "minLength": 1, "maxLength": 20},
        "uri": {"type": "string", "maxLength": 1000, "pattern": "^(https?|line|tel):"},
    },
}
_TEXT_COMPONENT = {
    "type": "object",
    "required": ["type", "text"],
    "properties": {"type": {"const": "text"}, "text": {"type": "string", "minLength": 1}},
}
_COMPONENT = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"enum": ["box", "text", "button", "image", "separator", "filler", "icon", "span"]}},
    "allOf": [
        {"if": {"properties": {"type": {"const": "text"}}}, "then": _TEXT_COMPONENT},
        {
            "if": {"properties": {"type": {"const": "button"}}},
            "then": {"required": ["action"], "properties": {"action": _ACTION}},
        },
        {
            "if": {"properties": {"type": {"const": "image"}}},
            "then": {
                "required": ["url"],
                "properties": {"url": {"type": "string", "pattern": "^https://", "maxLength": 2000}},
            },
        },
        {
            "if": {"properties": {"type": {"const": "box"}}},
            "then": {
                "required": ["layout", "contents"],
                "properties": {"contents": {"type": "array", "items": {"$ref": "#/$defs/component"}}},
            },
        },
    ],
}
LINE_REQUEST = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["messages"],
    "additionalProperties": False,
    "properties": {
        "messages": {
            "type": "array",
            "minItems": 1,
            "maxItems": 5,
            "items": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["type", "text"],
                        "additionalProperties": False,
                        "properties": {
                            "type": {"const": "text"},
                            "text": {"type": "string", "minLength": 1, "maxLength": 5000},
                        },
                    },
                    {
                        "type": "object",
                        "required": ["type", "altText", "contents"],
                        "additionalProperties": False,
                        "properties": {
                            "type": {"const": "flex"},
                            "altText": {"type": "string", "minLength": 1, "maxLength": 1500},
                            "contents": {
                                "type": "object",
                                "required": ["type", "body"],
                                "properties": {
                                    "type": {"const": "bubble"},
                                    "hero": {"$ref": "#/$defs/component"},
                                    "body": {"$ref": "#/$defs/component"},
                                    "footer": {"$ref": "#/$defs/component"},
                                },
                            },
                        },
                    },
                ]
            },
        },
        "recipient": {
            "type": "object",
            "required": ["type", "audienceGroupId"],
            "properties": {"type": {"const": "audience"}, "audienceGroupId": {"type": "integer"}},
        },
        "notificationDisabled": {"type": "boolean"},
    },
    "$defs": {"component": _COMPONENT},
}
FEED_FIELDS = {"message", "link", "attached_media[0]", "access_token"}
PHOTO_FIELDS = {"url", "published", "access_token"}
EDIT_FIELDS = {"message", "access_token"}


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8"), keep_blank_values=True).items()}

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Scripted:
    """The next `times` requests whose path contains `pattern` get this answer instead."""

    pattern: str
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


def graph_error(code: int, message: str, *, subcode: int | None = None, kind: str = "OAuthException") -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "AxK3test"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


@dataclass
class FakeSocial:
    requests: list[Seen] = field(default_factory=list)
    scripts: list[Scripted] = field(default_factory=list)
    posts: dict[str, dict[str, str]] = field(default_factory=dict)  # post id -> {message, link, ...}
    photos: dict[str, dict[str, str]] = field(default_factory=dict)
    line_sent: list[dict[str, Any]] = field(default_factory=list)  # accepted LINE requests' bodies
    accepted: dict[str, str] = field(default_factory=dict)  # retry key -> request id
    created_then_failed: int = 0  # this many feed posts are made, then answered 500 (a lost answer)
    hold: threading.Event | None = None  # when set up, the first request waits for it …
    arrived: threading.Event = field(default_factory=threading.Event)  # … after saying it came
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> FakeSocial:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                seen = Seen(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                with fake.lock:
                    first = not fake.arrived.is_set()
                    fake.arrived.set()
                if first and fake.hold is not None:  # only the first request waits: the others answer at once
                    assert fake.hold.wait(60), "the test never released the held request"
                with fake.lock:
                    fake.requests.append(seen)
                    status, headers, body = fake.answer(seen)
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def env(self) -> dict[str, str]:
        return {
            "FACEBOOK_PAGE_ID": PAGE_ID,
            "FACEBOOK_PAGE_TOKEN": FB_TOKEN,
            "FACEBOOK_GRAPH_URL": f"{self.url}/{GRAPH_VERSION}",
            "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN,
            "LINE_API_URL": self.url,
        }

    def script(
        self, pattern: str, status: int, body: Any, headers: dict[str, str] | None = None, times: int = 1
    ) -> None:
        self.scripts.append(Scripted(pattern, status, body, headers or {}, times))

    # -- answers ---------------------------------------------------------
    def answer(self, seen: Seen) -> tuple[int, dict[str, str], Any]:
        for scripted in self.scripts:
            if scripted.times > 0 and scripted.pattern in seen.path:
                scripted.times -= 1
                return scripted.status, scripted.headers, scripted.body
        if seen.path.startswith("/v2/bot/message/"):
            return self._line(seen)
        if seen.path.startswith(f"/{GRAPH_VERSION}/"):
            return self._graph(seen)
        return 404, {}, {"message": "Not found"}

    def _line(self, seen: Seen) -> tuple[int, dict[str, str], Any]:
        request_id = str(uuid.uuid4())
        if seen.headers.get("authorization") != f"Bearer {LINE_TOKEN}":
            return (
                401,
                {"x-line-request-id": request_id},
                {
                    "message": "Authentication failed. Confirm that the access token in the authorization header is valid."  # noqa: E501 (LINE's own words)
                },
            )
        import jsonschema

        try:
            body = seen.json
            jsonschema.validate(body, LINE_REQUEST)
        except (ValueError, jsonschema.ValidationError) as error:
            return (
                400,
                {"x-line-request-id": request_id},
                {
                    "message": "The request body has 1 error(s)",
                    "details": [{"message": str(getattr(error, "message", error))[:200], "property": "messages"}],
                },
            )
        narrow = seen.path.endswith("/narrowcast")
        if narrow != ("recipient" in body) or seen.path.rsplit("/", 1)[-1] not in ("broadcast", "narrowcast"):
            return 400, {"x-line-request-id": request_id}, {"message": "The request body has 1 error(s)"}
        key = seen.headers.get("x-line-retry-key")
        if key is not None:
            try:
                uuid.UUID(key)
            except ValueError:
                return (
                    400,
                    {"x-line-request-id": request_id},
                    {"message": "The value of the X-Line-Retry-Key header is invalid"},
                )
            if key in self.accepted:
                return (
                    409,
                    {"x-line-request-id": request_id, "x-line-accepted-request-id": self.accepted[key]},
                    {"message": "The retry key is already accepted"},
                )
            self.accepted[key] = request_id
        self.line_sent.append(body)
        return (202 if narrow else 200), {"x-line-request-id": request_id}, {}

    def _graph(self, seen: Seen) -> tuple[int, dict[str, str], Any]:
        form = seen.form
        token = form.get("access_token") or seen.headers.get("authorization", "").removeprefix("Bearer ")
        if token != FB_TOKEN:
            return 400, {}, graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        path = seen.path[len(f"/{GRAPH_VERSION}/") :]
        if seen.method == "POST" and path in (f"{PAGE_ID}/photos", f"{PAGE_ID}/feed"):
            return self._publish(path, form)
        if seen.method == "GET" and path == f"{PAGE_ID}/posts":
            data = [
                {"id": pid, "message": p.get("message", ""), "created_time": "2026-11-20T09:00:00+0000"}
                for pid, p in reversed(self.posts.items())
            ]
            return 200, {}, {"data": data, "paging": {"cursors": {"before": "QVFIUm", "after": "QVFIUn"}}}
        if seen.method != "POST":
            return 400, {}, graph_error(100, "Unsupported get request.", kind="GraphMethodException")
        if path in self.posts:
            if set(form) - EDIT_FIELDS or not form.get("message"):
                return 400, {}, graph_error(100, "(#100) Invalid parameter")
            self.posts[path] = {**self.posts[path], "message": form["message"], "edited": "true"}
            return 200, {}, {"success": True}
        return (
            400,
            {},
            graph_error(100, f"(#100) Unsupported post request. Object with ID '{path}' does not exist", subcode=33),
        )

    def _publish(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        if path == f"{PAGE_ID}/photos":
            if set(form) - PHOTO_FIELDS or "url" not in form or form.get("published") != "false":
                return 400, {}, graph_error(100, "(#100) Invalid parameter")
            photo_id = str(900000 + len(self.photos))
            self.photos[photo_id] = form
            return 200, {}, {"id": photo_id}
        if path == f"{PAGE_ID}/feed":
            if set(form) - FEED_FIELDS or not form.get("message") or ("link" in form) == ("attached_media[0]" in form):
                return 400, {}, graph_error(100, "(#100) Invalid parameter")
            if "attached_media[0]" in form and json.loads(form["attached_media[0]"])["media_fbid"] not in self.photos:
                return 400, {}, graph_error(100, "(#100) Invalid media_fbid")
            post_id = f"{PAGE_ID}_{700000 + len(self.posts)}"
            self.posts[post_id] = form
            if self.created_then_failed > 0:
                self.created_then_failed -= 1
                return 500, {}, graph_error(2, "An unexpected error has occurred. Please retry your request later.")
            return 200, {}, {"id": post_id}
        raise AssertionError(path)

    # -- what the tests ask ------------------------------------------------
    def calls(self, fragment: str) -> list[Seen]:
        return [r for r in self.requests if fragment in r.path]
