"""The history cache: what depends only on git objects is kept between runs, and a run
with it reads exactly the same history as a run without it."""

from __future__ import annotations

import pickle
from datetime import datetime
from pathlib import Path

import pytest
from support.history import NEWS_SIGNERS, Git, meeting, signed
from support.items import ATTACHMENT, ATTACHMENT_BYTES, PATHS, SIGNERS, item_text

from workflow.core.publication_history import HistoryFacts
from workflow.edges import kept, parallel
from workflow.edges.files.repository import Repository
from workflow.edges.git import history
from workflow.edges.git.history import CACHE_FILE, read_history

NOW = datetime.fromisoformat("2026-11-25T12:00:00+07:00")
LATER = datetime.fromisoformat("2026-11-27T12:00:00+07:00")
DISCLOSURE = PATHS["disclosure"]


def _news(day: int, name: str = "x") -> str:
    return f"content/news/2569/meeting-202611{day:02d}-{name}.md"


def _facts(root: Path, cache: Path | None = None, now: datetime = NOW) -> HistoryFacts:
    office, _ = Repository(root).office()
    assert office is not None
    return read_history(root, office, now=now, cache_dir=cache)


@pytest.fixture
def git(repo) -> Git:
    """Signed and unsigned news, a disclosure whose attachment came later, a rename and a deletion."""
    g = Git(repo.root)
    g.commit("2026-11-01T08:00:00+07:00", message="office")
    for day in range(1, 7):
        g.commit(f"2026-11-{day:02d}T14:00:00+07:00", {_news(day): signed("news", NEWS_SIGNERS, **meeting())})
    g.commit("2026-11-07T09:00:00+07:00", {_news(7): item_text("news", **meeting())})  # never signed
    g.commit("2026-11-08T12:00:00+07:00", {DISCLOSURE: signed("disclosure", SIGNERS["disclosure"])})
    g.commit("2026-11-08T13:00:00+07:00", {f"content/{ATTACHMENT}": ATTACHMENT_BYTES})
    g.move(_news(2), _news(2, "renamed"), "2026-11-09T09:00:00+07:00")
    g.commit("2026-11-10T09:00:00+07:00", {_news(3): None}, message="withdraw")
    return g


def _same(root: Path, cache: Path, now: datetime = NOW) -> HistoryFacts:
    """The history read with the cache, checked against the history read without it."""
    plain = _facts(root, None, now)
    cached = _facts(root, cache, now)
    assert cached == plain
    assert [r.id for r in cached.items] == [r.id for r in plain.items]
    return cached


def _merge_new_item(g: Git) -> None:
    g.branch("new")
    g.commit("2026-11-12T09:00:00+07:00", {_news(12, "new"): signed("news", NEWS_SIGNERS, **meeting())})
    g.checkout("main")
    g.merge("new", "2026-11-12T10:00:00+07:00")


def _edit(g: Git) -> None:
    text = signed("news", NEWS_SIGNERS, **meeting())
    g.commit("2026-11-12T09:00:00+07:00", {_news(1): text.replace("จัดประชุม", "จัดประชุมใหญ่")})


def _attachment(g: Git) -> None:
    g.commit("2026-11-12T09:00:00+07:00", {f"content/{ATTACHMENT}": b"%PDF-1.4\n% another file\n%%EOF\n"})


def _rename(g: Git) -> None:
    g.move(_news(4), _news(4, "moved"), "2026-11-12T09:00:00+07:00")


def _delete(g: Git) -> None:
    g.commit("2026-11-12T09:00:00+07:00", {_news(5): None})


@pytest.mark.parametrize("change", [_merge_new_item, _edit, _attachment, _rename, _delete])
def test_cold_warm_and_after_new_commits_the_same_as_without_cache(git, tmp_path, change):
    cache = tmp_path / "cache"
    _same(git.root, cache)  # cold
    assert (cache / CACHE_FILE).is_file()
    _same(git.root, cache)  # warm
    change(git)
    after = _same(git.root, cache)
    assert after.head == git.run("rev-parse", "HEAD")
    _same(git.root, cache)  # warm again


def test_the_attachment_change_is_seen_through_the_cache(git, tmp_path):
    cache = tmp_path / "cache"
    disclosure_id = DISCLOSURE[len("content/") : -len(".md")]
    record = next(r for r in _same(git.root, cache).items if r.id == disclosure_id)
    assert record.complete_now
    _attachment(git)
    record = next(r for r in _same(git.root, cache).items if r.id == disclosure_id)
    assert not record.complete_now  # signed for the other bytes


