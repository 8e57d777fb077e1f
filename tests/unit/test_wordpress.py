"""The pure side of `khaosan import`: hostile XML refused, WordPress HTML → Markdown with Thai intact
and nothing active left, records → items (core/wordpress.py, core/htmlbody.py, core/imported.py)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.core.htmlbody import Media, Placed, convert, safe_url, upload_path
from workflow.core.imported import _slug_tail, plan
from workflow.core.thaitime import BANGKOK
from workflow.core.wordpress import Entry, Export, XmlRefused, parse_xml, read_feed, read_wordpress

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=BANGKOK)
THAI = "".join(chr(c) for c in range(0x0E01, 0x0E5C) if unicodedata.category(chr(c)) != "Cn")


def nothing(media: Media) -> Placed:
    return Placed(None, "ไม่มี")


def md(html: str) -> str:
    return convert(html, base="https://old.example/", place=nothing).markdown


@given(st.lists(st.text(alphabet=THAI, min_size=1, max_size=40), min_size=1, max_size=8))
def test_thai_paragraphs_come_through_unchanged(words):
    text = unicodedata.normalize("NFC", " ".join(words))
    assert md(f"<!-- wp:paragraph --><p>{text}</p><!-- /wp:paragraph -->") == text + "\n"


def test_classic_posts_get_paragraphs_and_line_breaks_as_wordpress_shows_them():
    assert md("บรรทัดแรก\nบรรทัดสอง\n\nย่อหน้าใหม่") == "บรรทัดแรก  \nบรรทัดสอง\n\nย่อหน้าใหม่\n"


@pytest.mark.parametrize(
    "html",
    [
        "<p>ก<script>alert(1)</script></p>",
        '<p onclick="x()">ก</p>',
        '<a href="javascript:alert(1)">ก</a>',
        '<a href=" JaVa\tScRiPt:alert(1)">ก</a>',
        '<img src="x" onerror="alert(1)">ก',
        '<iframe src="javascript:alert(1)"></iframe>ก',
        "<svg><script>alert(1)</script></svg>ก",
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; ก</p>",
        '<a href="data:text/html,<script>alert(1)</script>">ก</a>',
        "<style>body{}</style><form action=x><input></form>ก",
    ],
)
def test_nothing_active_survives(html):
    out = md(html)
    assert "ก" in out
    for word in ("<script", "<iframe", "javascript", "onclick", "onerror", "<svg", "data:", "<style", "<form"):
        assert word not in out.lower(), out


def test_text_that_looks_like_markup_stays_text():
    assert md("<p>a &lt;b&gt; c &amp;amp; d</p>") == "a &lt;b&gt; c &amp;amp; d\n"


def test_urls_outside_uploads_and_climbing_out_are_not_uploads():
    assert upload_path("https://old.example/wp-content/uploads/2025/06/%E0%B8%A0%E0%B8%B2%E0%B8%9E.jpg") == (
        "2025/06/ภาพ.jpg"
    )
    assert upload_path("https://old.example/wp-content/uploads/../../wp-config.php") == ""
    assert upload_path("https://old.example/img/a.jpg") == ""
    assert safe_url("/about/", "https://old.example/post/") == "https://old.example/about/"
    assert safe_url("vbscript:x", "") is None


def test_shortcodes_and_embeds_become_text_links_or_nothing():
    result = convert(
        '[caption id="a" width="300"]<img src="https://old.example/wp-content/uploads/2025/06/a.jpg" alt="">'
        " คำบรรยาย[/caption]"
        "\n\n[embed]https://www.youtube.com/watch?v=1[/embed]\n\n[contact-form-7 id=1]\n\n[gallery]",
        base="https://old.example/",
        place=lambda m: Placed("images/2568/a.jpg"),
    )
    assert result.images[0][0] == "images/2568/a.jpg"
    assert result.images[0][1].alt == "คำบรรยาย" and result.images[0][1].caption == "คำบรรยาย"
    assert result.markdown == "<https://www.youtube.com/watch?v=1>\n"
    assert [n.code for n in result.notes] == ["KS237"] * 4


def test_a_resized_image_names_its_original():
    media = Media("u", "2025/06/photo-1024x768.jpg", True)
    assert media.original == "2025/06/photo.jpg"
    assert Media("u", "2025/06/big-scaled.jpeg", True).original == "2025/06/big.jpeg"


@pytest.mark.parametrize(
    ("xml", "code"),
    [
        (b'<!DOCTYPE r [<!ENTITY a "x">]><r>&a;</r>', "KS232"),
        (b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://x.example/p.dtd"> %p;]><r/>', "KS232"),
        (b'<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>', "KS232"),
        (b"<r><a></r>", "KS231"),
        (b"", "KS231"),
        (b"<a>" * 5000 + b"</a>" * 5000, "KS231"),
        (b"\xff\xfe<\x00r\x00", "KS231"),
    ],
)
def test_hostile_xml_is_refused(xml, code):
    with pytest.raises(XmlRefused) as refused:
        parse_xml(xml)
    assert refused.value.code == code


def test_a_bare_doctype_names_nothing_to_load_and_is_read():
    assert parse_xml(b"<!DOCTYPE rss><rss/>").tag == "rss"


def test_a_feed_is_not_an_export_and_an_export_is_not_a_feed():
    feed = b'<rss version="2.0"><channel><title>t</title></channel></rss>'
    with pytest.raises(XmlRefused) as refused:
        read_wordpress(feed)
    assert refused.value.code == "KS234" and "import feed" in refused.value.detail
    export = b'<rss xmlns:wp="http://wordpress.org/export/1.1/"><channel><wp:wxr_version>1.1</wp:wxr_version></channel></rss>'
    assert read_wordpress(export).version == "1.1"
    with pytest.raises(XmlRefused):
        read_feed(export)


def entry(id: int, status: str, when: datetime | None, slug: str = "") -> Entry:
    return Entry(
        id, f"โพสต์ {id}", f"https://old.example/?p={id}", "post", status, when, None, slug, "admin", (), "", ""
    )


def test_each_post_is_planned_by_what_the_earlier_site_can_vouch_for():
    from workflow.core.imported import Choices

    export = Export(
        "wordpress",
        "เว็บไซต์เดิม",
        "https://old.example",
        "th",
        "1.2",
        {},
        (
            entry(1, "publish", datetime(2025, 1, 2, 9, 0, tzinfo=BANGKOK), "%e0%b8%81"),
            entry(2, "publish", datetime(2026, 11, 25, 0, 0, tzinfo=BANGKOK), "ok-slug"),
            entry(3, "draft", None),
            entry(4, "future", datetime(2026, 12, 1, 9, 0, tzinfo=BANGKOK)),
            entry(5, "private", datetime(2025, 1, 2, 9, 0, tzinfo=BANGKOK)),
            entry(6, "auto-draft", None),
        ),
    )
    found = plan(export, Choices("somchai.p", "general", "proactive", "press-release", None), date(2026, 11, 25), NOW)
    assert [(p.entry.id, p.state, p.slug) for p in found.items] == [
        (1, "earlier", "general-20250102-wp1"),
        (2, "after-adoption", "general-20261125-ok-slug"),
        (3, "draft", "general-20261125-wp3"),
        (4, "scheduled", "general-20261125-wp4"),
    ]
    assert [s.entry.id for s in found.skipped] == [5] and found.others == 1
    assert _slug_tail(entry(7, "publish", None, "Hello World!"), "wordpress") == "hello-world"
    assert _slug_tail(entry(8, "publish", None), "rss").startswith("feed-")


def test_html_nested_past_the_converters_reach_keeps_its_text():
    result = convert("<div>" * 20_000 + "<p>ข้อความ</p><script>x()</script>" + "</div>" * 20_000, base="", place=nothing)
    assert result.markdown == "ข้อความ\n" and result.notes[0].code == "KS237"
