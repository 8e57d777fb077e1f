"""The office's Facebook Page, over Meta's Graph API: publish a post, find one, edit one.

Settings from the environment only: `FACEBOOK_PAGE_ID`, `FACEBOOK_PAGE_TOKEN` (a Page
access token with pages_manage_posts and pages_read_engagement), `FACEBOOK_GRAPH_URL`
(default the real Graph API host and version). The token goes in the form body or the
Authorization header, never in a URL, and no message repeats it.

Calls (Graph API reference, "Page Feed", "Page Photos", "Page Post"):
- `POST /{page-id}/feed` with `message` and `link`: a post linking to the item's page;
- with an image, first `POST /{page-id}/photos` with `url` and `published=false`, then
  `POST /{page-id}/feed` with `message` and `attached_media[0]={"media_fbid": …}`;
- `GET /{page-id}/posts?fields=id,message`: after a post call without an answer (or a 5xx),
  and after a run that claimed a post and never recorded the answer, whether the post went
  out after all (Graph API has no idempotency key);
- `POST /{post-id}` with `message`: a withdrawn item's post edited to say so.

Errors (Graph API "Handling errors"): codes 1, 2 and HTTP 5xx are temporary; 4, 17, 32, 613
and HTTP 429 are rate limits; both are retried with back-off. 190 (token), 10 and 200–299
(permission) and the rest become KS802–KS806 with Graph's own message beside the Thai one.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workflow.edges.social.http import Answer, Caller, Judge, Retry, SocialError, retry_after

GRAPH_URL = "https://graph.facebook.com/v23.0"
TEMPORARY = frozenset({1, 2})
RATE_LIMITS = frozenset({4, 17, 32, 613, 80001})
TOKEN = frozenset({190, 102})
PERMISSION = frozenset({10, *range(200, 300)})
LOOK_BACK = 50  # posts read when looking for one a crashed run may have made


def judge(answer: Answer) -> Retry | SocialError | None:
    """What one Graph API answer means."""
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    if answer.status == 0:
        return Retry(2.0, "KS806", "ไม่มีคำตอบ (เครือข่ายหรือหมดเวลา)")
    if 200 <= answer.status < 300 and error is None:
        return None if isinstance(answer.body, dict) else SocialError("KS819", f"เฟซบุ๊ก HTTP {answer.status}")
    code = error.get("code") if isinstance(error, dict) else None
    said = _said(error, answer.status)
    if code in RATE_LIMITS or answer.status == 429:
        return Retry(retry_after(answer, 60.0), "KS804", said)
    if code in TEMPORARY or answer.status >= 500 or (isinstance(error, dict) and error.get("is_transient")):
        return Retry(retry_after(answer, 5.0), "KS806", said)
    if code in TOKEN or answer.status == 401:
        return SocialError("KS802", said, answer.status)
    if code in PERMISSION or answer.status == 403:
        return SocialError("KS803", said, answer.status)
    if error is None:
        return SocialError("KS819", said, answer.status)
    return SocialError("KS805", said, answer.status)


def _said(error: Any, status: int) -> str:
    if not isinstance(error, dict):
        return f"HTTP {status}"
    parts = [f"HTTP {status}", f"รหัส {error.get('code')}"]
    if error.get("error_subcode"):
        parts.append(f"รหัสย่อย {error['error_subcode']}")
    message = str(error.get("error_user_msg") or error.get("message") or "")[:300]
    return " ".join(parts) + (f": {message}" if message else "")


@dataclass
class FacebookPage:
    page_id: str
    token: str = field(repr=False)
    graph_url: str = GRAPH_URL
    caller: Caller = field(default_factory=Caller)

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None, caller: Caller | None = None) -> FacebookPage:
        env = os.environ if env is None else env
        page, token = env.get("FACEBOOK_PAGE_ID", ""), env.get("FACEBOOK_PAGE_TOKEN", "")
        missing = [name for name, value in (("FACEBOOK_PAGE_ID", page), ("FACEBOOK_PAGE_TOKEN", token)) if not value]
        if missing:
            raise SocialError("KS801", "เฟซบุ๊ก: ไม่มี " + " และ ".join(missing))
        if not page.isdigit():
            raise SocialError("KS801", "เฟซบุ๊ก: FACEBOOK_PAGE_ID ต้องเป็นตัวเลขรหัสเพจ")
        url = (env.get("FACEBOOK_GRAPH_URL") or GRAPH_URL).rstrip("/")
        return cls(page, token, url, caller or Caller())

    # -- the calls ---------------------------------------------------------
    def publish(self, message: str, link: str, image_url: str | None = None) -> str:
        """The new post's id.

        Graph API takes no idempotency key: a post call that got no answer, or a 5xx, may have made
        the post all the same. So it is not retried blind: after a wait the Page's recent posts are
        read, and only when none links to `link` is the post made again."""
        if image_url:  # an unpublished photo made twice is harmless: it never shows
            photo = self._post(f"/{self.page_id}/photos", {"url": image_url, "published": "false"})
            form = {"message": message, "attached_media[0]": json.dumps({"media_fbid": _id(photo)})}
        else:
            form = {"message": message, "link": link}
        last: SocialError | None = None
        for attempt in range(self.caller.attempts):
            if attempt:
                wait = min(2.0**attempt, self.caller.max_wait)
                self.caller.waits.append(wait)
                self.caller.sleep(wait)
                found = self.find_post(link)
                if found:
                    return found
            try:
                return _id(self._post(f"/{self.page_id}/feed", form, _uncertain))
            except SocialError as error:
                if error.code != "KS806":
                    raise
                last = error
        assert last is not None
        raise SocialError("KS806", f"{last.detail} (ลอง {self.caller.attempts} ครั้ง)")

    def find_post(self, link: str) -> str | None:
        """The id of a recent Page post that links to `link`, if there is one."""
        query = urllib.parse.urlencode({"fields": "id,message,created_time", "limit": str(LOOK_BACK)})
        answer = self.caller.call(
            "GET",
            f"{self.graph_url}/{self.page_id}/posts?{query}",
            judge,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        data = answer.body.get("data") if isinstance(answer.body, dict) else None
        if not isinstance(data, list):
            raise SocialError("KS819", "เฟซบุ๊ก: รายการโพสต์ของเพจไม่มี data")
        for post in data:
            if isinstance(post, dict) and link in str(post.get("message", "")) and post.get("id"):
                return str(post["id"])
        return None

    def edit(self, post_id: str, message: str) -> None:
        answer = self._post(f"/{urllib.parse.quote(post_id, safe='_')}", {"message": message})
        if not (isinstance(answer.body, dict) and answer.body.get("success") is True):
            raise SocialError("KS819", "เฟซบุ๊ก: การแก้โพสต์ไม่ตอบ success")

    def _post(self, path: str, form: dict[str, str], judged: Judge = judge) -> Answer:
        body = urllib.parse.urlencode({**form, "access_token": self.token}).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.caller.call("POST", f"{self.graph_url}{path}", judged, headers=headers, body=body)


def _uncertain(answer: Answer) -> Retry | SocialError | None:
    """`judge`, except that an answer which may hide a post already made is returned, not retried."""
    verdict = judge(answer)
    if isinstance(verdict, Retry) and verdict.code == "KS806":
        return SocialError("KS806", verdict.detail, answer.status or None)
    return verdict


def _id(answer: Answer) -> str:
    found = answer.body.get("id") if isinstance(answer.body, dict) else None
    if not isinstance(found, str) or not found:
        raise SocialError("KS819", "เฟซบุ๊ก: คำตอบไม่มี id")
    return found
