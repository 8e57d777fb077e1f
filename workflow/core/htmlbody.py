"""A post's HTML as WordPress stored it → Markdown a person can edit, with nothing active left.

WordPress keeps a post as it was typed: Gutenberg blocks wrapped in comments,
classic posts without `<p>` (the theme adds them on display), shortcodes that
only the old site's plugins understood, embeds, pasted scripts and `on…`
handlers. Before anything is converted, the active parts go: script, style,
iframe, object, embed, video, audio and forms, every attribute but the few a
link or an image needs, every URL that is not http(s), mailto or tel. Embeds
become a plain link to what they showed; `[caption]` becomes the image's
caption; a gallery becomes its images; any other shortcode is removed. Each of
those is a note the importer prints, so a person knows what to look at.

Images leave the text for the item's `images:` list (the site shows them with
their alt text and credit); links to documents uploaded to the old site point at
the copy under `content/files/`. Which copy, or why there is none, is the
caller's answer (`place`): this module never touches a disk.

The conversion itself is markdownify's (BeautifulSoup underneath), a maintained
converter; Thai text passes through it unchanged, character for character. Only
runs of white space are collapsed, as a browser would show them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from urllib.parse import quote, unquote, urljoin, urlsplit

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag
from markdownify import ATX, SPACES, MarkdownConverter

IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "webp"})
_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Never content: removed with everything inside them.
_ACTIVE = (
    *("script", "style", "noscript", "template", "form", "input", "button", "select", "textarea"),
    *("link", "meta", "base", "svg", "math", "frame", "frameset", "applet", "canvas"),
)
_EMBEDS = ("iframe", "embed", "object", "video", "audio")
_KEPT_ATTRIBUTES = {"a": ("href",), "img": ("src", "alt")}
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_ANY_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BLOCKS = "<!-- wp:"  # Gutenberg content carries its own <p>: WordPress does not add them (has_blocks)
_BLOCK_START = re.compile(
    r"^\s*(?:<(?:h[1-6]|ul|ol|li|table|blockquote|figure|div|pre|hr|p|dl)\b|\[(?:caption|gallery|embed))", re.I
)
_ENCLOSING = re.compile(r"\[(caption|wp_caption|embed|video|audio)\b([^\]]*)\](.*?)\[/\1\]", re.DOTALL)
_SINGLE = re.compile(r"\[(gallery|video|audio|playlist)\b([^\]]*)\]")
_OTHER = re.compile(r"\[(/?)([a-z][a-z0-9_-]*)\b([^\]\[]*)\]")
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""")
_CAPTIONED = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL | re.IGNORECASE)
_UPLOADS = re.compile(r"/wp-content/uploads/(.+)$")
_SIZED = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[A-Za-z0-9]+$)")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MARKUP_LIKE = re.compile(r"[<>]|&#?[A-Za-z0-9]+;")
_BLANK_LINES = re.compile(r"\n{3,}")
MAX_NESTING = 60


@dataclass(frozen=True)
class Media:
    """An image or a document the post shows or links to."""

    url: str  # absolute
    upload: str  # its path under wp-content/uploads/ ("" when it is not an upload)
    image: bool
    alt: str = ""
    caption: str = ""
    title: str = ""  # a document link's text

    @property
    def original(self) -> str:
        """The upload WordPress resized this one from (`photo-1024x768.jpg` → `photo.jpg`)."""
        return _SIZED.sub("", self.upload)


@dataclass(frozen=True)
class Placed:
    """Where the copy of a media file is under content/ (`images/2568/x.jpg`), or why there is none."""

    ref: str | None
    why: str = ""


@dataclass(frozen=True)
class Note:
    """Something the importer changed or could not bring: KS236 (media) or KS237 (markup)."""

    code: str
    detail: str


@dataclass(frozen=True)
class Converted:
    markdown: str
    images: tuple[tuple[str, Media], ...]  # (ref under content/, what the post said of it), once each
    files: tuple[tuple[str, Media], ...]
    notes: tuple[Note, ...]


Place = Callable[[Media], Placed]
Gallery = Callable[[tuple[int, ...]], list[Media]]
Internal = Callable[[str], str | None]  # a link to a post of the earlier site → the link to the item it became


@dataclass
class _Work:
    base: str
    place: Place
    internal: Internal | None = None
    images: dict[str, Media] = field(default_factory=dict)
    files: dict[str, Media] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def note(self, code: str, detail: str) -> None:
        found = Note(code, detail)
        if found not in self.notes:
            self.notes.append(found)


