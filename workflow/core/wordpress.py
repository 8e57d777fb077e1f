"""An office's earlier website as plain records: a WordPress export (WXR 1.0–1.2) or
an RSS 2.0 / Atom feed, bytes in, `Export` out.

Most offices ran WordPress before Khaosan; the export file is the one thing every
WordPress site can hand over without plugins. It is untrusted input (anyone may
have edited it, and exports travel by e-mail), so the XML is read with expat
under rules that refuse what no export needs and every XML attack uses: an
internal DTD subset, entity declarations, external entities (billion laughs,
XXE). Nothing is fetched; the parser never opens a file or a URL.

Only what an item needs is kept: post ids, titles, permalinks, statuses, the
post's time (GMT, as the earlier site published it), its author's login,
categories and tags, the HTML, the excerpt and the few post meta keys that
point at media (featured image, an image's alt text).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element, TreeBuilder, tostring
from xml.parsers import expat

from workflow.core.thaitime import BANGKOK

# Namespaces by what they are, whatever WXR version wrote them.
_PREFIXES = (
    ("http://wordpress.org/export/", "/excerpt/", "excerpt"),
    ("http://wordpress.org/export/", "", "wp"),
    ("http://purl.org/rss/1.0/modules/content/", "", "content"),
    ("http://purl.org/dc/elements/1.1/", "", "dc"),
    ("http://www.w3.org/2005/Atom", "", "atom"),
    ("http://www.w3.org/1999/xhtml", "", ""),  # Atom's inline XHTML content: plain HTML tags
    ("http://www.w3.org/XML/1998/namespace", "", "xml"),
)
_META_KEPT = frozenset({"_thumbnail_id", "_wp_attachment_image_alt", "_wp_attached_file"})
_NO_DATE = "0000-00-00 00:00:00"
MAX_DEPTH = 100
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


class XmlRefused(ValueError):
    """The file is not XML this importer will read: `code` is KS231 (not well-formed), KS232
    (a DTD subset or an entity: refused unread) or KS234 (not an export or a feed)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Term:
    """A category or tag of a post: `domain` is `category` or `post_tag` (others are kept too)."""

    domain: str
    slug: str
    name: str


@dataclass(frozen=True)
class Entry:
    """One `<item>` (or feed entry): a post, a page, an attachment, …"""

    id: int
    title: str
    link: str
    kind: str  # post, page, attachment, nav_menu_item, …
    status: str  # publish, draft, pending, future, private, trash, inherit
    when: datetime | None  # the post's time: published, or scheduled for (Bangkok time)
    modified: datetime | None
    slug: str
    author: str  # the login (dc:creator)
    terms: tuple[Term, ...]
    content: str  # HTML as WordPress stored it (blocks, shortcodes, unwrapped paragraphs)
    excerpt: str
    parent: int = 0
    attachment_url: str = ""
    password: bool = False
    meta: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Export:
    """The earlier site: what it called itself, where it was, and its entries in file order."""

    source: str  # wordpress, rss, atom
    title: str
    link: str
    language: str
    version: str  # WXR version ("" for feeds)
    authors: Mapping[str, str]  # login -> display name
    entries: tuple[Entry, ...]

    def by_id(self) -> dict[int, Entry]:
        return {entry.id: entry for entry in self.entries}


# -- safe XML ------------------------------------------------------------------------------


def _tag(name: str) -> str:
    """expat's `uri}local` as a short `prefix:local` for the namespaces an export uses."""
    uri, sep, local = name.rpartition("}")
    if not sep:
        return name
    for start, end, prefix in _PREFIXES:
        if uri.startswith(start) and uri.endswith(end):
            return f"{prefix}:{local}" if prefix else local
    return "{" + name


def _refuse(what: str) -> None:
    raise XmlRefused("KS232", what)


def _doctype(name: str, system: str | None, public: str | None, internal: int) -> None:
    if internal or system:  # a bare <!DOCTYPE rss> names nothing to load
        _refuse(f"DOCTYPE {name} ที่มี DTD")


def _external(context: str, base: str | None, system: str | None, public: str | None) -> int:
    _refuse(f"การอ้างถึงไฟล์ภายนอก (external entity) {system or ''}".rstrip())
    return 0


