"""Every page that is not one item: listings, the disclosure index, office
pages, feeds, sitemap.xml, robots.txt and the open data file.

Runs inside Pelican (`article_writer_finalized`), after the item pages are
written, with Pelican's writer (so relative links and pagination work as for
any Pelican page) and the same articles the item pages came from.
"""

from __future__ import annotations

import csv
import io
import json
from collections import OrderedDict
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from feedgenerator import Atom1Feed

from workflow.core.ita import STATE_LABELS
from workflow.core.procurement import NONE_TEXT, rows
from workflow.core.vocabulary import KIND
from workflow.edges.site.pelican_plugin import vocabulary_of

HOME_LATEST = 6
EXECUTIVE_ROLES = ("director", "deputy-director")
STATIC_PAGES = (  # (path, template, Thai title)
    ("office/", "office.html", "เกี่ยวกับหน่วยงาน"),
    ("contact/", "contact.html", "ติดต่อเรา"),
    ("sitemap/", "sitemap.html", "แผนผังเว็บไซต์"),
    ("privacy/", "privacy.html", "นโยบายคุ้มครองข้อมูลส่วนบุคคล"),
    ("accessibility/", "accessibility.html", "การเข้าถึงเว็บไซต์"),
    ("search/", "search.html", "ค้นหา"),
)
HOME = ("หน้าแรก", "")
# The date the editor's preview templates carry where the page's date goes (a valid datetime, so
# that the template stays valid HTML); theme/static/js/editor.js puts the entry's date in its place.
PREVIEW_DATE = "2000-01-01T00:00:00+07:00"


def _meta(article: Any, key: str) -> Any:
    return article.metadata.get(key)


def _newest(articles: list[Any]) -> list[Any]:
    return sorted(articles, key=lambda a: (a.date, _meta(a, "item_id")), reverse=True)


