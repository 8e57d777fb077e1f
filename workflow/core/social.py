"""Posting published items to the office's Facebook Page and LINE Official Account: the rules.

Pure: the command hands in what is public (with git's publication time), the
receipts read from the records branch, the office's `social` settings and `now`;
this module says what to post, what to hold and why (each with a KS8xx code),
the text each channel gets, and what a receipt means. The HTTP calls are in
`workflow/edges/social/` (one module per service); the receipts' storage in
`workflow/edges/git/records.py`.

Receipts are one JSON object a line, appended, never edited (`RECEIPTS_FILE` on
the records branch). Per item and channel the events are:

- `claim`: a run is about to post (pushed before the call: the lock);
- `posted`: the service accepted it, with its post or request id (the evidence);
- `failed`: it did not, with the code (retried by the next run);
- `withdrawn`: the Facebook post was edited to say the item was withdrawn.

An item counts as posted on a channel only with a `posted` receipt.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from workflow.core.thaitime import BANGKOK, format_date, parse_time

SOCIAL_CHANNELS = ("facebook", "line")
RECORDS_BRANCH = "khaosan-records"
RECEIPTS_FILE = "social/receipts.jsonl"
LEASE = timedelta(minutes=30)  # a claim younger than this belongs to a run that may still be posting
LINE_RETRY_WINDOW = timedelta(hours=23)  # LINE honours X-Line-Retry-Key for 24 hours; an hour to spare
KEY_NAMESPACE = uuid.UUID("6f1c1f9e-3c55-4d1e-9a57-6b6861c1a5a0")  # Khaosan's: keys are uuid5 under it

# The services' limits (Meta Graph API: Page post message; LINE Messaging API: message objects).
FACEBOOK_MESSAGE_MAX = 63_206
LINE_TEXT_MAX = 5_000
LINE_ALT_TEXT_MAX = 1_500
LINE_LABEL_MAX = 20  # a button's action label
LINE_URI_MAX = 1_000
# Ours: what a person reads before "read more" (the page has the rest).
LEAD_MAX = 500
LINE_LEAD_MAX = 250
LINE_TITLE_MAX = 160
READ_MORE = "อ่านต่อบนเว็บไซต์"

Event = Literal["claim", "posted", "failed", "withdrawn"]
EVENTS: tuple[str, ...] = ("claim", "posted", "failed", "withdrawn")


# ---------------------------------------------------------------- settings ----


@dataclass(frozen=True)
class SocialSettings:
    """office.yml `social:` (schemas/office.schema.json). Absent or `enabled: false`: nothing is posted."""

    enabled: bool = False
    since: date | None = None  # items published before this day are never posted (the office's earlier items)
    daily_cap: Mapping[str, int] = field(default_factory=lambda: {"facebook": 10, "line": 1})
    quiet_from: time | None = None
    quiet_to: time | None = None
    hashtags: tuple[str, ...] = ()
    max_age_hours: float = 72.0
    line_audience: int | None = None  # narrowcast to this audience group; None: broadcast to every friend
    line_message: Literal["flex", "text"] = "flex"

    def quiet(self, now: datetime) -> bool:
        """Within the quiet hours (Bangkok time; a span past midnight wraps)."""
        if self.quiet_from is None or self.quiet_to is None or self.quiet_from == self.quiet_to:
            return False
        at = now.astimezone(BANGKOK).time().replace(tzinfo=None)
        if self.quiet_from < self.quiet_to:
            return self.quiet_from <= at < self.quiet_to
        return at >= self.quiet_from or at < self.quiet_to


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def social_settings(block: Mapping[str, Any] | None) -> SocialSettings:
    """The typed settings from office.yml's `social` block (its shape already checked by the schema)."""
    if not block:
        return SocialSettings()
    quiet = block.get("quiet_hours") or {}
    cap = dict(SocialSettings().daily_cap)
    cap.update({str(k): int(v) for k, v in (block.get("daily_cap") or {}).items()})
    line = block.get("line") or {}
    since = block.get("since")
    return SocialSettings(
        enabled=bool(block.get("enabled", False)),
        since=date.fromisoformat(str(since)) if since else None,
        daily_cap=cap,
        quiet_from=_clock(str(quiet["from"])) if quiet else None,
        quiet_to=_clock(str(quiet["to"])) if quiet else None,
        hashtags=tuple(str(h) for h in block.get("hashtags") or ()),
        max_age_hours=float(block.get("max_age_hours", SocialSettings.max_age_hours)),
        line_audience=int(line["audience"]) if line.get("audience") is not None else None,
        line_message="text" if line.get("message") == "text" else "flex",
    )


