"""The shape of the manual's figures: what `metrics.compute()` returns and every report reads.

TypedDicts, not dataclasses: the figures stay plain dicts, so `khaosan metrics
--format json` prints them as they are (key order is the order `compute()`
builds them in), while mypy checks each key every reader uses.
"""

from __future__ import annotations

from typing import Literal, TypedDict

# An item against its time standard; `earlier`: published on the office's earlier website, before Khaosan.
State = Literal["on-time", "late", "pending", "overdue", "untimed", "earlier"]


class Counts(TypedDict):
    """How many items, and how many of them in each state (`on-time` as `on_time`)."""

    count: int
    time_bound: int
    on_time: int
    late: int
    pending: int
    overdue: int
    untimed: int
    earlier: int  # from before Khaosan: reported apart, never on time or late
    judged: int  # on time + late + overdue: what the rate is a share of
    on_time_rate: float | None  # on time / judged; None when fewer than RATE_MINIMUM were judged


class TypeCounts(Counts):
    label: str


class MonthCounts(Counts):
    label: str
    by_type: dict[str, int]  # news type -> count


class Evidence(TypedDict):
    intended: int  # items whose `channels` ask for the channel (what a person typed)
    posted: int  # of those, items with a `posted` receipt on the records branch (what happened)
    posted_unasked: int  # items with a receipt that do not ask for it (should be 0)


class Channels(TypedDict):
    total: dict[str, int]  # channel -> uses, most used first (intent: the items' `channels`)
    uses: int
    per_item_mean: float | None
    items_by_channel_count: dict[str, int]  # "2" -> items published on two channels
    evidence: dict[str, Evidence]  # facebook, line -> intent and receipts side by side


class PrintShare(TypedDict):
    policy: int
    in_print: int
    share: float | None


class PolicyInPrint(PrintShare):
    by_month: dict[str, PrintShare]


class NewsFigures(TypedDict):
    produced: int
    time_bound: int
    on_time: int
    late: int
    overdue: int
    pending: int
    untimed: int
    earlier: int
    judged: int
    on_time_rate: float | None
    rate_minimum: int  # below this many judged items no rate is given: too few to mean anything
    target: float
    meets_target: bool | None
    withdrawn_unpublished: int
    urgent_awaiting: int
    by_type: dict[str, TypeCounts]
    by_month: dict[str, MonthCounts]  # "2026-11" -> that month
    by_plan: dict[str, int]
    by_format: dict[str, int]
    channels: Channels
    policy_in_print: PolicyInPrint


class Hours(TypedDict):
    count: int
    median: float | None
    p90: float | None


class Awaiting(TypedDict):
    """A published disclosure whose group director has not yet checked it on the website."""

    id: str
    title: str
    category: str
    published_at: str | None


class CategoryCounts(TypedDict):
    requests: int
    published: int
    awaiting_live_check: int


class DisclosureFigures(TypedDict):
    requests: int
    published: int
    request_to_publication_hours: Hours
    awaiting_live_check: int
    awaiting: list[Awaiting]
    by_category: dict[str, CategoryCounts]


class ClippingFigures(TypedDict):
    total: int
    by_outlet: dict[str, int]
    by_medium: dict[str, int]
    by_effect: dict[str, int]


class LateNews(TypedDict):
    id: str
    title: str
    state: State
    news_type: str | None
    deadline: str | None
    published_at: str | None
    late_seconds: int | None
    late_label: str


class TrustFlag(TypedDict):
    """What an auditor would question (`code` as in problems.CODES)."""

    code: str
    kind: str
    label: str
    item: str | None
    commit: str | None
    at: str | None
    message: str


class SignoffEntry(TypedDict):
    by: str
    step: str
    at: str | None
    recorded_at: str | None


class ItemEntry(TypedDict):
    """One item of the period: a CSV row, a row of the report's item sheet."""

    id: str
    kind: str
    news_type: str | None
    state: State
    published_at: str | None
    deadline: str | None
    title: str
    produced_at: str | None
    produce_deadline: str | None
    late_seconds: int | None
    urgent_awaiting: bool
    withdrawn_at: str | None
    first_committed_at: str | None
    month: str | None
    channels: list[str]
    posted: dict[str, str]  # channel -> when its receipt says it was posted (ISO 8601)
    signoffs: list[SignoffEntry]


class OfficeName(TypedDict):
    name: str
    short_name: str


class HistoryRef(TypedDict):
    ref: str
    head: str | None
    commits: int


class PeriodInfo(TypedDict):
    start: str | None
    end: str | None
    label: str
    key: str


class Figures(TypedDict):
    """Every figure for one period (times as Bangkok ISO 8601 text)."""

    office: OfficeName
    labels: dict[str, dict[str, str]]  # "channels", "news_types", "states", … -> key -> Thai label
    generated_at: str | None
    history: HistoryRef
    period: PeriodInfo
    news: NewsFigures
    disclosures: DisclosureFigures
    clippings: ClippingFigures
    late: list[LateNews]
    trust: list[TrustFlag]
    items: list[ItemEntry]
