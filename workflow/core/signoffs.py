"""Who must sign what, who may, and what the recorded approvals add up to.

The manual's rules (DOMAIN.md, "Required sign-offs"): news needs `facts` (the
topic group confirms) then `check` (admin group director, a deputy or the
director); a disclosure needs `content` (the requester's own group director)
then `permit` (the director, or a deputy on the director's behalf). Clippings,
which the site publishes with the office's assessment, need a `check`.
Nobody signs their own item, and an approval is only for the digest it saw.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from workflow.core.problems import Problem, Severity, problem
from workflow.core.rules import written_at
from workflow.core.structure import Item, Office, Person, Signers
from workflow.core.thaitime import parse_time, year_in_range
from workflow.core.vocabulary import STEP

REQUIRED_STEPS: dict[str, tuple[str, ...]] = {
    "news": ("facts", "check"),
    "disclosure": ("content", "permit"),
    "clipping": ("check",),
}
STEPS = tuple(dict.fromkeys(step for steps in REQUIRED_STEPS.values() for step in steps))
ADMIN_GROUP = "admin"

StepStatus = Literal["signed", "stale", "missing"]


def _executive(p: Person) -> bool:
    return p.has("director") or p.has("deputy-director")


def _scope(step: str, item: Item, office: Office) -> str:
    """What, besides the step, the rule depends on: the topic group, or the requester's group."""
    if step == "facts":
        return str(item.data.get("topic_group", ""))
    if step == "content":
        requester = office.person(str(item.data.get("requester", "")))
        return requester.group if requester else ""
    return ""


def _rule(step: str, group: str, groups: dict[str, str]) -> tuple[str, Callable[[Person], bool]]:
    """The manual's rule for one step in one scope: in words, and as a predicate."""
    if step == "facts":
        name = groups.get(group, group)
        return f"บุคลากรของ{name} (กลุ่มเจ้าของเรื่อง) หรือผู้บริหาร สพท.", lambda p: p.group == group or _executive(p)
    if step == "check":
        admin = groups.get(ADMIN_GROUP, "กลุ่มอำนวยการ")
        return (
            f"ผู้อำนวยการ{admin} รองผู้อำนวยการ หรือผู้อำนวยการ สพท.",
            lambda p: (p.has("group-director") and p.group == ADMIN_GROUP) or _executive(p),
        )
    if step == "content":
        name = groups.get(group, group or "กลุ่มของผู้ขอ")
        return f"ผู้อำนวยการ{name} (กลุ่มของผู้ขอเผยแพร่)", lambda p: p.has("group-director") and p.group == group
    if step == "permit":
        return "ผู้อำนวยการ สพท. หรือรองผู้อำนวยการที่ปฏิบัติราชการแทน", _executive
    return "", lambda p: False


def _signers(step: str, group: str, groups: dict[str, str], people: dict[str, Person]) -> Signers:
    rule, allows = _rule(step, group, groups)
    return Signers(rule, tuple(p.id for p in people.values() if allows(p)))


GROUP_STEPS = ("facts", "content")  # steps whose signers depend on a group


def signer_table(groups: dict[str, str], people: dict[str, Person]) -> dict[tuple[str, str], Signers]:
    """Who may give each step, per group where the step depends on one: computed once per office."""
    return {
        (step, group): _signers(step, group, groups, people)
        for step in STEPS
        for group in ((*groups, "") if step in GROUP_STEPS else ("",))
    }


def eligibility(step: str, item: Item, office: Office) -> Signers:
    """Who may give one step of one item: the office's table (a group it does not know: worked out here)."""
    scope = _scope(step, item, office)
    found = office.signers.get((step, scope))
    return found if found is not None else _signers(step, scope, office.groups, office.people)


def eligible_people(step: str, item: Item, office: Office) -> tuple[str, ...]:
    """Ids of everyone who may sign this step of this item (its owner never)."""
    return tuple(p for p in eligibility(step, item, office).people if p != item.owner)


def may_order_urgent(p: Person) -> bool:
    """Who may release before the last sign-off, or take a page down: those who may give the last step."""
    return _executive(p) or (p.has("group-director") and p.group == ADMIN_GROUP)


@dataclass(frozen=True)
class StepState:
    step: str
    status: StepStatus
    by: str | None
    at: datetime | None
    rule: str
    eligible: tuple[str, ...]
    label: str = ""  # the step's Thai label (the schema's `x-labels`)


@dataclass(frozen=True)
class Signoffs:
    steps: tuple[StepState, ...]
    problems: tuple[Problem, ...]
    urgent: bool

    @property
    def complete(self) -> bool:
        return all(s.status == "signed" for s in self.steps)

    @property
    def publishable(self) -> bool:
        """Fully signed, or released urgently (flagged until signed)."""
        return self.complete or self.urgent