# ---------------------------------------------------------------- the text ----

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_TAG = re.compile(r"<[^>]*>")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.MULTILINE)
_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|~~|`+)")
_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.MULTILINE)
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_SPACES = re.compile(r"[ \t\u00a0]+")
_LEADING_VOWELS = "เแโใไ"
_UNDERSCORE = re.compile(r"(?<![\w_])_{1,2}(\S(?:.*?\S)?)_{1,2}(?![\w_])")
BULLET = "• "  # a list item, as plain text shows one


def plain_text(markdown: str) -> str:
    """Markdown as a person reads it, without its syntax: paragraphs kept, marks removed."""
    text = _REF_DEF.sub("", markdown)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _RULE.sub("", text)
    text = _HEADING.sub("", text)
    text = _BULLET.sub(BULLET, text)
    text = _QUOTE.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _UNDERSCORE.sub(r"\1", text)
    text = text.replace("\\", "")
    paragraphs = [_paragraph(p) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _paragraph(text: str) -> str:
    """One paragraph on one line, except that each list item keeps its own line."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        if lines and not line.startswith(BULLET):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return "\n".join(lines)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut only between whole letters (a Thai vowel or tone mark stays with
    its consonant), at a space or line break when one is near, with … when cut."""
    if len(text) <= limit:
        return text
    cut = limit - 1  # text[:cut] + "…" fits; text[cut] must begin a letter, not be a mark of the one before
    while cut > 0 and unicodedata.category(text[cut]) in ("Mn", "Mc"):
        cut -= 1
    while cut > 0 and text[cut - 1] in _LEADING_VOWELS:  # เ แ โ ใ ไ belong to the consonant after them
        cut -= 1
    space = max(text.rfind(" ", 0, cut), text.rfind("\n", 0, cut))
    if space > limit * 0.6:
        cut = space
    return text[:cut].rstrip() + "…"


@dataclass(frozen=True)
class Post:
    """What one item says on the social channels."""

    item_id: str
    title: str
    url: str  # the item's page on the office site
    published_at: datetime
    lead: str  # the summary, or the body's first paragraphs, as plain text
    image_url: str | None = None  # the item's first image on the office site
    hashtags: tuple[str, ...] = ()
    digits: str = "arabic"

    @property
    def date_text(self) -> str:
        return format_date(self.published_at, digits=self.digits)


def post_of(
    item_id: str,
    data: Mapping[str, Any],
    body: str,
    *,
    site_url: str,
    published_at: datetime,
    hashtags: Sequence[str] = (),
    digits: str = "arabic",
) -> Post:
    """The post for one item: title, link, date, lead and first image, all plain text."""
    base = site_url.rstrip("/")
    summary = data.get("summary")
    lead = plain_text(str(summary)) if summary else plain_text(body)
    images = data.get("images")
    image = None
    if isinstance(images, list) and images and isinstance(images[0], Mapping) and images[0].get("file"):
        image = f"{base}/{str(images[0]['file']).lstrip('/')}"
    return Post(
        item_id=item_id,
        title=plain_text(str(data.get("title", ""))).replace("\n", " "),
        url=f"{base}/{item_id}/",
        published_at=published_at,
        lead=lead,
        image_url=image,
        hashtags=tuple(hashtags),
        digits=digits,
    )


def facebook_message(post: Post) -> str:
    """The Page post's text: title, lead, date, link, the office's hashtags (plain text, no Markdown)."""
    parts = [post.title, clip(post.lead, LEAD_MAX), f"เผยแพร่ {post.date_text}\n{READ_MORE}: {post.url}"]
    if post.hashtags:
        parts.append(" ".join(post.hashtags))
    return clip("\n\n".join(p for p in parts if p), FACEBOOK_MESSAGE_MAX)


def withdrawn_message(post: Post, reason: str) -> str:
    """What the Page post says once the item is withdrawn (the post stays, saying why, as the page does)."""
    return clip(
        f"[ถอนการเผยแพร่แล้ว] {post.title}\n\nเหตุผล: {plain_text(reason)}\n\nรายละเอียด: {post.url}",
        FACEBOOK_MESSAGE_MAX,
    )


def line_text(post: Post) -> str:
    parts = [post.title, f"เผยแพร่ {post.date_text}", clip(post.lead, LINE_LEAD_MAX), f"{READ_MORE}: {post.url}"]
    if post.hashtags:
        parts.append(" ".join(post.hashtags))
    return clip("\n\n".join(p for p in parts if p), LINE_TEXT_MAX)


def line_messages(post: Post, kind: Literal["flex", "text"] = "flex") -> list[dict[str, Any]]:
    """The LINE message objects: one Flex bubble (title, Buddhist-Era date, lead, a button to the page),
    or a text message; plain text either way."""
    if kind == "text" or len(post.url) > LINE_URI_MAX:
        return [{"type": "text", "text": line_text(post)}]
    body: list[dict[str, Any]] = [
        {"type": "text", "text": clip(post.title, LINE_TITLE_MAX), "weight": "bold", "size": "lg", "wrap": True},
        {"type": "text", "text": f"เผยแพร่ {post.date_text}", "size": "sm", "color": "#555555", "margin": "md"},
    ]
    if post.lead:
        body.append(
            {"type": "text", "text": clip(post.lead, LINE_LEAD_MAX), "size": "sm", "wrap": True, "margin": "md"}
        )
    if post.hashtags:
        body.append({"type": "text", "text": " ".join(post.hashtags), "size": "xs", "color": "#1a5fb4", "wrap": True})
    bubble: dict[str, Any] = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "contents": body},
        "footer": {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {
                    "type": "button",
                    "style": "primary",
                    "action": {"type": "uri", "label": READ_MORE[:LINE_LABEL_MAX], "uri": post.url},
                }
            ],
        },
    }
    if post.image_url and post.image_url.startswith("https://"):
        bubble["hero"] = {"type": "image", "url": post.image_url, "size": "full", "aspectMode": "cover"}
    alt = clip(f"{post.title} (เผยแพร่ {post.date_text})", LINE_ALT_TEXT_MAX)
    return [{"type": "flex", "altText": alt, "contents": bubble}]


# ---------------------------------------------------------------- receipts ----


@dataclass(frozen=True)
class Receipt:
    event: str  # one of EVENTS
    item: str
    channel: str
    at: datetime
    key: str  # the idempotency key (LINE's X-Line-Retry-Key)
    run: str = ""  # the run that wrote it (GITHUB_RUN_ID-attempt, or a local id)
    post_id: str = ""  # Facebook's post id; LINE's x-line-request-id
    code: str = ""  # a failure's KS8xx code
    detail: str = ""  # a failure's Thai detail

    def line(self) -> str:
        data: dict[str, str] = {
            "event": self.event,
            "item": self.item,
            "channel": self.channel,
            "at": self.at.isoformat(timespec="seconds"),
            "key": self.key,
        }
        data.update({k: v for k, v in (("run", self.run), ("post_id", self.post_id)) if v})
        data.update({k: v for k, v in (("code", self.code), ("detail", self.detail)) if v})
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def parse_receipts(text: str) -> tuple[list[Receipt], list[int]]:
    """Every receipt in the records file, and the numbers of the lines that are not one."""
    receipts: list[Receipt] = []
    bad: list[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            receipt = Receipt(
                event=str(data["event"]),
                item=str(data["item"]),
                channel=str(data["channel"]),
                at=parse_time(str(data["at"])),
                key=str(data["key"]),
                run=str(data.get("run", "")),
                post_id=str(data.get("post_id", "")),
                code=str(data.get("code", "")),
                detail=str(data.get("detail", "")),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            bad.append(number)
            continue
        if receipt.event not in EVENTS or receipt.channel not in SOCIAL_CHANNELS:
            bad.append(number)
            continue
        receipts.append(receipt)
    return receipts, bad


def idempotency_key(item_id: str, channel: str, action: str = "post") -> str:
    """The same key for the same item, channel and action, in every run (a UUID, as LINE asks)."""
    return str(uuid.uuid5(KEY_NAMESPACE, f"{action}|{channel}|{item_id}"))


@dataclass(frozen=True)
class ChannelState:
    """What the receipts say of one item on one channel."""

    posted: Receipt | None = None
    withdrawn: Receipt | None = None
    claim: Receipt | None = None  # the latest claim not followed by a result
    failures: tuple[Receipt, ...] = ()


def ledger(receipts: Iterable[Receipt]) -> dict[tuple[str, str], ChannelState]:
    """(item, channel) -> its state, from the receipts in the order they were written.

    The first `posted` receipt is the post (a second one, which only a forged or merged file
    could hold, changes nothing); a claim counts until a result follows it."""
    states: dict[tuple[str, str], ChannelState] = {}
    for r in receipts:
        state = states.get((r.item, r.channel), ChannelState())
        if r.event == "claim":
            state = replace(state, claim=r)
        elif r.event == "posted":
            state = replace(state, posted=state.posted or r, claim=None)
        elif r.event == "failed":
            state = replace(state, failures=(*state.failures, r), claim=None)
        elif r.event == "withdrawn":
            state = replace(state, withdrawn=state.withdrawn or r, claim=None)
        states[(r.item, r.channel)] = state
    return states


def posted_channels(receipts: Iterable[Receipt]) -> dict[str, dict[str, Receipt]]:
    """item id -> channel -> its `posted` receipt: the evidence the metrics, status and pages count."""
    out: dict[str, dict[str, Receipt]] = {}
    for (item, channel), state in ledger(receipts).items():
        if state.posted is not None:
            out.setdefault(item, {})[channel] = state.posted
    return out


def item_posts(states: Mapping[tuple[str, str], ChannelState], item_id: str) -> list[dict[str, str]]:
    """Where and when one item was posted (or failed, or was edited as withdrawn): `status` and the page show it."""
    out: list[dict[str, str]] = []
    for channel in SOCIAL_CHANNELS:
        state = states.get((item_id, channel))
        if state is None:
            continue
        if state.posted is not None:
            out.append(_post_entry("posted", state.posted))
        elif state.failures:
            out.append(_post_entry("failed", state.failures[-1]))
        if state.withdrawn is not None:
            out.append(_post_entry("withdrawn", state.withdrawn))
    return out


def _post_entry(event: str, r: Receipt) -> dict[str, str]:
    entry = {"channel": r.channel, "event": event, "at": r.at.isoformat(timespec="seconds"), "post_id": r.post_id}
    if r.code:
        entry["code"] = r.code
    return entry


# ---------------------------------------------------------------- the plan ----


@dataclass(frozen=True)
class Public:
    """One item as the deployed build decided it, with what posting needs."""

    post: Post
    channels: tuple[str, ...]  # as the item asks (front matter `channels`)
    ready: bool  # public with every sign-off (not urgent-and-unsigned, not scheduled later, not pending)
    withdrawn_reason: str | None = None  # the item is withdrawn (its reason)
    earlier: bool = False  # published on the office's earlier website before Khaosan (`earlier_site`)
    former_ids: tuple[str, ...] = ()  # the ids it had before a rename (its receipts stay its own)


ActionKind = Literal["post", "withdraw"]


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    channel: str
    public: Public
    key: str
    resume: Receipt | None = None  # a claim of an earlier run that never got its result
    posted: Receipt | None = None  # withdraw: the post to edit


@dataclass(frozen=True)
class Held:
    item_id: str
    channel: str
    code: str  # KS8xx
    detail: str
    post: Post | None = None


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...]
    held: tuple[Held, ...]
    skipped: tuple[tuple[Public, str, str], ...] = ()  # (item, channel, why in Thai): not for posting at all
    enabled: bool = True


def _today_count(states: Mapping[tuple[str, str], ChannelState], channel: str, now: datetime) -> int:
    """Posts on `channel` today (Bangkok): every accepted post and every claim still open (it may have gone)."""
    day = now.astimezone(BANGKOK).date()
    used = 0
    for (_item, ch), state in states.items():
        if ch != channel:
            continue
        for r in (state.posted, state.claim):
            if r is not None and r.at.astimezone(BANGKOK).date() == day:
                used += 1
    return used


def plan(
    items: Sequence[Public],
    receipts: Sequence[Receipt],
    settings: SocialSettings,
    now: datetime,
    run: str,
) -> Plan:
    """What this run posts, edits and holds back, oldest item first."""
    states = ledger(receipts)
    actions: list[Action] = []
    held: list[Held] = []
    skipped: list[tuple[Public, str, str]] = []
    left = {ch: settings.daily_cap.get(ch, 0) - _today_count(states, ch, now) for ch in SOCIAL_CHANNELS}
    for public in sorted(items, key=lambda p: (p.post.published_at, p.post.item_id)):
        for channel in SOCIAL_CHANNELS:
            if channel not in public.channels:
                continue
            state = _merged(states, (public.post.item_id, *public.former_ids), channel)
            decided = _decide(public, channel, state, settings, now, run)
            if (
                isinstance(decided, Action) and decided.kind == "post" and decided.resume is None
            ):  # a resumed claim is counted
                if left[channel] <= 0:
                    cap = settings.daily_cap.get(channel, 0)
                    detail = f"{public.post.item_id}: {channel} วันละ {cap} รายการ"
                    decided = Held(public.post.item_id, channel, "KS813", detail, public.post)
                else:
                    left[channel] -= 1
            if isinstance(decided, Action):
                actions.append(decided)
            elif isinstance(decided, Held):
                held.append(decided)
            elif decided:
                skipped.append((public, channel, decided))
    if not settings.enabled:  # the office-wide switch: the plan is shown, nothing is done
        off = [
            Held(a.public.post.item_id, a.channel, "KS800", f"{a.public.post.item_id} → {a.channel}", a.public.post)
            for a in actions
        ]
        return Plan((), (*off, *held), tuple(skipped), enabled=False)
    return Plan(tuple(actions), tuple(held), tuple(skipped))


def _merged(states: Mapping[tuple[str, str], ChannelState], ids: Sequence[str], channel: str) -> ChannelState:
    """One item's state on a channel across the ids it has had: a post made before a rename is its post."""
    found = [states[(i, channel)] for i in ids if (i, channel) in states]
    if not found:
        return ChannelState()
    return ChannelState(
        posted=next((f.posted for f in found if f.posted is not None), None),
        withdrawn=next((f.withdrawn for f in found if f.withdrawn is not None), None),
        claim=next((f.claim for f in found if f.claim is not None), None),
        failures=tuple(r for f in found for r in f.failures),
    )


def posted_for(posted: Mapping[str, Mapping[str, Receipt]], ids: Sequence[str]) -> dict[str, Receipt]:
    """Channel -> `posted` receipt of an item known by `ids` (its id now first, then its former ones)."""
    out: dict[str, Receipt] = {}
    for item_id in ids:
        for channel, receipt in posted.get(item_id, {}).items():
            out.setdefault(channel, receipt)
    return out


def _decide(
    public: Public, channel: str, state: ChannelState, settings: SocialSettings, now: datetime, run: str
) -> Action | Held | str | None:
    """One item on one channel: an action, held (with its code), skipped (why, in Thai), or nothing to do."""
    item_id = public.post.item_id
    if public.withdrawn_reason is not None:
        if state.posted is None or state.withdrawn is not None:
            return None
        if channel == "line":
            return Held(item_id, channel, "KS818", f"{item_id} ส่งทาง LINE แล้วเมื่อ {_when(state.posted)}")
        key = idempotency_key(item_id, channel, "withdraw")
        return Action("withdraw", channel, public, key, posted=state.posted)
    if state.posted is not None:
        return None
    why = _not_for_posting(public, settings)
    if why:
        return why
    if public.post.published_at < now - timedelta(hours=settings.max_age_hours):
        detail = f"{item_id} เผยแพร่เมื่อ {public.post.date_text} เกิน {settings.max_age_hours:g} ชั่วโมงแล้ว"
        return Held(item_id, channel, "KS815", detail, public.post)
    claim = state.claim
    if claim is not None and channel == "line" and now - claim.at >= LINE_RETRY_WINDOW:
        # LINE forgets a retry key after 24 hours: sending again could reach every friend twice
        detail = f"{item_id}: การส่ง LINE ที่ค้างไว้ตั้งแต่ {_when(claim)} เกิน 24 ชั่วโมง ตรวจไม่ได้ว่าส่งไปแล้วหรือไม่"
        return Held(item_id, channel, "KS815", detail, public.post)
    if claim is not None and claim.run != run and now - claim.at < LEASE:
        return Held(item_id, channel, "KS816", f"{item_id}: รอบ {claim.run} เริ่มโพสต์เมื่อ {_when(claim)}", public.post)
    if settings.quiet(now):
        return Held(item_id, channel, "KS814", f"{item_id}: ช่วง{_quiet_text(settings)}", public.post)
    return Action("post", channel, public, idempotency_key(item_id, channel), resume=claim)


def _not_for_posting(public: Public, settings: SocialSettings) -> str:
    """Why an item is never posted (said, not warned about), or ''."""
    if not public.ready:
        return "ยังลงนามไม่ครบ (เผยแพร่ด่วน) หรือยังไม่ถึงเวลาเผยแพร่"
    if public.earlier:
        return "เผยแพร่บนเว็บไซต์เดิมก่อนใช้ระบบ"
    if settings.since is None or public.post.published_at.astimezone(BANGKOK).date() < settings.since:
        since = format_date(settings.since) if settings.since else "(ไม่ได้ตั้ง social.since)"
        return f"เผยแพร่ก่อนวันเริ่มโพสต์อัตโนมัติ {since}"
    return ""


def _when(receipt: Receipt) -> str:
    return receipt.at.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")


def _quiet_text(settings: SocialSettings) -> str:
    if settings.quiet_from is None or settings.quiet_to is None:
        return ""
    return f"งดโพสต์ {settings.quiet_from:%H:%M}–{settings.quiet_to:%H:%M} น."
