"""A strict, fast YAML loader for front matter, and node positions for messages.

Why not `yaml.safe_load`: YAML 1.1 turns `no` into False, `12:30` into 750 and
`2026-11-20` into a date; it silently keeps the last of two duplicate keys and
expands alias bombs. Front matter is data people type, so this loader resolves
only the YAML 1.2 core scalars (null, true/false, numbers), keeps times as
text (the validator parses them with a precise message), rejects duplicate
keys, every anchor and alias, and requires text keys. It uses libyaml's C parser when
present: the whole-repository check parses thousands of files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

try:  # libyaml's C parser: ~8x faster than the pure-Python one
    from yaml._yaml import CParser as _Parser

    _BYTE_OFFSETS = True  # libyaml reports reader errors at UTF-8 byte offsets
except ImportError:  # pragma: no cover - depends on the PyYAML build
    _BYTE_OFFSETS = False
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


MAX_DEPTH = 40
# An item's front matter: keys, values, mappings and lists (the sample items have under 100). Past it an
# item is refused (KS018) before the schema: every later step (a suggestion per unknown key, line numbers
# for each problem) costs per value, and 90,000 unknown keys took minutes.
MAX_ITEM_VALUES = 5_000
MAX_INT_DIGITS = 1000  # longer integers cannot even be printed in a message (Python's int/str limit)
# Explicit tags whose values are not JSON data (bytes, dates, sets): schemas cannot judge them.
_NON_JSON_TAGS = ("binary", "timestamp", "set")


class FrontMatterError(Exception):
    """A YAML problem with its code and 0-based position within the YAML text."""

    def __init__(self, code: str, detail: str, line: int, column: int) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.line = line
        self.column = column


class _CoreResolver(Resolver):
    """YAML 1.2 core schema: only these plain scalars are not strings."""

    yaml_implicit_resolvers = {}  # noqa: RUF012 - PyYAML keeps its resolver registry on the class


_CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)
_CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class _StrictConstructor(SafeConstructor):
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise FrontMatterError("KS012", "alias", *_pos(node))
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise FrontMatterError("KS015", f"เกิน {MAX_DEPTH} ชั้น", *_pos(node))
            return super().construct_object(node, deep=True)
        except (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError):
            # PyYAML's constructors fail this way on explicit tags with bad values (`!!int x`, `!!bool foo`)
            raise FrontMatterError("KS010", f"ค่าไม่ตรงกับแท็ก {node.tag}", *_pos(node)) from None
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """YAML 1.2 core integers: `017` is 17 and `08` is 8 (YAML 1.1 reads octal, and fails on 08)."""
        text = str(self.construct_scalar(node))
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        if len(digits) > MAX_INT_DIGITS:
            raise FrontMatterError("KS010", f"ตัวเลขยาวเกิน {MAX_INT_DIGITS} หลัก", *_pos(node))
        if digits[:2] in ("0o", "0x"):
            return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
        return sign * int(digits, 10)

    def construct_non_json(self, node: yaml.Node) -> Any:
        raise FrontMatterError("KS010", f"ไม่รองรับแท็ก {node.tag}", *_pos(node))

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise FrontMatterError("KS013", "", *_pos(node))
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise FrontMatterError("KS012", "<<", *_pos(key_node))
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""  # not a node's repr
                raise FrontMatterError("KS016", str(shown), *_pos(key_node))
            if key_node.value in seen:
                raise FrontMatterError("KS011", key_node.value, *_pos(key_node))
            seen.add(key_node.value)
        return super().construct_mapping(node, deep=True)


_StrictConstructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:map", _StrictConstructor.construct_yaml_map
)
_StrictConstructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:int", _StrictConstructor.construct_yaml_int
)
for _tag in _NON_JSON_TAGS:
    _StrictConstructor.add_constructor(  # type: ignore[type-var]
        f"tag:yaml.org,2002:{_tag}", _StrictConstructor.construct_non_json
    )


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line, node.start_mark.column


class StrictLoader(_Parser, _StrictConstructor, _CoreResolver):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _StrictConstructor.__init__(self)
        _CoreResolver.__init__(self)


_STR, _NULL, _BOOL, _INT, _FLOAT = (f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "float"))
_RESOLVERS = _CoreResolver.yaml_implicit_resolvers


class _Unusual(Exception):
    """Not the plain shape front matter is made of: the general constructor decides."""


def _plain_scalar(value: str) -> Any:
    """A plain (unquoted) scalar, typed exactly as `_CoreResolver` and the constructor type it."""
    candidates = _RESOLVERS.get(value[:1])
    if candidates is None:  # most values: text that starts like no number, bool or null
        return value
    tag = next((t for t, pattern in candidates if pattern.match(value)), None)
    if tag is None:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag == _INT:
        sign = -1 if value[0] == "-" else 1
        digits = value.lstrip("+-")
        if len(digits) > MAX_INT_DIGITS:
            raise _Unusual
        if digits[:2] in ("0o", "0x"):
            return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
        return sign * int(digits, 10)
    if tag == _FLOAT:
        lowered = value.lower()
        negative = lowered[0] == "-"
        bare = lowered.lstrip("+-")
        number = float("inf") if bare == ".inf" else float("nan") if bare == ".nan" else float(bare)
        return -number if negative and bare != ".nan" else number
    raise _Unusual


def _load_plain(text: str) -> Any:
    """Build the data straight from libyaml's events: no node tree, no per-node resolver calls.

    Only maps, sequences and untagged scalars without anchors, text keys, no
    duplicate key, at most MAX_DEPTH levels, one document; anything else
    (including every syntax error) raises `_Unusual`, and `load` runs the
    general strict constructor, which returns or reports exactly as before.
    """
    parser = _Parser(text)
    get = parser.get_event
    try:
        get()  # stream start
        first = get()
        if first.__class__ is yaml.StreamEndEvent:
            return None
        data = _plain_node(get, get(), 1)
        get()  # document end
        if get().__class__ is not yaml.StreamEndEvent:
            raise _Unusual  # a second document: the general path says so
        return data
    except yaml.YAMLError:
        raise _Unusual from None
    finally:
        parser.dispose()


_SCALAR, _MAP_START, _MAP_END, _SEQ_START, _SEQ_END = (
    yaml.ScalarEvent,
    yaml.MappingStartEvent,
    yaml.MappingEndEvent,
    yaml.SequenceStartEvent,
    yaml.SequenceEndEvent,
)


def _plain_node(get: Callable[[], Any], event: Any, depth: int) -> Any:
    """The value that starts with `event`; `get` reads the events after it."""
    if depth > MAX_DEPTH or event.anchor is not None or event.tag is not None:
        raise _Unusual  # too deep, an anchor or alias, or a tag
    kind = event.__class__
    if kind is _SCALAR:
        return _plain_scalar(event.value) if event.implicit[0] else event.value
    if kind is _MAP_START:
        return _plain_mapping(get, depth)
    if kind is _SEQ_START:
        return _plain_sequence(get, depth)
    raise _Unusual  # an event out of place


def _plain_mapping(get: Callable[[], Any], depth: int) -> dict[str, Any]:
    """A mapping's entries up to its end; plain scalar values are read here (most values are)."""
    plain, resolvers = _plain_scalar, _RESOLVERS  # only values starting like a number, bool or null need typing
    mapping: dict[str, Any] = {}
    while True:
        key = get()
        if key.__class__ is _MAP_END:
            return mapping
        if key.__class__ is not _SCALAR or key.tag is not None or key.anchor is not None or depth + 1 > MAX_DEPTH:
            raise _Unusual
        name = key.value
        if (key.implicit[0] and name[:1] in resolvers and plain(name) is not name) or name in mapping:
            raise _Unusual  # a typed key (`1:`, `true:`, `:`), or a duplicate
        value = get()
        if value.__class__ is _SCALAR and value.tag is None and value.anchor is None:  # inlined
            text = value.value
            mapping[name] = plain(text) if value.implicit[0] and text[:1] in resolvers else text
        else:
            mapping[name] = _plain_node(get, value, depth + 1)


