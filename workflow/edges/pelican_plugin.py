"""Pelican reads items through Khaosan's own parser, never a second one.

Registered in pelicanconf.py (`PLUGINS`). The build passes, in the setting
`KHAOSAN_ITEMS`, the date and flags of every item that passed the gate
(`{item_id: {"date": iso, "urgent": bool}}`); the date is `Decision.date`.
After Pelican has written the item pages, `site_pages.write_pages` writes
every listing, the office pages, feeds, sitemap.xml, robots.txt and the open
data file from the same articles.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from pelican import signals
from pelican.readers import BaseReader

from ..core.structure import CATEGORIES, KIND_LABELS, NEWS_TYPES
from ..core.thaitime import BANGKOK, be_year, format_date, parse_time, thai_digits
from ..core.validate import parse_item
from .sanitize import render_body

MEDIUM_LABELS = {"newspaper": "หนังสือพิมพ์", "daily": "หนังสือพิมพ์", "online": "สื่อออนไลน์",
                 "social": "สื่อสังคมออนไลน์", "tv": "โทรทัศน์", "radio": "วิทยุ", "other": "สื่ออื่น ๆ"}
FILE_TYPES = {"pdf": "PDF", "doc": "Word", "docx": "Word", "xls": "Excel", "xlsx": "Excel",
              "ppt": "PowerPoint", "pptx": "PowerPoint", "zip": "ZIP", "jpg": "JPEG", "jpeg": "JPEG",
              "png": "PNG", "odt": "ODF", "ods": "ODF", "csv": "CSV"}


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
    return {**ref, "type": FILE_TYPES.get(ext, ext.upper() or "ไฟล์"), "size": size,
            "size_label": file_size_label(size)}


class KhaosanReader(BaseReader):
    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        content_root = Path(self.settings["PATH"])
        rel = "content/" + Path(source_path).resolve().relative_to(content_root.resolve()).as_posix()
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
        type_id = str({"news": data.get("news_type"), "disclosure": data.get("category"),
                       "clipping": data.get("medium")}[kind])
        type_label = NEWS_TYPES.get(type_id) if kind == "news" else \
            CATEGORIES.get(type_id) if kind == "disclosure" else MEDIUM_LABELS.get(type_id, type_id)
        withdrawn = data.get("withdrawn")
        year = be_year(date)
        local_month = date.astimezone(BANGKOK).month
        metadata: dict[str, Any] = {
            "title": item.title,
            "slug": item.id,
            "url": f"{item.id}/",  # as ARTICLE_URL says; set here so Pelican does not format it on every use
            "save_as": f"{item.id}/index.html",
            "date": date,
            "category": self.process_metadata("category", f"{kind}-{type_id}"),
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "type_id": type_id,
            "type_label": type_label,
            "category_other": data.get("category_other"),
            "item_id": item.id,
            "thai_date": format_date(date, digits=digits),
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
            if kind == "clipping" and data.get("published_on") else None,
            "event": data.get("event") or None,
        }
        if data.get("summary"):
            metadata["summary"] = str(data["summary"])
        elif kind == "disclosure" and data.get("detail"):
            metadata["summary"] = str(data["detail"])
        if withdrawn:
            # The page stays and says when and why; the body and the files do not.
            metadata["withdrawn"] = {"at": format_date(parse_time(withdrawn["at"]), digits=digits),
                                     "at_iso": parse_time(withdrawn["at"]).isoformat(),
                                     "reason": str(withdrawn["reason"])}
            metadata["summary"] = f"ถอนการเผยแพร่แล้ว: {withdrawn['reason']}"
            return "", metadata
        metadata["images"] = [describe_file(content_root, i) for i in data.get("images") or []]
        metadata["attachments"] = [describe_file(content_root, a) for a in data.get("attachments") or []]
        return render_body(item.body), metadata



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
    generator.context["KHAOSAN_BY_ID"] = {a.metadata["item_id"]: a for a in generator.articles}
    generator.context["NEWS_TYPES"] = NEWS_TYPES
    generator.context["CATEGORIES"] = CATEGORIES


def write_pages(generator: Any, writer: Any) -> None:
    from .site_pages import write_pages as write

    write(generator, writer)


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.article_generator_finalized.connect(index_citations)
    signals.article_writer_finalized.connect(write_pages)
