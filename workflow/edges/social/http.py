"""One HTTP call with retries, for the social services (urllib; no client library for four calls).

A service module says, for each answer, whether to retry and how long to wait
(`Retry`); waits go through an injectable `sleep` (tests record them, never
sleep). Tokens travel only in headers or the form body, never in a URL, and no
message made here repeats a header or a body sent.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from workflow.core.problems import CODES
from workflow.errors import EXIT_CONTENT, KhaosanError

USER_AGENT = "khaosan-publishing-workflow"
_sleep = time.sleep  # the default wait between tries (tests pass their own)


class SocialError(KhaosanError):
    """A call to Facebook or LINE that did not succeed: a KS8xx code and a Thai message."""

    def __init__(self, code: str, detail: str = "", status: int | None = None) -> None:
        entry = CODES[code]
        super().__init__(code, f"{entry.message}: {detail}" if detail else entry.message, entry.hint, EXIT_CONTENT)
        self.detail = detail
        self.status = status


@dataclass(frozen=True)
class Answer:
    status: int  # 0: no answer (no network, timeout)
    headers: Mapping[str, str]  # lower-case names
    body: Any  # parsed JSON, or None
    raw: bytes = b""

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass(frozen=True)
class Retry:
    """Try again after `wait` seconds (at least); give up with `code` once the tries are spent."""

    wait: float
    code: str
    detail: str = ""


Judge = Callable[[Answer], "Retry | SocialError | None"]  # None: the answer is the result


@dataclass
class Caller:
    sleep: Callable[[float], None] = field(default_factory=lambda: _sleep)
    attempts: int = 4  # tries per call, the first included
    timeout: float = 30.0
    max_wait: float = 120.0  # the longest single wait (s)
    waits: list[float] = field(default_factory=list, repr=False)  # every wait taken: for tests and the report

    def call(
        self,
        method: str,
        url: str,
        judge: Judge,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Answer:
        """The answer `judge` accepts, after retries with back-off; a SocialError otherwise."""
        last: Retry | None = None
        for attempt in range(self.attempts):
            if attempt and last is not None:
                wait = min(max(last.wait, 2.0**attempt), self.max_wait)
                self.waits.append(wait)
                self.sleep(wait)
            answer = self._once(method, url, headers or {}, body)
            verdict = judge(answer)
            if verdict is None:
                return answer
            if isinstance(verdict, SocialError):
                raise verdict
            last = verdict
        assert last is not None
        raise SocialError(
            last.code, f"{last.detail} (ลอง {self.attempts} ครั้ง)" if last.detail else f"ลอง {self.attempts} ครั้ง"
        )

    def _once(self, method: str, url: str, headers: Mapping[str, str], body: bytes | None) -> Answer:
        request = urllib.request.Request(url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
                return Answer(response.status, _lower(response.headers), _json(raw), raw)
        except urllib.error.HTTPError as error:
            raw = error.read()
            return Answer(error.code, _lower(error.headers), _json(raw), raw)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError):
            return Answer(0, {}, None)


def retry_after(answer: Answer, default: float) -> float:
    """The service's Retry-After (seconds), or `default`."""
    try:
        return max(float(answer.header("retry-after")), 0.0)
    except ValueError:
        return default


def _lower(headers: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()} if headers is not None else {}


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
