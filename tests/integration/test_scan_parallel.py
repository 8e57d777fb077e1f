"""Checking in forked workers reports exactly what checking in one process reports."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from workflow.core.thaitime import parse_time
from workflow.edges import forking
from workflow.edges import scan as scanning
from workflow.edges.repo import Repository

PROJECT = Path(__file__).resolve().parents[2]
NOW = parse_time("2026-11-25T12:00:00+07:00")


@pytest.fixture
def sample(tmp_path) -> Repository:
    """The sample office plus a few broken and pending items, so there is something to report."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(PROJECT / "office.yml", root / "office.yml")
    shutil.copytree(PROJECT / "schemas", root / "schemas")
    shutil.copytree(PROJECT / "content", root / "content")
    news = root / "content" / "news" / "2569"
    (news / "broken-syntax.md").write_text("---\ntitle: [ไม่ปิด\n---\n", encoding="utf-8")
    (news / "no-front-matter.md").write_text("เนื้อหาอย่างเดียว\n", encoding="utf-8")
    first = sorted(news.glob("meeting-*.md"))[0]
    text = first.read_text(encoding="utf-8")
    (news / "stale-copy.md").write_text(text.replace("\n---\n", "\n---\nแก้ไขแล้ว\n", 1), encoding="utf-8")
    return Repository(root)


def _view(result: scanning.Scan) -> tuple[list, list]:
    return sorted((p.path, p.line, p.column, p.code, p.severity, p.message) for p in result.problems), \
        sorted(result.pending)


@pytest.mark.parametrize("jobs", [2, 3])
def test_forked_check_equals_single_process_check(sample, jobs):
    paths = sample.item_paths()
    alone = scanning.scan(sample, paths, now=NOW, publish=True, keep_items=False, jobs=1)
    forked = scanning.scan(sample, paths, now=NOW, publish=True, keep_items=False, jobs=jobs)
    assert _view(alone)[0], "the fixture must produce problems to compare"
    assert _view(forked) == _view(alone)
    assert [r.path for r in forked.results] == paths  # order kept


def test_a_failed_child_costs_time_not_results(sample, monkeypatch):
    parent = os.getpid()
    real_dump = forking.pickle.dump

    def dump_then_die(obj, handle, protocol=None):
        if os.getpid() != parent:
            raise OSError("simulated crash in the child")
        real_dump(obj, handle, protocol=protocol)

    monkeypatch.setattr(forking.pickle, "dump", dump_then_die)
    paths = sample.item_paths()
    alone = scanning.scan(sample, paths, now=NOW, keep_items=False, jobs=1)
    forked = scanning.scan(sample, paths, now=NOW, keep_items=False, jobs=2)
    assert _view(forked) == _view(alone)
