"""Sign-offs from pull-request reviews, per item (issue 5).

Pure: the caller hands in the parsed item at the pull request's head, its
digest there, the item's digest at each commit a review was given on, the
approvals it already had before the pull request, and the reviews as GitHub
sends them. Out comes, for each required step, whether an approving review
satisfies it:

- only each reviewer's latest review counts (approved, then changes requested:
  not approved; a dismissed review approves nothing; comments change nothing);
- the reviewer's login maps (office.yml `github`) to a person allowed to give
  the step, who is not the item's owner nor the pull request's author;
- the review's commit holds this item with the head's digest: a later change to
  another item leaves it standing, a change to this one makes it stale.

And the other way: an approval written into the front matter in this pull
request that no such review backs is an error (KS610): nobody signs by typing
YAML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from workflow.core.problems import Problem, problem
from workflow.core.rules import written_at
from workflow.core.signoffs import REQUIRED_STEPS, Signoffs, StepState, eligibility, eligible_people, may_order_urgent
from workflow.core.structure import Item, Office, Person
from workflow.core.thaitime import BANGKOK
from workflow.core.vocabulary import STEP

# Review states that replace a reviewer's earlier verdict; COMMENTED and PENDING do not (GitHub's rule too).
_VERDICTS = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})


@dataclass(frozen=True)
class Review:
    id: int
    login: str
    state: str
    commit_id: str | None
    submitted_at: datetime | None
    url: str = ""  # html_url: what `pr-record` writes as the sign-off's `review`, and `verify` follows


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)


def reviews_from_api(payloads: Iterable[Mapping[str, Any]]) -> list[Review]:
    """GitHub `pull-request-review` objects (REST list or webhook `review`) as `Review`s."""
    found = []
    for entry in payloads:
        user = entry.get("user")
        login = user.get("login") if isinstance(user, Mapping) else None
        if not isinstance(login, str):
            continue  # a deleted account ("ghost"): nobody to map
        commit, url = entry.get("commit_id"), entry.get("html_url")
        found.append(
            Review(
                int(entry.get("id") or 0),
                login,
                str(entry.get("state", "")).upper(),
                commit if isinstance(commit, str) else None,
                _time(entry.get("submitted_at")),
                url if isinstance(url, str) else "",
            )
        )
    return found


def latest_reviews(reviews: Iterable[Review]) -> dict[str, Review]:
    """Each reviewer's latest verdict, by lower-case login (only APPROVED ones approve)."""
    latest: dict[str, Review] = {}
    ordered = sorted(reviews, key=lambda r: (r.submitted_at or datetime.min.replace(tzinfo=BANGKOK), r.id))
    for review in ordered:
        if review.state in _VERDICTS:
            latest[review.login.lower()] = review
    return latest


@dataclass(frozen=True)
class ItemView:
    """What the edge found about one item of the pull request."""

    item: Item
    digest: str  # at the head
    digests_at: Mapping[str, str | None]  # commit sha -> this item's digest there (None: absent or broken)
    base_approvals: tuple[Mapping[str, Any], ...] = ()  # approvals it had before this pull request
    base_orders: Mapping[str, Any] = field(default_factory=dict)  # its `urgent` / `withdrawn` before it


@dataclass(frozen=True)
class StepReview(StepState):
    """A step's state as `khaosan check` tells it, plus the GitHub login that signed it."""

    login: str | None = None
    review: str = ""  # the review's html_url


@dataclass(frozen=True)
class ItemReview(Signoffs):
    """What the item's reviews add up to (complete, publishable: as `Signoffs`), and for which content."""

    steps: tuple[StepReview, ...]
    item: Item
    digest: str
    counted: frozenset[str] = frozenset()  # lower-case logins allowed to give some step of this item
    orders: Mapping[str, str] = field(default_factory=dict)  # `urgent` / `withdrawn` -> the review backing it

    @property
    def path(self) -> str:
        return self.item.path

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


ORDER_CODES = {"urgent": "KS613", "withdrawn": "KS614"}  # an order no review of its giver backs