# -- URLs -----------------------------------------------------------------------------------


def upload_path(url: str) -> str:
    """`https://old/wp-content/uploads/2025/06/a.jpg` → `2025/06/a.jpg` (decoded); "" for other URLs
    and for any path that would climb out of the uploads folder."""
    found = _UPLOADS.search(urlsplit(url).path)
    if not found:
        return ""
    path = unquote(found.group(1))
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts) or "\\" in path or "\x00" in path:
        return ""
    return path


def extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def safe_url(value: str, base: str) -> str | None:
    """An absolute http(s)/mailto/tel URL a Markdown link can hold, or None (javascript:, data:, …)."""
    value = value.strip()
    if not value or value.startswith("#"):
        return None
    absolute = urljoin(base, value) if base else value
    try:
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    if scheme not in _SCHEMES:
        return None
    return quote(absolute, safe=":/?#[]@!$&'*+,;=%~-._")  # spaces, parentheses, < and > encoded


# -- before parsing: blocks, paragraphs, shortcodes ------------------------------------------------


def _autop(text: str) -> str:
    """Classic-editor posts keep paragraphs as blank lines: WordPress adds the <p> on display (wpautop),
    so do we; a chunk that is already a block (a <p>, a list, a [caption]) is left as it is."""
    out = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        if not chunk.strip():
            continue
        out.append(chunk if _BLOCK_START.match(chunk) else "<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(out)


def attributes(text: str) -> dict[str, str]:
    """A shortcode's `name="value"` pairs."""
    return {m.group(1).lower(): next(v for v in m.groups()[1:] if v is not None) for m in _ATTRIBUTE.finditer(text)}


def _link(url: str) -> str:
    escaped = html.escape(url)
    return f'<p><a href="{escaped}">{escaped}</a></p>'


def _figure(image: str, caption: str) -> str:
    return f"<figure>{image}<figcaption>{caption.strip()}</figcaption></figure>" if caption.strip() else image


def _enclosing(match: re.Match[str], work: _Work) -> str:
    name, attrs, inner = match.group(1), attributes(match.group(2)), match.group(3)
    if name in ("caption", "wp_caption"):
        found = _CAPTIONED.match(inner)
        image, caption = (found.group(1), found.group(2)) if found else (inner, "")
        work.note("KS237", "[caption] เป็นคำบรรยายภาพ")
        return _figure(image, caption or html.escape(attrs.get("caption", "")))
    url = inner.strip() or attrs.get("src", "") or attrs.get("mp4", "")
    work.note("KS237", f"[{name}] {url} แทนด้วยลิงก์")
    return _link(url) if url else ""


def _single(match: re.Match[str], work: _Work, gallery: Gallery) -> str:
    name, attrs = match.group(1), attributes(match.group(2))
    if name == "gallery":
        ids = tuple(int(i) for i in re.findall(r"\d+", attrs.get("ids", "") or attrs.get("include", "")))
        shown = gallery(ids)
        listed = f" (ภาพที่ {', '.join(map(str, ids))})" if ids else ""
        work.note(
            "KS237",
            f"[gallery] เป็นภาพ {len(shown)} ภาพใน images" if shown else f"[gallery] ลบออก: ไม่พบภาพในไฟล์ส่งออก{listed}",
        )
        return "".join(
            _figure(f'<img src="{html.escape(m.url)}" alt="{html.escape(m.alt)}">', html.escape(m.caption))
            for m in shown
        )
    url = attrs.get("src", "") or attrs.get("mp4", "") or attrs.get("mp3", "")
    work.note("KS237", f"[{name}] {url} แทนด้วยลิงก์" if url else f"[{name}] ลบออก")
    return _link(url) if url else ""


def _other(match: re.Match[str], work: _Work) -> str:
    work.note("KS237", f"[{match.group(2)}] ลบออก (เว็บไซต์ใหม่ไม่มีส่วนเสริมนี้)")
    return ""


def _shortcodes(text: str, work: _Work, gallery: Gallery) -> str:
    text = _ENCLOSING.sub(lambda m: _enclosing(m, work), text)
    text = _SINGLE.sub(lambda m: _single(m, work, gallery), text)
    return _OTHER.sub(lambda m: _other(m, work), text)


# -- the parsed tree -------------------------------------------------------------------------------


def _tags(soup: BeautifulSoup | Tag, *names: str) -> list[Tag]:
    """Elements in document order (one walk of the tree: bs4's find_all is several times slower)."""
    wanted = frozenset(names)
    return [t for t in soup.descendants if isinstance(t, Tag) and (not wanted or t.name in wanted)]


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    return " ".join(value) if isinstance(value, list) else (value or "")


def _replace_with_link(tag: Tag, url: str | None, soup: BeautifulSoup) -> None:
    if url is None:
        tag.decompose()
        return
    paragraph = soup.new_tag("p")
    link = soup.new_tag("a", href=url)
    link.string = url
    paragraph.append(link)
    tag.replace_with(paragraph)


def _embeds(soup: BeautifulSoup, work: _Work) -> None:
    """Gutenberg embed blocks and iframes/objects/videos: a plain link to what they showed."""
    for figure in _tags(soup, "figure"):
        if figure.parent is not None and "wp-block-embed" in _attr(figure, "class"):
            url = safe_url(figure.get_text(" ", strip=True).split(" ")[0], work.base)
            work.note("KS237", f"embed {url or ''} แทนด้วยลิงก์".replace("  ", " "))
            _replace_with_link(figure, url, soup)
    for tag in _tags(soup, *_EMBEDS):
        if tag.parent is None:
            continue  # inside one already replaced
        source = _attr(tag, "src") or _attr(tag, "data") or next((_attr(s, "src") for s in _tags(tag, "source")), "")
        url = safe_url(source, work.base)
        work.note("KS237", f"<{tag.name}> {url} แทนด้วยลิงก์" if url else f"<{tag.name}> ลบออก")
        _replace_with_link(tag, url, soup)


def _deactivate(soup: BeautifulSoup, work: _Work) -> None:
    """No script or form survives; no attribute but href, src and alt; no URL but http(s), mailto, tel."""
    for tag in _tags(soup, *_ACTIVE):
        if tag.parent is not None:
            work.note("KS237", f"<{tag.name}> ลบออก")
            tag.decompose()
    for tag in _tags(soup, "a"):
        if "wp-block-file__button" in _attr(tag, "class"):
            tag.decompose()  # the file block's second link to the same file ("ดาวน์โหลด")
    for tag in _tags(soup):
        handlers = sorted(k for k in tag.attrs if k.lower().startswith("on"))
        if handlers:
            work.note("KS237", f"ตัวจัดการเหตุการณ์ {', '.join(handlers)} ใน <{tag.name}> ลบออก")
        kept = _KEPT_ATTRIBUTES.get(tag.name, ())
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in kept}
        for name in ("href", "src"):
            if name in tag.attrs:
                _check_url(tag, name, work)