Valid = tuple[int, dict[str, Any], datetime]  # an approval that counts: its index, itself, its time


def evaluate(
    item: Item, office: Office, digest: str, *, now: datetime, publish: bool, written_at: datetime | None
) -> Signoffs:
    """Check each recorded approval and add them up per required step."""
    required = REQUIRED_STEPS.get(item.kind, ())
    problems: list[Problem] = []
    valid: dict[str, list[Valid]] = {step: [] for step in required}
    for index, approval in enumerate(item.approvals):
        counted = _approval(item, office, index, approval, required, now, written_at, problems)
        if counted is not None:
            valid[str(approval.get("step"))].append(counted)
    urgent = _urgent(item, office, digest, problems)
    stale_severity: Severity = "error" if publish and not urgent else "warning"
    states: list[StepState] = []
    for step in required:
        others = _by_others(item, office, valid[step], states, problems)
        states.append(_state(item, office, step, others, digest, stale_severity, problems))
    for earlier, later in itertools.pairwise(states):
        if earlier.status == later.status == "signed" and earlier.at and later.at and later.at < earlier.at:
            problems.append(
                problem("KS303", item.path, where=("approvals",), detail=f"{later.label} ก่อน {earlier.label}")
            )
    if publish:
        problems.extend(_missing(item, states, urgent))
    problems.extend(_withdrawal(item, office))
    return Signoffs(tuple(states), tuple(problems), urgent)


def _approval(
    item: Item,
    office: Office,
    index: int,
    approval: dict[str, Any],
    required: tuple[str, ...],
    now: datetime,
    written_at: datetime | None,
    problems: list[Problem],
) -> Valid | None:
    """One recorded approval: what is wrong with it (into `problems`), or it as it counts."""
    here = ("approvals", index)
    step, by = approval.get("step"), approval.get("by")
    if step not in required:
        problems.append(problem("KS307", item.path, where=(*here, "step"), detail=f"{step} ใช้กับ{item.kind}ไม่ได้"))
        return None
    person = office.person(str(by))
    if person is None:
        problems.append(problem("KS201", item.path, detail=str(by), where=(*here, "by")))
        return None
    if by == item.owner:
        problems.append(problem("KS302", item.path, where=(*here, "by"), detail=f"{person.name} เป็นเจ้าของรายการนี้"))
        return None
    rule = eligibility(step, item, office)
    if not rule.allows(person):
        label = office.vocabulary.label(STEP, step)
        problems.append(
            problem(
                "KS301",
                item.path,
                where=(*here, "by"),
                detail=f"{person.name} ({person.position}) ลงนามขั้น {label} ไม่ได้",
                hint=f"ขั้นนี้ต้องลงนามโดย{rule.rule}",
            )
        )
        return None
    if given_on_paper(approval) and not office.paper_approvals:
        label = office.vocabulary.label(STEP, step)
        problems.append(problem("KS311", item.path, where=here, detail=f"ขั้น {label} โดย {person.name}"))
        return None
    try:
        at = parse_time(approval.get("at", ""))
    except (ValueError, TypeError):
        return None  # reported by the time rule
    if not year_in_range(at.year, now):
        return None  # a Buddhist-Era year, say: reported by the time rule (KS215, KS216), counts for nothing
    if written_at is not None and at < written_at:
        problems.append(problem("KS306", item.path, where=(*here, "at")))
        return None
    if at > now:
        problems.append(problem("KS212", item.path, where=(*here, "at")))
        return None
    return index, approval, at


def _by_others(
    item: Item, office: Office, valid: list[Valid], earlier: list[StepState], problems: list[Problem]
) -> list[Valid]:
    """Two people (DOMAIN.md, "Decisions since"): an approval by someone who signed an earlier step
    of this item does not count for this one, even when that person is eligible for both."""
    signed = {s.by: s.label for s in earlier if s.status == "signed" and s.by}
    kept = []
    for index, approval, at in valid:
        by = str(approval.get("by"))
        if by not in signed:
            kept.append((index, approval, at))
            continue
        person = office.person(by)
        name = person.name if person else by
        label = office.vocabulary.label(STEP, str(approval.get("step")))
        problems.append(
            problem(
                "KS310",
                item.path,
                where=("approvals", index, "by"),
                detail=f"{name} ลงนามขั้น {signed[by]} แล้ว จึงลงนามขั้น {label} อีกไม่ได้",
            )
        )
    return kept