def parse_xml(data: bytes) -> Element:
    """The document's root element; XmlRefused for a DTD subset, an entity or malformed XML."""
    builder = TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _doctype
    parser.EntityDeclHandler = lambda name, *_: _refuse(f"การประกาศ entity '{name}'")
    parser.UnparsedEntityDeclHandler = lambda name, *_: _refuse(f"การประกาศ entity '{name}'")
    parser.ExternalEntityRefHandler = _external
    depth = [0]

    def start(name: str, attrs: dict[str, str]) -> None:
        depth[0] += 1
        if depth[0] > MAX_DEPTH:  # an export is five levels deep; reading text walks the tree recursively
            raise XmlRefused("KS231", f"องค์ประกอบซ้อนกันเกิน {MAX_DEPTH} ชั้น")
        builder.start(_tag(name), {_tag(k): v for k, v in attrs.items()})

    def end(name: str) -> None:
        depth[0] -= 1
        builder.end(_tag(name))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise XmlRefused(
            "KS231", f"บรรทัด {exc.lineno} ตำแหน่ง {exc.offset + 1}: {expat.ErrorString(exc.code)}"
        ) from None
    except RecursionError:
        raise XmlRefused("KS231", "ซ้อนลึกเกินไป") from None
    root = builder.close()
    if not isinstance(root, Element):
        raise XmlRefused("KS231", "ไม่มีข้อมูล")
    return root


# -- values --------------------------------------------------------------------------------


def children(element: Element, tag: str) -> Iterator[Element]:
    """Direct children with this tag (`wp:post_id`: our prefixes, which ElementPath would misread)."""
    return (child for child in element if child.tag == tag)


def child(element: Element | None, tag: str) -> Element | None:
    return next(children(element, tag), None) if element is not None else None


