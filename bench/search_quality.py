"""Search-quality benchmark: Thai queries typed into the built sample site's own search page in
Chromium, each with the items a citizen expects; recall and precision per query class.

    .venv/bin/python bench/search_quality.py [--site DIR] [--verbose] [--json FILE]

Without `--site` it builds the sample office (content/) into a temporary folder with
`khaosan build` first; with `--site` it measures a site built already (for instance one built
by an older tree, to compare). Each query goes through the search page as a person uses it:
`/search/#q=…`, the page's own script, its own bundle; the bench waits for the results list to
leave aria-busy, presses "แสดงเพิ่ม" (load more) while the page offers it, and reads the result
links. A result counts when it is one of the query's expected items; recall is over the
expected items, precision over the results shown (micro-averaged per class: every expected
item and every result counts once).

Expected items are written out in bench/search_queries.yml: the sample items whose own text (title, body,
attachment names; not the cards of other items a page shows) contains the word in the sense
the query means. `--verbose` also prints, per query, the items whose text contains the query
as a string, a check on the lists (a string match is not always a word: "ราคา" sits inside
"ราคากลาง", "ประกวดราคา").

Classes: `word` (an ordinary word, written as the text writes it), `phrase` (two or more words
as they stand together in the text), `compound` (a word that stands in the text only inside a
longer word: "งบประมาณ" in "ปีงบประมาณ"), `prefix` (the first part of a word, as typed so far),
`misspelling` (a word as people often misspell it; expected: the items with the word spelt
right). The goal of issue 15: recall ≥ 0.95 and precision ≥ 0.9 on `word` and `phrase`.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests"))

from support.site import project_copy, served  # noqa: E402  (the tests' own copy and server)

NOW = "2026-11-25T12:00:00+07:00"
CHROMIUM = "/usr/bin/chromium"
BOUND_MS = 120_000  # guards against a hang only
STRING_CLASSES = ("word", "phrase", "compound")  # classes whose expected items hold the query as typed

QUERIES = PROJECT / "bench" / "search_queries.yml"


def queries() -> list[tuple[str, str, list[str]]]:
    """(class, query, expected item folders) from bench/search_queries.yml."""
    import yaml

    return [
        (q["class"], str(q["query"]), [str(e) for e in q["expected"]])
        for q in yaml.safe_load(QUERIES.read_text("utf-8"))
    ]


def short(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def build_sample(where: Path) -> Path:
    """The sample office built with this tree's `khaosan build` (no git: dates from the files)."""
    root = project_copy(where, content=True)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from workflow.cli import main; sys.exit(main(sys.argv[1:]))",
            "build",
            "--root",
            str(root),
            "--now",
            NOW,
        ],
        check=True,
        cwd=PROJECT,
    )
    return root / "output"


def item_texts(site: Path) -> dict[str, str]:
    """Each item page's own searchable text (title, body, attachments; not other items' cards)."""
    from lxml import html

    texts = {}
    for page in site.rglob("index.html"):
        root = html.parse(str(page)).getroot()
        bodies = root.xpath("//*[@data-pagefind-body]")
        if not bodies:
            continue
        body = bodies[0]
        for other in body.xpath(".//section[contains(@class,'cited') or contains(@class,'about')]"):
            other.getparent().remove(other)
        texts[page.parent.name] = re.sub(r"\s+", " ", body.text_content())
    return texts


def searched(page, base: str, query: str) -> Iterator[str]:
    """The result links the site's search page shows for `query`, every page of them."""
    page.goto(f"{base}/search/#q={quote(query)}", wait_until="load")
    page.locator('#search-results[aria-busy="false"]').wait_for(state="attached", timeout=BOUND_MS)
    more = page.locator("#search-more")
    while more.count() and more.is_visible():
        shown = page.locator("#search-results .card-title a").count()
        more.click()
        page.wait_for_function(
            "n => document.querySelectorAll('#search-results .card-title a').length > n"
            " && document.getElementById('search-results').getAttribute('aria-busy') === 'false'",
            arg=shown,
            timeout=BOUND_MS,
        )
    for link in page.locator("#search-results .card-title a").all():
        yield short(link.get_attribute("href") or "")


def measure(site: Path, verbose: bool) -> dict:
    from playwright.sync_api import sync_playwright

    texts = item_texts(site)
    rows = []
    with served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 360, "height": 740})
        for kind, query, expected in queries():
            found = list(searched(page, base, query))
            hit = set(found) & set(expected)
            rows.append({"class": kind, "query": query, "expected": expected, "found": found, "hits": len(hit)})
            if verbose:
                contains = sorted(k for k, v in texts.items() if query in v)
                print(
                    f"{kind:11} {query:20} expected {len(expected):2} found {len(found):2} right {len(hit):2}"
                    f"  missed {sorted(set(expected) - hit)}  wrong {sorted(set(found) - set(expected))}"
                    + (
                        ""
                        if kind not in STRING_CLASSES or sorted(expected) == contains
                        else f"  [string in: {contains}]"
                    )
                )
        browser.close()
    classes: dict[str, dict] = {}
    for row in rows:
        c = classes.setdefault(row["class"], {"queries": 0, "expected": 0, "found": 0, "hits": 0, "all_right": 0})
        c["queries"] += 1
        c["expected"] += len(row["expected"])
        c["found"] += len(row["found"])
        c["hits"] += row["hits"]
        c["all_right"] += row["hits"] == len(row["expected"]) == len(row["found"])
    for c in classes.values():
        c["recall"] = c["hits"] / c["expected"] if c["expected"] else 1.0
        c["precision"] = c["hits"] / c["found"] if c["found"] else 0.0
    return {"classes": classes, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the sample now)")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", type=Path, help="write every query's results here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="khaosan-search-quality-"))
    try:
        site = args.site or build_sample(work)
        result = measure(site, args.verbose)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| class | queries | expected items | results shown | recall | precision | queries all right |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, c in result["classes"].items():
        print(
            f"| {kind} | {c['queries']} | {c['expected']} | {c['found']} | {c['recall']:.2f} | "
            f"{c['precision']:.2f} | {c['all_right']}/{c['queries']} |"
        )
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
