"""The main branch's first-parent line from git: commit records for the core, blob bytes by id.

One `git log --first-parent --reverse -z --raw -M --diff-merges=first-parent`
stream gives, oldest first, every commit on the first-parent line of the main
branch with its committer time and the files it changed (status, blob ids,
renames). Merges are diffed against their first parent, so a branch's commits
count only when they reach main, at the merge's committer time. `parse_log`
turns it into the core's `Commit`s; `Blobs` reads the texts of those versions
through one `git cat-file --batch`. Nothing is walked per file.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from workflow.core.publication_history import Change, Commit
from workflow.core.thaitime import BANGKOK
from workflow.edges.parallel import idle_cores
from workflow.errors import KhaosanError


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise KhaosanError("KS502", "ไม่พบโปรแกรม git", "ติดตั้ง git แล้วสั่งอีกครั้ง") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise KhaosanError(
            "KS502",
            f"อ่านประวัติจาก git ไม่ได้: {message[-1] if message else 'git ' + args[0]}",
            "สั่งคำสั่งนี้ในคลังข้อมูลที่เป็น git และมีการ commit แล้ว",
        )
    return done.stdout


def main_ref(root: Path) -> str:
    """The main branch: `main`, else `master`, else whatever HEAD is."""
    for ref in ("refs/heads/main", "refs/heads/master"):
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--verify", "-q", ref], capture_output=True, check=False
        )
        if done.returncode == 0:
            return ref
    return "HEAD"


def parse_log(raw: bytes) -> Iterator[Commit]:
    """Records from `git log -z --raw --format=%x01%H %ct` output."""
    for chunk in raw.split(b"\x01")[1:]:
        tokens = chunk.split(b"\0")
        head = tokens[0].decode("ascii").split()
        sha, stamp = head[0], int(head[1])
        changes: list[Change] = []
        index = 1
        while index < len(tokens):
            meta = tokens[index].lstrip(b"\n")
            if not meta.startswith(b":"):
                index += 1
                continue
            fields = meta[1:].decode("ascii").split()
            status, blob = fields[4], fields[3]
            if status[0] in "RC":
                old, new = (
                    tokens[index + 1].decode("utf-8", "surrogateescape"),
                    tokens[index + 2].decode("utf-8", "surrogateescape"),
                )
                changes.append(Change(status[0], new, blob, old))
                index += 3
            else:
                path = tokens[index + 1].decode("utf-8", "surrogateescape")
                changes.append(Change(status[0], path, "" if status[0] == "D" else blob))
                index += 2
        yield Commit(sha, datetime.fromtimestamp(stamp, BANGKOK), tuple(changes))


class Blobs:
    """Blob bytes by id: many at once through one `cat-file --batch`, the rest on demand."""

    def __init__(self, root: Path) -> None:
        import threading

        self.root = root
        self.cache: dict[str, bytes] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._coming: set[str] = set()  # blobs the streaming batch will still deliver
        self._arrived = threading.Condition()
        self._streams: list[Any] = []

    def stream(self, shas: list[str]) -> None:
        """Start one `cat-file --batch` for these blobs; `get` waits for each as it arrives.

        git reads (and undeltifies) on the other core while the walk evaluates the first items.
        """
        import threading

        wanted = [s for s in dict.fromkeys(shas) if s not in self.cache]
        if not wanted:
            return
        process = subprocess.Popen(
            ["git", "-C", str(self.root), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._coming.update(wanted)

        def write() -> None:
            assert process.stdin is not None
            try:
                process.stdin.write(("\n".join(wanted) + "\n").encode("ascii"))
            finally:
                process.stdin.close()

        def read() -> None:
            assert process.stdout is not None
            try:
                for sha in wanted:
                    header = process.stdout.readline().split()
                    data = None
                    if len(header) >= 3 and header[1] != b"missing":
                        data = process.stdout.read(int(header[2]))
                        process.stdout.read(1)
                    with self._arrived:
                        if data is not None:
                            self.cache[sha] = data
                        self._coming.discard(sha)
                        self._arrived.notify_all()
            finally:
                with self._arrived:
                    self._coming.clear()
                    self._arrived.notify_all()
                process.stdout.close()
                process.wait()

        threads = [threading.Thread(target=write, daemon=True), threading.Thread(target=read, daemon=True)]
        for thread in threads:
            thread.start()
        self._streams.extend(threads)

    def small(self, shas: list[str], *, each: int = 8 << 20, total: int = 256 << 20) -> list[str]:
        """Of these blobs, those worth reading in the one batch (attachments: files under 8 MiB, 256 MiB in all)."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return []
        out = _git(self.root, "cat-file", "--batch-check", data=("\n".join(wanted) + "\n").encode("ascii"))
        chosen, used = [], 0
        for line in out.splitlines():
            fields = line.split()
            if len(fields) == 3 and int(fields[2]) <= each and used + int(fields[2]) <= total:
                chosen.append(fields[0].decode("ascii"))
                used += int(fields[2])
        return chosen

    def get(self, sha: str) -> bytes | None:
        if sha in self.cache:
            return self.cache[sha]
        if sha in self._coming:
            with self._arrived:
                self._arrived.wait_for(lambda: sha not in self._coming)
            if sha in self.cache:
                return self.cache[sha]
        if self._process is None:
            self._process = subprocess.Popen(
                ["git", "-C", str(self.root), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(sha.encode("ascii") + b"\n")
        self._process.stdin.flush()
        header = self._process.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            return None
        data = self._process.stdout.read(int(header[2]))
        self._process.stdout.read(1)
        self.cache[sha] = data
        return data

    def close(self) -> None:
        for thread in self._streams:
            thread.join()
        if self._process is not None:
            assert self._process.stdin is not None and self._process.stdout is not None
            self._process.stdin.close()
            self._process.stdout.close()
            self._process.wait()
            self._process = None


class Log:
    """`git log` started now and read on threads, so that git walks while Python loads the office.

    Diffing every commit's tree is most of git's time, and it is the same work in any
    order: with more than one core the first-parent line is cut in two at its middle
    commit (`git rev-list`, a few milliseconds) and each half is diffed by its own git.
    """

    ARGS = (
        "log",
        "--first-parent",
        "--reverse",
        "-z",
        "--raw",
        "--no-abbrev",
        "-M",
        "--diff-merges=first-parent",
        "--format=%x01%H %ct",
    )
    SPLIT_FROM = 2000  # commits: below this one git is quicker than two

    def __init__(self, root: Path, ref: str | None = None, *, jobs: int | None = None) -> None:
        import threading

        self.root = root
        self._parts: list[tuple[subprocess.Popen[bytes], list[bytes], threading.Thread]] = []
        self._missing = False
        try:
            line: list[bytes] = []
            split = jobs >= 2 if jobs is not None else idle_cores() >= 1
            if split:  # the first-parent line, which also finds the main branch
                for candidate in [ref] if ref else ["refs/heads/main", "refs/heads/master", "HEAD"]:
                    done = subprocess.run(
                        ["git", "-C", str(root), "rev-list", "--first-parent", candidate, "--"],
                        capture_output=True,
                        check=False,
                    )
                    if done.returncode == 0:
                        ref, line = candidate, done.stdout.split()
                        break
            self.ref = ref or main_ref(root)
            ranges = [[self.ref]]
            if len(line) >= self.SPLIT_FROM:
                middle = line[len(line) // 2].decode("ascii")
                ranges = [[middle], [f"{middle}..{self.ref}"]]
            for spec in ranges:
                process = subprocess.Popen(
                    ["git", "-C", str(root), *self.ARGS, *spec, "--", "content"],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
                out: list[bytes] = []
                thread = threading.Thread(target=self._read, args=(process, out), daemon=True)
                thread.start()
                self._parts.append((process, out, thread))
        except FileNotFoundError:
            self.ref = ref or "HEAD"
            self._missing = True

    @staticmethod
    def _read(process: subprocess.Popen[bytes], out: list[bytes]) -> None:
        assert process.stdout is not None and process.stderr is not None
        out.append(process.stdout.read())
        out.append(process.stderr.read())

    def close(self) -> None:
        """Stop what is still running (the command failed before it read the log): no git left behind."""
        for process, _out, thread in self._parts:
            if process.poll() is None:
                process.kill()
            process.wait()
            thread.join()
            assert process.stdout is not None and process.stderr is not None
            process.stdout.close()
            process.stderr.close()
        self._parts = []

    def __enter__(self) -> Log:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def result(self) -> bytes:
        if self._missing:
            raise KhaosanError("KS502", "ไม่พบโปรแกรม git", "ติดตั้ง git แล้วสั่งอีกครั้ง")
        chunks = []
        for process, out, thread in self._parts:
            thread.join()
            assert process.stdout is not None and process.stderr is not None
            process.stdout.close()
            process.stderr.close()
            if process.wait() != 0:
                lines = out[1].decode("utf-8", "replace").strip().splitlines()
                raise KhaosanError(
                    "KS502",
                    f"อ่านประวัติจาก git ไม่ได้: {lines[-1] if lines else 'git log'}",
                    "สั่งคำสั่งนี้ในคลังข้อมูลที่เป็น git และมีการ commit แล้ว",
                )
            chunks.append(out[0])
        return b"".join(chunks)


def is_shallow(root: Path) -> bool:
    """A shallow clone holds only the newest commits: not the record of publication."""
    shallow = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--is-shallow-repository"], capture_output=True, text=True, check=False
    )
    return shallow.stdout.strip() == "true"


def head_commit(root: Path) -> str:
    return _git(root, "rev-parse", "--verify", "HEAD^{commit}").decode("ascii").strip()


def changed_since(root: Path, since: str) -> list[str] | None:
    """Paths that differ between `since` and HEAD; None when `since` is no commit this history
    grew from (unknown, or rewritten away): then nothing can be taken as already seen."""
    known = subprocess.run(
        ["git", "-C", str(root), "merge-base", "--is-ancestor", since, "HEAD"], capture_output=True, check=False
    )
    if known.returncode != 0:
        return None
    raw = _git(root, "diff", "--name-only", "--no-renames", "-z", since, "HEAD", "--")
    return [p.decode("utf-8", "surrogateescape") for p in raw.split(b"\0") if p]