def _order(
    view: ItemView, key: str, office: Office, latest: Mapping[str, Review]
) -> tuple[bool, Review | None, list[Problem]]:
    """An urgent order or a withdrawal counts when the person it names may give one and gave it: an
    approving review of this item as it is (typed YAML is nobody's act), or the same order already on
    the base branch. Also the review that backs it, for `pr-record` to write down."""
    order = view.item.data.get(key)
    if not isinstance(order, dict):
        return False, None, []
    person = office.person(str(order.get("by", "")))
    if person is None or not may_order_urgent(person) or order.get("digest", view.digest) != view.digest:
        return False, None, []  # KS201 / KS308 / KS312, or KS304 for an order given for other content
    if order == view.base_orders.get(key):
        return True, None, []  # ordered before this pull request: not this pull request's to prove
    review = _approving_review(person, latest, view.digests_at, view.digest)
    if review is not None and order.get("review", review.url) == review.url:
        return True, review, []
    return (
        False,
        None,
        [
            problem(
                ORDER_CODES[key],
                view.item.path,
                where=(key, "by"),
                detail=f"{person.name} ไม่ได้อนุมัติ (Approve) รายการนี้ในคำขอ",
            )
        ],
    )


def _approving(
    item: Item, office: Office, latest: Mapping[str, Review], author: str
) -> tuple[list[tuple[Review, Person]], list[Problem]]:
    """The latest approvals by known people who may give some step of the item; owners' own are warned about."""
    steps = REQUIRED_STEPS.get(item.kind, ())
    problems: list[Problem] = []
    approving: list[tuple[Review, Person]] = []
    for login, review in sorted(latest.items()):
        if review.state != "APPROVED":
            continue
        person = office.person_for_login(login)
        if person is None:
            continue  # reported once for the pull request (unknown_reviewers)
        if person.id == item.owner or login == author:
            problems.append(
                problem(
                    "KS302",
                    item.path,
                    severity="warning",
                    where=("approvals",),
                    detail=f"{person.name} (@{review.login}) อนุมัติรายการของตนเอง ไม่นับ",
                )
            )
            continue
        if any(eligibility(step, item, office).allows(person) for step in steps):
            approving.append((review, person))
    return approving, problems


def _unbacked(view: ItemView, office: Office, latest: Mapping[str, Review]) -> list[Problem]:
    """KS610: approvals this pull request wrote into the front matter that no review backs."""
    item = view.item
    problems: list[Problem] = []
    base = {_key(a) for a in view.base_approvals}
    for index, approval in enumerate(item.approvals):
        if _key(approval) in base:
            continue  # recorded before this pull request: not this pull request's to prove
        if not _backed(approval, latest, office, view.digests_at):
            problems.append(
                problem(
                    "KS610",
                    item.path,
                    where=("approvals", index),
                    detail=f"{approval.get('by')} ขั้น {approval.get('step')}",
                )
            )
    return problems