def test_a_cached_text_whose_verdict_is_not_kept_is_read_on_demand(git, tmp_path, monkeypatch):
    """The disclosure's text is kept, its verdict for the new attachment is not: its blob is not
    streamed but read when the walk asks for it."""
    cache = tmp_path / "cache"
    _facts(git.root, cache)
    _attachment(git)
    text_blob = git.run("rev-parse", f"HEAD:{DISCLOSURE}")
    streamed: list[str] = []
    read: list[str] = []
    real_stream, real_get = history.Blobs.stream, history.Blobs.get

    def stream(self, shas):
        streamed.extend(shas)
        return real_stream(self, shas)

    def get(self, sha):
        read.append(sha)
        return real_get(self, sha)

    monkeypatch.setattr(history.Blobs, "stream", stream)
    monkeypatch.setattr(history.Blobs, "get", get)
    record = next(r for r in _facts(git.root, cache).items if r.path == DISCLOSURE)
    assert text_blob not in streamed and text_blob in read
    assert not record.complete_now
    assert _facts(git.root, cache) == _facts(git.root)


def _force_fork(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "HISTORY_FORK_FROM", 1)
    monkeypatch.setattr(parallel, "HISTORY_FORK_FRESH", 0)
    monkeypatch.setattr(parallel, "idle_cores", lambda: 2.0)


def test_forked_walk_with_the_cache_is_the_same_as_one_process(git, tmp_path, monkeypatch):
    one = _facts(git.root)
    monkeypatch.setattr(parallel, "HISTORY_FORK_FRESH", 0)
    monkeypatch.setattr(parallel, "HISTORY_FORK_FROM", 1)
    monkeypatch.setattr(parallel, "idle_cores", lambda: 2.0)
    cache = tmp_path / "cache"
    assert _facts(git.root, cache) == one  # cold
    assert _facts(git.root, cache) == one  # warm
    _merge_new_item(git)
    _edit(git)
    monkeypatch.setattr(parallel, "HISTORY_FORK_FROM", 10**9)
    one = _facts(git.root)
    monkeypatch.setattr(parallel, "HISTORY_FORK_FROM", 1)
    assert _facts(git.root, cache) == one  # partly warm
    assert _facts(git.root, cache) == one


def _kept_paths(root: Path, cache: Path) -> set[str]:
    kept = history.load_cache(cache / CACHE_FILE, history.cache_key(root) or "")
    assert kept.sha256
    return {path for path, _ in kept.parsed}


