"""The JSON Schemas in `schemas/` as validators, and their errors as Thai problems.

Two engines, one schema: jsonschema-rs (Rust) answers "valid?" for every file
fast; the reference `jsonschema` package explains only the files that fail,
since its error objects carry the schema keyword, value and path we turn into
a Thai message. Both are Draft 2020-12.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable, Mapping
from typing import Any

import jsonschema_rs

from workflow.core.problems import Problem, problem
from workflow.core.vocabulary import Vocabulary, build_vocabulary, labels_at

COMMON = "common.schema.json"
SCHEMA_FILES = {
    "news": "news.schema.json",
    "disclosure": "disclosure.schema.json",
    "clipping": "clipping.schema.json",
    "office": "office.schema.json",
    "ita": "ita.schema.json",  # data/ita/<year>.yml: the fiscal year's OIT list (core/ita.py)
}
_TYPE_NAMES = {
    "string": "ข้อความ",
    "object": "ชุดข้อมูล (ชื่อ: ค่า)",
    "array": "รายการ (- ...)",
    "number": "ตัวเลข",
    "integer": "จำนวนเต็ม",
    "boolean": "true หรือ false",
    "null": "ค่าว่าง",
}
_AMBIGUOUS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"}


def bundle(schema: Mapping[str, Any], common: Mapping[str, Any]) -> dict[str, Any]:
    """Inline `common.schema.json#/$defs/x` refs as local `#/$defs/x`."""
    result: dict[str, Any] = _rewrite(copy.deepcopy(dict(schema)))
    defs = dict(common.get("$defs", {}))
    defs.update(result.get("$defs", {}))
    result["$defs"] = defs
    return result


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMMON + "#"):
            node["$ref"] = ref[len(COMMON) :]
        for value in node.values():
            _rewrite(value)
    elif isinstance(node, list):
        for value in node:
            _rewrite(value)
    return node


class Schemas:
    """Compiled validators per kind (and for office.yml and the OIT lists), and the OIT lists themselves:
    like an enum's labels, the fiscal year's O-items are the vocabulary an item's `ita:` is read against."""

    def __init__(self, raw: Mapping[str, Mapping[str, Any]], ita_texts: Mapping[str, str | None] | None = None) -> None:
        common = raw[COMMON]
        self.bundled = {kind: bundle(raw[name], common) for kind, name in SCHEMA_FILES.items()}
        self._fast = {kind: jsonschema_rs.validator_for(s) for kind, s in self.bundled.items()}
        self._slow: dict[str, Any] = {}
        self.vocabulary: Vocabulary = build_vocabulary(self.bundled)
        from workflow.core.ita import parse_lists

        self.ita, self.ita_problems = parse_lists(ita_texts or {}, self)

    def is_valid(self, kind: str, data: Any) -> bool:
        return bool(self._fast[kind].is_valid(data))

    def problems(self, kind: str, data: Any, path: str) -> list[Problem]:
        if self.is_valid(kind, data):
            return []
        validator = self._slow.get(kind)
        if validator is None:
            import jsonschema  # imported only when a file fails: keeps start-up fast

            validator = self._slow[kind] = jsonschema.Draft202012Validator(self.bundled[kind])
        found: list[Problem] = []
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
            found.extend(_translate(error, path))
        return found or [problem("KS106", path, where=())]


def _label(schema: Mapping[str, Any], name: str) -> str:
    prop = schema.get("properties", {}).get(name, {})
    title = prop.get("title") if isinstance(prop, dict) else None
    return f"{name} ({title})" if title else name


def _translate(error: Any, path: str) -> list[Problem]:
    """One jsonschema error as Thai problems: a translator per keyword, a plain one for the rest."""
    where = tuple(error.absolute_path)
    schema = error.schema
    description = schema.get("description", "") if isinstance(schema, dict) else ""
    translate = _TRANSLATORS.get(error.validator)
    if translate is not None:
        return translate(error, path, where, description)
    return [problem("KS106", path, where=where, detail=f"{error.validator}: {_show(error.instance)}", hint=description)]


def _required(error: Any, path: str, where: tuple[Any, ...], description: str) -> list[Problem]:
    instance = error.instance
    missing = [n for n in error.validator_value if isinstance(instance, dict) and n not in instance]
    return [problem("KS101", path, where=where, detail=_label(error.schema, n)) for n in missing]


def _additional(error: Any, path: str, where: tuple[Any, ...], description: str) -> list[Problem]:
    allowed = list(error.schema.get("properties", {}))
    extra = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
    out = []
    for key in extra:
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"หมายถึง {close[0]} หรือไม่" if close else "ช่องที่ใช้ได้: " + ", ".join(allowed)
        out.append(problem("KS102", path, where=(*where, key), detail=str(key), hint=hint))
    return out


def _type(error: Any, path: str, where: tuple[Any, ...], description: str) -> list[Problem]:
    instance = error.instance
    expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    if "boolean" in expected and isinstance(instance, str) and instance in _AMBIGUOUS:
        return [problem("KS014", path, where=where, detail=str(instance))]
    names = " หรือ ".join(str(_TYPE_NAMES.get(t, t)) for t in expected)
    return [problem("KS103", path, where=where, detail=f"ต้องเป็น{names} แต่พบ {_show(instance)}")]


def _enum(error: Any, path: str, where: tuple[Any, ...], description: str) -> list[Problem]:
    options = error.validator_value if error.validator == "enum" else [error.validator_value]
    if where == ("type",):
        return [problem("KS107", path, where=where, detail=_show(error.instance))]
    detail = f"พบ {_show(error.instance)} ต้องเป็นหนึ่งใน: {', '.join(map(str, options))}"
    return [problem("KS104", path, where=where, detail=detail, hint=_choices(error.schema, description))]


def _simple(code: str, detail: Callable[[Any], str], *, hint: bool = True) -> Translator:
    """A keyword whose error is one problem: its code, a detail from the error, the field's description as hint."""

    def translate(error: Any, path: str, where: tuple[Any, ...], description: str) -> list[Problem]:
        return [problem(code, path, where=where, detail=detail(error), hint=description if hint else "")]

    return translate


Translator = Callable[[Any, str, tuple[Any, ...], str], list[Problem]]
_TRANSLATORS: dict[str, Translator] = {
    "required": _required,
    "additionalProperties": _additional,
    "type": _type,
    "enum": _enum,
    "const": _enum,
    "pattern": _simple("KS105", lambda e: _show(e.instance)),
    "minLength": _simple("KS106", lambda e: "ต้องไม่เว้นว่าง"),
    "minItems": _simple("KS106", lambda e: f"ต้องมีอย่างน้อย {e.validator_value} รายการ", hint=False),
    "uniqueItems": _simple("KS106", lambda e: "มีค่าซ้ำในรายการ", hint=False),
}


def _choices(schema: Any, description: str) -> str:
    """An enum's description and its values' labels (`x-labels`), which descriptions no longer repeat."""
    labels = labels_at(schema) if isinstance(schema, Mapping) else {}
    choices = ", ".join(f"{value} = {label}" for value, label in labels.items())
    return "; ".join(part for part in (description, choices) if part) or "เลือกค่าจากรายการที่ระบุ"


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "…"
