"""The browser editor's configuration (Decap CMS at /admin/), computed from the schemas and
office.yml, never written by hand: one collection per kind, every field with its schema's Thai
title as label and description as hint, a select for every enum (labels from `x-labels`), person
fields as choices from the roster, images and attachments into content/images and content/files,
times with +07:00, new items where `khaosan new` puts them.

Two outputs: `decap_config` (Decap's config.yml, as data) and `script_rules` (what the editor's
own script, theme/static/js/editor.js, needs to read and write an item as Khaosan does: the order
of keys, the time fields, the fields it must keep byte for byte, where a new item goes, the Thai
month names for the preview's date).

Fields that record someone's act are never in the form (NEVER_EDITED): the script keeps their
lines exactly as they were, so saving in the editor cannot add, change or drop a sign-off.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workflow.core.structure import (
    KIND_FOLDER,
    KINDS,
    NEW_ITEM_FOLDER,
    NEW_ITEM_STAMP,
    NEW_ITEM_STEM,
    EditorSettings,
    Office,
)
from workflow.core.thaitime import BE_OFFSET, THAI_MONTHS
from workflow.core.vocabulary import TYPE_FIELD, labels_at

# Never in the editor, kept byte for byte on every save: each records someone's act (or, for
# earlier_site, what the import found), which only a review on the pull request, `khaosan approve`,
# `pr-record` or the import may write.
NEVER_EDITED: dict[str, str] = {
    "approvals": "sign-offs: reviews on the pull request (pr-record) or khaosan approve",
    "urgent": "an order to publish before the last sign-off, backed by its giver's review",
    "withdrawn": "an order to withdraw, backed by its giver's review",
    "webmaster": "the webmaster's receipt and completion (part 2 of the request form)",
    "live_check": "the group director's check of the live page (part 3 of the request form)",
    "pdpa_allow": "an exception to the personal-data scan, given by the person it names",
    "earlier_site": "when the office's earlier website published the item (khaosan import)",
}
# The body as typed (raw Markdown: the rich-text mode would rewrite a signed body's Markdown, making
# its sign-offs stale); the preview sanitized (an entry's HTML never runs in a reviewer's session).
BODY = {
    "name": "body",
    "label": "เนื้อหา",
    "hint": "เนื้อหาเป็น Markdown: ย่อหน้าเว้นหนึ่งบรรทัด ภาพในเนื้อหาต้องอยู่ใน ภาพประกอบ พร้อมคำอธิบายภาพและที่มา",
    "widget": "markdown",
    "modes": ["raw"],
    "sanitize_preview": True,
}
LONG_TEXT = frozenset({"summary", "detail"})  # several sentences: a text area, not one line
IMAGES, FILES = "content/images", "content/files"
ROSTER = "roster"  # the hidden collection over office.yml that person fields choose from
TIME_FORMAT = "YYYY-MM-DDTHH:mm:ssZ"  # Decap's (dayjs) format: an offset always written
# Person fields: the roster read from office.yml in the repository (the hidden ROSTER collection).
PERSON = {
    "widget": "relation",
    "collection": ROSTER,
    "file": "office",
    "value_field": "people.*.id",
    "search_fields": ["people.*.name", "people.*.id"],
    "display_fields": ["people.*.name"],
}
TIME = {"widget": "datetime", "format": TIME_FORMAT, "date_format": "DD/MM/YYYY", "time_format": "HH:mm"}
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False}
IMAGE = {"widget": "image", "media_folder": "/" + IMAGES, "public_folder": "images", "choose_url": False}
FILE = {"widget": "file", "media_folder": "/" + FILES, "public_folder": "files", "choose_url": False}
HELPERS = ("khaosan_folder", "khaosan_slug", "khaosan_kept")  # the script's own keys, never written
ADMIN_NOTICE = (
    "บันทึกในหน้านี้เป็นคำขอ (pull request) หนึ่งคำขอต่อหนึ่งรายการ การลงนามยังเป็นการอนุมัติ (Review → Approve) "
    "ในคำขอตามเดิม ปุ่ม “เผยแพร่” ของโปรแกรมแก้ไขคือการรวมคำขอ ซึ่งไม่ข้ามการป้องกันสาขา (branch protection): "
    "ถ้ายังลงนามไม่ครบหรือการตรวจ khaosan/sign-offs ยังไม่ผ่าน GitHub จะไม่ยอมให้รวม และรายการจะยังไม่ขึ้นเว็บไซต์"
)


class _Fields:
    """Schema nodes -> Decap fields, for one kind."""

    def __init__(self, schema: Mapping[str, Any], office: Office) -> None:
        self.defs: Mapping[str, Any] = schema.get("$defs", {})
        self.office = office
        self.times: list[list[str]] = []  # paths of time fields; "*" for each item of a list
        self.orders: dict[str, list[str]] = {}  # "event", "images.*" -> keys in the schema's order
        self.required: dict[str, list[str]] = {}

    def resolve(self, node: Mapping[str, Any]) -> tuple[str | None, dict[str, Any]]:
        """(the definition a node refers to, the node merged over it: the node's title wins)."""
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref[len("#/$defs/") :]
            return name, {**self.defs.get(name, {}), **{k: v for k, v in node.items() if k != "$ref"}}
        return None, dict(node)

    def object_fields(self, node: Mapping[str, Any], path: list[str], owner: str | None) -> list[dict[str, Any]]:
        props: Mapping[str, Any] = node.get("properties", {})
        required = [k for k in node.get("required", []) if k in props]
        key = ".".join(path)
        self.orders[key] = list(props)
        self.required[key] = required
        fields = []
        for name, child in props.items():
            if not path and name in NEVER_EDITED:
                continue
            fields.append(self.field(name, child, name in required, [*path, name], owner))
        return fields

    def field(
        self, name: str, node: Mapping[str, Any], required: bool, path: list[str], owner: str | None
    ) -> dict[str, Any]:
        ref, merged = self.resolve(node)
        out: dict[str, Any] = {"name": name, "label": str(merged.get("title") or name), "required": required}
        if merged.get("description"):
            out["hint"] = str(merged["description"])
        return {**out, **self.widget(ref, merged, path, owner, required)}

    def widget(
        self, ref: str | None, node: dict[str, Any], path: list[str], owner: str | None, required: bool
    ) -> dict[str, Any]:
        if "const" in node:
            return {"widget": "hidden", "default": node["const"]}
        by_ref = self.by_ref(ref, path, owner)
        if by_ref is not None:
            return by_ref
        if "enum" in node:
            labels = labels_at(node, self.defs)
            return _select({str(v): labels.get(str(v), str(v)) for v in node["enum"]})
        return self.by_type(node, path, ref, required)

    def by_ref(self, ref: str | None, path: list[str], owner: str | None) -> dict[str, Any] | None:
        """The definitions that mean more than their JSON type: people, groups, times, files."""
        if ref == "person_id":
            return dict(PERSON)
        if ref == "group_id":
            return _select({g: f"{label} ({g})" for g, label in self.office.groups.items()})
        if ref == "time":
            self.times.append(path)
            return dict(TIME)
        if ref == "date":
            return dict(DATE)
        if ref == "file_ref":
            return dict(IMAGE if owner == "image" else FILE)
        return None

    def by_type(self, node: dict[str, Any], path: list[str], ref: str | None, required: bool) -> dict[str, Any]:
        kind = node.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "array" in kinds:
            return self.array(node, path)
        if "object" in kinds:
            fields = self.object_fields(node, path, ref)
            if not required:  # an optional object is in the form anyway: its parts are asked for by
                fields = [{**f, "required": False} for f in fields]  # `check` (KS101) once it is used
            return {"widget": "object", "collapsed": False, "fields": fields}
        if "integer" in kinds or "number" in kinds:
            return {"widget": "number", "value_type": "int" if "integer" in kinds else "float"}
        if "boolean" in kinds:
            return {"widget": "boolean"}
        out: dict[str, Any] = {"widget": "text" if path[-1] in LONG_TEXT else "string"}
        if isinstance(node.get("pattern"), str):
            out["pattern"] = [node["pattern"], str(node.get("description") or node.get("title") or "")]
        return out

    def array(self, node: dict[str, Any], path: list[str]) -> dict[str, Any]:
        ref, items = self.resolve(node.get("items", {}))
        if "enum" in items:
            labels = labels_at(items, self.defs)
            choice = _select({str(v): labels.get(str(v), str(v)) for v in items["enum"]})
            return {**choice, "multiple": True}
        if items.get("type") == "object":
            return {"widget": "list", "collapsed": False, "fields": self.object_fields(items, [*path, "*"], ref)}
        inner = self.field("item", node.get("items", {}), True, [*path, "*"], ref)
        return {"widget": "list", "field": inner}


def _select(options: Mapping[str, str]) -> dict[str, Any]:
    return {"widget": "select", "options": [{"label": label, "value": value} for value, label in options.items()]}


def _collection(kind: str, schema: Mapping[str, Any], office: Office) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = _Fields(schema, office)
    top = fields.object_fields(schema, [], None)
    folder = KIND_FOLDER[kind]
    collection = {
        "name": kind,
        "label": str(schema.get("title") or kind),
        "label_singular": str(schema.get("title") or kind),
        "description": str(schema.get("description") or ""),
        "folder": f"content/{folder}",
        "create": True,
        "delete": False,  # taking an item down is a withdrawal (withdrawn), never a deletion
        "format": "khaosan",
        "extension": "md",
        "path": "{{khaosan_folder}}/{{slug}}",
        "slug": "{{khaosan_slug}}",
        "summary": "{{title}}",
        "sortable_fields": ["title"],
        "fields": [*top, BODY],
    }
    rules = {
        "folder": NEW_ITEM_FOLDER[kind].removeprefix(folder + "/"),
        "stem": NEW_ITEM_STEM[kind],
        "stamp": NEW_ITEM_STAMP,
        "order": fields.orders,
        "required": fields.required,
        "times": fields.times,
        "kept": [k for k in schema.get("properties", {}) if k in NEVER_EDITED],
        # what a new item holds of a required act field: none given yet
        "kept_new": {k: f"{k}: []\n" for k in schema.get("required", []) if k in NEVER_EDITED},
    }
    return collection, rules


def _roster() -> dict[str, Any]:
    """office.yml, read (never written) from the repository for the person choices: the roster
    stays in the repository, not on the public site."""
    person = [
        {"name": "id", "label": "id", "widget": "string"},
        {"name": "name", "label": "name", "widget": "string"},
        {"name": "position", "label": "position", "widget": "string"},
    ]
    return {
        "name": ROSTER,
        "label": "รายชื่อบุคลากร",
        "hide": True,
        "create": False,
        "delete": False,
        "editor": {"preview": False},
        "files": [
            {
                "name": "office",
                "label": "office.yml",
                "file": "office.yml",
                "fields": [{"name": "people", "label": "people", "widget": "list", "fields": person}],
            }
        ],
    }


def _backend(settings: EditorSettings) -> dict[str, Any]:
    backend: dict[str, Any] = {"name": "github", "repo": settings.repo, "branch": settings.branch}
    for key in ("api_root", "base_url", "auth_endpoint"):
        value = getattr(settings, key)
        if value:
            backend[key] = value
    backend["squash_merges"] = False  # each sign-off's commit stays on main's history
    backend["commit_messages"] = {
        "create": "สร้าง {{collection}} {{slug}} (โปรแกรมแก้ไขบนเว็บ)",
        "update": "แก้ไข {{collection}} {{slug}} (โปรแกรมแก้ไขบนเว็บ)",
        "delete": "ลบ {{collection}} {{slug}} (โปรแกรมแก้ไขบนเว็บ)",
        "uploadMedia": "เพิ่มไฟล์ {{path}} (โปรแกรมแก้ไขบนเว็บ)",
        "deleteMedia": "ลบไฟล์ {{path}} (โปรแกรมแก้ไขบนเว็บ)",
        "openAuthoring": "{{message}}",
    }
    return backend


def decap_config(schemas: Mapping[str, Mapping[str, Any]], office: Office) -> dict[str, Any]:
    """Decap CMS's config.yml as data, for an office whose office.yml has `editor`."""
    settings = office.editor or EditorSettings(repo="office/site")
    collections = [_collection(kind, schemas[kind], office)[0] for kind in KINDS]
    return {
        "backend": _backend(settings),
        "local_backend": {"url": settings.local_backend},
        "publish_mode": "editorial_workflow",
        "locale": "th",
        "site_url": office.site_url,
        "display_url": office.site_url,
        "logo_url": "../theme/img/logo.svg",
        "media_folder": IMAGES,
        "public_folder": "images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "editor": {"preview": True},
        "collections": [*collections, _roster()],
    }


def script_rules(schemas: Mapping[str, Mapping[str, Any]], office: Office) -> dict[str, Any]:
    """What theme/static/js/editor.js needs, per collection, and for the preview's date."""
    return {
        "collections": {kind: _collection(kind, schemas[kind], office)[1] for kind in KINDS},
        "helpers": list(HELPERS),
        "months": list(THAI_MONTHS),
        "be_offset": BE_OFFSET,
        "date_digits": office.date_digits,
        "kind_labels": {kind: str(schemas[kind].get("title") or kind) for kind in KINDS},
        "type_labels": {
            kind: labels_at(schemas[kind]["properties"][field], schemas[kind].get("$defs"))
            for kind, field in TYPE_FIELD.items()
        },
        "type_fields": dict(TYPE_FIELD),
        "date_fields": DATE_FIELDS,
    }


# The field whose date the preview shows until the item is published (then the site shows the
# publication date).
DATE_FIELDS = {"news": "produced_at", "disclosure": "requested_at", "clipping": "published_on"}


def field_paths(fields: list[dict[str, Any]], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    """Every field of a generated collection by path ("*" for a list's items) -> its label."""
    found: dict[tuple[str, ...], str] = {}
    for f in fields:
        path = (*prefix, f["name"])
        found[path] = f["label"]
        if "fields" in f:
            inner = (*path, "*") if f["widget"] == "list" else path
            found.update(field_paths(f["fields"], inner))
        if "field" in f:  # a list of plain values: its items are the path's "*"
            found[(*path, "*")] = f["field"]["label"]
    return found