def _plain_sequence(get: Callable[[], Any], depth: int) -> list[Any]:
    """A sequence's items up to its end; plain scalar items are read here."""
    plain, resolvers = _plain_scalar, _RESOLVERS
    items: list[Any] = []
    while True:
        event = get()
        if event.__class__ is _SEQ_END:
            return items
        if event.__class__ is _SCALAR and event.tag is None and event.anchor is None and depth < MAX_DEPTH:
            text = event.value
            items.append(plain(text) if event.implicit[0] and text[:1] in resolvers else text)
        else:
            items.append(_plain_node(get, event, depth + 1))


def _refuse_anchors(text: str) -> None:
    """KS012 at the first anchor (`&name`), used or not: the README promises anchors are refused, and an
    anchor alone only prepares an alias. Aliases without an anchor and syntax errors are left to the
    general loader, which reports them with their own code."""
    parser = _Parser(text)
    try:
        while True:
            event: Any = parser.get_event()
            if event is None or event.__class__ is yaml.StreamEndEvent:
                return
            anchor = None if event.__class__ is yaml.AliasEvent else getattr(event, "anchor", None)
            if anchor is not None:
                mark = event.start_mark
                raise FrontMatterError("KS012", f"&{anchor} (ลบ &{anchor} ออก)", mark.line, mark.column)
    except yaml.YAMLError:
        return
    finally:
        parser.dispose()


