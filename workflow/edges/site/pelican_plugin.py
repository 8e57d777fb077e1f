"""Pelican reads items through Khaosan's own parser, never a second one.

Registered in pelicanconf.py (`PLUGINS`). The build passes, in the setting
`KHAOSAN_ITEMS`, the date and flags of every item that passed the gate
(`{item_id: {"date": iso, "urgent": bool, "key": item key, "path": source}}`);
the date is `Decision.date`. After Pelican has written the item pages,
`site_pages.write_pages` writes every listing, the office pages, feeds,
sitemap.xml, robots.txt and the open data file from the same articles.

For a build that renders only what changed (`workflow/core/site_plan.py`):
`KHAOSAN_READS` holds the last build's reader output by source path, used
when the item's key is the same (the Markdown is not rendered again), and
receives this build's; `KHAOSAN_RENDER`, when set, names the only item pages
to write, and `KHAOSAN_COPY` the only content files to copy;
`KHAOSAN_ITEM_PAGES_ONLY` writes item pages and nothing else (the changed pages
a partial build places first, from those items alone).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from pelican import signals
from pelican.readers import BaseReader
from pelican.writers import Writer

from workflow.core import bidding, complaints, procurement
from workflow.core.thaitime import BANGKOK, be_year, format_date, parse_time, thai_digits
from workflow.core.validate import parse_item
from workflow.core.vocabulary import KIND, TYPE_FIELD, Vocabulary
from workflow.edges.site.sanitize import render_body
from workflow.edges.site.thaiwords import card_summary, marker, names_of

FILE_TYPES = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
    "zip": "ZIP",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "png": "PNG",
    "odt": "ODF",
    "ods": "ODF",
    "csv": "CSV",
}


def file_size_label(size: int) -> str:
    """`820 ไบต์`, `12.5 KB`, `3.1 MB` (1 KB = 1,024 bytes)."""
    if size < 1024:
        return f"{size} ไบต์"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def describe_file(content_root: Path, ref: dict[str, Any]) -> dict[str, Any]:
    name = str(ref.get("file", ""))
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    path = content_root / name
    size = path.stat().st_size if path.is_file() else 0
    return {**ref, "type": FILE_TYPES.get(ext, ext.upper() or "ไฟล์"), "size": size, "size_label": file_size_label(size)}


def _corrected(value: str | None, digits: str) -> dict[str, Any]:
    """When the page's content was corrected and signed again after publication (shown on the page)."""
    if not value:
        return {}
    moment = datetime.fromisoformat(value)
    return {"corrected": moment, "corrected_thai": format_date(moment, digits=digits)}


