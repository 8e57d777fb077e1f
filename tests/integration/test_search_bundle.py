"""The search bundle is whole or refused: a cut file or an empty entry never goes live silently.

Pagefind's own WriteFiles answered before its last writes landed (an empty pagefind-entry.json in a
loaded run); the indexer now takes the files from the service and writes them itself, lets the
service end by itself, and reads the bundle back before anything is renamed in.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from workflow.edges.site.search import (
    LiveIndexer,
    ThaiWords,
    follow,
    live_bundles,
    publish,
    reindex,
    searchable_text,
    whole_bundle,
)
from workflow.errors import KhaosanError

PAGE = """<!doctype html><html lang="th"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main data-pagefind-body><h1>{title}</h1><p>{text}</p></main></body></html>"""


def _site(tmp_path: Path, count: int = 3) -> tuple[Path, list[Path]]:
    site = tmp_path / "site"
    pages = []
    for i in range(count):
        page = site / f"news/item-{i}/index.html"
        page.parent.mkdir(parents=True)
        page.write_text(PAGE.format(title=f"ข่าวที่ {i}", text=f"ประกาศผู้ชนะการเสนอราคา รายการ {i}"), "utf-8")
        pages.append(page)
    return site, pages


@pytest.fixture
def bundle(tmp_path) -> Path:
    site, pages = _site(tmp_path)
    indexer = LiveIndexer(site)
    for page in pages:
        indexer.add(page)
    assert indexer.finish(site / "pagefind" / "b") == len(pages)
    assert indexer.proc.returncode == 0  # the service ended by itself, never killed after its write
    return site / "pagefind" / "b"


def test_a_written_bundle_is_whole(bundle):
    whole_bundle(bundle)
    assert list(bundle.rglob("*.pf_fragment"))


def test_a_fragment_cut_short_is_refused(bundle):
    fragment = next(bundle.rglob("*.pf_fragment"))
    data = fragment.read_bytes()
    assert gzip.decompress(data)  # whole before the cut
    fragment.write_bytes(data[: len(data) // 2])
    with pytest.raises(KhaosanError) as refused:
        whole_bundle(bundle)
    assert refused.value.code == "KS905" and fragment.name in str(refused.value)


@pytest.mark.parametrize("entry", [b"", b'{"version": "1.5.2"}', b'{"languages": {"th": {"hash": "th_missing"}}}'])
def test_an_empty_or_foreign_entry_is_refused(bundle, entry):
    (bundle / "pagefind-entry.json").write_bytes(entry)
    with pytest.raises(KhaosanError) as refused:
        whole_bundle(bundle)
    assert refused.value.code == "KS905"


def test_a_bundle_that_counts_fewer_pages_than_were_sent_is_refused(bundle):
    with pytest.raises(KhaosanError) as refused:
        whole_bundle(bundle, pages=4)
    assert refused.value.code == "KS905" and "3" in str(refused.value)


def test_reindex_keeps_the_live_bundle_when_the_new_one_is_not_whole(tmp_path, monkeypatch):
    site, pages = _site(tmp_path)
    reindex(site, pages)
    live = {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    from workflow.edges.site import search

    def cut(bundle: Path, pages: int | None = None) -> None:  # the service's last write still in flight
        index = next(bundle.rglob("*.pf_index"))
        index.write_bytes(index.read_bytes()[:20])
        whole_bundle(bundle, pages)

    monkeypatch.setattr(search, "whole_bundle", cut)
    pages[0].write_text(pages[0].read_text("utf-8").replace("รายการ 0", "รายการแก้แล้ว"), "utf-8")
    with pytest.raises(KhaosanError):
        reindex(site, pages)
    assert {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()} == live
    assert not list((site / "pagefind").glob(".next-*"))


def test_bundles_json_names_only_whole_bundles_and_the_one_before_stays(tmp_path):
    """A search that read the previous list still finds its files; older bundles and leftovers go."""
    site, pages = _site(tmp_path)
    names = []
    for round_ in range(3):
        pages[0].write_text(PAGE.format(title="ข่าวที่ 0", text=f"ฉบับที่ {round_}"), "utf-8")
        reindex(site, pages)
        names.append(live_bundles(site / "pagefind")[0])
        whole_bundle(site / "pagefind" / names[-1], len(pages))
    assert len(set(names)) == 3
    on_disk = {p.name for p in (site / "pagefind").iterdir()}
    assert on_disk == {"bundles.json", names[1], names[2]}  # the first is gone, the one before stays
    reindex(site, pages)  # the same pages again: the same bundle, named again
    assert live_bundles(site / "pagefind") == [names[2]]


def test_publish_refuses_to_name_a_bundle_that_is_not_whole(tmp_path):
    site, pages = _site(tmp_path)
    reindex(site, pages)
    before = (site / "pagefind" / "bundles.json").read_bytes()
    broken = site / "pagefind" / "all-broken"
    broken.mkdir()
    (broken / "pagefind.js").write_text("")
    with pytest.raises(KhaosanError):
        publish(site / "pagefind", ["all-broken"])
    assert (site / "pagefind" / "bundles.json").read_bytes() == before


def test_the_index_gets_the_words_as_the_browser_splits_them_and_the_tails_of_long_words():
    page = (
        '<html><body><article class="item" data-pagefind-body><h1>ปีงบประมาณ 2569</h1>'
        "<p>ผลการพิจารณา &amp; ประกาศ</p>"
        '<section class="cited" data-pagefind-ignore><h2>อ้างถึง</h2><p>ข่าวจากสื่ออื่นเรื่องทะเบียนบ้าน</p></section>'
        "</article></body></html>"
    )
    assert "ทะเบียนบ้าน" not in searchable_text(page)  # another item's card is not this page's text
    words = ThaiWords()
    try:
        sent = words.extra(page)
    finally:
        words.close()
    assert words.proc.returncode == 0
    head, block = sent.split('<div hidden data-pagefind-weight="0.1">')
    assert head == page[: page.rindex("</article>")]  # the page itself is sent as it is
    terms = block.removesuffix("</div></article></body></html>")
    assert terms.startswith("¶ ")
    split = terms.split()
    assert split[split.index("ผล") : split.index("ผล") + 3] == ["ผล", "การ", "พิจารณา"]  # as Chromium splits
    assert {"งบประมาณ", "ประมาณ"} <= set(split)  # tails of ปีงบประมาณ: the word inside the compound
    assert "ทะเบียนบ้าน" not in terms and "&amp;" not in terms  # text, escaped once by the block


def test_a_page_without_an_article_is_sent_as_it_is():
    words = ThaiWords()
    try:
        assert words.extra("<html><body><p>ข่าว</p></body></html>") == "<html><body><p>ข่าว</p></body></html>"
    finally:
        words.close()


@pytest.mark.parametrize("record", [b"", b"[]", b'{"/news/item-0/": "abc"}', b'{"/news/item-0/": [1, 2]}'])
def test_a_base_record_that_is_not_whole_makes_a_new_base(tmp_path, record):
    """The base's page record is read from the site folder: a cut or foreign one is not trusted half."""
    site, pages = _site(tmp_path)
    reindex(site, pages)
    base = live_bundles(site / "pagefind")[0]
    (site / "pagefind" / base / "khaosan-pages.json").write_bytes(record)
    by_url = {"/" + p.parent.relative_to(site).as_posix() + "/": p for p in pages}
    assert follow(site, by_url) == len(pages)  # every page indexed again, into a new base
    assert live_bundles(site / "pagefind") != [base] and len(live_bundles(site / "pagefind")) == 1
    assert follow(site, by_url) == 0  # and the next follow has nothing to add


