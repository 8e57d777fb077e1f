"""Kept results (edges/kept.py): a file is read back only for its own version and key, as plain data."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

from workflow.edges import kept

TIMES = frozenset({("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta")})


def _pair(first: object, second: object) -> tuple[object, object]:
    if not isinstance(first, dict):
        raise ValueError("not a dict")
    return first, second


def test_what_was_saved_comes_back_for_its_version_and_key_only(tmp_path):
    path = tmp_path / "kept" / "cache.pickle"
    kept.save_kept(path, 3, "key", {"a": (1, "x")}, [2])
    assert kept.load_kept(path, 3, "key", _pair) == ({"a": (1, "x")}, [2])
    assert kept.load_kept(path, 3, "another key", _pair) is None
    assert kept.load_kept(path, 4, "key", _pair) is None
    assert kept.load_kept(tmp_path / "missing", 3, "key", _pair) is None


def test_a_payload_of_the_wrong_shape_is_nothing_kept(tmp_path):
    path = tmp_path / "cache.pickle"
    kept.save_kept(path, 1, "key", ["not", "a", "dict"], None)
    assert kept.load_kept(path, 1, "key", _pair) is None
    kept.save_kept(path, 1, "key", {})  # one value where `_pair` takes two
    assert kept.load_kept(path, 1, "key", _pair) is None


def test_only_the_classes_allowed_come_out(tmp_path):
    path = tmp_path / "cache.pickle"
    moment = datetime(2026, 11, 25, 12, tzinfo=UTC)
    kept.save_kept(path, 1, "key", {"at": moment}, None)
    assert kept.load_kept(path, 1, "key", _pair) is None
    assert kept.load_kept(path, 1, "key", _pair, allowed=TIMES) == ({"at": moment}, None)
    path.write_bytes(pickle.dumps((1, "key", {"at": ValueError("x")}, None)))
    assert kept.load_kept(path, 1, "key", _pair, allowed=TIMES) is None


def test_a_disk_that_cannot_take_it_is_not_an_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    kept.save_kept(blocker / "cache.pickle", 1, "key", {})
    assert kept.load_kept(blocker / "cache.pickle", 1, "key", _pair) is None


def test_the_run_key_changes_with_every_input():
    base = kept.run_key("x", 1, ("PyYAML",), [("office.yml", b"a")])
    assert base == kept.run_key("x", 1, ("PyYAML",), [("office.yml", b"a")])
    others = {
        kept.run_key("y", 1, ("PyYAML",), [("office.yml", b"a")]),
        kept.run_key("x", 2, ("PyYAML",), [("office.yml", b"a")]),
        kept.run_key("x", 1, ("pypdf",), [("office.yml", b"a")]),
        kept.run_key("x", 1, ("PyYAML",), [("office.yml", b"b")]),
        kept.run_key("x", 1, ("PyYAML",), [("office.yaml", b"a")]),
        kept.run_key("x", 1, ("PyYAML",), []),
    }
    assert base not in others and len(others) == 6
