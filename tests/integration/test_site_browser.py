"""The public site in Debian's Chromium (Playwright), at a phone and a desktop
viewport: home → an item with its Buddhist Era date; home → menu → a disclosure
category → a procurement notice → its attachment → a Thai search; axe-core on
every page type.

axe-core is the npm package (`npm install --no-save axe-core` puts it in
node_modules/, which is gitignored); `KHAOSAN_AXE` may point at axe.min.js
elsewhere. Missing browser or axe: skipped on a developer machine, a failure
in CI (`KHAOSAN_REQUIRE_BROWSER=1`).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from support.browser import CHROMIUM, LAUNCH_ARGS
from support.browser import require as _require
from support.site import project_copy, served

from workflow.cli import main
from workflow.core.ita import CHANNEL_NOTE

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts"
NOW = "2026-11-25T12:00:00+07:00"
VIEWPORTS = [{"width": 360, "height": 740}, {"width": 1280, "height": 900}]
PAGE_TYPES = {
    "home": "/",
    "news": "/news/",
    "news-type": "/news/type/meeting/",
    "news-month": "/news/month/2569-11/",
    "disclosures": "/disclosures/",
    "category": "/disclosures/procurement/",
    "category-other": "/disclosures/other/",
    "clippings": "/clippings/",
    "news-item": "/news/2569/inspection-20260121-school-lunch/",
    "disclosure-item": "/disclosures/procurement/winner-computer-2569/",
    "clipping-item": "/clippings/2569/social-20260312-computer-procurement/",
    "office": "/office/",
    "contact": "/contact/",
    "sitemap": "/sitemap/",
    "privacy": "/privacy/",
    "accessibility": "/accessibility/",
    "search": "/search/?q=ครุภัณฑ์",
    "performance": "/performance/",
    "ita": "/ita/",
    "ita-year": "/ita/2569/",
    "procurement-summary": "/disclosures/procurement/summary-2569-03/",
}


def axe_path() -> Path:
    return Path(os.environ.get("KHAOSAN_AXE") or PROJECT / "node_modules" / "axe-core" / "axe.min.js")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = project_copy(tmp_path_factory.mktemp("site"), content=True)
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    with served(root / "output") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    _require(CHROMIUM, Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


# The search page's own completion signal: the results list leaves aria-busy when a search has
# ended (found, not found or failed). The bound only guards against a hang; it is not a schedule.
SEARCH_BOUND_MS = 180_000


def _searched(page) -> None:
    page.locator('#search-results[aria-busy="false"]').wait_for(state="attached", timeout=SEARCH_BOUND_MS)


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["phone", "desktop"])
def test_home_to_item_in_chromium(site, browser, viewport):
    page = browser.new_page(viewport=viewport)
    try:
        response = page.goto(site + "/", wait_until="load")
        assert response is not None and response.status == 200
        assert page.locator("html").get_attribute("lang") == "th"
        links = page.locator("main a[href*='news/2']")  # item links (news/<BE year>/…), not the menu
        assert links.count() > 0, "the home page lists no news"
        first = links.first
        title = first.inner_text().strip()
        first.click()
        page.wait_for_load_state("load")
        assert page.locator("article h1").first.inner_text().strip() == title
        shown = page.locator("time").first.inner_text()
        assert re.search(r"25[67][0-9]", shown), f"date not in the Buddhist Era: {shown}"
        _shot(page, f"item-{viewport['width']}")
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["phone", "desktop"])
def test_citizen_finds_a_procurement_notice_and_searches_in_thai(site, browser, viewport):
    tag = "phone" if viewport["width"] < 600 else "desktop"
    page = browser.new_page(viewport=viewport)
    try:
        response = page.goto(site + "/", wait_until="load")
        assert response is not None and response.status == 200
        assert page.locator("html").get_attribute("lang") == "th"
        _shot(page, f"site-{tag}-1-home")

        page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="ข้อมูลสาธารณะ").click()
        page.wait_for_load_state("load")
        assert page.locator("main h1").inner_text().strip() == "ข้อมูลสาธารณะ"
        page.get_by_role("link", name="ข้อมูลการจัดซื้อจัดจ้าง").click()
        page.wait_for_load_state("load")
        assert page.locator("main h1").inner_text().strip() == "ข้อมูลการจัดซื้อจัดจ้าง"
        _shot(page, f"site-{tag}-2-procurement")

        notice = page.locator("main .docs a[href*='winner-computer-2569']").first
        title = notice.inner_text().strip()
        notice.click()
        page.wait_for_load_state("load")
        assert page.locator("article h1").inner_text().strip() == title
        assert "2569" in page.locator("article time").first.inner_text()
        _shot(page, f"site-{tag}-3-notice")

        link = page.locator(".attachments a").first
        href = link.get_attribute("href")
        assert href and href.endswith(".pdf")
        fetched = page.request.get(page.url.rstrip("/") + "/" + href)  # relative to the item's folder
        assert fetched.status == 200
        assert fetched.headers["content-type"].startswith("application/pdf")
        assert fetched.body().startswith(b"%PDF")

        # the search box on every page; a Thai word that sits inside a sentence without spaces
        box = page.get_by_role("search").first.get_by_role("searchbox")
        box.fill("ครุภัณฑ์")
        box.press("Enter")
        page.wait_for_load_state("load")
        _searched(page)
        assert page.locator("#search-results a").count() > 0
        assert "พบ" in page.locator("#search-status").inner_text()
        _shot(page, f"site-{tag}-4-search")
        target = page.locator("#search-results a", has_text="ร่างขอบเขตของงาน (TOR)")
        target.first.click()
        page.wait_for_load_state("load")
        assert "ร่างขอบเขตของงาน (TOR)" in page.locator("article h1").inner_text()
        assert "ครุภัณฑ์" in page.locator("article").inner_text()
    finally:
        page.close()


@pytest.mark.browser
def test_search_words_never_reach_the_server(site, browser):
    """The privacy page says so: the search box puts the words after "#", which no request carries."""
    page = browser.new_page(viewport=VIEWPORTS[1])
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    try:
        page.goto(site + "/", wait_until="load")
        box = page.get_by_role("search").first.get_by_role("searchbox")
        box.fill("ครุภัณฑ์")
        box.press("Enter")
        page.wait_for_url("**/search/#q=*")
        _searched(page)
        assert page.locator("#search-results a").count() > 0
        # again from the box at the top of the search page itself: a new search, still no request with it
        box = page.get_by_role("search").first.get_by_role("searchbox")
        box.fill("โรงเรียน")
        box.press("Enter")
        page.wait_for_function("document.getElementById('search-status').textContent.includes('โรงเรียน')")
        _searched(page)
        words = ("ครุภัณฑ์", "%E0%B8%84%E0%B8%A3%E0%B8%B8", "โรงเรียน", "%E0%B9%82%E0%B8%A3%E0%B8%87")
        assert not [url for url in asked if any(w in url for w in words) or "?q=" in url], asked
        # an old link with ?q= still searches, and the words move after "#"
        page.goto(site + "/search/?q=ครุภัณฑ์", wait_until="load")
        _searched(page)
        assert "?q=" not in page.url and "#q=" in page.url
    finally:
        page.close()


def axe_violations(page, source: str) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A/AA, best practice)."""
    page.add_script_tag(content=source)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["phone", "desktop"])