def _check_url(tag: Tag, name: str, work: _Work) -> None:
    value = _attr(tag, name)
    url = safe_url(value, work.base)
    if url is not None:
        tag.attrs[name] = url
        return
    scheme = value.strip().split(":", 1)[0].lower() if ":" in value else ""
    if scheme and scheme not in _SCHEMES:
        work.note("KS237", f"ลิงก์แบบ {scheme}: ใน <{tag.name}> ลบออก")
    del tag.attrs[name]


def _caption_of(image: Tag) -> str:
    figure = image.find_parent("figure")
    caption = figure.find("figcaption") if figure is not None else None
    return caption.get_text(" ", strip=True) if isinstance(caption, Tag) else ""


def _drop_image(image: Tag) -> None:
    """The image leaves the text, with the link around it, its caption and its emptied figure."""
    link = image.parent if image.parent is not None and image.parent.name == "a" else None
    figure = image.find_parent("figure")
    image.decompose()
    if link is not None and not link.get_text(strip=True) and not link.find("img"):
        link.decompose()
    if figure is not None and not figure.find("img"):
        figure.decompose()


def _images(soup: BeautifulSoup, work: _Work) -> None:
    for image in _tags(soup, "img"):
        url = _attr(image, "src")
        if url:
            alt = _attr(image, "alt").strip()
            caption = _caption_of(image)
            media = Media(url, upload_path(url), True, alt=alt or caption, caption=caption)
            _bring(media, work)
        _drop_image(image)


def _bring(media: Media, work: _Work) -> str | None:
    placed = work.place(media)
    if placed.ref is None:
        what = "ภาพ" if media.image else "ไฟล์"
        work.note("KS236", f"{what} {media.url}: {placed.why}")
        return None
    kept = work.images if media.image else work.files
    before = kept.get(placed.ref)
    if before is None:
        kept[placed.ref] = media
    elif not before.caption and media.caption:  # the featured image, shown again with a caption
        kept[placed.ref] = replace(before, caption=media.caption, alt=before.alt or media.alt)
    return placed.ref


