"""The office's LINE Official Account, over the Messaging API: broadcast, or narrowcast to an audience.

Settings from the environment only: `LINE_CHANNEL_ACCESS_TOKEN`, `LINE_API_URL` (default
the real API host). Every send carries `X-Line-Retry-Key`, the item's own key: a retried
request, a retried job or a rerun within LINE's 24 hours is accepted once, and the repeat
answers 409 with `x-line-accepted-request-id`, which counts as sent.

Calls (Messaging API reference): `POST /v2/bot/message/broadcast` `{"messages": […]}`,
`POST /v2/bot/message/narrowcast` `{"messages": […], "recipient": {"type": "audience",
"audienceGroupId": N}}`. Errors: `{"message": …, "details": [{"message", "property"}]}`;
400 KS811, 401 KS807, 403 KS808, 429 with "monthly limit" KS809 (not retried), other
429 and 5xx retried with back-off (KS810, KS812).

Why not the official line-bot-sdk: see README ("Libraries, and why").
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workflow.edges.social.http import Answer, Caller, Retry, SocialError, retry_after

LINE_API_URL = "https://api.line.me"


def judge(answer: Answer) -> Retry | SocialError | None:
    if answer.status == 0:
        return Retry(2.0, "KS812", "ไม่มีคำตอบ (เครือข่ายหรือหมดเวลา)")
    if 200 <= answer.status < 300 or (answer.status == 409 and answer.header("x-line-accepted-request-id")):
        return None
    said = _said(answer)
    if answer.status == 429:
        if "monthly limit" in said.lower():
            return SocialError("KS809", said, 429)
        return Retry(retry_after(answer, 30.0), "KS810", said)
    if answer.status >= 500:
        return Retry(retry_after(answer, 5.0), "KS812", said)
    if answer.status == 401:
        return SocialError("KS807", said, 401)
    if answer.status == 403:
        return SocialError("KS808", said, 403)
    if answer.status == 400:
        return SocialError("KS811", said, 400)
    return SocialError("KS819", said, answer.status)


def _said(answer: Answer) -> str:
    body: Any = answer.body
    text = f"HTTP {answer.status}"
    if isinstance(body, dict) and body.get("message"):
        text += f": {str(body['message'])[:300]}"
        details = body.get("details")
        if isinstance(details, list):
            text += "".join(
                f"; {d.get('property', '')} {d.get('message', '')}".rstrip() for d in details[:5] if isinstance(d, dict)
            )
    return text


@dataclass
class LineAccount:
    token: str = field(repr=False)
    api_url: str = LINE_API_URL
    audience: int | None = None
    caller: Caller = field(default_factory=Caller)

    @classmethod
    def from_environment(
        cls, env: Mapping[str, str] | None = None, *, audience: int | None = None, caller: Caller | None = None
    ) -> LineAccount:
        env = os.environ if env is None else env
        token = env.get("LINE_CHANNEL_ACCESS_TOKEN", "")
        if not token:
            raise SocialError("KS801", "LINE: ไม่มี LINE_CHANNEL_ACCESS_TOKEN")
        url = (env.get("LINE_API_URL") or LINE_API_URL).rstrip("/")
        return cls(token, url, audience, caller or Caller())

    def send(self, messages: list[dict[str, Any]], key: str) -> str:
        """LINE's request id for the accepted send (the first one's, when this repeats it)."""
        payload: dict[str, Any] = {"messages": messages}
        path = "/v2/bot/message/broadcast"
        if self.audience is not None:
            path = "/v2/bot/message/narrowcast"
            payload["recipient"] = {"type": "audience", "audienceGroupId": self.audience}
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "X-Line-Retry-Key": key,
        }
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        answer = self.caller.call("POST", f"{self.api_url}{path}", judge, headers=headers, body=body)
        found = answer.header("x-line-accepted-request-id") or answer.header("x-line-request-id")
        if not found:
            raise SocialError("KS819", f"LINE HTTP {answer.status}: ไม่มี x-line-request-id")
        return found