def review_item(view: ItemView, office: Office, latest: Mapping[str, Review], pr_author: str | None) -> ItemReview:
    item, digest = view.item, view.digest
    steps = REQUIRED_STEPS.get(item.kind, ())
    approving, problems = _approving(item, office, latest, (pr_author or "").lower())

    def current(review: Review) -> bool:
        return review.commit_id is not None and view.digests_at.get(review.commit_id) == digest

    def breadth(person: Person) -> int:  # prefer the most specific signer, keeping executives for later steps
        return sum(eligibility(s, item, office).allows(person) for s in steps)

    used: set[str] = set()
    states: list[StepReview] = []
    since = written_at(item)  # nobody signs before the item was produced or requested (KS306)
    for step in steps:
        rule = eligibility(step, item, office)
        people = eligible_people(step, item, office)
        label = office.vocabulary.label(STEP, step)
        allowed, already = _second_eyes([(r, p) for r, p in approving if rule.allows(p)], used)
        earlier = states[-1].at if states and states[-1].status == "signed" else None
        fresh = sorted(
            (c for c in allowed if current(c[0]) and _in_time(c[0], since, earlier)),
            key=lambda c: (c[1].id in used, breadth(c[1]), c[0].submitted_at or datetime.max.replace(tzinfo=BANGKOK)),
        )
        early = [c for c in allowed if current(c[0]) and not _in_time(c[0], since, earlier)]
        if fresh:
            review, person = fresh[0]
            used.add(person.id)
            states.append(
                StepReview(
                    step, "signed", person.id, review.submitted_at, rule.rule, people, label, review.login, review.url
                )
            )
        elif early:
            review, person = early[0]
            states.append(_missing(step, rule.rule, people, label))
            at = review.submitted_at
            if since is not None and (at is None or at < since):
                problems.append(
                    problem(
                        "KS306",
                        item.path,
                        severity="warning",
                        where=("approvals",),
                        detail=f"{person.name} อนุมัติขั้น {label} ก่อนเวลาที่จัดทำหรือขอ",
                    )
                )
            else:  # the manual's order: this step after the one before it
                problems.append(
                    problem(
                        "KS303",
                        item.path,
                        severity="warning",
                        where=("approvals",),
                        detail=f"{person.name} อนุมัติขั้น {label} ก่อนขั้น {states[-2].label}",
                        hint="ให้ผู้ลงนามกด Approve อีกครั้งหลังขั้นก่อนหน้าลงนามแล้ว",
                    )
                )
        elif allowed:
            review, person = max(allowed, key=lambda c: c[0].submitted_at or datetime.min.replace(tzinfo=BANGKOK))
            states.append(
                StepReview(step, "stale", person.id, review.submitted_at, rule.rule, people, label, review.login)
            )
            problems.append(
                problem(
                    "KS304",
                    item.path,
                    severity="warning",
                    where=("approvals",),
                    detail=f"ขั้น {label}: {person.name} อนุมัติก่อนเนื้อหาเปลี่ยน",
                    hint="ให้ผู้ลงนามตรวจเนื้อหาใหม่แล้วกด Approve ในคำขออีกครั้ง",
                )
            )
        else:
            states.append(_missing(step, rule.rule, people, label))
        twice = next((p for r, p in already if current(r)), None)
        if states[-1].status != "signed" and twice is not None:
            problems.append(_one_person_twice(item, twice, states, label))

    problems += _unbacked(view, office, latest)
    urgent, urgent_review, unordered = _order(view, "urgent", office, latest)
    _, withdrawal_review, unwithdrawn = _order(view, "withdrawn", office, latest)
    backing = {"urgent": urgent_review, "withdrawn": withdrawal_review}
    return ItemReview(
        steps=tuple(states),
        problems=(*problems, *unordered, *unwithdrawn),
        urgent=urgent,
        item=item,
        digest=digest,
        counted=frozenset(r.login.lower() for r, _ in approving),
        orders={key: review.url for key, review in backing.items() if review is not None and review.url},
    )


def _second_eyes(
    allowed: list[tuple[Review, Person]], used: set[str]
) -> tuple[list[tuple[Review, Person]], list[tuple[Review, Person]]]:
    """Two people (DOMAIN.md): the reviews of people who have not signed an earlier step, and the rest."""
    return [c for c in allowed if c[1].id not in used], [c for c in allowed if c[1].id in used]


def _one_person_twice(item: Item, person: Person, states: list[StepReview], label: str) -> Problem:
    earlier = next((s.label for s in states if s.status == "signed" and s.by == person.id), "")
    return problem(
        "KS310",
        item.path,
        severity="warning",
        where=("approvals",),
        detail=f"{person.name} อนุมัติขั้น {earlier} แล้ว จึงนับเป็นขั้น {label} อีกไม่ได้",
        hint="ขั้นที่สองต้องเป็นอีกคนหนึ่งที่มีสิทธิ์: ขอให้ผู้มีสิทธิ์อีกคนกด Approve",
    )


def _in_time(review: Review, since: datetime | None, earlier: datetime | None) -> bool:
    at = review.submitted_at
    if at is None:
        return since is None and earlier is None
    return (since is None or at >= since) and (earlier is None or at >= earlier)


def _missing(step: str, rule: str, people: tuple[str, ...], label: str) -> StepReview:
    return StepReview(step, "missing", None, None, rule, people, label)


def _key(approval: Mapping[str, Any]) -> tuple[str, str, str, str]:
    return (str(approval.get("by")), str(approval.get("step")), str(approval.get("at")), str(approval.get("digest")))


