"""From a file's bytes to front matter text and body, with every file-level problem.

Pure: takes bytes, returns a `Source` or raises `SourceError`. Line numbers in
the result are 1-based file lines, so later stages add `yaml_line0` to YAML
positions.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_ITEM_BYTES = 1024 * 1024  # 1 MiB: long documents belong in attachments
FENCE = "---"


@dataclass(frozen=True)
class Source:
    text: str
    yaml_text: str
    yaml_first_line: int  # 1-based file line of the first YAML line
    body: str
    body_first_line: int


class SourceError(Exception):
    def __init__(self, code: str, line: int = 1, column: int = 1, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.line = line
        self.column = column
        self.detail = detail


def split(raw: bytes, max_bytes: int = MAX_ITEM_BYTES) -> Source:
    text = _decode(raw, max_bytes)
    first_end = text.find("\n")
    if (text if first_end < 0 else text[:first_end]).rstrip() != FENCE:
        raise SourceError("KS007")
    fence = _closing_fence(text, first_end)
    if fence is None:
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        raise SourceError("KS008", line=max(1, lines))
    yaml_part = text[first_end + 1 : fence]
    _reject_tab_indent(yaml_part)
    fence_line = text.count("\n", 0, fence)  # 0-based line index of the closing fence
    fence_end = text.find("\n", fence)
    body = "" if fence_end < 0 else text[fence_end + 1 :]
    yaml_text = yaml_part[:-1] + "\n" if yaml_part else "\n"
    return Source(text, yaml_text, 2, body, fence_line + 2)


def _decode(raw: bytes, max_bytes: int) -> str:
    """The file as text, or the first file-level problem of its bytes (empty, too big, BOM, NUL, not UTF-8, CR)."""
    if not raw.strip():
        raise SourceError("KS006")
    if len(raw) > max_bytes:
        raise SourceError("KS009", detail=f"{len(raw):,} ไบต์ เกิน {max_bytes:,} ไบต์")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise SourceError("KS002")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise SourceError("KS005", *_line_col(raw, nul))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        raise SourceError("KS001", line, col, detail=f"ไบต์ 0x{raw[exc.start]:02x}") from None
    cr = text.find("\r")
    if cr >= 0:
        raise SourceError("KS003", *_line_col_text(text, cr))
    return text


def _reject_tab_indent(yaml_part: str) -> None:
    """KS004 at the first YAML line indented with a tab (YAML forbids tabs there); lines start at file line 2."""
    if "\t" not in yaml_part:
        return
    for offset, yaml_line in enumerate(yaml_part.split("\n")):
        stripped = yaml_line.lstrip(" ")
        if stripped.startswith("\t"):
            raise SourceError("KS004", line=offset + 2, column=len(yaml_line) - len(stripped) + 1)


def _closing_fence(text: str, first_end: int) -> int | None:
    """Index of the first line after the opening one that is `---` (trailing blanks allowed)."""
    if first_end < 0:
        return None
    start = first_end
    while True:
        found = text.find("\n" + FENCE, start)
        if found < 0:
            return None
        line_start = found + 1
        end = text.find("\n", line_start)
        if not text[line_start + len(FENCE) : (len(text) if end < 0 else end)].strip():
            return line_start
        start = line_start


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def _line_col_text(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
