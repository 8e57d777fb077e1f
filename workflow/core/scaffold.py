"""A new item's text, laid out from its JSON Schema: every field, in the
schema's order, under a Thai comment that says what it is.

Also the one home of what `khaosan new` writes for a person to replace: the
body's placeholder, the text fields left blank, the note on each such line. The
rules read the same constants (KS217, KS218), so a scaffold nobody finished is
never published, and the two cannot drift apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from workflow.core import yamlparse
from workflow.core.vocabulary import labels_at

# The body `new` writes, per kind: an instruction, never content (KS217 while it is still there).
PLACEHOLDER_BODIES = {
    "news": "เขียนเนื้อข่าวที่นี่: ใคร ทำอะไร ที่ไหน เมื่อไร อย่างไร และผลที่ได้\n",
    "disclosure": "สรุปสาระสำคัญของเอกสารที่เผยแพร่ (ถ้ามี)\n",
    "clipping": "สรุปเนื้อหาข่าวจากสื่อ และผลต่อหน่วยงาน\n",
}
BLANK = ""  # a text `new` leaves for a person to fill in (or to delete)
BLANK_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "news": (("summary",), ("event", "place")),
    "clipping": (("summary",),),
}
BLANK_NOTE = "ยังไม่ได้กรอก: กรอก หรือลบบรรทัดนี้ถ้าไม่ใช้"
# Start = end = the moment `new` ran, until a person sets the event's times (KS218; no deadline meanwhile).
TIMES_NOTE = "ยังไม่ใช่เวลาจริง: แก้เป็นเวลาของกิจกรรม"


@dataclass(frozen=True)
class Unfilled:
    """A value written for a person to replace, with a comment on its line that says so."""

    value: Any
    note: str


def blank() -> Unfilled:
    return Unfilled(BLANK, BLANK_NOTE)


def _reads_back(text: str, value: str, flow: bool) -> bool:
    try:
        if flow:  # inside [...] the characters , [ ] { } end a plain scalar
            return bool(yamlparse.load(f"x: [{text}]\n") == {"x": [value]})
        return bool(yamlparse.load(f"x: {text}\n") == {"x": value})
    except yamlparse.FrontMatterError:  # e.g. a title starting with `[` or `*` is no plain scalar
        return False


def _scalar(value: Any, flow: bool = False) -> str:
    """One scalar as YAML text that our strict loader reads back identically (in a flow list if `flow`)."""
    if isinstance(value, str):
        if value and value == value.strip() and "#" not in value and _reads_back(value, value, flow):
            return value
        quoted = json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
        return quoted if _reads_back(quoted, value, flow) else yamlparse.double_quoted(value)  # DEL, NEL, LS…
    return "null" if value is None else json.dumps(value)


def _dump(value: Any, indent: int) -> str:
    """`key:` is already written; this writes the rest of the line (and any nested lines)."""
    if isinstance(value, Unfilled):
        return f" {_scalar(value.value)}  # {value.note}\n"
    if isinstance(value, dict) and value:
        pad = " " * (indent + 2)
        return "\n" + "".join(f"{pad}{k}:{_dump(v, indent + 2)}" for k, v in value.items())
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return " [" + ", ".join(_scalar(v, flow=True) for v in value) + "]\n"
    if isinstance(value, list) and all(isinstance(v, dict) and v for v in value):
        pad = " " * (indent + 2)  # a block list, as people write `images:` and `attachments:` by hand
        return "\n" + "".join(
            f"{pad}{'- ' if n == 0 else '  '}{k}:{_dump(v, indent + 4)}"
            for entry in value
            for n, (k, v) in enumerate(entry.items())
        )
    if isinstance(value, (dict, list)):
        return " " + json.dumps(value, ensure_ascii=False) + "\n"  # JSON flow style is YAML too
    return f" {_scalar(value)}\n"


def render(schema: dict[str, Any], values: dict[str, Any], body: str) -> str:
    """Front matter with a comment per field; fields without a value are shown commented out."""
    lines = ["---\n"]
    for key, prop in schema["properties"].items():
        title = prop.get("title") or _ref_title(schema, prop)
        description = prop.get("description") or _ref_description(schema, prop)
        labels = labels_at(prop, schema.get("$defs"))
        if labels:  # the values and what people read for them: the schema's `x-labels`
            choices = ", ".join(f"{value} = {label}" for value, label in labels.items())
            description = f"{description} ({choices})" if description else choices
        lines.append(f"# {title}: {description}\n" if description else f"# {title}\n")
        if key in values:
            lines.append(f"{key}:{_dump(values[key], 0)}")
        else:
            lines.append(f"# {key}:\n")
    lines.append("---\n")
    lines.append(body)
    return "".join(lines)


def _ref(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    ref = prop.get("$ref", "")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        found = schema.get("$defs", {}).get(ref[len("#/$defs/") :], {})
        return found if isinstance(found, dict) else {}
    return {}


def _ref_title(schema: dict[str, Any], prop: dict[str, Any]) -> str:
    return str(_ref(schema, prop).get("title", ""))


def _ref_description(schema: dict[str, Any], prop: dict[str, Any]) -> str:
    return str(_ref(schema, prop).get("description", ""))
