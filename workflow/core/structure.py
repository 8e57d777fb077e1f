"""The domain model: the office, its people, and one content item.

Built from data that already passed its schema, so constructors trust shapes
and only cross-reference checks remain (in `office.py` and `rules.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from workflow.core.pdpa import Allowed
from workflow.core.social import SocialSettings
from workflow.core.thaitime import BANGKOK, be_year
from workflow.core.vocabulary import Vocabulary

KINDS = ("news", "disclosure", "clipping")
KIND_FOLDER = {"news": "news", "disclosure": "disclosures", "clipping": "clippings"}

# Where a new item goes (`khaosan new`, and the browser editor's script, which is given these
# templates): its folder under content/ and its slug, from the kind, the item's values and the
# moment it is made in Bangkok time. `{be_year}` is that moment's Buddhist-Era year, `{name}` the
# item's value of that field; the slug is the stem, "-" and the moment as NEW_ITEM_STAMP writes it.
NEW_ITEM_FOLDER = {"news": "news/{be_year}", "disclosure": "disclosures/{category}", "clipping": "clippings/{be_year}"}
NEW_ITEM_STEM = {"news": "{news_type}", "disclosure": "{category}", "clipping": "clipping"}
NEW_ITEM_STAMP = "%Y%m%d-%H%M"


def new_item_place(kind: str, values: Mapping[str, Any], moment: datetime) -> tuple[str, str]:
    """(folder under content/, slug) for a new item of `kind` made at `moment`, e.g.
    ("news/2569", "meeting-20261125-2100")."""
    local = moment.astimezone(BANGKOK)
    fill = {k: v for k, v in values.items() if isinstance(v, str)} | {"be_year": str(be_year(local))}
    stem = NEW_ITEM_STEM[kind].format_map(fill)
    return NEW_ITEM_FOLDER[kind].format_map(fill), f"{stem}-{local.strftime(NEW_ITEM_STAMP)}"


# Front matter keys that record the process, not the content (DOMAIN.md):
# left out of the digest so that recording a sign-off does not change it.
# `ita` (the OIT items an item is evidence for) is how the office files it for the assessment, not what an
# approver read: tagging last year's signed plan changes no digest and stales no sign-off.
PROCESS_KEYS = frozenset({"approvals", "channels", "webmaster", "live_check", "urgent", "withdrawn", "ita"})

# What an office may attach when office.yml says nothing (docs/safety.md).
DEFAULT_ATTACHMENT_TYPES = ("pdf", "docx", "xlsx", "pptx", "jpeg", "png", "gif", "webp")
DEFAULT_MAX_BYTES = 30 * 1024 * 1024


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    position: str
    group: str
    roles: frozenset[str]
    github: str | None = None

    def has(self, role: str) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class DeadlineRule:
    """The office's rule for one stage: due `hours` after the event's `anchor` (applied: `deadlines.Deadline`)."""

    anchor: str  # "starts_at" | "ends_at"
    hours: float


@dataclass(frozen=True)
class Standard:
    label: str = ""
    produce: DeadlineRule | None = None
    publish: DeadlineRule | None = None


@dataclass(frozen=True)
class AttachmentPolicy:
    """Which file types (by content) an office publishes, and how big (office.yml `attachments`)."""

    allowed_types: frozenset[str] = frozenset(DEFAULT_ATTACHMENT_TYPES)
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class EditorSettings:
    """office.yml `editor`: the browser editor at /admin/ and the repository it writes to."""

    repo: str
    branch: str = "main"
    api_root: str | None = None  # GitHub Enterprise Server's API; None = github.com
    base_url: str | None = None  # the OAuth relay; None = Decap's default
    auth_endpoint: str | None = None
    local_backend: str = "http://localhost:8081/api/v1"


@dataclass(frozen=True)
class Contact:
    """The office's own public address, telephone numbers and e-mail addresses."""

    address: str = ""
    phone: tuple[str, ...] = ()
    email: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signers:
    """Who may give one sign-off step in one scope (a group, or the whole office)."""

    rule: str  # Thai: who may sign, as a person reads it
    people: tuple[str, ...]  # their ids, in office.yml's order

    def allows(self, person: Person) -> bool:
        return person.id in self.people


