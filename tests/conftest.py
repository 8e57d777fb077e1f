"""Shared fixtures: a temporary Khaosan repository and the CLI run in-process.

Helpers live in tests/support/ (importable as `support` because pytest puts
this folder on sys.path for its conftest).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from support.cli import CliResult, run_cli
from support.items import ATTACHMENT, ATTACHMENT_BYTES, NOW, PATHS, PROJECT, item_text, signed_text

# Moderate example counts keep the whole suite in seconds; no example database in the work tree.
settings.register_profile(
    "khaosan", max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("khaosan")

_NOW_COMMANDS = {"check", "new", "approve", "status", "build"}


@dataclass
class TempRepo:
    """A repository on disk: office.yml and schemas/ copied from the project, items written by tests."""

    root: Path

    def path(self, rel: str) -> Path:
        return self.root / rel

    def write(self, rel: str, data: str | bytes) -> Path:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_bytes(data.encode("utf-8"))  # never the platform's newline translation
        else:
            target.write_bytes(data)
        return target

    def read(self, rel: str) -> str:
        return (self.root / rel).read_bytes().decode("utf-8")

    def read_bytes(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def add(self, kind: str, *, signed: bool = False, rel: str | None = None, **changes: str | None) -> str:
        """Write the base item of `kind` (and its attachment); return its repository path."""
        rel = rel or PATHS[kind]
        self.write(rel, signed_text(kind, **changes) if signed else item_text(kind, **changes))
        if kind == "disclosure":
            self.write(f"content/{ATTACHMENT}", ATTACHMENT_BYTES)
        return rel

    def khaosan(self, *argv: str, now: str | None = NOW) -> CliResult:
        """`khaosan ARGV --now NOW` run in this repository (the current folder)."""
        args = list(argv)
        if now is not None and args and args[0] in _NOW_COMMANDS and "--now" not in args:
            args += ["--now", now]
        return run_cli(args)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TempRepo:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(PROJECT / "office.yml", root / "office.yml")
    shutil.copytree(PROJECT / "schemas", root / "schemas")
    (root / "content").mkdir()
    shutil.copytree(PROJECT / "content" / "images" / "office", root / "content" / "images" / "office")  # office.yml's
    monkeypatch.chdir(root)
    return TempRepo(root)
