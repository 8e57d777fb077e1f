"""The publish gate (`check_items` with safety, candidates and the verdict cache of edges/checking/verdicts.py):
what checking every item with `safety=True` says, forked or not, and its verdict cache.

Every cache test names exactly which items a change must send back to the
checker (`Checked.checked`) and compares the outcome with a fresh check of every item (no cache), so a
cache that reuses too much or too little fails here.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from support.items import ATTACHMENT, ATTACHMENT_BYTES, IDS, NOW_DT, PATHS, signed_text
from support.media import pdf
from support.site import project_copy

from workflow.core import yamlparse
from workflow.core.publication import candidate
from workflow.edges import kept
from workflow.edges import parallel as forking
from workflow.edges.checking import items as checking
from workflow.edges.checking.items import Checked, check_items
from workflow.edges.checking.verdicts import CACHE_FILE
from workflow.edges.files.repository import GATE_LIBRARIES, Repository, UnsafeFile, ita_texts

ID = "1-2345-67890-12-1"  # a national id with a valid check digit (KS701)
LINKER = "content/news/2569/meeting-20261120-links.md"  # a news item linking to the disclosure
CODE_DIGEST = kept.code_digest


def expected(root: Path, now=NOW_DT) -> tuple[list, list, list]:
    """What the gate must answer: each item's whole result checked with `safety=True` (no cache, one
    process), its problems and pending, and `candidate` of each result."""
    repo = Repository(root)
    result = check_items(repo, repo.item_paths(), now=now, safety=True, keep_items=True)
    candidates = []
    for r in result.results:
        try:
            source = hashlib.sha256(repo.read(r.path)).hexdigest()
        except UnsafeFile:
            source = ""
        candidates.append(candidate(r, source=source, file_hash=repo.file_hash))
    return result.problems, candidates, result.pending


def view(gate: Checked) -> tuple[list, list, list]:
    return gate.problems, gate.candidates, gate.pending


def clean_paths(candidates: list, problems: list) -> list[str]:
    """Items with no problem at all: the only ones the cache keeps."""
    troubled = {p.path for p in problems}
    return [c.path for c in candidates if c.path not in troubled]


def gate_of(root: Path, cache: Path | None = None, now=NOW_DT, **kwargs) -> Checked:
    """As `khaosan build` checks."""
    repo = Repository(root)
    return check_items(repo, repo.item_paths(), now=now, safety=True, candidates=True, cache_dir=cache, **kwargs)


def add_errors_and_warnings(root: Path) -> None:
    """Broken, unsafe and merely warned-about items next to the sample office's clean ones."""
    news = root / "content" / "news" / "2569"
    (news / "broken-syntax.md").write_text("---\ntitle: [ไม่ปิด\n---\n", encoding="utf-8")
    (news / "no-front-matter.md").write_text("เนื้อหาอย่างเดียว\n", encoding="utf-8")
    first = sorted(news.glob("meeting-*.md"))[0]
    text = first.read_text(encoding="utf-8")
    (news / "stale-copy.md").write_text(text.replace("\n---\n", "\n---\nแก้ไขแล้ว\n", 1), encoding="utf-8")  # KS304
    (news / "personal-data.md").write_text(  # KS701, and a link to no item (KS721)
        text.replace("\n---\n", f"\n---\nเลขประจำตัว {ID} ดู [ข่าวเก่า](/news/2569/no-such-item/)\n", 1), encoding="utf-8"
    )
    (news / "Stale-Copy.md").write_text(text, encoding="utf-8")  # KS209 with stale-copy.md, KS210
    (news / "outside.md").symlink_to(root.parent / "elsewhere.md")  # KS731
    (root.parent / "elsewhere.md").write_text(text, encoding="utf-8")
    clipping = sorted((root / "content" / "clippings" / "2569").glob("*.md"))[0]
    about = clipping.read_text(encoding="utf-8").replace("about: [", "about: [news/2569/gone, ", 1)
    (clipping.parent / "about-gone.md").write_text(about, encoding="utf-8")  # KS213


@pytest.fixture(autouse=True)
def code_as_it_was(monkeypatch):
    """Khaosan's code as it was when the test began: an edit to the work tree while tests run
    (someone at work on the code) must not turn the hits a test expects into misses."""
    monkeypatch.setattr(kept, "code_digest", functools.cache(CODE_DIGEST))


@pytest.fixture
def sample(tmp_path) -> Path:
    return project_copy(tmp_path, content=True)


