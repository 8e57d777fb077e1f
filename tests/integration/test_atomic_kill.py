"""Nothing is lost (issue 7): a process killed mid-write leaves the old file or the new one, never half.

A child process writes a large file through workflow.edges.files.atomic and is SIGKILLed: at the
rename (held there by the child itself), after the write returned, and at random moments (fixed
seed). Whatever the moment, the file holds exactly the old bytes or exactly the new ones; for
`create_file`, nothing or the whole new file. The two event kills give both outcomes whatever the
scheduler does; the random ones only widen the search for a half file.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SIZE = 24 * 1024 * 1024
OLD, NEW = b"A" * SIZE, b"B" * SIZE
CHILD = f"""
import os, sys
from pathlib import Path
from workflow.edges.files.atomic import create_file, replace_file
path, mode, hold = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "hold"
data = b"B" * {SIZE}
if hold:  # stop at the rename, the temporary file complete, until told to go on (never, here)
    for name in ("replace", "link"):
        real = getattr(os, name)
        def held(*args, _real=real):
            print("renaming", flush=True)
            sys.stdin.readline()
            return _real(*args)
        setattr(os, name, held)
print("ready", flush=True)
if mode == "replace":
    replace_file(path, data)
else:
    create_file(path, data)
print("done", flush=True)
"""


def _kill_at(path: Path, mode: str, moment: float | str) -> None:
    """Run the child and SIGKILL it: `moment` seconds after it is ready, or at the event it names
    ("renaming": the new bytes written and synced, the rename not made; "done": the write returned)."""
    hold = "hold" if moment == "renaming" else "run"
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), mode, hold],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        if isinstance(moment, str):
            assert child.stdout.readline().strip() == moment.encode()
        else:
            time.sleep(moment)  # a random moment of the write; each outcome is checked, none expected
        child.send_signal(signal.SIGKILL)
        child.wait()


def _outcome(path: Path, mode: str, attempt: object) -> str:
    if mode == "create" and not path.exists():
        return "none"
    data = path.read_bytes()
    assert data in (OLD, NEW), f"attempt {attempt}: half a file ({len(data)} bytes)"
    return "old" if data == OLD else "new"


@pytest.mark.parametrize("mode", ["replace", "create"])
def test_killed_mid_write_leaves_old_or_new_never_half(tmp_path, mode):
    rng = random.Random(7)
    moments: list[float | str] = ["renaming", "done"] + [rng.uniform(0.0, 0.25) for _ in range(10)]
    outcomes = {}
    for attempt, moment in enumerate(moments):
        path = tmp_path / f"item-{attempt}.md"
        if mode == "replace":
            path.write_bytes(OLD)
        _kill_at(path, mode, moment)
        outcomes[moment] = _outcome(path, mode, moment)
    # leftovers are hidden temporary files beside the target, never a half-written target
    for leftover in tmp_path.iterdir():
        assert leftover.name.startswith(".") or leftover.name.startswith("item-")
    # killed at the rename, the old file (or none) stays; killed after it, the new one is whole
    assert outcomes["renaming"] == ("old" if mode == "replace" else "none")
    assert outcomes["done"] == "new"


def test_create_never_overwrites(tmp_path):
    from workflow.edges.files.atomic import create_file

    path = tmp_path / "x.md"
    path.write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        create_file(path, b"theirs")
    assert path.read_bytes() == b"mine"
    assert [p.name for p in tmp_path.iterdir()] == ["x.md"]


def test_replace_refuses_when_the_file_changed_meanwhile(tmp_path):
    from workflow.edges.files.atomic import replace_file

    path = tmp_path / "x.md"
    path.write_bytes(b"edited by a person meanwhile")
    with pytest.raises(FileExistsError):
        replace_file(path, b"new", expected=b"what the command read")
    assert path.read_bytes() == b"edited by a person meanwhile"


def test_approve_refuses_when_the_file_changed_meanwhile(repo, monkeypatch):
    from workflow.commands import approve

    rel = repo.add("news")
    real = approve.replace_file

    def person_edits_first(path, data, *, expected=None):
        path.write_bytes(path.read_bytes() + "แก้ไขระหว่างลงนาม\n".encode())
        return real(path, data, expected=expected)

    monkeypatch.setattr(approve, "replace_file", person_edits_first)
    result = repo.khaosan("approve", rel, "--by", "anan.w", "--step", "facts")
    assert result.code == 1 and "KS904" in result.err
    assert repo.read(rel).endswith("แก้ไขระหว่างลงนาม\n")
    assert "digest:" not in repo.read(rel)


# -- the site: whole after a kill at any step of a build (issue 15) ---------------------------------

SITE_NOW = "2026-11-25T12:00:00+07:00"
GONE = "content/news/2569/general-20261008-obec-focus-2570.md"  # an item the partial build takes down


def _site_office(tmp_path: Path) -> Path:
    """The sample office built once (full), then one new signed item added and one item deleted."""
    from support.site import project_copy
    from test_site import add_news

    from workflow.cli import main

    root = project_copy(tmp_path, content=True)
    assert main(["build", "--root", str(root), "--now", SITE_NOW, "--no-search"]) == 0
    add_news(root, "killed-midway", "ข่าวใหม่ระหว่างสร้างเว็บไซต์")
    (root / GONE).unlink()
    return root


@pytest.fixture(scope="module")
def changed_office(tmp_path_factory) -> Path:
    return _site_office(tmp_path_factory.mktemp("kill"))


def _copy(office: Path, tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "repo"
    shutil.copytree(office, root, symlinks=True)
    return root


def _build_args(root: Path, *extra: str) -> list[str]:
    return ["build", "--root", str(root), "--now", SITE_NOW, "--no-search", *extra]


def test_a_partial_build_is_whole_before_every_step_it_takes(changed_office, tmp_path):
    """Stopped before each rename and each removal in the live site (what a kill there would
    leave), the site is whole: no page, feed, sitemap or open data links to a page or file not
    yet placed or already removed."""
    from support.whole import broken_links, open_data_ids, paused_build

    root = _copy(changed_office, tmp_path)
    site = root / "output"
    assert broken_links(site) == []
    steps = []
    with paused_build(site, _build_args(root)) as build:
        for step in build.steps():
            assert (site / "index.html").is_file(), step
            assert broken_links(site) == [], f"before step {len(steps)} ({step})"
            steps.append(step)
            build.go()
        assert build.code == 0
    kinds = [step.split()[0] for step in steps]
    assert "exchange" not in kinds  # partial: file by file
    moved = [step.split()[2] for step in steps if step.startswith("replace")]
    new_page = "output/news/2569/killed-midway/index.html"
    assert moved.index("output/files/killed-midway.pdf") < moved.index(new_page) < moved.index("output/api/items.json")
    removed = [i for i, kind in enumerate(kinds) if kind in ("unlink", "rmdir")]
    assert removed and min(removed) > max(i for i, kind in enumerate(kinds) if kind == "replace")
    assert broken_links(site) == []
    assert "news/2569/killed-midway" in open_data_ids(site)


def _steps(office: Path, tmp_path: Path) -> list[str]:
    from support.whole import paused_build

    root = _copy(office, tmp_path / "count")
    with paused_build(root / "output", _build_args(root)) as build:
        seen = []
        for step in build.steps():
            seen.append(step)
            build.go()
    return seen


@pytest.mark.parametrize("where", ["first", "page", "listing", "removal", "last"])
def test_a_partial_build_killed_at_a_step_leaves_a_whole_site_and_the_next_build_mends_it(
    changed_office, tmp_path, where
):
    """Killed (SIGKILL) before the first rename, before the new item page, before the first
    listing, before the first removal, before the last step: the site is whole, and the next
    build (a full one: the record was removed before the first rename) publishes everything."""
    from support.whole import broken_links, open_data_ids, paused_build

    from workflow.cli import main

    steps = _steps(changed_office, tmp_path)
    at = {
        "first": 0,
        "page": next(i for i, s in enumerate(steps) if s.endswith("killed-midway/index.html")),
        "listing": next(i for i, s in enumerate(steps) if s.endswith("output/news/index.html")),
        "removal": next(i for i, s in enumerate(steps) if s.startswith("unlink")),
        "last": len(steps) - 1,
    }[where]
    root = _copy(changed_office, tmp_path / "killed")
    site = root / "output"
    with paused_build(site, _build_args(root)) as build:
        for index, _step in enumerate(build.steps()):
            if index == at:
                build.kill()
                break
            build.go()
    assert broken_links(site) == []
    assert not (root / ".khaosan-build" / "site-manifest.json").exists()  # the next build is a full one
    assert main(_build_args(root)) == 0
    assert broken_links(site) == []
    ids = open_data_ids(site)
    assert "news/2569/killed-midway" in ids and GONE.removeprefix("content/").removesuffix(".md") not in ids
    assert (site / "news" / "2569" / "killed-midway" / "index.html").is_file()
    assert not (site / GONE.removeprefix("content/").removesuffix(".md")).exists()


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_full_build_killed_at_each_step_of_its_swap(changed_office, tmp_path, exchange):
    """`--full` swaps the new site in. With RENAME_EXCHANGE, `output/` is there and whole before
    and after the one step, and a kill there leaves the old site. Without it (other systems: two
    renames), a kill between them leaves the old site set aside, and the next build puts it back."""
    from support.whole import broken_links, open_data_ids, paused_build

    from workflow.cli import main

    env = {} if exchange else {"KHAOSAN_TEST_NO_EXCHANGE": "1"}
    root = _copy(changed_office, tmp_path / "all")
    with paused_build(root / "output", _build_args(root, "--full"), env) as build:
        steps = []
        for step in build.steps():
            assert (root / "output" / "index.html").is_file() or not exchange
            steps.append(step)
            build.go()
        assert build.code == 0
    assert [s.split()[0] for s in steps] == (["exchange"] if exchange else ["rename", "rename", "rename"])
    assert "news/2569/killed-midway" in open_data_ids(root / "output")
    for at in range(len(steps)):
        root = _copy(changed_office, tmp_path / f"killed-{at}")
        site = root / "output"
        with paused_build(site, _build_args(root, "--full"), env) as build:
            for index, _step in enumerate(build.steps()):
                if index == at:
                    build.kill()
                    break
                build.go()
        if at == 0:  # before the exchange, or before the old site is set aside: the old site
            assert broken_links(site) == [] and "news/2569/killed-midway" not in open_data_ids(site)
        elif at == 1:  # two renames, between them: no site until the next build puts the old one back
            assert not site.exists() and len(list(root.glob(".output.prev-*"))) == 1
        else:  # the new site is in, the old one still set aside
            assert broken_links(site) == [] and "news/2569/killed-midway" in open_data_ids(site)
        assert main(_build_args(root)) == 0
        assert broken_links(site) == [] and "news/2569/killed-midway" in open_data_ids(site)
        assert not list(root.glob(".output.prev-*"))
