"""The search bundle after every build is whole and holds exactly the live item pages: 30 builds in a
row, full and partial, each adding, changing or withdrawing an item (issue 15: in 2 of 12 builds that
exited 0 the published pagefind-entry.json was empty or a file was cut short, and search found nothing).

After each build: `pagefind/bundles.json` parses and names only bundles that pass `whole_bundle` (the
entry parses, counts the pages, every compressed file ends where gzip says), the bundles' fragments hold
exactly the site's item pages (the new one in, a withdrawn one with its new text), no draft is left, and
the page a build changed is found by its new word in the fragments.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.site import indexed_urls, search_bundles, search_fragments, staging_left
from test_site import NOW, add_news, make_repo

from workflow.cli import main
from workflow.edges.site import search
from workflow.edges.site.search import whole_bundle

BUILDS = 30


def item_pages(site: Path) -> set[str]:
    return {
        "/" + page.parent.relative_to(site).as_posix() + "/"
        for page in site.rglob("index.html")
        if "data-pagefind-body" in page.read_text("utf-8")
    }


def fragment_text(site: Path, url: str) -> str:
    return search_fragments(site)[url]["content"].replace("\u200b", "")  # Pagefind marks its word breaks so


@pytest.mark.parametrize(("slice_", "builds"), [(None, BUILDS), (2, 10)], ids=["one-base", "bases-of-two-pages"])
def test_thirty_full_and_partial_builds_each_publish_a_whole_bundle_of_the_live_pages(
    tmp_path, capsys, monkeypatch, slice_, builds
):
    """And the same, ten builds, with the site indexed in slices of two pages (several base bundles,
    as a site of more than SLICE item pages is)."""
    if slice_ is not None:
        monkeypatch.setattr(search, "SLICE", slice_)
    root = make_repo(tmp_path, content=False)
    site = root / "output"
    for i in range(3):
        add_news(root, f"base-{i}", f"ข่าวตั้งต้นที่ {i}")
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    kinds = {"full": 0, "partial": 0}
    for n in range(builds):
        word = f"คำเฉพาะรอบที่{n}"
        if n % 3 == 2:  # withdraw the item the build before added: its page stays, saying why
            url = f"/news/2569/new-{n - 1}/"
            path = root / "content" / "news" / "2569" / f"new-{n - 1}.md"
            path.write_text(
                path.read_text("utf-8").replace(
                    "channels: [website]\n",
                    "channels: [website]\nwithdrawn:\n  at: 2026-11-20T09:00:00+07:00\n"
                    f"  by: malee.t\n  reason: {word}\n",
                ),
                encoding="utf-8",
            )
        else:
            add_news(root, f"new-{n}", f"ข่าวใหม่ {word}")
            url = f"/news/2569/new-{n}/"
        full = n % 5 == 4
        kinds["full" if full else "partial"] += 1
        capsys.readouterr()
        assert main(["build", "--root", str(root), "--now", NOW, *(["--full"] if full else [])]) == 0, n
        out = capsys.readouterr().out
        assert ("เฉพาะส่วนที่เปลี่ยน" in out) != full, (n, out)
        named = search_bundles(site)
        assert named, n
        for bundle in named:
            whole_bundle(bundle)
        bases = [bundle for bundle in named if bundle.name.startswith("base-")]
        assert bases and named[: len(bases)] == bases, (n, named)
        if full:  # the bases only, SLICE pages each
            assert len(bases) == len(named) == -(-len(item_pages(site)) // search.SLICE), (n, named)
        else:  # and the recent bundle (one, unless the slices are tiny)
            assert len(named) == len(bases) + 1 or (slice_ and len(named) > len(bases)), (n, named)
        assert indexed_urls(site) == item_pages(site), n
        assert word in fragment_text(site, url), n
        assert not list((site / "pagefind").glob(".next-*")), n
        unreadable = [p for p in (site / "pagefind").rglob("*") if not p.stat().st_mode & 0o004]
        assert not unreadable, (n, unreadable)  # a web server reads the site as another user
        assert staging_left(root) == [], n
    assert kinds == {"full": builds // 5, "partial": builds - builds // 5}