@pytest.fixture
def flawed(sample) -> Path:
    add_errors_and_warnings(sample)
    return sample


@pytest.fixture
def small(repo) -> Path:
    """Clean, signed items that depend on each other: a clipping about a news item, a news item
    linking to a disclosure, the disclosure's PDF; and one item with a warning (a stale sign-off)."""
    for kind in ("news", "disclosure", "clipping"):
        repo.write(PATHS[kind], signed_text(kind))
    repo.write(f"content/{ATTACHMENT}", ATTACHMENT_BYTES)
    repo.write(
        LINKER,
        signed_text(
            "news",
            body=f"ดู [ร่าง TOR](/{IDS['disclosure']}/)\n",
            signers=[  # Bangkok time
                ("anan.w", "facts", "2026-11-20T15:00:00"),
                ("malee.t", "check", "2026-11-20T16:00:00"),
            ],
        ),
    )
    repo.write("content/news/2569/meeting-20261120-stale.md", signed_text("news", digest="sha256:" + "0" * 64))
    return repo.root


# -- the same answer as checking every item afresh ------------------------------------------


def test_the_gate_says_what_a_fresh_check_says_on_the_sample_office(sample, tmp_path):
    gate = gate_of(sample, tmp_path / "cache")
    assert gate.office is not None and len(gate.candidates) == len(Repository(sample).item_paths()) > 50
    assert all(c.valid for c in gate.candidates)
    assert any(c.files for c in gate.candidates) and any(c.about for c in gate.candidates)
    assert view(gate) == expected(sample)
    warm = gate_of(sample, tmp_path / "cache")
    assert warm.cached == len(gate.candidates) and view(warm) == expected(sample)  # from the cache, the same


def test_the_gate_says_what_a_fresh_check_says_with_errors_and_warnings(flawed, tmp_path):
    problems, candidates, pending = expected(flawed)
    codes = {p.code for p in problems}
    assert {"KS007", "KS010", "KS209", "KS210", "KS213", "KS304", "KS701", "KS721", "KS731"} <= codes, codes
    assert {p.severity for p in problems} == {"error", "warning"}
    clean = len(clean_paths(candidates, problems))
    for cache, hits in ((None, 0), (tmp_path / "cache", 0), (tmp_path / "cache", clean)):  # none, cold, warm
        gate = gate_of(flawed, cache)
        assert view(gate) == (problems, candidates, pending) and gate.cached == hits
        assert gate.errors == [p for p in problems if p.severity == "error"]
        assert [c.valid for c in gate.candidates].count(False) >= 5
    assert 50 < hits < len(candidates)


def test_a_broken_office_stops_before_the_items(flawed, tmp_path):
    (flawed / "office.yml").write_text("office: [\n", encoding="utf-8")
    gate = gate_of(flawed, tmp_path / "cache")
    assert gate.office is None and gate.candidates == [] and gate.errors
    assert gate.problems == expected(flawed)[0]


# -- forked ---------------------------------------------------------------------------------


def copies(root: Path, count: int) -> None:
    """Each item `count` more times under another name (same folder, same signed content)."""
    for rel in Repository(root).item_paths():
        path = root / rel
        for n in range(count):
            shutil.copy(path, path.with_name(f"{path.stem}-c{n}.md"))


def test_forked_gate_equals_single_process(flawed, tmp_path, monkeypatch):
    copies(flawed, 6)
    forks = []
    real = forking.run_shares
    monkeypatch.setattr(forking, "run_shares", lambda works: forks.append(len(works)) or real(works))
    alone = gate_of(flawed, jobs=1)
    assert forks == [] and len(alone.candidates) > 400 and alone.errors
    forked = gate_of(flawed, jobs=2)
    assert forks == [2]
    assert view(forked) == view(alone)
    warm_cache = tmp_path / "cache"
    assert view(gate_of(flawed, warm_cache, jobs=2)) == view(alone)
    again = gate_of(flawed, warm_cache, jobs=2)  # only the items with problems go to the workers
    assert forks == [2, 2, 2] and view(again) == view(alone)
    clean = clean_paths(alone.candidates, alone.problems)
    assert again.cached == len(clean) > 300
    assert again.checked == [c.path for c in alone.candidates if c.path not in clean]


# -- the cache ------------------------------------------------------------------------------


