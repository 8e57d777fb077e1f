"""Render collected problems once: text for people, JSON for programs,
workflow commands for GitHub Actions annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable

from workflow.core.problems import Problem

FORMATS = ("text", "json", "github")


def sort_key(p: Problem) -> tuple[str, int, int, str]:
    return (p.path, p.line, p.column, p.code)


def text_line(p: Problem) -> str:
    warn = "คำเตือน: " if p.severity == "warning" else ""
    return f"{p.path}:{p.line}:{p.column}: {p.code} {warn}{p.message} — {p.fix}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(p: Problem) -> str:
    """`::error file=…,line=…,col=…,title=…::message` (GitHub workflow command)."""
    level = "error" if p.severity == "error" else "warning"
    props = ",".join(
        [f"file={_escape_property(p.path)}", f"line={p.line}", f"col={p.column}", f"title={_escape_property(p.code)}"]
    )
    return f"::{level} {props}::{_escape_data(f'{p.message} — {p.fix}')}"


def as_dict(p: Problem) -> dict[str, object]:
    return {
        "path": p.path,
        "line": p.line,
        "column": p.column,
        "code": p.code,
        "severity": p.severity,
        "message": p.message,
        "hint": p.fix,
    }


def render(problems: Iterable[Problem], fmt: str, summary: dict[str, object]) -> str:
    ordered = sorted(problems, key=sort_key)
    if fmt == "json":
        return json.dumps({"summary": summary, "problems": [as_dict(p) for p in ordered]}, ensure_ascii=False, indent=2)
    lines = [github_line(p) if fmt == "github" else text_line(p) for p in ordered]
    return "\n".join(lines)
