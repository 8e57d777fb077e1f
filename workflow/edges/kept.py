"""Digests of what a kept result depends on besides its own inputs: Khaosan's code, the
libraries it runs, a folder's files. Used by the gate's verdict cache and the site record.

Also the rule for trusting kept results at all: never from files git tracks (a pull
request could add forged ones), and only as plain data.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

CODE_ROOT = Path(__file__).resolve().parents[1]  # the `workflow` package


def code_digest() -> str:
    """Every `workflow/**/*.py`, by path and bytes (read each run: the code may be edited)."""
    return folder_digest(CODE_ROOT, "*.py")


def folder_digest(folder: Path, pattern: str = "*") -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            sha.update(path.relative_to(folder).as_posix().encode() + b"\0")
            sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()


@functools.cache
def library_versions(names: tuple[str, ...]) -> str:
    found = []
    for name in names:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} missing")
    return "\n".join(found) + "\n"


def tracked_by_git(root: Path, folder: str) -> bool:
    """Does git track any file under `folder`? Kept results committed to the repository are
    not ours: whoever committed them chose their contents."""
    done = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", folder], capture_output=True, check=False)
    return done.returncode == 0 and bool(done.stdout)


class PlainUnpickler(pickle.Unpickler):
    """Plain data and the classes named in `allowed` only: a planted file cannot run code."""

    allowed: frozenset[tuple[str, str]] = frozenset()

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.allowed:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} has no place here")