def test_a_named_bundle_unchanged_since_its_check_is_not_read_again_and_a_changed_one_is(tmp_path, monkeypatch):
    """Every partial build names the base again: it is decompressed again only when a file of it
    changed since it passed (5,500 files and 44 MB at 5,000 items, 0.8–3.3 s of every partial build)."""
    from workflow.edges.site import search

    site, pages = _site(tmp_path)
    reindex(site, pages)
    name = live_bundles(site / "pagefind")[0]
    read = []
    real = search.whole_bundle

    def counted(bundle: Path, pages: int | None = None) -> None:
        read.append(bundle.name)
        real(bundle, pages)

    monkeypatch.setattr(search, "whole_bundle", counted)
    publish(site / "pagefind", [name])
    assert read == []  # as it was when it passed
    fragment = next((site / "pagefind" / name).rglob("*.pf_fragment"))
    data = fragment.read_bytes()
    fragment.write_bytes(data)  # the same bytes written again: its time changed, so it is read again
    publish(site / "pagefind", [name])
    assert read == [name]
    fragment.write_bytes(data[: len(data) // 2])  # cut short after it was named
    with pytest.raises(KhaosanError):
        publish(site / "pagefind", [name])
    (site / "pagefind" / name / "extra.pf_index").write_bytes(b"not gzip")  # a file added: read again too
    fragment.write_bytes(data)
    with pytest.raises(KhaosanError):
        publish(site / "pagefind", [name])
    assert read == [name, name, name]


def test_a_live_base_damaged_after_it_was_named_is_made_anew(tmp_path):
    """A partial build that finds the live base cut short indexes every page again into a new base
    (it failed with KS906 at every build until a --full one)."""
    site, pages = _site(tmp_path)
    reindex(site, pages)
    base = live_bundles(site / "pagefind")[0]
    fragment = next((site / "pagefind" / base).rglob("*.pf_fragment"))
    fragment.write_bytes(fragment.read_bytes()[:30])
    pages[0].write_text(pages[0].read_text("utf-8").replace("รายการ 0", "รายการแก้แล้ว"), "utf-8")
    by_url = {"/" + p.parent.relative_to(site).as_posix() + "/": p for p in pages}
    assert follow(site, by_url) == len(pages)
    now = live_bundles(site / "pagefind")
    assert len(now) == 1 and now != [base]
    whole_bundle(site / "pagefind" / now[0], len(pages))


def test_bundles_json_says_what_the_hidden_results_add_to_the_filter_counts(tmp_path):
    """The search page takes these from Pagefind's counts, so its filter menus count live pages only."""
    import json

    site, pages = _site(tmp_path)
    for i, page in enumerate(pages):
        filters = '<span data-pagefind-filter="ปี พ.ศ.">2569</span>'
        filters += f'<span data-pagefind-filter="ประเภท">{"ข่าว" if i else "ประกาศ"}</span>'
        page.write_text(page.read_text("utf-8").replace("</h1>", "</h1>" + filters), "utf-8")
    reindex(site, pages)
    pages[0].write_text(pages[0].read_text("utf-8").replace("รายการ 0", "รายการแก้แล้ว"), "utf-8")
    by_url = {"/" + p.parent.relative_to(site).as_posix() + "/": p for p in pages}
    assert follow(site, by_url) == 1
    listing = json.loads((site / "pagefind" / "bundles.json").read_bytes())
    assert sum(len(ids) for ids in listing["hidden"].values()) == 1
    assert listing["uncounted"] == {"ปี พ.ศ.": {"2569": 1}, "ประเภท": {"ประกาศ": 1}}
