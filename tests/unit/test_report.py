"""workflow.edges.render.problems: problems rendered once, as text, JSON or GitHub annotations."""

from __future__ import annotations

import json

from workflow.core.problems import CODES, problem
from workflow.edges.render.problems import as_dict, github_line, render, sort_key, text_line

ERROR = problem(
    "KS105",
    "content/news/2569/a.md",
    line=12,
    column=14,
    detail="'2026-11-20'",
    hint="เขียนแบบ 2026-11-20T12:00:00+07:00",
)
WARNING = problem(
    "KS304", "content/news/2569/a.md", line=20, column=13, severity="warning", detail="ขั้น ยืนยันข้อเท็จจริง โดย anan.w"
)


def test_text_line():
    assert text_line(ERROR) == (
        "content/news/2569/a.md:12:14: KS105 รูปแบบค่าไม่ถูกต้อง: '2026-11-20' — เขียนแบบ 2026-11-20T12:00:00+07:00"
    )


def test_text_line_marks_warnings_and_falls_back_to_the_codes_hint():
    line = text_line(WARNING)
    assert line.startswith("content/news/2569/a.md:20:13: KS304 คำเตือน: การลงนามล้าสมัย")
    assert line.endswith(CODES["KS304"].hint)


def test_github_line():
    line = github_line(ERROR)
    assert line.startswith("::error file=content/news/2569/a.md,line=12,col=14,title=KS105::")
    assert "รูปแบบค่าไม่ถูกต้อง" in line
    assert github_line(WARNING).startswith("::warning file=")


def test_github_line_escapes_properties_and_data():
    p = problem("KS010", "content/news/2569/a,b:c%.md", detail="50%\nบรรทัดใหม่\r")
    line = github_line(p)
    assert "file=content/news/2569/a%2Cb%3Ac%25.md," in line
    assert "50%25%0Aบรรทัดใหม่%0D" in line
    assert "\n" not in line and "\r" not in line


def test_as_dict():
    assert as_dict(ERROR) == {
        "path": "content/news/2569/a.md",
        "line": 12,
        "column": 14,
        "code": "KS105",
        "severity": "error",
        "message": "รูปแบบค่าไม่ถูกต้อง: '2026-11-20'",
        "hint": "เขียนแบบ 2026-11-20T12:00:00+07:00",
    }


def test_render_sorts_by_path_line_column_code():
    other = problem("KS201", "content/news/2569/0.md", line=99)
    same_line = problem("KS104", "content/news/2569/a.md", line=12, column=14)
    ordered = [other, same_line, ERROR, WARNING]
    assert sorted([WARNING, ERROR, other, same_line], key=sort_key) == ordered
    assert render([WARNING, ERROR, other, same_line], "text", {}).split("\n") == [text_line(p) for p in ordered]


def test_render_json_has_summary_and_problems_in_thai_unescaped():
    out = render([WARNING, ERROR], "json", {"files": 1, "errors": 1})
    data = json.loads(out)
    assert data["summary"] == {"files": 1, "errors": 1}
    assert [p["code"] for p in data["problems"]] == ["KS105", "KS304"]
    assert "รูปแบบ" in out


def test_render_nothing():
    assert render([], "text", {}) == ""
    assert render([], "github", {}) == ""
    assert json.loads(render([], "json", {"files": 0})) == {"summary": {"files": 0}, "problems": []}


def test_every_code_has_thai_message_and_hint():
    for code in CODES.values():
        assert code.code.startswith("KS") and len(code.code) == 5
        assert any("\u0e00" <= c <= "\u0e7f" for c in code.message), code.code
        assert any("\u0e00" <= c <= "\u0e7f" for c in code.hint), code.code