def test_axe_finds_no_serious_or_critical_violation(site, browser, viewport):
    axe = axe_path()
    _require(f"axe-core ({axe})", axe.is_file())
    source = axe.read_text(encoding="utf-8")
    page = browser.new_page(viewport=viewport)
    failures = {}
    try:
        for name, url in PAGE_TYPES.items():
            page.goto(site + url, wait_until="load")
            if name == "search":
                page.locator("#search-results a").first.wait_for(timeout=15000)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:  # WCAG 1.4.10 reflow: no sideways scrolling
                failures[name + " (width)"] = width
            bad = axe_violations(page, source)
            if bad:
                failures[name] = bad
    finally:
        page.close()
    assert not failures, json.dumps(failures, ensure_ascii=False, indent=1)


@pytest.mark.browser
def test_an_item_published_by_a_partial_build_is_found_by_search(tmp_path, browser):
    """After a partial build the search index follows: a word only the new item has is found."""
    from test_site import add_news

    root = project_copy(tmp_path, content=True)
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    add_news(root, "found-after-partial", "ข่าวการประกวดโครงงานวิทยาศาสตร์ทดลองสำรวจป่าชายเลน")
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    with served(root / "output") as base:
        page = browser.new_page(viewport=VIEWPORTS[1])
        try:
            page.goto(base + "/search/?q=ป่า", wait_until="load")
            _searched(page)
            target = page.locator("#search-results a", has_text="ป่าชายเลน")
            assert target.count() == 1, page.locator("#search-status").inner_text()
            target.first.click()
            page.wait_for_load_state("load")
            assert "ป่าชายเลน" in page.locator("article h1").inner_text()
            # three words typed without spaces, as Thai is, still find the notices
            page.goto(base + "/search/?q=จัดซื้อครุภัณฑ์คอมพิวเตอร์", wait_until="load")
            _searched(page)
            assert page.locator("#search-results a", has_text="ครุภัณฑ์คอมพิวเตอร์").count() > 0
        finally:
            page.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["phone", "desktop"])
def test_the_ita_page_lists_every_o_item_and_its_links_open(site, browser, viewport):
    """An assessor goes from the footer to the fiscal year's OIT page and opens an item's evidence."""
    tag = "phone" if viewport["width"] < 600 else "desktop"
    page = browser.new_page(viewport=viewport)
    try:
        page.goto(site + "/", wait_until="load")
        page.get_by_role("link", name="การเปิดเผยข้อมูลสาธารณะ (ITA)").click()
        page.wait_for_load_state("load")
        page.get_by_role("link", name="ปีงบประมาณ 2569").click()
        page.wait_for_load_state("load")
        rows = page.locator("table.ita tbody tr")
        assert rows.count() == 43
        assert rows.nth(10).locator("th").inner_text().strip() == "O11"
        states = [state.strip() for state in rows.locator("td.state").all_inner_texts()]
        assert states == ["มีครบ"] * 43  # the sample office covers every O-item of 2569
        assert CHANNEL_NOTE in rows.nth(7).inner_text()  # O8 Q&A: a channel outside the site, and it says so
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
        _shot(page, f"ita-2569-{tag}")
        rows.nth(10).get_by_role("link").first.click()
        page.wait_for_load_state("load")
        assert "แผนปฏิบัติราชการ" in page.locator("article h1").inner_text()
    finally:
        page.close()