def _backed(
    approval: Mapping[str, Any], latest: Mapping[str, Review], office: Office, digests_at: Mapping[str, str | None]
) -> bool:
    """A latest APPROVED review by the same person on a commit holding the approved digest, given at
    the time the approval records (a typed `at` is not the review's) and, when it names one, that review."""
    person = office.person(str(approval.get("by", "")))
    review = _approving_review(person, latest, digests_at, approval.get("digest"))
    return (
        review is not None
        and given_at_review_time(approval.get("at"), review)
        and approval.get("review", review.url) == review.url
    )


def recorded_time(at: datetime) -> str:
    """A review's time as a sign-off records it: Bangkok time, to the second."""
    return at.astimezone(BANGKOK).replace(microsecond=0).isoformat()


def given_at_review_time(typed: object, review: Review) -> bool:
    """The `at` a record holds is its review's own time, to the second, as `pr-record` writes it."""
    at = review.submitted_at
    return at is not None and _time(typed) == at.replace(microsecond=0)


def _approving_review(
    person: Person | None, latest: Mapping[str, Review], digests_at: Mapping[str, str | None], digest: object
) -> Review | None:
    """The person's latest review, if it approves a commit holding the item with `digest`: their act, not YAML."""
    review = latest.get(person.github.lower()) if person is not None and person.github else None
    current = (
        review is not None
        and review.state == "APPROVED"
        and review.commit_id is not None
        and digests_at.get(review.commit_id) == digest
    )
    return review if current else None


def unknown_reviewers(latest: Mapping[str, Review], office: Office) -> list[str]:
    """Logins whose approval counts for nothing because office.yml does not know them."""
    return sorted(
        r.login for login, r in latest.items() if r.state == "APPROVED" and office.person_for_login(login) is None
    )


def ineligible_reviewers(latest: Mapping[str, Review], office: Office, results: Iterable[ItemReview]) -> list[str]:
    """Logins of known people who approved, but may give no step of any item in the pull request."""
    counted: set[str] = set()
    for result in results:
        counted |= result.counted
    return sorted(
        r.login
        for login, r in latest.items()
        if r.state == "APPROVED" and office.person_for_login(login) is not None and login not in counted
    )


def new_approvals(result: ItemReview) -> list[dict[str, str]]:
    """The signed steps not yet in the front matter with this digest: what `pr-record` writes,
    each naming the review it comes from."""
    have = {(str(a.get("by")), str(a.get("step")), str(a.get("digest"))) for a in result.item.approvals}
    out = []
    for state in result.steps:
        if state.status == "signed" and state.by and state.at and (state.by, state.step, result.digest) not in have:
            approval = {"by": state.by, "step": state.step, "at": recorded_time(state.at), "digest": result.digest}
            if state.review:
                approval["review"] = state.review
            out.append(approval)
    return out


def new_order_reviews(result: ItemReview) -> dict[str, dict[str, str]]:
    """For each order (`urgent`, `withdrawn`) whose backing review the front matter does not name yet,
    the fields `pr-record` adds: the review, and for an urgent order the content it released."""
    added: dict[str, dict[str, str]] = {}
    for key, url in result.orders.items():
        order = result.item.data.get(key)
        if isinstance(order, dict) and "review" not in order:
            added[key] = {"review": url, **({"digest": result.digest} if key == "urgent" else {})}
    return added


# -- the verdict: the commit status, and the head of the comment (edges/render/pull_request.py) --


@dataclass(frozen=True)
class Summary:
    state: Literal["success", "pending", "failure"]
    description: str


def summarise(results: Iterable[ItemReview], check_errors: int) -> Summary:
    results = list(results)
    errors = check_errors + sum(len(r.errors) for r in results)
    waiting = [r for r in results if not r.publishable]
    urgent = [r for r in results if r.urgent and not r.complete]
    if errors:
        return Summary("failure", f"มีข้อผิดพลาด {errors} รายการ ดูความเห็นในคำขอ")
    if waiting:
        return Summary("pending", f"รอลงนาม {len(waiting)} จาก {len(results)} รายการ")
    if urgent:
        return Summary("success", f"เผยแพร่ด่วนได้ แต่ยังรอลงนาม {len(urgent)} รายการ")
    return Summary("success", f"ลงนามครบทุกรายการ ({len(results)} รายการ)")