def test_a_second_run_takes_every_clean_item_from_the_cache(small, tmp_path):
    cache = tmp_path / "cache"
    first = gate_of(small, cache)
    assert first.cached == 0 and len(first.checked) == 5
    assert {(p.path, p.code, p.severity) for p in first.problems} == {  # the stale item: a warning
        ("content/news/2569/meeting-20261120-stale.md", "KS304", "warning")
    }
    second = gate_of(small, cache)
    assert second.checked == ["content/news/2569/meeting-20261120-stale.md"]  # re-checked every run
    assert second.cached == 4 == len(clean_paths(first.candidates, first.problems))
    assert view(second) == view(first) == expected(small)
    zones = [c.fallback.tzname() if c.fallback else None for c in second.candidates]
    assert zones == [c.fallback.tzname() if c.fallback else None for c in first.candidates]
    assert {"Asia/Bangkok", "UTC+07:00"} <= set(zones)  # a time without an offset is Bangkok time, by name
    assert gate_of(small, cache).checked == second.checked


def test_a_hit_neither_parses_nor_checks(small, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    (small / "content/news/2569/meeting-20261120-stale.md").unlink()

    def refuse(*args, **kwargs):
        raise AssertionError("checked an item the cache answers")

    parsed = []
    real_load = yamlparse.load
    monkeypatch.setattr(yamlparse, "load", lambda text: parsed.append(text) or real_load(text))
    monkeypatch.setattr(checking, "check_item", refuse)
    gate = gate_of(small, cache)
    assert gate.cached == 4 and gate.checked == [] and gate.errors == []
    lists = [text.decode("utf-8") for text in ita_texts(small).values()]  # the OIT lists an `ita:` is read against
    assert sorted(parsed) == sorted([(small / "office.yml").read_text(encoding="utf-8"), *lists])  # no item


def test_editing_an_item_rechecks_that_item_only(small, tmp_path):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    news = small / PATHS["news"]
    news.write_bytes(news.read_bytes() + b"\n")
    gate = gate_of(small, cache)
    assert sorted(gate.checked) == sorted([PATHS["news"], "content/news/2569/meeting-20261120-stale.md"])
    assert view(gate) == expected(small)
    assert "KS304" in {p.code for p in gate.problems if p.path == PATHS["news"]}  # its sign-offs are stale now


def test_changing_an_attachment_rechecks_the_items_that_name_it(small, tmp_path):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    (small / "content" / ATTACHMENT).write_bytes(pdf(f"Scholarship ID {ID}"))
    gate = gate_of(small, cache)
    assert sorted(gate.checked) == sorted([PATHS["disclosure"], "content/news/2569/meeting-20261120-stale.md"])
    assert view(gate) == expected(small)
    assert {p.code for p in gate.problems if p.path == PATHS["disclosure"]} >= {"KS701", "KS304"}


def test_a_missing_attachment_that_comes_back_is_seen(small, tmp_path):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    (small / "content" / ATTACHMENT).unlink()
    gate = gate_of(small, cache)
    assert PATHS["disclosure"] in gate.checked and "KS207" in {p.code for p in gate.errors}
    assert view(gate) == expected(small)


@pytest.mark.parametrize("change", ["office", "schema", "code", "libraries"])
def test_a_change_to_what_every_check_reads_rechecks_everything(small, tmp_path, monkeypatch, change):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    if change == "office":
        with open(small / "office.yml", "a", encoding="utf-8") as handle:
            handle.write("# แก้ไข\n")
    elif change == "schema":
        schema = small / "schemas" / "news.schema.json"
        schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "code":
        monkeypatch.setattr(kept, "code_digest", lambda: "another version of khaosan")
    else:
        monkeypatch.setattr(kept, "library_versions", lambda names: "pypdf==0.0.1\n")
    gate = gate_of(small, cache)
    assert gate.cached == 0 and len(gate.checked) == 5
    assert view(gate) == expected(small)
    assert gate_of(small, cache).cached == 4  # and cached again under the new key


def test_code_digest_follows_the_source(tmp_path, monkeypatch):
    code = tmp_path / "workflow"
    (code / "core").mkdir(parents=True)
    (code / "core" / "rules.py").write_text("RULES = 1\n", encoding="utf-8")
    monkeypatch.setattr(kept, "CODE_ROOT", code)
    before = CODE_DIGEST()
    (code / "core" / "rules.py").write_text("RULES = 2\n", encoding="utf-8")
    assert CODE_DIGEST() != before
    libraries = kept.library_versions(GATE_LIBRARIES)
    assert "pypdf==" in libraries and "PyYAML==" in libraries


def test_deleting_what_a_clipping_is_about_rechecks_the_clipping(small, tmp_path):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    (small / LINKER).unlink()  # an item nothing refers to: nobody else is checked
    assert sorted(gate_of(small, cache).checked) == ["content/news/2569/meeting-20261120-stale.md"]
    (small / PATHS["news"]).unlink()
    gate = gate_of(small, cache)
    assert sorted(gate.checked) == sorted([PATHS["clipping"], "content/news/2569/meeting-20261120-stale.md"])
    assert [(p.path, p.code) for p in gate.errors] == [(PATHS["clipping"], "KS213")]
    assert view(gate) == expected(small)


def test_deleting_an_item_another_links_to_rechecks_the_linker(small, tmp_path):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    (small / PATHS["disclosure"]).unlink()
    gate = gate_of(small, cache)
    assert sorted(gate.checked) == sorted([LINKER, "content/news/2569/meeting-20261120-stale.md"])
    assert [(p.path, p.code) for p in gate.errors] == [(LINKER, "KS721")]
    assert view(gate) == expected(small)


def test_an_entry_holds_from_its_now_onwards_only(small, tmp_path):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    assert gate_of(small, cache, now=NOW_DT + timedelta(days=400)).cached == 4
    earlier = NOW_DT - timedelta(seconds=1)
    gate = gate_of(small, cache, now=earlier)
    assert gate.cached == 0 and view(gate) == expected(small, earlier)
    # checked again at the earlier time and still clean: the entries now hold from then on
    assert gate_of(small, cache, now=earlier).cached == 4
    # long enough before: sign-offs lie in the future (KS212), nothing is cached or kept
    before = NOW_DT - timedelta(days=5)
    gate = gate_of(small, cache, now=before)
    assert gate.cached == 0 and "KS212" in {p.code for p in gate.errors}
    assert view(gate) == expected(small, before)
    assert gate_of(small, cache, now=before).cached == 0


def test_entries_of_removed_items_are_dropped(small, tmp_path):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    saved = (small / LINKER).read_bytes()
    (small / LINKER).unlink()
    gate_of(small, cache)
    (small / LINKER).write_bytes(saved)  # the same bytes again: its old entry must be gone
    assert LINKER in gate_of(small, cache).checked


@pytest.mark.parametrize(
    "content", [b"", b"not a pickle", b"\x80\x05\x95garbage", "truncated", "foreign", "wrong version", "wrong shape"]
)
def test_a_bad_cache_file_means_a_full_check_never_an_error(small, tmp_path, content):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    file = cache / CACHE_FILE
    good = file.read_bytes()
    version, key, entries = kept.PlainUnpickler(io.BytesIO(good)).load()
    data = {
        "truncated": good[: len(good) // 2],
        "foreign": pickle.dumps({"entries": entries}),
        "wrong version": pickle.dumps((version + 1, key, entries)),
        "wrong shape": pickle.dumps((version, key, {p: e[:5] for p, e in entries.items()})),
    }.get(content, content)
    file.write_bytes(data)
    gate = gate_of(small, cache)
    assert gate.cached == 0 and view(gate) == expected(small)
    assert gate_of(small, cache).cached == 4  # rewritten whole


class _Planted:
    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return os.mkdir, (str(self.target),)


def test_a_planted_cache_file_cannot_run_code(small, tmp_path):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    planted = tmp_path / "planted"
    (cache / CACHE_FILE).write_bytes(pickle.dumps(_Planted(planted)))
    assert pickle.loads(pickle.dumps(_Planted(tmp_path / "proof"))) is None and (tmp_path / "proof").is_dir()
    gate = gate_of(small, cache)
    assert not planted.exists() and gate.cached == 0 and view(gate) == expected(small)


def test_a_cache_that_cannot_be_written_costs_time_not_the_result(small, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    gate = gate_of(small, blocker / "cache")
    assert view(gate) == expected(small) and gate.cached == 0
    assert gate_of(small, blocker / "cache").cached == 0


def test_nothing_changed_nothing_written(small, tmp_path):
    cache = tmp_path / "cache"
    gate_of(small, cache)
    before = (cache / CACHE_FILE).stat().st_mtime_ns
    os.utime(cache / CACHE_FILE, ns=(before - 10**9, before - 10**9))
    gate_of(small, cache)
    assert (cache / CACHE_FILE).stat().st_mtime_ns == before - 10**9
    (small / LINKER).unlink()
    gate_of(small, cache)
    assert (cache / CACHE_FILE).stat().st_mtime_ns != before - 10**9
