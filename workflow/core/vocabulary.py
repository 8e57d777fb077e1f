"""The Thai label of every value people see, read from the schemas' `x-labels`.

The schemas are the single source of truth and a repository may override them,
so labels are runtime data: built here, purely, from the loaded schema dicts,
and carried by `Schemas.vocabulary` and `Office.vocabulary` to every reader.
A kind's label is its schema's `title`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

LABELS_KEY = "x-labels"
KIND = "type"  # the field naming an item's kind (a `const` per item schema)
NEWS_TYPE = "news_type"
PLAN = "plan"
FORMAT = "format"
SOURCE = "source"
CHANNEL = "channel"
CATEGORY = "category"
DELIVERY = "delivery"
MEDIUM = "medium"
EFFECT = "effect"
STEP = "step"
ROLE = "roles"
# Which field names an item's type on the site: the news type, the disclosure category, the clipping medium.
TYPE_FIELD = {"news": NEWS_TYPE, "disclosure": CATEGORY, "clipping": MEDIUM}

Labels = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Vocabulary:
    """Field -> value -> Thai label, each field in the schema's order of values."""

    fields: Labels = field(default_factory=dict)

    def label(self, field_name: str, value: object) -> str:
        """The value's label; the value itself when the schema gives none."""
        text = str(value)
        return self.fields.get(field_name, {}).get(text, text)

    def labels(self, field_name: str) -> dict[str, str]:
        return dict(self.fields.get(field_name, {}))

    def values(self, field_name: str) -> tuple[str, ...]:
        return tuple(self.fields.get(field_name, {}))

    def as_dict(self) -> dict[str, dict[str, str]]:
        """Plain data, for settings that cross a process boundary (the site build)."""
        return {name: dict(labels) for name, labels in self.fields.items()}

    @property
    def kinds(self) -> dict[str, str]:
        return self.labels(KIND)

    @property
    def news_types(self) -> dict[str, str]:
        return self.labels(NEWS_TYPE)

    @property
    def plans(self) -> dict[str, str]:
        return self.labels(PLAN)

    @property
    def formats(self) -> dict[str, str]:
        return self.labels(FORMAT)

    @property
    def categories(self) -> dict[str, str]:
        return self.labels(CATEGORY)

    @property
    def media(self) -> dict[str, str]:
        return self.labels(MEDIUM)

    @property
    def effects(self) -> dict[str, str]:
        return self.labels(EFFECT)

    @property
    def steps(self) -> dict[str, str]:
        return self.labels(STEP)


def labels_at(node: Mapping[str, Any], defs: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The labels a schema node gives its values: its own `x-labels`, else those of what it
    refers to (`$ref` into `defs`) or of its array items."""
    for candidate in (node, _target(node, defs), node.get("items"), _target(node.get("items"), defs)):
        if isinstance(candidate, Mapping) and isinstance(candidate.get(LABELS_KEY), Mapping):
            return {str(k): str(v) for k, v in candidate[LABELS_KEY].items()}
    return {}


def _target(node: Any, defs: Mapping[str, Any] | None) -> Any:
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    if defs is None or not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return None
    return defs.get(ref[len("#/$defs/") :])


def build_vocabulary(schemas: Mapping[str, Mapping[str, Any]]) -> Vocabulary:
    """Every `x-labels` map in the (bundled) schemas, by the name of the field or definition
    it sits on; a kind's label is the title of the schema whose `type` is that kind."""
    found: dict[str, dict[str, str]] = {}
    for schema in schemas.values():
        kind = schema.get("properties", {}).get(KIND, {}).get("const")
        if isinstance(kind, str) and isinstance(schema.get("title"), str):
            found.setdefault(KIND, {})[kind] = schema["title"]
        for name, labels in _labelled(schema, None):
            mine = found.setdefault(name, {})
            for value, label in labels.items():
                mine.setdefault(value, label)
    return Vocabulary(found)


def _labelled(node: Any, name: str | None) -> Iterator[tuple[str, Mapping[str, str]]]:
    """(field name, x-labels) for every labelled node under `node`."""
    if isinstance(node, list):
        for value in node:
            yield from _labelled(value, name)
        return
    if not isinstance(node, Mapping):
        return
    if name is not None and isinstance(node.get(LABELS_KEY), Mapping):
        yield name, node[LABELS_KEY]
    for key, value in node.items():
        if key in ("properties", "$defs") and isinstance(value, Mapping):
            for inner, child in value.items():
                yield from _labelled(child, str(inner))
        elif key == "items":
            yield from _labelled(value, name)
        elif key != LABELS_KEY and isinstance(value, (Mapping, list)):
            yield from _labelled(value, None)
