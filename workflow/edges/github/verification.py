"""The acts recorded in items, held against the reviews they name (core/verification.py).

One request lists a pull request's reviews (kept for every act naming it); the
item's digest at a review's commit is read through the contents API, as
`pr-check` reads it. A pull request or review GitHub does not have is an act
nobody can show, not a failure of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from workflow.core.problems import Problem
from workflow.core.reviews import Review, reviews_from_api
from workflow.core.structure import Item, Office
from workflow.core.verification import Claim, claims, judge, review_ref
from workflow.edges.github.client import GitHub, GitHubError, NotAFile
from workflow.edges.github.pull_request import Snapshot


@dataclass
class Verification:
    problems: list[Problem] = field(default_factory=list)
    backed: list[Claim] = field(default_factory=list)  # held against their review, and true
    paper: list[Claim] = field(default_factory=list)  # given on paper, where office.yml allows it
    items: int = 0


@dataclass
class _Reader:
    """GitHub, connected on first use; each pull request's reviews and each file version read once."""

    connect: Callable[[], GitHub]
    _pulls: dict[int, dict[int, Review]] = field(default_factory=dict)
    _snapshot: Snapshot | None = None

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            self._snapshot = Snapshot(self.connect())
        return self._snapshot

    def review(self, pull: int, review_id: int) -> Review | None:
        if pull not in self._pulls:
            try:
                self._pulls[pull] = {r.id: r for r in reviews_from_api(self.snapshot.github.pull_reviews(pull))}
            except GitHubError as exc:
                if exc.status != 404:
                    raise
                self._pulls[pull] = {}  # no such pull request here
        return self._pulls[pull].get(review_id)

    def digest_at(self, path: str, commit: str) -> str | None:
        try:
            return self.snapshot.digest(path, commit)
        except NotAFile:
            return None


def verify_items(
    connect: Callable[[], GitHub], repository: str, office: Office, items: Iterable[tuple[Item, str]]
) -> Verification:
    """Every act recorded in `items` (each with its digest as it is), judged against GitHub, which is
    connected to (`connect`) only when some act names a review: paper needs no token."""
    result = Verification()
    github = _Reader(connect)
    for item, digest in items:
        result.items += 1
        for claim in claims(item, digest):
            review, at_review = None, None
            ref = review_ref(claim.review) if claim.review else None
            if ref is not None and ref.repository == repository.lower():
                review = github.review(ref.pull, ref.id)
            if review is not None and review.commit_id:
                at_review = github.digest_at(item.path, review.commit_id)
            outcome, refused = judge(claim, office, repository, review, at_review)
            if refused is not None:
                result.problems.append(refused)
            elif outcome == "paper":
                result.paper.append(claim)
            else:
                result.backed.append(claim)
    return result