def text_of(element: Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def plain(value: str) -> str:
    """Text a person reads in a field (a title, a name): entities decoded, tags and runs of space gone."""
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", html.unescape(value)))).strip()


def _child(element: Element | None, tag: str) -> str:
    return text_of(child(element, tag)).strip()


def _int(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _mysql_time(value: str, offset: timezone) -> datetime | None:
    value = value.strip()
    if not value or value == _NO_DATE:
        return None
    try:
        moment = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return moment.replace(tzinfo=offset).astimezone(BANGKOK)


def _post_time(item: Element, key: str) -> datetime | None:
    """The GMT column when WordPress set it (drafts have none), else the site's local one, read
    as Bangkok time: a Thai office's site ran on Asia/Bangkok."""
    return _mysql_time(_child(item, f"wp:{key}_gmt"), UTC) or _mysql_time(_child(item, f"wp:{key}"), BANGKOK)


# -- WordPress ------------------------------------------------------------------------------


def _meta(item: Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in children(item, "wp:postmeta"):
        key = _child(meta, "wp:meta_key")
        if key in _META_KEPT:
            found[key] = _child(meta, "wp:meta_value")
    return found


def _terms(item: Element) -> tuple[Term, ...]:
    return tuple(
        Term(category.get("domain", "category"), category.get("nicename", ""), plain(text_of(category)))
        for category in children(item, "category")
    )


def _wxr_entry(item: Element) -> Entry:
    return Entry(
        id=_int(_child(item, "wp:post_id")),
        title=plain(_child(item, "title")),
        link=_child(item, "link"),
        kind=_child(item, "wp:post_type") or "post",
        status=_child(item, "wp:status") or "publish",
        when=_post_time(item, "post_date"),
        modified=_post_time(item, "post_modified"),
        slug=_child(item, "wp:post_name"),
        author=_child(item, "dc:creator"),
        terms=_terms(item),
        content=text_of(child(item, "content:encoded")),
        excerpt=text_of(child(item, "excerpt:encoded")).strip(),
        parent=_int(_child(item, "wp:post_parent")),
        attachment_url=_child(item, "wp:attachment_url"),
        password=bool(_child(item, "wp:post_password")),
        meta=_meta(item),
    )


def _authors(channel: Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for author in children(channel, "wp:author"):
        login = _child(author, "wp:author_login")
        if login:
            found[login] = plain(_child(author, "wp:author_display_name")) or login
    return found


def _wordpress(channel: Element, version: str) -> Export:
    return Export(
        source="wordpress",
        title=plain(_child(channel, "title")),
        link=_child(channel, "link"),
        language=_child(channel, "language"),
        version=version,
        authors=_authors(channel),
        entries=tuple(_wxr_entry(item) for item in children(channel, "item")),
    )


def read_wordpress(data: bytes) -> Export:
    """A WordPress export (WXR): its channel and every item in it."""
    root = parse_xml(data)
    channel = child(root, "channel")
    version = _child(channel, "wp:wxr_version") if channel is not None else ""
    if root.tag != "rss" or channel is None or not version:
        hint = " (เป็นฟีด: ใช้ khaosan import feed)" if root.tag in ("rss", "atom:feed") else ""
        raise XmlRefused("KS234", f"ไม่ใช่ไฟล์ส่งออกของ WordPress (WXR): ไม่มี wp:wxr_version{hint}")
    return _wordpress(channel, version)


# -- feeds ----------------------------------------------------------------------------------


def _rfc822(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(BANGKOK)


def _iso(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)).astimezone(BANGKOK)


def _rss_entry(index: int, item: Element) -> Entry:
    content = text_of(child(item, "content:encoded")) or text_of(child(item, "description"))
    author = _child(item, "dc:creator") or _child(item, "author")
    return Entry(
        id=index,
        title=plain(_child(item, "title")),
        link=_child(item, "link"),
        kind="post",
        status="publish",
        when=_rfc822(_child(item, "pubDate")) or _iso(_child(item, "dc:date")),
        modified=None,
        slug="",
        author=plain(author),
        terms=tuple(Term("category", "", plain(text_of(c))) for c in children(item, "category") if text_of(c).strip()),
        content=content,
        excerpt="",
    )


def _atom_content(entry: Element) -> str:
    for tag in ("atom:content", "atom:summary"):
        element = child(entry, tag)
        if element is None:
            continue
        kind = element.get("type", "text")
        if kind == "xhtml":  # the markup itself, in one <div>: its children back to HTML
            div = element[0] if len(element) else element
            return (div.text or "") + "".join(tostring(child, encoding="unicode", method="html") for child in div)
        text = text_of(element)
        return text if kind == "html" else html.escape(text)
    return ""


def _atom_link(entry: Element) -> str:
    for link in children(entry, "atom:link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "")
    return ""


def _atom_entry(index: int, entry: Element) -> Entry:
    return Entry(
        id=index,
        title=plain(_child(entry, "atom:title")),
        link=_atom_link(entry),
        kind="post",
        status="publish",
        when=_iso(_child(entry, "atom:published")) or _iso(_child(entry, "atom:updated")),
        modified=_iso(_child(entry, "atom:updated")),
        slug="",
        author=plain(text_of(child(child(entry, "atom:author"), "atom:name"))),
        terms=tuple(
            Term("category", "", c.get("label") or c.get("term") or "") for c in children(entry, "atom:category")
        ),
        content=_atom_content(entry),
        excerpt="",
    )


def _feed_entries(root: Element) -> Iterator[Entry]:
    if root.tag == "atom:feed":
        for index, entry in enumerate(children(root, "atom:entry"), 1):
            yield _atom_entry(index, entry)
        return
    channel = child(root, "channel")
    for index, item in enumerate(children(channel, "item") if channel is not None else (), 1):
        yield _rss_entry(index, item)


def read_feed(data: bytes) -> Export:
    """An RSS 2.0 (or 0.9x) or Atom 1.0 feed: each entry a published post."""
    root = parse_xml(data)
    if root.tag == "atom:feed":
        head = root
        title, link, language = _child(root, "atom:title"), _atom_link(root), root.get("xml:lang", "")
        source = "atom"
    elif root.tag == "rss" and (channel := child(root, "channel")) is not None:
        head = channel
        title, link, language = _child(head, "title"), _child(head, "link"), _child(head, "language")
        source = "rss"
    else:
        raise XmlRefused("KS234", f"ไม่ใช่ฟีด RSS หรือ Atom (องค์ประกอบแรกคือ <{root.tag}>)")
    if source == "rss" and child(head, "wp:wxr_version") is not None:
        raise XmlRefused("KS234", "เป็นไฟล์ส่งออกของ WordPress: ใช้ khaosan import wordpress")
    return Export(source, plain(title), link.strip(), language, "", {}, tuple(_feed_entries(root)))
