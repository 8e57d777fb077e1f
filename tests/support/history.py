"""Real git repositories with controlled times, for the history and metrics tests.

Every commit sets GIT_AUTHOR_DATE and GIT_COMMITTER_DATE; merges use --no-ff so
that first-parent semantics matter (a commit on a branch is not publication).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from support.items import approvals_block, digest_of, item_text


class Git:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.run("init", "-q", "-b", "main")
        self.run("config", "user.email", "pr@phuphamok1.example")
        self.run("config", "user.name", "งานประชาสัมพันธ์")
        self.run("config", "commit.gpgsign", "false")

    def run(self, *args: str, when: str | None = None) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        if when is not None:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def commit(
        self, when: str, files: Mapping[str, str | bytes | None] | None = None, *, message: str = "change"
    ) -> str:
        """Write (or delete, for None) files, commit everything at `when`; return the sha."""
        for rel, data in (files or {}).items():
            target = self.root / rel
            if data is None:
                self.run("rm", "-q", rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.run("add", "-A")
        self.run("commit", "-q", "--allow-empty", "-m", message, when=when)
        return self.run("rev-parse", "HEAD")

    def branch(self, name: str) -> None:
        self.run("checkout", "-q", "-b", name)

    def checkout(self, name: str) -> None:
        self.run("checkout", "-q", name)

    def merge(self, name: str, when: str) -> str:
        self.run("merge", "-q", "--no-ff", "-m", f"Merge {name}", name, when=when)
        return self.run("rev-parse", "HEAD")

    def move(self, old: str, new: str, when: str) -> str:
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        self.run("mv", old, new)
        self.run("commit", "-q", "-m", f"rename {old}", when=when)
        return self.run("rev-parse", "HEAD")


def signed(kind: str, signers: list[tuple[str, str, str]], *, body: str | None = None, **changes: str | None) -> str:
    """The item with `signers` (by, step, at) recorded for its current content."""
    unsigned = item_text(kind, body=body, **changes)
    digest = digest_of(unsigned)
    entries = [(by, step, at, digest) for by, step, at in signers]
    return item_text(kind, body=body, **{**changes, "approvals": approvals_block(entries)})


NEWS_SIGNERS = [("anan.w", "facts", "2026-11-20T13:00:00+07:00"), ("malee.t", "check", "2026-11-20T13:30:00+07:00")]


def meeting(
    ends_at: str = "2026-11-20T12:00:00+07:00", starts_at: str = "2026-11-20T09:00:00+07:00", **changes: str | None
) -> dict[str, str | None]:
    """Changes for a meeting news item with its event at the given times."""
    event = f"\n  name: ประชุม\n  starts_at: {starts_at}\n  ends_at: {ends_at}"
    return {"event": event, "produced_at": "2026-11-20T12:30:00+07:00", **changes}
