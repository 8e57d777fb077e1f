"""Checking in forked workers reports exactly what checking in one process reports."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from workflow.core.thaitime import parse_time
from workflow.edges import parallel as forking
from workflow.edges.checking.items import Checked, check_items
from workflow.edges.files.repository import Repository

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


def _view(result: Checked) -> tuple[list, list]:
    return sorted((p.path, p.line, p.column, p.code, p.severity, p.message) for p in result.problems), sorted(
        result.pending
    )


@pytest.mark.parametrize("jobs", [2, 3])
def test_forked_check_equals_single_process_check(sample, jobs):
    paths = sample.item_paths()
    alone = check_items(sample, paths, now=NOW, publish=True, jobs=1)
    forked = check_items(sample, paths, now=NOW, publish=True, jobs=jobs)
    assert _view(alone)[0], "the fixture must produce problems to compare"
    assert _view(forked) == _view(alone)
    assert forked.problems == alone.problems and forked.pending == alone.pending  # path order kept


@pytest.fixture
def children_crash(monkeypatch) -> int:
    """Every forked child fails before it can send its results; yields the parent's pid."""
    parent = os.getpid()
    real_dump = forking.pickle.dump

    def dump_then_die(obj, handle, protocol=None):
        if os.getpid() != parent:
            raise OSError("simulated crash in the child")
        real_dump(obj, handle, protocol=protocol)

    monkeypatch.setattr(forking.pickle, "dump", dump_then_die)
    return parent


def test_a_failed_child_costs_time_not_results(sample, children_crash):
    paths = sample.item_paths()
    alone = check_items(sample, paths, now=NOW, jobs=1)
    forked = check_items(sample, paths, now=NOW, jobs=2)
    assert _view(forked) == _view(alone)


# -- runs of consecutive paths, shared out as they are done (the publish gate's scheme) --------------


BOUND = 300  # seconds: a guard against a hang, never a schedule


class _Hold:
    """Events, not sleeps, so the order is the same however the scheduler runs the two processes:
    the child starts its run (100-199) only once the parent has started its own (000-099), and the
    parent's run is held at its first item until the child, done with its own run, has taken an
    item of the parent's from the far end."""

    def __init__(self, parent: int) -> None:
        self.parent, self.started, self.stolen = parent, multiprocessing.Event(), multiprocessing.Event()

    def __call__(self, path: str) -> tuple[str, int]:
        mine = os.getpid() == self.parent
        if mine and path == "000":
            self.started.set()
            if not self.stolen.wait(BOUND):
                raise AssertionError("no process took any of the held run")
        elif not mine and path == "100" and not self.started.wait(BOUND):
            raise AssertionError("the parent never started its run")
        elif not mine and int(path) < 100:
            self.stolen.set()
        return path, os.getpid()


def test_runs_keep_path_order_and_share_out_the_held_run():
    paths = [f"{i:03d}" for i in range(200)]
    parent = os.getpid()
    done = forking.in_runs(_Hold(parent), paths, 2)
    assert [path for path, _ in done] == paths
    assert done[0][1] == parent and done[199][1] != parent  # each process starts on its own run
    helpers = {pid for path, pid in done[:100] if pid != parent}
    assert helpers == {done[199][1]}, "the process with the quick run took none of the held one"
    assert done[99][1] != parent  # taken from the far end of the held run
    assert all(pid != parent for _, pid in done[100:]), "the held process took from the other's run"


@pytest.mark.parametrize("jobs", [2, 3, 5])
def test_runs_do_every_path_once_in_any_number_of_processes(jobs, tmp_path):
    log = tmp_path / "calls"
    everyone = multiprocessing.Barrier(jobs)  # each process's first item waits for all to have one
    started: set[int] = set()  # per process: a forked child has its own copy

    def work(path: str) -> str:
        with open(log, "a", encoding="utf-8") as handle:  # O_APPEND: one whole line per call, any process
            handle.write(f"{path} {os.getpid()}\n")
        if os.getpid() not in started:
            started.add(os.getpid())
            everyone.wait(BOUND)
        return path + "!"

    paths = [f"{i:03d}" for i in range(101)]
    done = forking.in_runs(work, paths, jobs, chunk=3)
    assert done == [p + "!" for p in paths]
    calls = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(path for path, _ in calls) == paths  # each path once, none twice, none lost
    assert len({pid for _, pid in calls}) == jobs


def test_a_failed_child_costs_runs_time_not_results(children_crash):
    paths = [f"{i:03d}" for i in range(200)]
    done = forking.in_runs(_Hold(children_crash), paths, 2)
    assert [path for path, _ in done] == paths and {pid for _, pid in done} == {children_crash}


# -- idle cores: a second process helps only on a core nobody else uses ----------------------------


def test_idle_cores_are_the_cores_the_load_average_leaves(monkeypatch):
    monkeypatch.setattr(forking.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(forking.os, "getloadavg", lambda: (0.25, 3.0, 3.0))
    assert forking.idle_cores() == 1.75
    monkeypatch.setattr(forking.os, "getloadavg", lambda: (6.0, 0.0, 0.0))
    assert forking.idle_cores() < 1


def test_without_a_load_average_one_core_counts_as_busy(monkeypatch):
    def unknown():
        raise OSError("no load average here")

    monkeypatch.setattr(forking.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(forking.os, "getloadavg", unknown)
    assert forking.idle_cores() == 3