def load(text: str) -> Any:
    """Parse one YAML document strictly; raise FrontMatterError with a position."""
    try:
        return _load_plain(text)
    except _Unusual:
        pass
    _refuse_anchors(text)  # the fast path above stops at any anchor, so only this path can meet one
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return loader.construct_document(node)
    except FrontMatterError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (mark is None or mark.index >= len(text.rstrip())):
            mark = exc.context_mark  # "found end of stream": the opening bracket or quote is the place
        line, col = (mark.line, mark.column) if mark else (0, 0)
        # libyaml stops at 1000 levels before our own limit is reached: still "nested too deep"
        code = "KS015" if "maximum nesting depth" in (exc.problem or "") else "KS010"
        raise FrontMatterError(code, _yaml_reason(exc), line, col) from None
    except yaml.reader.ReaderError as exc:  # e.g. a control character pasted from a word processor
        line, col = _offset_position(text, exc.position)
        raise FrontMatterError("KS010", str(exc).splitlines()[0], line, col) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError("KS010", str(exc).splitlines()[0], 0, 0) from None
    except RecursionError:
        raise FrontMatterError("KS015", "", 0, 0) from None
    finally:
        loader.dispose()


def count_values(data: Any, limit: int) -> int:
    """Keys, values, mappings and lists in loaded `data`, counted until the count passes `limit`."""
    count = 0
    stack = [data]
    while stack and count <= limit:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            count += len(value)  # the keys
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return count


def value_position(text: str, nth: int) -> tuple[int, int]:
    """0-based (line, column) of the `nth` (1-based) key, value, mapping or list of `text`, in the order
    `count_values` counts them closely enough to point at the part that is too much; (0, 0) if fewer."""
    parser = _Parser(text)
    seen = 0
    try:
        while True:
            event: Any = parser.get_event()
            if event is None or event.__class__ is yaml.StreamEndEvent:
                return 0, 0
            if event.__class__ in (_SCALAR, _MAP_START, _SEQ_START, yaml.AliasEvent):
                seen += 1
                if seen >= nth:
                    mark: Any = event.start_mark
                    return mark.line, mark.column
    except yaml.YAMLError:
        return 0, 0
    finally:
        parser.dispose()


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    """0-based (line, column) of a reader offset (UTF-8 bytes for libyaml, characters otherwise)."""
    before = text.encode("utf-8")[:offset].decode("utf-8", "ignore") if _BYTE_OFFSETS else text[:offset]
    return before.count("\n"), len(before) - (before.rfind("\n") + 1)


