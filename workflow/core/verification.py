"""Every recorded act checked against the review it names, before the site goes live (issue 12).

`pr-check` counts reviews while a pull request is open; what reaches `main` may
still have come another way (a push past branch protection, a merge past a
forged check). So before each deploy, every sign-off, urgent order and
withdrawal in the items that changed is held against GitHub once more: the
review it names exists in this repository, approves, was given by the
person's mapped login at the recorded time, on a commit that holds the item
with the recorded digest. A record that names no review was given on paper,
which counts only where office.yml allows it.

Pure: the edge (edges/github/verification.py) hands in the reviews it found
and the item's digest at each reviewed commit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from workflow.core.problems import Problem, problem
from workflow.core.reviews import Review, given_at_review_time, recorded_time
from workflow.core.signoffs import given_on_paper
from workflow.core.structure import Item, Office

_REVIEW_URL = re.compile(
    r"^https://[^\s/]+/(?P<repo>[^\s/]+/[^\s/]+)/pull/(?P<pull>[0-9]+)#pullrequestreview-(?P<id>[0-9]+)$"
)


@dataclass(frozen=True)
class Claim:
    """One recorded act: a sign-off (`approvals[i]`) or an order (`urgent`, `withdrawn`)."""

    path: str
    where: tuple[str | int, ...]
    by: str
    digest: str | None  # the content it was for (a withdrawal's: any version of the item)
    at: str | None  # the time it records (orders need not record one)
    review: str | None  # the review it names; None: given on paper


@dataclass(frozen=True)
class ReviewRef:
    repository: str  # owner/name
    pull: int
    id: int


def claims(item: Item, digest: str) -> list[Claim]:
    """Every act recorded in the item, whatever its state: a stale approval made current again by
    reverting a file must have been verified too."""
    found = []
    for index, approval in enumerate(item.approvals):
        if isinstance(approval, Mapping):
            found.append(_claim(item.path, ("approvals", index), approval, str(approval.get("digest", ""))))
    urgent, withdrawn = item.data.get("urgent"), item.data.get("withdrawn")
    if isinstance(urgent, Mapping):  # for the content it was given for (pr-record writes it), else as it is
        found.append(_claim(item.path, ("urgent",), urgent, str(urgent.get("digest") or digest)))
    if isinstance(withdrawn, Mapping):  # taking a page down: of this item, whatever its version
        found.append(_claim(item.path, ("withdrawn",), withdrawn, None))
    return found


def _claim(path: str, where: tuple[str | int, ...], record: Mapping[str, Any], digest: str | None) -> Claim:
    at = record.get("at")
    review = None if given_on_paper(record) else str(record["review"])
    return Claim(path, where, str(record.get("by", "")), digest, str(at) if at is not None else None, review)


def review_ref(url: str) -> ReviewRef | None:
    match = _REVIEW_URL.match(url)
    if match is None:
        return None
    return ReviewRef(match["repo"].lower(), int(match["pull"]), int(match["id"]))


Outcome = Literal["review", "paper"]


def judge(
    claim: Claim,
    office: Office,
    repository: str,
    review: Review | None,
    digest_at_review: str | None,
) -> tuple[Outcome, Problem | None]:
    """Whether the act is what it claims: backed by its review (found by the edge in the pull
    request the URL names; None when there is no such review), or given on paper where allowed."""
    if claim.review is None:
        if office.paper_approvals:
            return "paper", None
        return "paper", _refused(claim, "KS311", f"{claim.by} ไม่ได้อ้างการอนุมัติบน GitHub")
    ref = review_ref(claim.review)
    why = _mismatch(claim, office, repository, ref, review, digest_at_review)
    return "review", (_refused(claim, "KS615", why) if why else None)


def _mismatch(
    claim: Claim,
    office: Office,
    repository: str,
    ref: ReviewRef | None,
    review: Review | None,
    digest_at_review: str | None,
) -> str | None:
    """What does not hold, in Thai; None when the review backs the act."""
    if ref is None or ref.repository != repository.lower():
        return f"{claim.review} ไม่ใช่การอนุมัติในคลัง {repository}"
    if review is None or review.id != ref.id:
        return f"ไม่พบการอนุมัติ #{ref.id} ในคำขอ #{ref.pull}"
    person = office.person_for_login(review.login)
    if person is None or person.id != claim.by:
        return f"การอนุมัติ #{ref.id} เป็นของ @{review.login} ไม่ใช่ {claim.by}"
    if review.state != "APPROVED":
        return f"การอนุมัติ #{ref.id} อยู่ในสถานะ {review.state} ไม่ใช่ APPROVED"
    if claim.at is not None and not given_at_review_time(claim.at, review):
        recorded = recorded_time(review.submitted_at) if review.submitted_at else "–"
        return f"เวลาที่บันทึก {claim.at} ไม่ตรงกับเวลาที่อนุมัติ {recorded}"
    if digest_at_review is None or claim.digest not in (None, digest_at_review):
        return f"การอนุมัติ #{ref.id} ให้กับเนื้อหาฉบับอื่น ไม่ใช่ฉบับที่บันทึกไว้"
    return None


def _refused(claim: Claim, code: str, detail: str) -> Problem:
    return problem(code, claim.path, where=claim.where, detail=detail)
