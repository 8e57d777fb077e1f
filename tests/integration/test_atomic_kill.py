"""Nothing is lost (issue 7): a process killed mid-write leaves the old file or the new one, never half.

A child process writes a large file through workflow.edges.files.atomic and is SIGKILLed at a random
moment (fixed seed: reproducible). Whatever the moment, the file holds exactly the old bytes or
exactly the new ones; for `create_file`, nothing or the whole new file.
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
import sys
from pathlib import Path
from workflow.edges.files.atomic import create_file, replace_file
path, mode = Path(sys.argv[1]), sys.argv[2]
data = b"B" * {SIZE}
print("ready", flush=True)
if mode == "replace":
    replace_file(path, data)
else:
    create_file(path, data)
print("done", flush=True)
"""


def _kill_at(path: Path, mode: str, delay: float) -> bool:
    """Run the child, SIGKILL it `delay` seconds after it is ready; True if it finished first."""
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), mode],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    return child.returncode == 0


@pytest.mark.parametrize("mode", ["replace", "create"])
def test_killed_mid_write_leaves_old_or_new_never_half(tmp_path, mode):
    rng = random.Random(7)
    outcomes = set()
    for attempt in range(12):
        path = tmp_path / f"item-{attempt}.md"
        if mode == "replace":
            path.write_bytes(OLD)
        _kill_at(path, mode, rng.uniform(0.0, 0.25))
        if mode == "create" and not path.exists():
            outcomes.add("none")
            continue
        data = path.read_bytes()
        assert data in (OLD, NEW), f"attempt {attempt}: half a file ({len(data)} bytes)"
        outcomes.add("old" if data == OLD else "new")
    # leftovers are hidden temporary files beside the target, never a half-written target
    for leftover in tmp_path.iterdir():
        assert leftover.name.startswith(".") or leftover.name.startswith("item-")
    assert len(outcomes) == 2, outcomes  # the kills landed both before and after the rename


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