# libyaml's most common complaints, said the way a PR officer can act on them.
_THAI_REASONS = (
    ("mapping values are not allowed", 'มีเครื่องหมาย : ในค่า ถ้าเป็นข้อความที่มี : ให้ครอบด้วยเครื่องหมายคำพูด "..."'),
    ("could not find expected ':'", "ขาดเครื่องหมาย : หลังชื่อช่อง"),
    ("found unexpected end of stream", "เครื่องหมายคำพูดหรือวงเล็บเปิดไว้แต่ไม่ได้ปิด"),
    ("did not find expected ',' or ']'", "วงเล็บ [ ] ไม่ครบคู่ หรือขาดเครื่องหมาย , ระหว่างค่า"),
    ("did not find expected ',' or '}'", "วงเล็บ { } ไม่ครบคู่ หรือขาดเครื่องหมาย , ระหว่างค่า"),
    ("expected <block end>", "การย่อหน้าไม่ตรงกับบรรทัดก่อนหน้า"),
    ("did not find expected '-' indicator", "การย่อหน้าของรายการ (- ...) ไม่ตรงกัน"),
    ("did not find expected key", "การย่อหน้าไม่ตรงกับบรรทัดก่อนหน้า"),
    ("found character that cannot start any token", "ค่าขึ้นต้นด้วยอักขระที่ YAML ไม่รับ (เช่น ` หรือ @) ให้ครอบด้วยเครื่องหมายคำพูด"),
    ("found undefined alias", "ใช้ * ซึ่ง YAML ถือเป็นการอ้าง alias ถ้าเป็นข้อความให้ครอบด้วยเครื่องหมายคำพูด"),
    ("could not determine a constructor", "ใช้แท็ก ! ที่ไม่รองรับ ให้ลบแท็กออก"),
)


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    """A Thai reason first; libyaml's own words after it, for whoever needs them."""
    english = "; ".join(p for p in (exc.context, exc.problem) if p)
    thai = next((t for key, t in _THAI_REASONS if key in english), "ส่วนนี้เขียนไม่ถูกรูปแบบ YAML")
    return f"{thai} ({english})" if english else thai


def double_quoted(value: str) -> str:
    """`value` as a YAML double-quoted scalar that reads back identically: printable characters as
    they are, everything else (control characters, line and paragraph separators) as an escape."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif char == " " or (char.isprintable() and not char.isspace()):
            out.append(char)
        else:
            code = ord(char)
            if code < 0x100:
                out.append(f"\\x{code:02x}")
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def compose(text: str) -> yaml.Node | None:
    """The node tree of `text` (with positions), or None if it does not compose."""
    try:
        loader = StrictLoader(text)
        try:
            node: yaml.Node | None = loader.get_single_node()
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError):
        return None
    return node


class Positions:
    """Where each front matter path is in one text: the tree composed once, each mapping's keys
    indexed the first time a path goes through it. Locating every problem of a file is then linear
    in the problems and the text (90,000 unknown keys: one index, not 90,000 walks of the keys)."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.root = root
        self._keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}

    @classmethod
    def of_text(cls, text: str) -> Positions:
        return cls(compose(text))

    def of(self, where: tuple[str | int, ...]) -> tuple[int, int] | None:
        """0-based (line, column) of the node at `where`, or of its deepest existing parent;
        None if the text does not compose."""
        return None if self.root is None else self._position(self.root, where)

    def _position(self, node: yaml.Node, where: tuple[str | int, ...]) -> tuple[int, int]:
        best = (node.start_mark.line, node.start_mark.column)
        for step in where:
            key, child = self._child(node, step)
            if child is None:
                break
            best = (key.start_mark.line, key.start_mark.column)
            node = child
            if isinstance(node, yaml.ScalarNode):
                best = (node.start_mark.line, node.start_mark.column)
        return best

    def _child(self, node: yaml.Node, step: str | int) -> tuple[yaml.Node, yaml.Node | None]:
        """(the node to point at, the child) for one step; the child is None where there is none."""
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = _key_index(node)
            found = keys.get(step)
            return found if found is not None else (node, None)
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            return node.value[step], node.value[step]
        return node, None


def _key_index(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """Each text key of a mapping, the first one where a key repeats (as a walk of the keys would find)."""
    index: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        value = getattr(key_node, "value", None)
        if isinstance(value, str) and value not in index:
            index[value] = (key_node, value_node)
    return index


def node_position(text: str, where: tuple[str | int, ...]) -> tuple[int, int] | None:
    """0-based (line, column) of the node at `where` (keys and indexes), or of its
    deepest existing parent; None if the text does not compose."""
    return Positions.of_text(text).of(where)
