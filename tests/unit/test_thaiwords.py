"""workflow/edges/site/thaiwords.py: Thai word boundaries marked in text only, and taken out again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workflow.edges.site.thaiwords import SUMMARY_LENGTH, card_summary, marker, names_of, plain


def test_words_are_kept_whole_and_separated():
    assert marker().text("การเตรียมความพร้อม") == (
        '<span class="w">การ</span><wbr><span class="w">เตรียม</span><wbr><span class="w">ความพร้อม</span>'
    )


def test_the_offices_own_names_are_words():
    office = {"people": [{"name": "นางสาววิไลวรรณ ศรีสมบูรณ์"}], "groups": [], "office": {"name": "สพป.ภูผาหมอก"}}
    names = names_of(office)
    assert {"ศรีสมบูรณ์", "นางสาววิไลวรรณ", "ภูผาหมอก"} <= names
    assert '<span class="w">ศรีสมบูรณ์</span>' in marker(names).text("คุณศรีสมบูรณ์")
    assert "ศรี</span><wbr>" in marker().text("คุณศรีสมบูรณ์")  # the dictionary alone splits the surname


def test_only_text_is_marked_never_tags_attributes_entities_or_code():
    html = (
        '<p title="ภาษาไทย"><a href="https://x.example/ภาษา">ภาษาไทย</a> 1015.38 &amp; ฯ</p>'
        "<pre><code>ภาษาไทยในโค้ด</code></pre><p>ต่อไป</p>"
    )
    marked = marker().html(html)
    assert marked.startswith('<p title="ภาษาไทย"><a href="https://x.example/ภาษา"><span class="w">ภาษาไทย</span></a>')
    assert " 1015.38 &amp; ฯ</p><pre><code>ภาษาไทยในโค้ด</code></pre>" in marked
    assert marked.endswith('<p><span class="w">ต่อไป</span></p>')
    assert plain(marked) == html


def test_text_is_escaped():
    assert marker().text("<script>ภาษา</script>") == '&lt;script&gt;<span class="w">ภาษา</span>&lt;/script&gt;'


@given(st.text(alphabet=st.sampled_from(list("กขคงจาิีึุู่้๊๋ะ ัเแโ<>&ab1.\n")), max_size=80))
def test_marks_come_out_again_and_change_no_character(text):
    from html import escape

    html = f"<p>{escape(text, quote=False)}</p>"
    marked = marker().html(html)
    assert plain(marked) == html


def test_a_cards_summary_is_cut_as_the_theme_cut_it():
    long = "ข่าว " * 60
    assert len(card_summary(long)) <= SUMMARY_LENGTH + 5 and card_summary(long).endswith("...")
    assert card_summary("<b>ตัวหนา</b> &amp; ต่อ") == "ตัวหนา & ต่อ"


@given(st.text(alphabet=st.sampled_from(list("กขคงจาิีึุู่้๊๋ะ ัเแโ<>&ab1.\n")), max_size=80))
def test_marking_twice_changes_nothing(text):
    """The theme marks whole blocks that hold an item's title, already marked."""
    from html import escape

    once = marker().html(f"<p>{escape(text, quote=False)}</p>")
    assert marker().html(once) == once


def test_the_theme_filter_escapes_text_keeps_safe_html_and_marks_both():
    from markupsafe import Markup

    words = marker()
    assert words.markup("<b>ภาษาไทย</b>") == '&lt;b&gt;<span class="w">ภาษาไทย</span>&lt;/b&gt;'
    assert words.markup(Markup("<b>ภาษาไทย</b>")) == '<b><span class="w">ภาษาไทย</span></b>'
    assert isinstance(words.markup("ข่าว"), Markup)  # autoescape does not escape the marks again
    long = Markup("<p>" + "การประชุม " * 1000 + "</p>")  # a page's own content is not kept
    assert plain(str(words.markup(long))) == long and long not in words.pieces


def _reference_html(words, html: str) -> str:
    """The marker as first written (split at every tag, text parts marked outside raw elements): the
    one-pass `html` must give the same answer on any HTML that holds no marks yet."""
    import re

    tag, raw_start = re.compile(r"(<[^>]*>)"), re.compile(r"<(pre|code|script|style|svg|title|textarea)\b", re.I)
    out, raw = [], None
    for part in tag.split(html):
        if part.startswith("<"):
            out.append(part)
            if raw is None and (start := raw_start.match(part)) and not part.endswith("/>"):
                raw = start.group(1).lower()
            elif raw is not None and part.lower().startswith(f"</{raw}"):
                raw = None
        else:
            out.append(part if raw is not None else words._escaped(part))
    return "".join(out)


PIECES = [
    "การประชุม",
    "ความพร้อม ",
    "ฯ",
    " 1015.38 ",
    "&amp;",
    "ab",
    "<p>",
    "</p>",
    '<a href="https://x.example/ภาษาไทย" title="ภาษาไทย">',
    "</a>",
    "<pre>",
    "</pre>",
    "<CODE>",
    "</code>",
    "<svg/>",
    "<svg>",
    "</svg>",
    "<title>",
    "</title>",
    "<!-- ความเห็น -->",
    "<br>",
]


@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_one_pass_marking_gives_what_splitting_at_every_tag_gave(pieces):
    html = "".join(pieces)
    words = marker()
    assert words.html(html) == _reference_html(words, html)
