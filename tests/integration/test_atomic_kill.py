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
