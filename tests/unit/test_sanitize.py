"""Staff Markdown cannot put code on the public site: script, handlers, javascript: and data: URLs."""

from __future__ import annotations

import pytest

from workflow.edges.site.sanitize import render_body, sanitize

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="x.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">คลิก</a>',
    '<a href="JaVaScRiPt:alert(1)">คลิก</a>',
    '<a href="  javascript:alert(1)">คลิก</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<form action="https://evil.example"><input name="pw"></form>',
    "[คลิก](javascript:alert(1))",
    '<div onclick="alert(1)">x</div>',
    "<object data='x.swf'></object><embed src='x.swf'>",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_nothing_executable_survives(attack):
    html = render_body("ข่าว " + attack + " จบ").lower()
    for bad in (
        "<script",
        "javascript:",
        "data:",
        "onerror",
        "onload",
        "onclick",
        "<iframe",
        "<svg",
        "style=",
        "<form",
        "<input",
        "<object",
        "<embed",
    ):
        assert bad not in html, (attack, html)
    assert "ข่าว" in html and "จบ" in html


def test_ordinary_markdown_is_kept():
    html = render_body(
        "## หัวข้อ\n\n**ตัวหนา** [ลิงก์](https://www.obec.go.th/) และ [ไฟล์](files/a.pdf)\n\n"
        "| ก | ข |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h2>หัวข้อ</h2>" in html
    assert "<strong>ตัวหนา</strong>" in html
    assert 'href="https://www.obec.go.th/"' in html
    assert 'href="{static}/files/a.pdf"' in html  # resolved by Pelican relative to the page
    assert "<table>" in html and "<td>1</td>" in html


def test_sanitize_keeps_mailto_and_tel():
    html = sanitize('<a href="mailto:a@b.example">a</a> <a href="tel:099">t</a>')
    assert 'href="mailto:a@b.example"' in html and 'href="tel:099"' in html