def test_the_forked_child_sends_back_its_entries(git, tmp_path, monkeypatch):
    _force_fork(monkeypatch)
    cache = tmp_path / "cache"
    _facts(git.root, cache)
    everything = {_news(day) for day in (1, 4, 5, 6, 7)} | {_news(2), _news(2, "renamed"), _news(3), DISCLOSURE}
    assert everything <= _kept_paths(git.root, cache)
    _edit(git)  # a new entry: the file is written again, with the entries both processes took from it
    _facts(git.root, cache)
    assert everything <= _kept_paths(git.root, cache)

    def fail(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(history, "parse_item", fail)
    _facts(git.root, cache)


def test_a_warm_cache_walks_in_one_process(git, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "HISTORY_FORK_FROM", 1)
    monkeypatch.setattr(parallel, "idle_cores", lambda: 2.0)
    cache = tmp_path / "cache"
    forked: list[int] = []
    real = history._walk_forked
    monkeypatch.setattr(history, "_walk_forked", lambda *args: forked.append(1) or real(*args))
    monkeypatch.setattr(parallel, "HISTORY_FORK_FRESH", 5)
    _facts(git.root, cache)
    assert forked == [1]  # cold: every version is fresh
    _edit(git)
    _facts(git.root, cache)
    assert forked == [1]  # one fresh version: not worth a second process


def test_a_warm_run_parses_no_yaml(git, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    expected = _facts(git.root, cache)
    written = (cache / CACHE_FILE).stat().st_mtime_ns

    def fail(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(history, "parse_item", fail)
    assert _facts(git.root, cache) == expected
    assert (cache / CACHE_FILE).stat().st_mtime_ns == written  # nothing new: not rewritten


def test_a_warm_run_reads_no_item_blob(git, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    _facts(git.root, cache)
    asked: list[str] = []
    real_stream = history.Blobs.stream

    def stream(self, shas):
        asked.extend(shas)
        return real_stream(self, shas)

    monkeypatch.setattr(history.Blobs, "stream", stream)
    monkeypatch.setattr(history.Blobs, "get", lambda self, sha: pytest.fail(f"read {sha}"))
    _facts(git.root, cache)
    assert asked == []


def test_an_approval_in_the_future_is_evaluated_every_run(git, tmp_path):
    future = [("anan.w", "facts", "2026-11-26T09:00:00+07:00"), ("malee.t", "check", "2026-11-26T09:30:00+07:00")]
    path = _news(11, "future")
    item_id = path[len("content/") : -len(".md")]
    git.commit("2026-11-11T14:00:00+07:00", {path: signed("news", future, **meeting())})
    cache = tmp_path / "cache"
    now_facts = _same(git.root, cache, NOW)
    assert next(r for r in now_facts.items if r.id == item_id).publishable_at is None
    later = _same(git.root, cache, LATER)
    assert next(r for r in later.items if r.id == item_id).publishable_at is not None
    assert later == _facts(git.root, None, LATER)


def test_a_verdict_kept_at_a_later_now_is_not_used_at_an_earlier_one(git, tmp_path):
    future = [("anan.w", "facts", "2026-11-26T09:00:00+07:00"), ("malee.t", "check", "2026-11-26T09:30:00+07:00")]
    path = _news(11, "future")
    item_id = path[len("content/") : -len(".md")]
    git.commit("2026-11-11T14:00:00+07:00", {path: signed("news", future, **meeting())})
    cache = tmp_path / "cache"
    assert next(r for r in _same(git.root, cache, LATER).items if r.id == item_id).complete_now
    assert not next(r for r in _same(git.root, cache, NOW).items if r.id == item_id).complete_now
    _same(git.root, cache, LATER)


def _counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = history.parse_item

    def counted(path, raw):
        calls.append(path)
        return real(path, raw)

    monkeypatch.setattr(history, "parse_item", counted)
    return calls


def test_other_office_bytes_ignore_the_cache(git, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    _facts(git.root, cache)
    calls = _counting(monkeypatch)
    _facts(git.root, cache)
    assert calls == []
    office = git.root / "office.yml"
    office.write_bytes(office.read_bytes() + b"\n# a comment changes the bytes\n")
    expected = _facts(git.root)
    calls.clear()
    assert _facts(git.root, cache) == expected
    assert calls


def test_other_code_ignores_the_cache(git, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    _facts(git.root, cache)
    calls = _counting(monkeypatch)
    monkeypatch.setattr(kept, "code_digest", lambda: "edited code")
    assert _same(git.root, cache) is not None
    assert calls


@pytest.mark.parametrize("raw", [b"", b"not a pickle", pickle.dumps({"x": 1})[:-3], pickle.dumps((1, "k", {}, {}, {}))])
def test_a_corrupt_or_foreign_cache_file_is_ignored(git, tmp_path, raw):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / CACHE_FILE).write_bytes(raw)
    _same(git.root, cache)
    _same(git.root, cache)


PLANTED: list[str] = []


def _planted_call() -> None:
    PLANTED.append("ran")


class _Planted:
    def __reduce__(self):
        return (_planted_call, ())


def test_a_planted_pickle_runs_nothing(git, tmp_path):
    cache = tmp_path / "cache"
    key = history.cache_key(git.root)
    assert key is not None
    cache.mkdir()
    (cache / CACHE_FILE).write_bytes(pickle.dumps((history.CACHE_VERSION, key, {"x": _Planted()}, {}, {})))
    _same(git.root, cache)
    assert PLANTED == []


def test_malformed_entries_under_the_right_key_are_ignored(git, tmp_path):
    cache = tmp_path / "cache"
    _facts(git.root, cache)
    key = history.cache_key(git.root)
    assert key is not None
    kept = history.load_cache(cache / CACHE_FILE, key)
    parsed = {k: ("not", "a", "summary") for k in kept.parsed}
    verdicts = {k: ("bad",) for k in kept.verdicts}
    sha256 = dict.fromkeys(kept.sha256, 42)
    (cache / CACHE_FILE).write_bytes(pickle.dumps((history.CACHE_VERSION, key, parsed, verdicts, sha256)))
    _same(git.root, cache)


def test_the_key_follows_everything_the_gate_reads(git):
    """The history judges the whole gate, which reads `ita:` tags against the OIT lists: a change to a
    list (or a schema, or office.yml) must make every kept verdict unread, as it does for the check's."""
    import shutil

    from workflow.edges.files.repository import PACKAGE_ROOT

    before = history.cache_key(git.root)
    shutil.copytree(PACKAGE_ROOT / "data" / "ita", git.root / "data" / "ita")
    assert history.cache_key(git.root) == before  # the same lists as the shipped ones: the same key
    listed = git.root / "data" / "ita" / "2569.yml"
    listed.write_text(listed.read_text(encoding="utf-8").replace("โครงสร้าง", "โครงสร้างหน่วยงาน", 1), encoding="utf-8")
    assert history.cache_key(git.root) != before
