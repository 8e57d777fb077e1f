"""The search bundle is whole or refused: a cut file or an empty entry never goes live silently.

Pagefind's own WriteFiles answered before its last writes landed (an empty pagefind-entry.json in a
loaded run); the indexer now takes the files from the service and writes them itself, lets the
service end by itself, and reads the bundle back before anything is renamed in.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from workflow.edges.site.search import LiveIndexer, reindex, whole_bundle
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
    assert indexer.finish() == len(pages)
    assert indexer.proc.returncode == 0  # the service ended by itself, never killed after its write
    return site / "pagefind"


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


def test_reindex_keeps_the_live_bundle_when_the_new_one_is_not_whole(tmp_path, monkeypatch):
    site, pages = _site(tmp_path)
    reindex(site, pages)
    live = {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    from workflow.edges.site import search

    def cut(bundle: Path) -> None:  # the service's last write still in flight: one file cut short
        index = next(bundle.rglob("*.pf_index"))
        index.write_bytes(index.read_bytes()[:20])
        whole_bundle(bundle)

    monkeypatch.setattr(search, "whole_bundle", cut)
    with pytest.raises(KhaosanError):
        reindex(site, pages)
    assert {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()} == live
    assert not (site / ".pagefind-next").exists()