def _state(
    item: Item,
    office: Office,
    step: str,
    valid: list[Valid],
    digest: str,
    stale_severity: Severity,
    problems: list[Problem],
) -> StepState:
    """One required step: signed for this digest, signed for an older one (stale), or missing."""
    rule = eligibility(step, item, office)
    eligible = eligible_people(step, item, office)
    label = office.vocabulary.label(STEP, step)
    current = [v for v in valid if v[1].get("digest") == digest]
    if current:
        _, approval, at = max(current, key=lambda v: v[2])
        return StepState(step, "signed", approval["by"], at, rule.rule, eligible, label)
    if valid:
        index, approval, at = max(valid, key=lambda v: v[2])
        problems.append(
            problem(
                "KS304",
                item.path,
                where=("approvals", index, "digest"),
                severity=stale_severity,
                detail=f"ขั้น {label} โดย {approval['by']}",
            )
        )
        return StepState(step, "stale", approval["by"], at, rule.rule, eligible, label)
    return StepState(step, "missing", None, None, rule.rule, eligible, label)


def _missing(item: Item, states: list[StepState], urgent: bool) -> list[Problem]:
    """KS305 (KS309 when released urgently) for each step nobody has signed."""
    return [
        problem(
            "KS309" if urgent else "KS305",
            item.path,
            where=("approvals",),
            severity="warning" if urgent else "error",
            detail=f"ขั้น {state.label}",
            hint=f"ผู้ลงนามได้: {state.rule}",
        )
        for state in states
        if state.status == "missing"
    ]


# What `check` says against one approval itself (as opposed to the item as a whole).
REFUSED = frozenset({"KS201", "KS212", "KS301", "KS302", "KS306", "KS307", "KS310", "KS311"})


def with_approval(
    item: Item, office: Office, digest: str, approval: dict[str, Any], *, now: datetime
) -> tuple[Item, Signoffs, list[Problem]]:
    """The item with one more approval, what its approvals then add up to, and what `check`
    would reject in that approval: `khaosan approve` and `pr-record` refuse with the same codes."""
    approvals = [*item.approvals, approval]
    new_item = replace(item, data={**item.data, "approvals": approvals})
    result = evaluate(new_item, office, digest, now=now, publish=False, written_at=written_at(new_item))
    here = ("approvals", len(approvals) - 1)
    refused = [p for p in result.problems if p.code in REFUSED and p.where is not None and p.where[:2] == here]
    return new_item, result, refused


# The acts besides sign-offs that a person gives about an item, by front matter key, as people name them.
ORDERS = {"urgent": "คำสั่งเผยแพร่ด่วน", "withdrawn": "การถอนการเผยแพร่"}


def given_on_paper(record: Mapping[str, Any]) -> bool:
    """A sign-off or an order that names no GitHub review: given outside GitHub, which counts only
    where office.yml allows paper (DOMAIN.md, "Acts are backed"); `verify` checks the ones that name one."""
    return not isinstance(record.get("review"), str)


def _urgent(item: Item, office: Office, digest: str, problems: list[Problem]) -> bool:
    urgent = item.data.get("urgent")
    if not isinstance(urgent, dict):
        return False
    person = office.person(str(urgent.get("by", "")))
    if person is None:  # KS201: reported once, by the rule for every person field (rules._people)
        return False
    if not may_order_urgent(person):
        problems.append(
            problem("KS308", item.path, where=("urgent", "by"), detail=f"{person.name} ({person.position})")
        )
        return False
    # An order that does not count leaves the item unreleased: its missing steps are the errors (KS305).
    if urgent.get("digest", digest) != digest:  # ordered for other content: a changed item needs a new order
        problems.append(problem("KS304", item.path, where=("urgent",), severity="warning", detail=ORDERS["urgent"]))
        return False
    if given_on_paper(urgent) and not office.paper_approvals:  # typed, not yet backed by the giver's review
        problems.append(problem("KS311", item.path, where=("urgent",), severity="warning", detail=person.name))
        return False
    return True


def _withdrawal(item: Item, office: Office) -> list[Problem]:
    """KS312: a withdrawal is an order too (DOMAIN.md, "Acts are backed"): only those who may order
    urgent publication may take a page down; KS311 when it names no review and paper is not allowed."""
    withdrawn = item.data.get("withdrawn")
    person = office.person(str(withdrawn.get("by", ""))) if isinstance(withdrawn, dict) else None
    if withdrawn is None or person is None:
        return []  # no withdrawal, or KS201 from the rule for every person field
    if not may_order_urgent(person):
        return [problem("KS312", item.path, where=("withdrawn", "by"), detail=f"{person.name} ({person.position})")]
    if given_on_paper(withdrawn) and not office.paper_approvals:
        return [problem("KS311", item.path, where=("withdrawn",), severity="warning", detail=person.name)]
    return []