class PageWriter:
    def __init__(self, generator: Any, writer: Any) -> None:
        self.generator, self.writer = generator, writer
        self.settings = generator.settings
        self.relative = bool(self.settings.get("RELATIVE_URLS"))
        self.site_url = str(self.settings.get("KHAOSAN_SITE_URL") or "").rstrip("/")
        self.vocabulary = vocabulary_of(self.settings)
        self.context = generator.context.copy()
        articles = _newest(list(generator.articles))
        self.news = [a for a in articles if _meta(a, "kind") == "news"]
        self.disclosures = [a for a in articles if _meta(a, "kind") == "disclosure"]
        self.clippings = [a for a in articles if _meta(a, "kind") == "clipping"]
        self.articles = articles
        office = self.settings.get("KHAOSAN_OFFICE") or {}
        people = office.get("people") or []
        groups = office.get("groups") or []
        executives = [p for role in EXECUTIVE_ROLES for p in people if role in (p.get("roles") or [])]
        heads = {p.get("group"): p for p in people if "group-director" in (p.get("roles") or [])}
        self.context.update(
            {
                "OFFICE": office.get("office") or {},
                "GROUPS": [{**g, "head": heads.get(g.get("id"))} for g in groups],
                "EXECUTIVES": executives,
                "NEWS_TYPES": self.vocabulary.news_types,
                "CATEGORIES": self.vocabulary.categories,
                "SITE_URL": self.site_url,
            }
        )

    # -- writing -----------------------------------------------------------
    def page(
        self,
        url: str,
        template: str,
        title: str,
        crumbs: list[tuple[str, str]],
        paginated: list[Any] | None = None,
        relative: bool | None = None,
        **kwargs: Any,
    ) -> None:
        name = url + "index.html" if url.endswith("/") or url == "" else url
        self.writer.write_file(
            name,
            self.generator.get_template(template.removesuffix(".html")),
            self.context,
            relative_urls=self.relative if relative is None else relative,
            paginated={"articles": paginated} if paginated is not None else {},
            template_name="list" if paginated is not None else template.removesuffix(".html"),
            url=url,
            page_title=title,
            page_url=url,
            crumbs=crumbs,
            **kwargs,
        )

    def write_all(self) -> None:
        self.home()
        self.news_pages()
        self.disclosure_pages()
        self.page(
            "clippings/",
            "list.html",
            self.vocabulary.label(KIND, "clipping"),
            [HOME],
            paginated=self.clippings,
            intro="ข่าวเกี่ยวกับสำนักงานและโรงเรียนในสังกัดที่สื่อมวลชนเผยแพร่",
        )
        for url, template, title in STATIC_PAGES:
            self.page(url, template, title, [HOME])
        # served by the web server for any missing path, at any depth: links from the site root
        self.page("404.html", "404.html", "ไม่พบหน้าที่ต้องการ", [HOME], relative=False)
        self.feeds()
        self.open_data()
        self.performance()
        self.ita()
        self.sitemap_xml()
        self.editor()

    def home(self) -> None:
        self.page(
            "",
            "home.html",
            str(self.settings.get("SITENAME")),
            [],
            latest_news=self.news[:HOME_LATEST],
            latest_disclosures=self.disclosures[:HOME_LATEST],
        )

    def news_pages(self) -> None:
        types = [
            (t, label, [a for a in self.news if _meta(a, "type_id") == t])
            for t, label in self.vocabulary.news_types.items()
        ]
        months: OrderedDict[str, list[Any]] = OrderedDict()
        for a in self.news:
            months.setdefault(_meta(a, "month_key"), []).append(a)
        month_links = [(key, _meta(items[0], "month_label"), len(items)) for key, items in months.items()]
        type_links = [(t, label, len(items)) for t, label, items in types]
        common = {"type_links": type_links, "month_links": month_links}
        news = self.vocabulary.label(KIND, "news")
        crumbs = [HOME, (news, "news/")]
        self.page("news/", "list.html", news, [HOME], paginated=self.news, feed="feeds/all.atom.xml", **common)
        for t, label, items in types:
            self.page(
                f"news/type/{t}/",
                "list.html",
                label,
                crumbs,
                paginated=items,
                feed=f"feeds/news-{t}.atom.xml",
                **common,
            )
        for key, items in months.items():
            self.page(
                f"news/month/{key}/",
                "list.html",
                "ข่าวประจำเดือน" + _meta(items[0], "month_label"),
                crumbs,
                paginated=items,
                **common,
            )

    def disclosure_pages(self) -> None:
        categories = []
        for cat, label in self.vocabulary.categories.items():
            items = [a for a in self.disclosures if _meta(a, "type_id") == cat]
            categories.append({"id": cat, "label": label, "entries": items})
        self.page(
            "disclosures/",
            "disclosures.html",
            "ข้อมูลสาธารณะ",
            [HOME],
            categories=categories,
            feed="feeds/disclosures.atom.xml",
        )
        crumbs = [HOME, ("ข้อมูลสาธารณะ", "disclosures/")]
        for category in categories:
            groups: OrderedDict[str, list[Any]] = OrderedDict()
            if category["id"] == "other":
                for a in sorted(category["entries"], key=lambda a: str(_meta(a, "category_other"))):
                    groups.setdefault(str(_meta(a, "category_other")), []).append(a)
                for topic in groups:
                    groups[topic] = _newest(groups[topic])
            else:
                groups[""] = category["entries"]
            self.page(
                f"disclosures/{category['id']}/",
                "category.html",
                category["label"],
                crumbs,
                category=category,
                groups=groups,
                feed="feeds/disclosures.atom.xml",
            )

    def performance(self) -> None:
        """The ผลการดำเนินงาน page, written last: its figures and chart may still be on their way
        (`KHAOSAN_PERFORMANCE` may be a function that waits for the process drawing the chart)."""
        found = self.settings.get("KHAOSAN_PERFORMANCE")
        page, chart = found() if callable(found) else (found or {"available": False}, None)
        if chart:
            path = Path(self.writer.output_path) / page["chart"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(chart)
        self.context["KHAOSAN_PERFORMANCE"] = page
        self.page("performance/", "performance.html", "ผลการดำเนินงาน", [HOME])

    def ita(self) -> None:
        """The ITA (OIT) pages: one per fiscal year with a list, every O-item with its evidence and state
        (`core/ita.py` computes them; written every build, like the performance page)."""
        assessments = self.settings.get("KHAOSAN_ITA") or []
        title = "การเปิดเผยข้อมูลสาธารณะ (OIT) สำหรับการประเมิน ITA"
        self.page("ita/", "ita.html", title, [HOME], assessments=assessments, assessment=None)
        for found in assessments:
            self.page(
                f"ita/{found.fiscal_year}/",
                "ita.html",
                f"{title} ปีงบประมาณ {found.fiscal_year}",
                [HOME, (title, "ita/")],
                assessments=assessments,
                assessment=found,
                labels=STATE_LABELS,
            )

    # -- machine-readable ------------------------------------------------------
    def absolute(self, url: str) -> str:
        return f"{self.site_url}/{url}"

    def _write(self, name: str, text: str) -> None:
        path = Path(self.writer.output_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def feeds(self) -> None:
        live = [a for a in self.articles if not _meta(a, "withdrawn")]
        news = self.vocabulary.label(KIND, "news")
        sets = [("feeds/all.atom.xml", news, [a for a in live if _meta(a, "kind") == "news"])]
        sets += [
            (
                f"feeds/news-{t}.atom.xml",
                label,
                [a for a in live if _meta(a, "kind") == "news" and _meta(a, "type_id") == t],
            )
            for t, label in self.vocabulary.news_types.items()
        ]
        sets.append(
            ("feeds/disclosures.atom.xml", "ข้อมูลสาธารณะ", [a for a in live if _meta(a, "kind") == "disclosure"])
        )
        sitename = str(self.settings.get("SITENAME"))
        for name, title, items in sets:
            feed = Atom1Feed(
                title=f"{title} | {sitename}",
                link=self.absolute(""),
                description=title,
                language="th",
                feed_url=self.absolute(name),
                author_name=sitename,
            )
            for a in items[:50]:
                feed.add_item(
                    title=a.title,
                    link=self.absolute(a.url),
                    unique_id=self.absolute(a.url),
                    description=str(_meta(a, "summary") or ""),
                    content=a.get_content(self.site_url),
                    pubdate=a.date,
                    updateddate=a.date,
                    author_name=sitename,
                )
            self._write(name, feed.writeString("utf-8"))

    def open_data(self) -> None:
        """Every published item's public metadata; no person ids, no personal data."""
        items = []
        for a in self.articles:
            m = a.metadata
            entry: dict[str, Any] = {
                "id": m["item_id"],
                "type": m["kind"],
                "title": a.title,
                "url": self.absolute(a.url),
                "published": a.date.isoformat(),
                "published_th": m["thai_date"],
                "type_id": m["type_id"],
                "type_label": m["type_label"],
                "summary": m.get("summary"),
                "urgent": m["urgent"],
                "withdrawn": m["withdrawn"],
            }
            if m["kind"] == "disclosure":
                entry["category_other"] = m.get("category_other")
            if m["kind"] == "clipping":
                entry.update({"outlet": m.get("outlet"), "source_url": m.get("clip_url"), "about": m.get("about")})
            entry["attachments"] = [
                {"url": self.absolute(f["file"]), "title": f.get("title"), "type": f["type"], "size": f["size"]}
                for f in m["attachments"]
            ]
            entry["images"] = [
                {"url": self.absolute(f["file"]), "alt": f.get("alt"), "credit": f.get("credit")} for f in m["images"]
            ]
            entry["sources"] = m["sources"]
            found = m.get("procurement")
            if found:  # the สขร.1 table as data, and its CSV beside the page
                entry["procurement_summary"] = found["data"]
                entry["procurement_csv"] = self.absolute(found["csv"])
                heads = found["headings"]
                self._write(found["csv"], skr1_csv(found["data"], heads))
            if m.get("complaints"):
                entry["complaint_statistics"] = m["complaints"]["data"]
            items.append(entry)
        doc = {
            "office": (self.settings.get("KHAOSAN_OFFICE") or {}).get("office", {}).get("name"),
            "generated": datetime.now().astimezone().isoformat(timespec="seconds"),
            "count": len(items),
            "items": items,
        }
        # one line: with `indent`, json falls back to its pure-Python encoder (ten times slower)
        self._write("api/items.json", json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=str))

    def sitemap_xml(self) -> None:
        """Every HTML page of the site: the items, and what this run's writer wrote (not a walk of
        the output folder, which holds only the changed pages in a partial build)."""
        output = Path(self.writer.output_path)
        dates = {a.url: a.date for a in self.articles}
        urls = set(dates)
        for written in self.writer.written:
            rel = Path(written).relative_to(output).as_posix()
            if rel == "index.html" or rel.endswith("/index.html"):
                urls.add(rel.removesuffix("index.html"))
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        for url in sorted(urls):
            lastmod = f"<lastmod>{dates[url].date().isoformat()}</lastmod>" if url in dates else ""
            lines.append(f"<url><loc>{escape(self.absolute(url))}</loc>{lastmod}</url>")
        lines.append("</urlset>")
        self._write("sitemap.xml", "\n".join(lines) + "\n")
        editor = "Disallow: /admin/\n" if self.settings.get("KHAOSAN_EDITOR") else ""  # the editor, not a page
        self._write("robots.txt", f"User-agent: *\nAllow: /\n{editor}\nSitemap: {self.absolute('sitemap.xml')}\n")

    def editor(self) -> None:
        """/admin/ when office.yml turns the editor on: the CMS and its configuration (`admin.py`),
        and per kind the site's own item template rendered around markers, which the editor's
        preview fills with the entry (theme/static/js/editor.js). Rendered straight from the template, not
        through the writer: not an item page, not in the sitemap, never indexed for search."""
        editor = self.settings.get("KHAOSAN_EDITOR")
        if not editor:
            return
        from workflow.edges.site.admin import ADMIN, write_editor

        output = Path(self.writer.output_path)
        write_editor(output, editor, str(self.settings.get("SITENAME")))
        template = self.generator.get_template("article")
        for kind, label in self.vocabulary.kinds.items():
            context = {**self.context, "SITEURL": "..", "article": _PreviewItem(kind, label), "page_url": ""}
            self._write(f"{ADMIN}/preview-{kind}.html", template.render(context))


class _PreviewDate:
    """A date the template formats (`isoformat()`) as the marker the preview fills."""

    def isoformat(self) -> str:
        return PREVIEW_DATE


class _PreviewItem:
    """An item page's fields as markers (⟦title⟧, one image, one attachment, one source) for the
    editor's preview to fill, repeat or drop."""

    def __init__(self, kind: str, label: str) -> None:
        marks = ("title", "type_id", "type_label", "thai_date", "summary", "outlet", "published_on", "clip_url")
        for name in marks:
            setattr(self, name, f"⟦{name}⟧")
        self.kind, self.kind_label, self.item_id, self.url = kind, label, "⟦item_id⟧", "⟦item_id⟧/"
        self.metadata = {"item_id": self.item_id}
        self.category_other = "⟦category_other⟧" if kind == "disclosure" else None
        self.date = _PreviewDate()
        self.be_year = "⟦be_year⟧"
        self.corrected = self.urgent = self.withdrawn = None
        self.content = '<div class="khaosan-preview-body"></div>'
        self.images = [{k: f"⟦image.{k}⟧" for k in ("file", "alt", "credit", "caption")}]
        self.attachments = [{k: f"⟦attachment.{k}⟧" for k in ("file", "title", "type", "size_label")}]
        self.sources = [{k: f"⟦source.{k}⟧" for k in ("title", "url", "publisher")}]
        self.about: list[str] = []


def skr1_csv(summary: dict[str, Any], heads: list[str]) -> str:
    """The สขร.1 table as CSV (UTF-8, the form's headings); a month with nothing bought says so in one row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(heads)
    found = rows(summary)
    writer.writerows(found if found else [["", NONE_TEXT] + [""] * (len(heads) - 2)])
    return out.getvalue()


def write_pages(generator: Any, writer: Any) -> None:
    PageWriter(generator, writer).write_all()
