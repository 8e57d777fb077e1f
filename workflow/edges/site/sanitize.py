"""Staff Markdown becomes HTML that cannot run code on a citizen's browser.

Rendered with Python-Markdown, then cleaned by nh3 (Rust's ammonia): an
allow-list of tags and attributes, and of URL schemes. `<script>`, event
handlers (`onclick=` …), `style`, `javascript:` and `data:` URLs never pass.
Links to the item's own files (`files/…`, `images/…`) are then marked for
Pelican (`{static}`) so that they work from any page depth.
"""

from __future__ import annotations

import re
import threading

import markdown
import nh3

MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty"]

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_OWN_FILE = re.compile(r'(href|src)="(?:\./)?((?:files|images)/[^"]+)"')


def sanitize(html: str) -> str:
    """Only the allowed tags, attributes and URL schemes remain."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_RENDERER = threading.local()  # one Markdown instance a thread: building one costs more than a short body


def render_body(body: str) -> str:
    """Markdown → safe HTML; links to the item's files resolved by Pelican."""
    renderer = getattr(_RENDERER, "md", None)
    if renderer is None:
        renderer = _RENDERER.md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
    html = sanitize(renderer.reset().convert(body))
    return _OWN_FILE.sub(r'\1="{static}/\2"', html)