def _links(soup: BeautifulSoup, work: _Work) -> None:
    """Links to uploads: a document points at its copy, an image joins `images:`; a link to another
    imported post points at its item (the earlier site will be gone)."""
    for link in _tags(soup, "a"):
        url = _attr(link, "href")
        upload = upload_path(url) if url else ""
        if not upload:
            target = work.internal(url) if url and work.internal is not None else None
            if target is not None:
                link.attrs["href"] = target
            continue
        text = link.get_text(" ", strip=True)
        image = extension(upload) in IMAGE_EXTENSIONS
        ref = _bring(Media(url, upload, image, alt=text if image else "", title=text), work)
        if image or (ref is None and not text):
            link.unwrap()
        elif ref is not None:
            link.attrs["href"] = ref


def _too_deep(soup: BeautifulSoup) -> bool:
    """Nested deeper than MAX_NESTING: the converter walks the tree recursively, and no post a person
    wrote nests that deep (a hostile one may)."""
    depth: dict[int, int] = {id(soup): 0}
    for node in soup.descendants:  # document order: a parent before its children
        if isinstance(node, Tag):
            depth[id(node)] = depth[id(node.parent)] + 1
            if depth[id(node)] > MAX_NESTING:
                return True
    return False


def _text_only(soup: BeautifulSoup, work: _Work) -> BeautifulSoup:
    """The text alone, a paragraph a line, in a new tree (what a too-deep post keeps)."""
    work.note("KS237", f"HTML ซ้อนกันเกิน {MAX_NESTING} ชั้น: นำมาเฉพาะข้อความ")
    for tag in _tags(soup, *_ACTIVE):
        if tag.parent is not None:
            tag.decompose()
    plain = BeautifulSoup("", "html.parser")
    for line in soup.get_text("\n").split("\n"):
        if line.strip():
            paragraph = plain.new_tag("p")
            paragraph.string = line.strip()
            plain.append(paragraph)
    return plain


def _escape_text(soup: BeautifulSoup) -> None:
    """Text that would read as HTML or a quote in Markdown stays text: `<` `>` and entity-like `&`."""
    for node in list(soup.find_all(string=_MARKUP_LIKE)):
        if isinstance(node, NavigableString) and node.find_parent(["pre", "code"]) is None:
            text = str(node)
            escaped = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
            if escaped != text:
                node.replace_with(NavigableString(escaped))


# A <br> is two trailing spaces: Python-Markdown, which renders the site, has no backslash break.
_CONVERTER = MarkdownConverter(heading_style=ATX, bullets="-", newline_style=SPACES)


def _line(line: str) -> str:
    """Trailing white space goes, except a <br>'s two spaces."""
    return line if line.endswith("  ") and not line.endswith("   ") and line.strip() else line.rstrip()


def _markdown(soup: BeautifulSoup) -> str:
    text = _CONVERTER.convert_soup(soup)
    lines = [_line(line) for line in text.replace("\r", "").split("\n")]
    body = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return body + "\n" if body else ""


def _no_gallery(ids: tuple[int, ...]) -> list[Media]:
    return []


def convert(
    content: str, *, base: str, place: Place, gallery: Gallery = _no_gallery, internal: Internal | None = None
) -> Converted:
    """The post's HTML as Markdown, the media it brought (through `place`), links to other imported
    posts made links to their items (through `internal`), and what changed."""
    work = _Work(base=base, place=place, internal=internal)
    text = content if _BLOCKS in content else _autop(content)
    text = _ANY_COMMENT.sub("", _BLOCK_COMMENT.sub("", text))
    text = _shortcodes(text, work, gallery)
    soup = BeautifulSoup(text, "html.parser")
    if _too_deep(soup):
        soup = _text_only(soup, work)
    _embeds(soup, work)
    _deactivate(soup, work)
    _images(soup, work)
    _links(soup, work)
    for caption in _tags(soup, "figcaption"):
        caption.decompose()  # each went into images: with its image
    _escape_text(soup)
    return Converted(_markdown(soup), tuple(work.images.items()), tuple(work.files.items()), tuple(work.notes))


def plain_text(content: str) -> Iterator[str]:
    """The text of an HTML fragment, a paragraph at a time (for summaries)."""
    soup = BeautifulSoup(content if _BLOCKS in content else _autop(content), "html.parser")
    for tag in _tags(soup, *_ACTIVE, *_EMBEDS):
        if tag.parent is not None:
            tag.decompose()
    for line in soup.get_text("\n").split("\n"):
        if line.strip():
            yield re.sub(r"\s+", " ", line).strip()
