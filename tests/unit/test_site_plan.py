"""Which pages a build renders again: keys, relations, and when a full build is the answer."""

from __future__ import annotations

from datetime import UTC, datetime

from workflow.core.publication import Candidate, Decision
from workflow.core.site_plan import FULL_MIN, FULL_SHARE, Manifest, files_of, page_keys, plan

WHEN = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def item(
    item_id: str,
    source: str = "a",
    *,
    about: tuple[str, ...] = (),
    files=(),
    withdrawn=False,
    reason="ready",
    when=WHEN,
) -> tuple[Candidate, Decision]:
    c = Candidate(
        f"content/{item_id}.md",
        item_id,
        "clipping" if about else "news",
        valid=True,
        complete=True,
        about=about,
        refs=tuple(f for f, _ in files),
        files=tuple(files),
        withdrawn=withdrawn,
        source=source,
    )
    return c, Decision(c.path, item_id, reason, when)


def test_a_page_key_changes_with_its_bytes_files_date_and_urgency():
    base = page_keys([item("n/1")])["n/1"]
    assert page_keys([item("n/1")])["n/1"] == base
    assert page_keys([item("n/1", "b")])["n/1"] != base
    assert page_keys([item("n/1", files=[("files/x.pdf", "1")])])["n/1"] != base
    assert page_keys([item("n/1", when=datetime(2026, 11, 21, tzinfo=UTC))])["n/1"] != base
    assert page_keys([item("n/1", reason="urgent")])["n/1"] != base


def test_a_clipping_and_the_item_it_is_about_share_their_changes():
    before = page_keys([item("n/1"), item("c/1", "x", about=("n/1",)), item("n/2")])
    after = page_keys([item("n/1"), item("c/1", "y", about=("n/1",)), item("n/2")])
    assert after["n/1"] != before["n/1"]  # shows the clipping's card
    assert after["c/1"] != before["c/1"]
    assert after["n/2"] == before["n/2"]
    edited = page_keys([item("n/1", "b"), item("c/1", "x", about=("n/1",)), item("n/2")])
    assert edited["c/1"] != before["c/1"]  # shows the item's card


def test_about_an_item_that_is_not_public_relates_nothing():
    keys = page_keys([item("c/1", about=("n/9",))])
    assert set(keys) == {"c/1"}


def test_withdrawn_items_carry_no_files():
    files = files_of(
        [item("n/1", files=[("files/a.pdf", "1")], withdrawn=True), item("n/2", files=[("files/b.pdf", "2")])]
    )
    assert files == {"files/b.pdf": "2"}


def manifest(pages, files=None, shared="s") -> Manifest:
    return Manifest(shared, pages, files or {}, {})


def test_no_record_or_another_theme_means_a_full_build():
    assert plan(None, "s", {"n/1": "k"}, {}, {}).full
    assert plan(manifest({"n/1": "k"}), "other", {"n/1": "k"}, {}, {}).full


def test_only_changed_pages_are_rendered_and_unchanged_files_kept():
    pages = {f"n/{i}": "k" for i in range(10)}
    now = dict(pages, **{"n/3": "changed", "n/new": "k"})
    result = plan(
        manifest(pages, {"files/a.pdf": "1", "files/b.pdf": "2"}),
        "s",
        now,
        {"files/a.pdf": "1", "files/b.pdf": "3"},
        {"n/3": ["files/a.pdf"]},
    )
    assert not result.full
    assert result.render == {"n/3", "n/new"}
    assert result.keep_pages == set(pages) - {"n/3"}
    assert result.keep_files == {"files/a.pdf"}
    assert result.stage_files == {"files/b.pdf", "files/a.pdf"}  # b changed; a is on a page rendered again


def test_a_page_whose_reader_output_is_not_kept_is_rendered_again():
    pages = {f"n/{i}": "k" for i in range(10)}
    result = plan(manifest(pages), "s", pages, {}, {}, cached=frozenset(pages) - {"n/4"})
    assert result.render == {"n/4"}


def test_when_most_pages_of_a_big_site_change_a_full_build_is_chosen():
    pages = {f"n/{i}": "k" for i in range(400)}
    changed = {k: ("x" if i < 400 * FULL_SHARE + 1 else "k") for i, k in enumerate(pages)}
    assert plan(manifest(pages), "s", changed, {}, {}).full
    almost = {k: ("x" if i < 400 * FULL_SHARE else "k") for i, k in enumerate(pages)}
    assert not plan(manifest(pages), "s", almost, {}, {}).full
    small = {f"n/{i}": "k" for i in range(FULL_MIN)}
    assert not plan(manifest(small), "s", {k: "x" for k in small}, {}, {}).full  # a small site: always partial


def test_a_manifest_round_trips_and_rejects_anything_else():
    m = Manifest("s", {"n/1": "k"}, {"files/a.pdf": "1"}, {"index.html": (10, 20)})
    assert Manifest.from_json(m.to_json()) == m
    assert Manifest.from_json({"format": 99}) is None
    assert Manifest.from_json({"format": 1, "shared": "s"}) is None
    assert Manifest.from_json(["not", "a", "manifest"]) is None