class KhaosanReader(BaseReader):
    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wrappers: dict[tuple[str, str], Any] = {}

    def process_metadata(self, name: str, value: Any) -> Any:
        """One Category or Author object per name for the whole run: Pelican hashes them by
        slug, and each new object slugifies its Thai name again (5,000 times a build)."""
        if name not in ("category", "author") or not isinstance(value, str):
            return super().process_metadata(name, value)
        key = (name, value)
        if key not in self._wrappers:
            self._wrappers[key] = super().process_metadata(name, value)
        return self._wrappers[key]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        # The stage is the build's own folder of plain files and links: no symlinks to resolve.
        rel = "content/" + os.path.relpath(source_path, self.settings["PATH"]).replace(os.sep, "/")
        reads = self.settings.get("KHAOSAN_READS")
        known = self.settings.get("KHAOSAN_BY_PATH", {}).get(rel)
        if reads is None or known is None:
            content, metadata = self._read(source_path, rel)
        else:
            last = reads["last"].get(rel)
            if last is not None and last[0] == known["key"]:
                content, metadata = last[1], dict(last[2])
            else:
                content, metadata = self._read(source_path, rel)
            reads["next"][rel] = (known["key"], content, metadata)
        return content, {**metadata, "category": self.process_metadata("category", metadata["category"])}

    def _read(self, source_path: str, rel: str) -> tuple[str, dict[str, Any]]:
        """Parse and render one item; the metadata is plain data (picklable: no Pelican objects)."""
        content_root = Path(self.settings["PATH"])
        item, _, problems = parse_item(rel, Path(source_path).read_bytes())
        if item is None:  # the build checked every file first: this is a bug, fail loudly
            raise ValueError(f"{rel}: {problems[0].code if problems else 'unreadable'}")
        known = self.settings.get("KHAOSAN_ITEMS", {}).get(item.id)
        if known is None:
            raise ValueError(f"{rel}: not passed by the publish gate")
        digits = self.settings.get("KHAOSAN_DATE_DIGITS", "arabic")
        data = item.data
        date = datetime.fromisoformat(known["date"])
        kind = item.kind
        vocabulary = vocabulary_of(self.settings)
        type_id = str(data.get(TYPE_FIELD[kind]))
        type_label = vocabulary.label(TYPE_FIELD[kind], type_id)
        withdrawn = data.get("withdrawn")
        year = be_year(date)
        local_month = date.astimezone(BANGKOK).month
        metadata: dict[str, Any] = {
            "title": item.title,
            "slug": item.id,
            "url": f"{item.id}/",  # as ARTICLE_URL says; set here so Pelican does not format it on every use
            "save_as": f"{item.id}/index.html",
            "date": date,
            "category": f"{kind}-{type_id}",
            "kind": kind,
            "kind_label": vocabulary.label(KIND, kind),
            "type_id": type_id,
            "type_label": type_label,
            "category_other": data.get("category_other"),
            "item_id": item.id,
            "thai_date": format_date(date, digits=digits),
            **_corrected(known.get("corrected"), digits),
            "be_year": thai_digits(str(year)) if digits == "thai" else str(year),
            "month_key": f"{year}-{local_month:02d}",
            "month_label": format_date(date, digits=digits).split(" ", 1)[1],
            "urgent": bool(known.get("urgent")),
            "withdrawn": None,
            "images": [],
            "attachments": [],
            "sources": data.get("sources") or [],
            "outlet": data.get("outlet"),
            "clip_url": data.get("url"),
            "about": data.get("about") or [],
            "published_on": format_date(datetime.fromisoformat(data["published_on"]), digits=digits)
            if kind == "clipping" and data.get("published_on")
            else None,
            "event": data.get("event") or None,
            # a notice's facts for a bidder, from front matter `procurement` (metadata `procurement` is the สขร.1 table)
            "bidding": bidding.facts(data.get("procurement"), vocabulary, digits) if kind == "disclosure" else None,
        }
        metadata["bidder"] = bidding.lines(metadata["bidding"])  # what the notice page and the feed say
        if data.get("summary"):
            metadata["summary"] = str(data["summary"])
        elif kind == "disclosure" and data.get("detail"):
            metadata["summary"] = str(data["detail"])
        words = marker(names_of(self.settings.get("KHAOSAN_OFFICE")))  # Thai lines break between words
        metadata["title_html"] = words.text(item.title)
        if withdrawn:
            # The page stays and says when and why; the body and the files do not.
            metadata["withdrawn"] = {
                "at": format_date(parse_time(withdrawn["at"]), digits=digits),
                "at_iso": parse_time(withdrawn["at"]).isoformat(),
                "reason": str(withdrawn["reason"]),
            }
            metadata["summary"] = f"ถอนการเผยแพร่แล้ว: {withdrawn['reason']}"
            return "", metadata
        metadata["images"] = [describe_file(content_root, i) for i in data.get("images") or []]
        metadata["attachments"] = [describe_file(content_root, a) for a in data.get("attachments") or []]
        metadata["procurement"] = self._procurement(item, digits)
        metadata["complaints"] = self._complaints(item, digits)
        body = render_body(item.body)
        # a card shows the summary, or where there is none the start of the body (as Pelican's own summary)
        metadata["summary_html"] = words.text(card_summary(metadata.get("summary") or body))
        return words.html(body), metadata

    def _complaints(self, item: Any, digits: str) -> dict[str, Any] | None:
        """Complaint statistics for a period, as the page shows them ("none" said in words)."""
        stats = complaints.statistics_of(item) if item.kind == "disclosure" else None
        if stats is None:
            return None
        return {
            **(self.settings.get("KHAOSAN_COMPLAINT_HEADINGS") or {"title": "", "columns": []}),
            "row": complaints.row(stats, digits=digits),
            "none": bool(stats.get("none")),
            "none_text": complaints.NONE_TEXT,
            "data": stats,
        }

    def _procurement(self, item: Any, digits: str) -> dict[str, Any] | None:
        """The สขร.1 table of a monthly procurement summary, as the page and its CSV show it."""
        summary = procurement.summary_of(item) if item.kind == "disclosure" else None
        if summary is None:
            return None
        return {
            "month": procurement.month_title(summary),
            "none": not summary.get("entries"),
            "none_text": procurement.NONE_TEXT,
            "headings": list(self.settings.get("KHAOSAN_PROCUREMENT_HEADINGS") or []),
            "rows": procurement.rows(summary, digits=digits),
            "csv": f"{item.id}/skr1.csv",
            "data": summary,
        }


