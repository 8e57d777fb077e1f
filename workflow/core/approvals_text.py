"""Add one approval (or one field of an order) to a file's text without touching any other byte.

A round-trip YAML library would re-indent and re-quote the person's file;
this edits only the `approvals` value, then parses the result again and
refuses unless it equals the old data plus the new approval.

A list's end, as YAML marks it, lies after the comment lines that follow it; those
comments introduce the next key (the scaffold's `# withdrawn:` waiting to be
uncommented), so a new entry goes before them: uncommenting the key later must
not capture the entries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import yaml

from workflow.core import yamlparse
from workflow.core.source import SourceError, split


class EditError(Exception):
    pass


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9._:+-]*$|^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.+-]+Z?$")


def _reads_back(text: str, value: str) -> bool:
    try:
        return bool(yamlparse.load(f"x: {text}\n") == {"x": value})
    except yamlparse.FrontMatterError:  # e.g. `OK:` matches _PLAIN but is no plain scalar
        return False


def _scalar(value: str | bool) -> str:
    """Plain when it reads back as the same text, else a JSON (YAML-compatible) quoted string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if _PLAIN.match(value) and _reads_back(value, value):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return quoted if _reads_back(quoted, value) else yamlparse.double_quoted(value)  # DEL, NEL, LS…


def _block(approval: Mapping[str, str | bool], indent: int) -> str:
    pad = " " * indent
    lines = []
    for n, (key, value) in enumerate(approval.items()):
        lead = f"{pad}- " if n == 0 else f"{pad}  "
        lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _flow(approval: Mapping[str, str | bool]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in approval.items()) + "}"


def _line_start(text: str, line: int) -> int:
    index = 0
    for _ in range(line):
        index = text.index("\n", index) + 1
    return index


def _before_trailing_comments(text: str, at: int, indent: int) -> int:
    """`at` (a line start) moved back over the blank lines and the comment lines whose `#` stands at
    `indent` or further left just before it: they belong to what follows, not to the block that ends."""
    while at > 0:
        start = text.rfind("\n", 0, at - 1) + 1
        line = text[start:at]
        stripped = line.lstrip(" ")
        ours = stripped.startswith("#") and len(line) - len(stripped) <= indent
        if stripped.strip() and not ours:
            break
        at = start
    return at


def _after_block(text: str, end: yaml.Mark, indent: int) -> int:
    """Where a new last entry of a block goes: after its last entry, before the next key's comments."""
    at = _line_start(text, end.line) if end.column == 0 else _line_start(text, end.line + 1)
    return _before_trailing_comments(text, at, indent)


def add_approval(yaml_text: str, approval: Mapping[str, str | bool]) -> str:
    loader = yamlparse.StrictLoader(yaml_text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    if not isinstance(root, yaml.MappingNode):
        raise EditError("front matter is not a mapping")
    pair = next(((k, v) for k, v in root.value if getattr(k, "value", None) == "approvals"), None)
    if pair is None:
        return yaml_text + "approvals:\n" + _block(approval, 2)
    key, value = pair
    if isinstance(value, yaml.SequenceNode) and value.value and not value.flow_style:
        first, last = value.value[0], value.value[-1]
        dash = value.start_mark.column  # the first `-` (entries may be written `-   by: …`)
        entry = (
            (" " * dash + "- " + _flow(approval) + "\n")
            if getattr(first, "flow_style", False)
            else _block(approval, dash)
        )
        at = _after_block(yaml_text, last.end_mark, dash)
        return yaml_text[:at] + entry + yaml_text[at:]
    if isinstance(value, yaml.SequenceNode) and value.value:  # non-empty flow sequence
        close = value.end_mark.index - 1
        comma = "" if yaml_text[:close].rstrip().endswith(",") else ","  # `[{…},]`: a trailing comma is YAML
        return yaml_text[:close] + comma + " " + _flow(approval) + yaml_text[close:]
    if (isinstance(value, yaml.SequenceNode) and not value.value) or (
        isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null"
    ):
        start, stop = value.start_mark.index, value.end_mark.index
        cut = (
            yaml_text[:start].rstrip(" ")
            + (" " if yaml_text[stop : stop + 1] not in ("\n", "") else "")
            + yaml_text[stop:]
        )
        after = _line_start(cut, key.start_mark.line + 1)
        return cut[:after] + _block(approval, key.start_mark.column + 2) + cut[after:]
    raise EditError("approvals is not a list")


def add_field(yaml_text: str, parent: str, key: str, value: str) -> str:
    """`parent` (a top-level mapping such as `urgent`) with one more `key: value`, every other byte kept."""
    loader = yamlparse.StrictLoader(yaml_text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    node = next((v for k, v in getattr(root, "value", ()) if getattr(k, "value", None) == parent), None)
    if not isinstance(node, yaml.MappingNode) or not node.value:
        raise EditError(f"{parent} is not a mapping")
    if node.flow_style:
        close = node.end_mark.index - 1
        comma = "" if yaml_text[:close].rstrip().endswith(",") else ","
        return yaml_text[:close] + f"{comma} {key}: {_scalar(value)}" + yaml_text[close:]
    indent: int = node.value[0][0].start_mark.column
    at = _after_block(yaml_text, node.value[-1][1].end_mark, indent - 1)
    return yaml_text[:at] + " " * indent + f"{key}: {_scalar(value)}\n" + yaml_text[at:]


def edit_file(text: str, edit: Callable[[str], str], expected: dict[str, Any]) -> str:
    """The whole file with its front matter edited by `edit`; verified by parsing it again."""
    source = split(text.encode("utf-8"))
    prefix = text.index("\n") + 1
    if text[prefix : prefix + len(source.yaml_text)] != source.yaml_text:
        raise EditError("front matter layout")
    result = text[:prefix] + edit(source.yaml_text) + text[prefix + len(source.yaml_text) :]
    try:
        reparsed = yamlparse.load(split(result.encode("utf-8")).yaml_text)
    except (yamlparse.FrontMatterError, SourceError):
        raise EditError("re-parse fails") from None
    if reparsed != expected:
        raise EditError("re-parse differs")
    return result


def add_field_to_file(text: str, parent: str, key: str, value: str) -> str:
    """The whole file with `parent.key: value` added; verified by parsing it again."""
    data = yamlparse.load(split(text.encode("utf-8")).yaml_text)
    expected = {**data, parent: {**data[parent], key: value}}
    return edit_file(text, lambda yaml_text: add_field(yaml_text, parent, key, value), expected)


def add_approval_to_file(text: str, approval: Mapping[str, str | bool], expected: dict[str, Any]) -> str:
    """The whole file with the approval added; verified by parsing it again."""
    return edit_file(text, lambda yaml_text: add_approval(yaml_text, approval), expected)
