"""Writes that never leave half a file and never replace what they must not."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # linux/fs.h


def _temp_beside(path: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def replace_file(path: Path, data: bytes, *, expected: bytes | None = None) -> None:
    """Atomically replace `path`; refuse if its bytes are no longer `expected`."""
    if expected is not None and path.read_bytes() != expected:
        raise FileExistsError(path)
    temp = _temp_beside(path, data)
    try:
        os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def create_file(path: Path, data: bytes) -> None:
    """Create `path` with `data` complete, or raise FileExistsError: never overwrites."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_beside(path, data)
    try:
        os.chmod(temp, 0o644)
        os.link(temp, path)  # atomic, and fails if the name exists
    finally:
        temp.unlink(missing_ok=True)


def write_file(path: Path, data: bytes, mode: int | None = None) -> None:
    """Create or replace `path` with `data`: readers see the old bytes or the new, never a part.

    `mode`: the file's permissions (default: the temporary file's 0600, for Khaosan's own records;
    a file a web server must read needs 0o644)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_beside(path, data)
    try:
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@functools.cache
def _renameat2() -> Callable[..., Any] | None:
    """glibc's renameat2 (2.28+), or None where the C library has none (musl before 1.2.5, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        function: Callable[..., Any] = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange_paths(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step (Linux `renameat2` RENAME_EXCHANGE): at no moment is
    either name missing. False where the system or the file system cannot (then nothing moved)."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))
