"""Kept results: what one run leaves for the next so it need not do the same work again.

The one home for how they are kept (the gate's verdicts, the site record's reads,
git history's parses):

- `run_key`: one digest of everything a kept result depends on besides its own
  inputs: what it is and its format version, Python, the libraries it runs,
  Khaosan's code and any further bytes (office.yml, the schemas, the theme).
- `load_kept` / `save_kept`: a file `(version, key, *payload)` of plain data.
  Loading refuses every class but the few named, so a planted file cannot run
  code; a missing, corrupt, foreign or out-of-date file means "nothing kept",
  never an error. Saving is atomic, and a disk that cannot take it costs the
  next run time, never this run its result.
- `tracked_by_git`: kept results are never trusted from files git tracks (a
  pull request could add forged ones).
- `own_folder`: the folder kept results live in, only when it is a real folder
  git tracks nothing in; never followed through a symbolic link (a committed
  `.khaosan-build -> content` would have the build write its records there).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import pickle
import stat
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from workflow.edges.files.atomic import write_file

CODE_ROOT = Path(__file__).resolve().parents[1]  # the `workflow` package

T = TypeVar("T")


def run_key(name: str, version: int, libraries: tuple[str, ...], inputs: Iterable[tuple[str, bytes]] = ()) -> str:
    """One digest of what every kept entry of `name` depends on; `inputs`: (label, bytes) the run reads."""
    sha = hashlib.sha256(f"khaosan-{name} {version}\n".encode())
    sha.update(f"python {sys.version} {sys.platform}\n".encode())
    sha.update(library_versions(libraries).encode())
    sha.update(runtime().encode())
    sha.update(code_digest().encode())
    for label, data in inputs:
        sha.update(label.encode() + b"\0" + hashlib.sha256(data).digest())
    return sha.hexdigest()


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


def runtime() -> str:
    """What the same library version may still do differently: YAML's C parser or not, zlib's build."""
    import yaml

    return f"libyaml={getattr(yaml, '__with_libyaml__', None)} zlib={zlib.ZLIB_RUNTIME_VERSION}\n"


def tracked_by_git(root: Path, folder: str) -> bool:
    """Does git track any file under `folder`? Kept results committed to the repository are
    not ours: whoever committed them chose their contents."""
    done = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", folder], capture_output=True, check=False)
    return done.returncode == 0 and bool(done.stdout)


def own_folder(root: Path, name: str) -> tuple[Path | None, str]:
    """`root/name` made ready for kept results, or (None, why not, in Thai).

    Refused, never followed: a symbolic link (to anywhere), something that is not a folder, a
    folder git tracks anything in. In the folder, a symbolic link at its top (`lock`, a record, `next`)
    is removed, not followed: the folder is Khaosan's own and git tracks nothing in it.
    """
    folder = root / name
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        return None, f"{name} เป็นลิงก์ (symlink) ไปที่อื่น"
    if st is not None and not stat.S_ISDIR(st.st_mode):
        return None, f"{name} ไม่ใช่โฟลเดอร์"
    if tracked_by_git(root, name):
        return None, f"มีไฟล์ใน {name}/ ถูกเพิ่มเข้า git (อาจถูกปลอมได้)"
    if st is None:
        folder.mkdir()
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                os.unlink(entry.path)  # the link itself, never what it points at
    return folder, ""


class PlainUnpickler(pickle.Unpickler):
    """Plain data and the classes named in `allowed` only: a planted file cannot run code."""

    allowed: frozenset[tuple[str, str]] = frozenset()

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.allowed:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} has no place here")


def load_kept(
    path: Path,
    version: int,
    key: str,
    read: Callable[..., T],
    *,
    allowed: frozenset[tuple[str, str]] = frozenset(),
) -> T | None:
    """`read(*payload)` of the file `(version, key, *payload)` at `path`; None: nothing kept for this key.

    `read` checks the payload's shape and raises on anything else; `allowed`: the classes it may hold.
    """
    try:
        unpickler = PlainUnpickler(io.BytesIO(path.read_bytes()))
        unpickler.allowed = allowed
        data = unpickler.load()
        if isinstance(data, tuple) and len(data) >= 2 and data[0] == version and data[1] == key:
            return read(*data[2:])
    except Exception:  # missing, unreadable, truncated, foreign, planted: nothing kept, never an error
        pass
    return None


def save_kept(path: Path, version: int, key: str, *payload: Any) -> None:
    """Write `(version, key, *payload)` to `path` whole, or not at all."""
    data = pickle.dumps((version, key, *payload), protocol=pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(OSError):  # a read-only or full disk costs the next run time, not this run
        write_file(path, data)
