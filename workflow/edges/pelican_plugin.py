"""Pelican reads items through Khaosan's own parser, never a second one.

Registered in pelicanconf.py (`PLUGINS`). The build passes, in the setting
`KHAOSAN_ITEMS`, the date and flags of every item that passed the gate.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import markdown
from pelican import signals
from pelican.readers import BaseReader

from ..core.structure import CATEGORIES, KIND_LABELS, NEWS_TYPES
from ..core.thaitime import format_date
from ..core.validate import parse_item

MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty"]


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
        data = item.data
        html = markdown.markdown(item.body, extensions=MARKDOWN_EXTENSIONS, output_format="html")
        date = datetime.fromisoformat(known["date"])
        kind = item.kind
        type_id = {"news": data.get("news_type"), "disclosure": data.get("category"),
                   "clipping": data.get("medium")}[kind]
        type_label = NEWS_TYPES.get(str(type_id)) if kind == "news" else \
            (data.get("category_other") or CATEGORIES.get(str(type_id))) if kind == "disclosure" else None
        metadata: dict[str, Any] = {
            "title": item.title,
            "slug": item.id,
            "date": date,
            "category": self.process_metadata("category", f"{kind}-{type_id}"),
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "type_label": type_label,
            "item_id": item.id,
            "thai_date": format_date(date, digits=self.settings.get("KHAOSAN_DATE_DIGITS", "arabic")),
            "images": data.get("images") or [],
            "attachments": data.get("attachments") or [],
            "sources": data.get("sources") or [],
            "urgent": bool(known.get("urgent")),
            "withdrawn": data.get("withdrawn"),
        }
        if data.get("summary"):
            metadata["summary"] = data["summary"]
        return html, metadata


def add_reader(readers: Any) -> None:
    readers.reader_classes["md"] = KhaosanReader
    readers.reader_classes.pop("markdown", None)
    readers.reader_classes.pop("mkd", None)


def register() -> None:
    signals.readers_init.connect(add_reader)