# (step, scope) -> Signers; the scope is the group a step depends on, "" when none.
SignerTable = Mapping[tuple[str, str], Signers]


@dataclass(frozen=True)
class Office:
    name: str
    short_name: str
    site_url: str
    groups: dict[str, str]
    people: dict[str, Person]
    standards: dict[str, Standard]
    channels: dict[str, str]
    date_digits: str = "arabic"
    contact: Contact = field(default_factory=Contact)
    attachments: AttachmentPolicy = field(default_factory=AttachmentPolicy)
    allowed_contacts: Allowed = field(default_factory=Allowed)
    paper_approvals: bool = False  # office.yml signoffs.paper: sign-offs given outside GitHub may be recorded
    adopted: date | None = None  # office.yml office.adopted: the day Khaosan began (core/earlier.py)
    # office.yml online_services: id -> (Thai name, URL), what a static site cannot host (core/ita.py)
    online_services: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    reporter: str | None = None  # office.yml reports.reporter: signs the reports the office files
    certifier: str | None = None  # office.yml reports.certifier
    editor: EditorSettings | None = None  # office.yml editor: /admin/ on the site; None = no editor
    social: SocialSettings = field(default_factory=SocialSettings)  # office.yml social: (core/social.py)
    vocabulary: Vocabulary = field(default_factory=Vocabulary, compare=False, repr=False)
    signers: SignerTable = field(default_factory=dict, compare=False, repr=False)
    logins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)  # lower-case login -> id

    def person(self, person_id: str) -> Person | None:
        return self.people.get(person_id)

    def person_for_login(self, login: str) -> Person | None:
        """The person whose GitHub login this is (logins compare case-insensitively)."""
        person_id = self.logins.get(login.lower())
        return self.people.get(person_id) if person_id else None


@dataclass(frozen=True)
class Item:
    """One parsed content file. `data` is the front matter as loaded."""

    id: str
    path: str  # repository-relative, e.g. content/news/2569/x.md
    data: dict[str, Any]
    body: str
    yaml_text: str = field(repr=False, default="")
    yaml_first_line: int = 2

    @property
    def kind(self) -> str:
        return str(self.data.get("type", ""))

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))

    @property
    def approvals(self) -> list[dict[str, Any]]:
        value = self.data.get("approvals")
        return value if isinstance(value, list) else []

    @property
    def owner(self) -> str | None:
        """The person whose item it is: nobody signs off their own."""
        key = {"news": "author", "disclosure": "requester", "clipping": "recorded_by"}.get(self.kind)
        value = self.data.get(key) if key else None
        return value if isinstance(value, str) else None


# What the build executes or renders, and what decides who may sign: a change to any of these is
# the system's, not content, and needs its code owners (.github/CODEOWNERS covers every one).
SYSTEM_PATHS = (
    ".github/",
    ".ci/",
    "workflow/",
    "theme/",
    "schemas/",
    "office.yml",
    "pelicanconf.py",
    "publishconf.py",
    "pyproject.toml",
    "constraints.txt",
    "Makefile",
)


def is_system_path(path: str) -> bool:
    """A repository path the build executes or renders, or that decides who may sign."""
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in SYSTEM_PATHS)


def item_id_for(path: str) -> str | None:
    """`content/news/2569/x.md` -> `news/2569/x`; None outside `content/`."""
    if not path.startswith("content/") or not path.endswith(".md"):
        return None
    return path[len("content/") : -len(".md")]


ASSET_FOLDERS = ("content/files/", "content/images/")  # attachments and images: files items name, never items


def is_item_path(path: str) -> bool:
    """Whether a repository path is an item's file: a `.md` under `content/`, outside the asset folders."""
    return item_id_for(path) is not None and not path.startswith(ASSET_FOLDERS)
