"""Build the typed `Office` from `office.yml` data that passed its schema."""

from __future__ import annotations

from typing import Any

from workflow.core.problems import Problem, problem
from workflow.core.structure import Deadline, Office, Person, Standard

OFFICE_FILE = "office.yml"

# The manual's numbers (DOMAIN.md): what an office gets if it says nothing.
DEFAULT_STANDARDS: dict[str, Standard] = {
    "meeting": Standard("เผยแพร่ภายใน 3 ชั่วโมงหลังการประชุมเสร็จ", publish=Deadline("ends_at", 3)),
    "inspection": Standard("เผยแพร่ภายใน 24 ชั่วโมงหลังการตรวจราชการเสร็จ", publish=Deadline("ends_at", 24)),
    "press-conference": Standard(
        "จัดทำเสร็จก่อนแถลงข่าว 3 ชั่วโมง และเผยแพร่ภายใน 1 ชั่วโมงหลังเริ่มแถลง",
        produce=Deadline("starts_at", -3),
        publish=Deadline("starts_at", 1),
    ),
    "general": Standard("ไม่มีมาตรฐานเวลา"),
}


def _deadline(data: dict[str, Any] | None) -> Deadline | None:
    return Deadline(data["from"], float(data["hours"])) if data else None


def build_office(data: dict[str, Any]) -> tuple[Office, list[Problem]]:
    problems: list[Problem] = []
    groups: dict[str, str] = {}
    for index, group in enumerate(data["groups"]):
        if group["id"] in groups:
            problems.append(problem("KS401", OFFICE_FILE, detail=group["id"], where=("groups", index, "id")))
        groups[group["id"]] = group["name"]
    people: dict[str, Person] = {}
    logins: set[str] = set()
    for index, p in enumerate(data["people"]):
        if p["id"] in people:
            problems.append(problem("KS401", OFFICE_FILE, detail=p["id"], where=("people", index, "id")))
        if p["group"] not in groups:
            problems.append(problem("KS402", OFFICE_FILE, detail=p["group"], where=("people", index, "group")))
        login = p.get("github")
        if login:
            if login.lower() in logins:
                problems.append(problem("KS401", OFFICE_FILE, detail=login, where=("people", index, "github")))
            logins.add(login.lower())
        people[p["id"]] = Person(p["id"], p["name"], p["position"], p["group"], frozenset(p["roles"]), login)
    if not any(p.has("director") for p in people.values()):
        problems.append(problem("KS403", OFFICE_FILE, where=("people",)))
    standards = dict(DEFAULT_STANDARDS)
    for news_type, std in (data.get("time_standards") or {}).items():
        standards[news_type] = Standard(
            std.get("label", ""), _deadline(std.get("produce")), _deadline(std.get("publish"))
        )
    info = data["office"]
    office = Office(
        name=info["name"],
        short_name=info["short_name"],
        site_url=info["site_url"],
        groups=groups,
        people=people,
        standards=standards,
        channels={c["id"]: c["name"] for c in data["channels"]},
        date_digits=info.get("date_digits", "arabic"),
        raw=data,
    )
    return office, problems