def vocabulary_of(settings: Mapping[str, Any]) -> Vocabulary:
    """The repository's labels, which the build passes in its settings (`KHAOSAN_LABELS`)."""
    return Vocabulary(settings.get("KHAOSAN_LABELS") or {})


def add_reader(readers: Any) -> None:
    readers.reader_classes["md"] = KhaosanReader
    readers.reader_classes.pop("markdown", None)
    readers.reader_classes.pop("mkd", None)


def index_citations(generator: Any) -> None:
    """Which public clippings cite each item (clipping `about`), newest first."""
    cited: dict[str, list[Any]] = {}
    for article in sorted(generator.articles, key=lambda a: a.date, reverse=True):
        if article.metadata.get("kind") == "clipping":
            for target in article.metadata.get("about") or []:
                cited.setdefault(str(target), []).append(article)
    generator.context["KHAOSAN_CITED_BY"] = cited
    # Pelican's category and author pages are off (pelicanconf.py); without this it still
    # matches every article against every date for each of them before skipping the write.
    generator.categories, generator.authors = [], []
    generator.context["KHAOSAN_BY_ID"] = {a.metadata["item_id"]: a for a in generator.articles}
    vocabulary = vocabulary_of(generator.settings)
    generator.context["NEWS_TYPES"] = vocabulary.news_types
    generator.context["CATEGORIES"] = vocabulary.categories


class KhaosanWriter(Writer):  # type: ignore[misc]
    """Pelican's writer, which skips the item pages a partial build does not render, and everything
    but item pages when a partial build places the changed item pages first (`KHAOSAN_ITEM_PAGES_ONLY`)."""

    def write_file(self, name: Any, template: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
        render = self.settings.get("KHAOSAN_RENDER")
        article = kwargs.get("article")
        if article is None and self.settings.get("KHAOSAN_ITEM_PAGES_ONLY"):
            return None
        if render is not None and article is not None and article.metadata.get("item_id") not in render:
            return None
        return super().write_file(name, template, context, *args, **kwargs)

    @property
    def written(self) -> set[str]:
        """Every file this run wrote (Pelican's own record, which refuses double writes)."""
        return set(self._written_files)


def get_writer(pelican: Any) -> type:
    return KhaosanWriter


def limit_copies(generator: Any) -> None:
    """A partial build copies only the new and changed files (`KHAOSAN_COPY`): the others are
    staged too, so that links to them in unchanged items still resolve, but already in the site."""
    only = generator.settings.get("KHAOSAN_COPY")
    if only is None:
        return
    kept = [sc for sc in generator.context["staticfiles"] if sc.get_relative_source_path() in only]
    generator.staticfiles = kept
    generator.context["staticfiles"] = kept


def write_pages(generator: Any, writer: Any) -> None:
    if generator.settings.get("KHAOSAN_ITEM_PAGES_ONLY"):
        return  # the first step of a partial build: its listings come with every item, after
    from workflow.edges.site.pages import write_pages as write

    write(generator, writer)


def add_word_filter(generator: Any) -> None:
    """The theme's `words` filter (`{{ label|words }}`, `{% filter words %}`): its own Thai words break
    between words as an item's do. The dictionary is loaded at the filter's first use."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    names = names_of(generator.settings.get("KHAOSAN_OFFICE"))
    env.filters["words"] = lambda value, mark=True: marker(names).markup(value) if mark else value


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(add_word_filter)
    signals.get_writer.connect(get_writer)
    signals.static_generator_finalized.connect(limit_copies)
    signals.article_generator_finalized.connect(index_citations)
    signals.article_writer_finalized.connect(write_pages)
