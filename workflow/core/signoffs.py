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
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from workflow.core.problems import Problem, problem
from workflow.core.rules import written_at
from workflow.core.structure import STEP_LABELS, Item, Office, Person
from workflow.core.thaitime import parse_time

REQUIRED_STEPS: dict[str, tuple[str, ...]] = {
    "news": ("facts", "check"),
    "disclosure": ("content", "permit"),
    "clipping": ("check",),
}
ADMIN_GROUP = "admin"

StepStatus = Literal["signed", "stale", "missing"]


@dataclass(frozen=True)
class Eligibility:
    rule: str  # Thai: who may sign
    allows: Callable[[Person], bool]


def _executive(p: Person) -> bool:
    return p.has("director") or p.has("deputy-director")


def _scope(step: str, item: Item, office: Office) -> str | None:
    """What, besides the step, the rule depends on: the topic group, or the requester's group."""
    if step == "facts":
        return str(item.data.get("topic_group", ""))
    if step == "content":
        requester = office.person(str(item.data.get("requester", "")))
        return requester.group if requester else ""
    return None


def eligibility(step: str, item: Item, office: Office) -> Eligibility:
    """The rule for one step of one item, in words and as a predicate (memoised per office)."""
    key = ("rule", step, _scope(step, item, office))
    found = office.memo.get(key)
    if found is None:
        found = office.memo[key] = _eligibility(step, item, office)
    return found


def eligible_people(step: str, item: Item, office: Office) -> tuple[str, ...]:
    """Ids of everyone who may sign this step of this item (its owner never)."""
    key = ("people", step, _scope(step, item, office), item.owner)
    found = office.memo.get(key)
    if found is None:
        rule = eligibility(step, item, office)
        found = office.memo[key] = tuple(p.id for p in office.people.values() if rule.allows(p) and p.id != item.owner)
    return found


def _eligibility(step: str, item: Item, office: Office) -> Eligibility:
    if step == "facts":
        group = str(item.data.get("topic_group", ""))
        name = office.groups.get(group, group)
        return Eligibility(
            f"บุคลากรของ{name} (กลุ่มเจ้าของเรื่อง) หรือผู้บริหาร สพท.", lambda p: p.group == group or _executive(p)
        )
    if step == "check":
        admin = office.groups.get(ADMIN_GROUP, "กลุ่มอำนวยการ")
        return Eligibility(
            f"ผู้อำนวยการ{admin} รองผู้อำนวยการ หรือผู้อำนวยการ สพท.",
            lambda p: (p.has("group-director") and p.group == ADMIN_GROUP) or _executive(p),
        )
    if step == "content":
        requester = office.person(str(item.data.get("requester", "")))
        group = requester.group if requester else ""
        name = office.groups.get(group, group or "กลุ่มของผู้ขอ")
        return Eligibility(f"ผู้อำนวยการ{name} (กลุ่มของผู้ขอเผยแพร่)", lambda p: p.has("group-director") and p.group == group)
    if step == "permit":
        return Eligibility("ผู้อำนวยการ สพท. หรือรองผู้อำนวยการที่ปฏิบัติราชการแทน", _executive)
    return Eligibility("", lambda p: False)


def may_order_urgent(p: Person) -> bool:
    return _executive(p) or (p.has("group-director") and p.group == ADMIN_GROUP)


@dataclass(frozen=True)
class StepState:
    step: str
    status: StepStatus
    by: str | None
    at: datetime | None
    rule: str
    eligible: tuple[str, ...]

    @property
    def label(self) -> str:
        return STEP_LABELS.get(self.step, self.step)


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


def evaluate(
    item: Item, office: Office, digest: str, *, now: datetime, publish: bool, written_at: datetime | None
) -> Signoffs:
    """Check each recorded approval and add them up per required step."""
    required = REQUIRED_STEPS.get(item.kind, ())
    problems: list[Problem] = []
    valid: dict[str, list[tuple[int, dict[str, Any], datetime]]] = {step: [] for step in required}
    for index, approval in enumerate(item.approvals):
        here = ("approvals", index)
        step, by = approval.get("step"), approval.get("by")
        if step not in required:
            problems.append(problem("KS307", item.path, where=(*here, "step"), detail=f"{step} ใช้กับ{item.kind}ไม่ได้"))
            continue
        person = office.person(str(by))
        if person is None:
            problems.append(problem("KS201", item.path, detail=str(by), where=(*here, "by")))
            continue
        if by == item.owner:
            problems.append(problem("KS302", item.path, where=(*here, "by"), detail=f"{person.name} เป็นเจ้าของรายการนี้"))
            continue
        rule = eligibility(step, item, office)
        if not rule.allows(person):
            problems.append(
                problem(
                    "KS301",
                    item.path,
                    where=(*here, "by"),
                    detail=f"{person.name} ({person.position}) ลงนามขั้น {STEP_LABELS[step]} ไม่ได้",
                    hint=f"ขั้นนี้ต้องลงนามโดย{rule.rule}",
                )
            )
            continue
        try:
            at = parse_time(approval.get("at", ""))
        except (ValueError, TypeError):
            continue  # reported by the time rule
        if written_at is not None and at < written_at:
            problems.append(problem("KS306", item.path, where=(*here, "at")))
            continue
        if at > now:
            problems.append(problem("KS212", item.path, where=(*here, "at")))
            continue
        valid[step].append((index, approval, at))

    urgent = _urgent(item, office, problems)
    states: list[StepState] = []
    for step in required:
        rule = eligibility(step, item, office)
        eligible = eligible_people(step, item, office)
        current = [v for v in valid[step] if v[1].get("digest") == digest]
        if current:
            _, approval, at = max(current, key=lambda v: v[2])
            states.append(StepState(step, "signed", approval["by"], at, rule.rule, eligible))
        elif valid[step]:
            index, approval, at = max(valid[step], key=lambda v: v[2])
            states.append(StepState(step, "stale", approval["by"], at, rule.rule, eligible))
            problems.append(
                problem(
                    "KS304",
                    item.path,
                    where=("approvals", index, "digest"),
                    severity="error" if publish and not urgent else "warning",
                    detail=f"ขั้น {STEP_LABELS[step]} โดย {approval['by']}",
                )
            )
        else:
            states.append(StepState(step, "missing", None, None, rule.rule, eligible))

    for earlier, later in itertools.pairwise(states):
        if (
            earlier.at
            and later.at
            and later.status == "signed"
            and earlier.status == "signed"
            and later.at < earlier.at
        ):
            problems.append(
                problem("KS303", item.path, where=("approvals",), detail=f"{later.label} ก่อน {earlier.label}")
            )

    if publish:
        for state in states:
            if state.status == "missing":
                problems.append(
                    problem(
                        "KS309" if urgent else "KS305",
                        item.path,
                        where=("approvals",),
                        severity="warning" if urgent else "error",
                        detail=f"ขั้น {state.label}",
                        hint=f"ผู้ลงนามได้: {state.rule}",
                    )
                )
    return Signoffs(tuple(states), tuple(problems), urgent)


# What `check` says against one approval itself (as opposed to the item as a whole).
REFUSED = frozenset({"KS201", "KS212", "KS301", "KS302", "KS306", "KS307"})


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


def _urgent(item: Item, office: Office, problems: list[Problem]) -> bool:
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
    return True
