"""Build the typed `Office` from `office.yml` data that passed its schema."""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow.core.pdpa import allowed_contacts
from workflow.core.problems import Problem, problem
from workflow.core.rules import year_problem
from workflow.core.signoffs import signer_table
from workflow.core.social import social_settings
from workflow.core.structure import (
    DEFAULT_ATTACHMENT_TYPES,
    DEFAULT_MAX_BYTES,
    AttachmentPolicy,
    Contact,
    DeadlineRule,
    EditorSettings,
    Office,
    Person,
    Standard,
)
from workflow.core.thaitime import parse_date
from workflow.core.vocabulary import Vocabulary

OFFICE_FILE = "office.yml"

# The manual's numbers (DOMAIN.md): what an office gets if it says nothing.
DEFAULT_STANDARDS: dict[str, Standard] = {
    "meeting": Standard("เผยแพร่ภายใน 3 ชั่วโมงหลังการประชุมเสร็จ", publish=DeadlineRule("ends_at", 3)),
    "inspection": Standard("เผยแพร่ภายใน 24 ชั่วโมงหลังการตรวจราชการเสร็จ", publish=DeadlineRule("ends_at", 24)),
    "press-conference": Standard(
        "จัดทำเสร็จก่อนแถลงข่าว 3 ชั่วโมง และเผยแพร่ภายใน 1 ชั่วโมงหลังเริ่มแถลง",
        produce=DeadlineRule("starts_at", -3),
        publish=DeadlineRule("starts_at", 1),
    ),
    "general": Standard("ไม่มีมาตรฐานเวลา"),
}


def _deadline(data: dict[str, Any] | None) -> DeadlineRule | None:
    return DeadlineRule(data["from"], float(data["hours"])) if data else None


def build_office(data: dict[str, Any], vocabulary: Vocabulary | None = None) -> tuple[Office, list[Problem]]:
    """The typed office, parsed once: every answer that depends only on office.yml is computed here."""
    adopted = year_problem(data["office"].get("adopted"), OFFICE_FILE, ("office", "adopted"))  # KS215, KS216
    problems: list[Problem] = [adopted] if adopted else []
    groups = _groups(data["groups"], problems)
    people = _people(data["people"], groups, problems)
    if not any(p.has("director") for p in people.values()):
        problems.append(problem("KS403", OFFICE_FILE, where=("people",)))
    standards = dict(DEFAULT_STANDARDS)
    for news_type, std in (data.get("time_standards") or {}).items():
        standards[news_type] = Standard(
            std.get("label", ""), _deadline(std.get("produce")), _deadline(std.get("publish"))
        )
    info = data["office"]
    contact = Contact(info.get("address", ""), tuple(info.get("phone") or ()), tuple(info.get("email") or ()))
    office = Office(
        name=info["name"],
        short_name=info["short_name"],
        site_url=info["site_url"],
        groups=groups,
        people=people,
        standards=standards,
        channels={c["id"]: c["name"] for c in data["channels"]},
        date_digits=info.get("date_digits", "arabic"),
        contact=contact,
        attachments=_attachments(data.get("attachments") or {}),
        allowed_contacts=allowed_contacts((*contact.phone, *contact.email, *(info.get("allowed_contacts") or ()))),
        paper_approvals=bool((data.get("signoffs") or {}).get("paper", False)),
        adopted=_adopted(info.get("adopted")),
        online_services=_services(data.get("online_services") or [], problems),
        reporter=_signer(data, "reporter", people, problems),
        certifier=_signer(data, "certifier", people, problems),
        editor=EditorSettings(**data["editor"]) if data.get("editor") else None,
        social=social_settings(data.get("social")),
        vocabulary=vocabulary or Vocabulary(),
        signers=signer_table(groups, people),
        logins={p.github.lower(): p.id for p in people.values() if p.github},
    )
    return office, problems


def _services(entries: list[dict[str, Any]], problems: list[Problem]) -> dict[str, tuple[str, str]]:
    services: dict[str, tuple[str, str]] = {}
    for index, entry in enumerate(entries):
        if entry["id"] in services:
            where = ("online_services", index, "id")
            problems.append(problem("KS401", OFFICE_FILE, detail=entry["id"], where=where))
        services[entry["id"]] = (entry["name"], entry["url"])
    return services


def _signer(data: dict[str, Any], role: str, people: dict[str, Person], problems: list[Problem]) -> str | None:
    """reports.reporter / reports.certifier: a person of the office (KS254 otherwise)."""
    person_id = (data.get("reports") or {}).get(role)
    if person_id is not None and person_id not in people:
        problems.append(problem("KS254", OFFICE_FILE, detail=person_id, where=("reports", role)))
        return None
    return str(person_id) if person_id is not None else None


def _adopted(value: Any) -> date | None:
    """office.adopted (the schema checks its form; a date that does not exist is treated as absent)."""
    try:
        return parse_date(str(value)) if value else None
    except ValueError:
        return None


def _groups(entries: list[dict[str, Any]], problems: list[Problem]) -> dict[str, str]:
    groups: dict[str, str] = {}
    for index, group in enumerate(entries):
        if group["id"] in groups:
            problems.append(problem("KS401", OFFICE_FILE, detail=group["id"], where=("groups", index, "id")))
        groups[group["id"]] = group["name"]
    return groups


def _people(entries: list[dict[str, Any]], groups: dict[str, str], problems: list[Problem]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    logins: set[str] = set()
    for index, p in enumerate(entries):
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
    return people


def _attachments(block: dict[str, Any]) -> AttachmentPolicy:
    types = block.get("allowed_types")
    size = block.get("max_bytes")
    return AttachmentPolicy(
        frozenset(types) if isinstance(types, list) else frozenset(DEFAULT_ATTACHMENT_TYPES),
        int(size) if isinstance(size, int) and not isinstance(size, bool) else DEFAULT_MAX_BYTES,
    )
