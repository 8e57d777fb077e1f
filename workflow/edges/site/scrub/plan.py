"""The clean copy as a plan: spans of the original kept byte for byte, and new bytes between them.

Why a plan and not a new byte string: the image data must stay byte-identical, and a
200 MB photo must not be held in memory, not even once. A scrubber walks the container's
structure (JPEG segments, PNG and WebP chunks, GIF blocks, ZIP records) over the file,
read a window at a time (`FileData`), and says which ranges to keep and what to put
instead of the rest; the writer copies the kept ranges a mebibyte at a time. A plan that
keeps the whole file as one span means "already clean": nothing is written.
"""

from __future__ import annotations

import os
from typing import BinaryIO, overload

CHUNK = 1 << 20


class FileData:
    """A file as the scrubbers read bytes (length, index, slice, `find`), a window at a time.

    Not a memory map: the pages of a mapped file count in the process's resident memory
    once touched, and a scan touches all of them.
    """

    def __init__(self, handle: BinaryIO) -> None:
        self.fd = handle.fileno()
        self.size = os.fstat(self.fd).st_size
        self._at = 0
        self._window = b""

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, key: int) -> int: ...
    @overload
    def __getitem__(self, key: slice) -> bytes: ...
    def __getitem__(self, key: int | slice) -> int | bytes:
        if isinstance(key, slice):
            start, stop, _ = key.indices(self.size)
            return self._read(start, stop - start) if stop > start else b""
        if key < 0:
            key += self.size
        if not self._at <= key < self._at + len(self._window):
            if not 0 <= key < self.size:
                raise IndexError(key)
            self._at, self._window = key, self._read(key, CHUNK)
        return self._window[key - self._at]

    def _read(self, start: int, length: int) -> bytes:
        parts, done = [], 0
        while done < length:
            part = os.pread(self.fd, min(length - done, CHUNK * 16), start + done)
            if not part:
                break
            parts.append(part)
            done += len(part)
        return b"".join(parts)

    def find(self, sub: bytes, start: int = 0) -> int:
        pos = max(start, 0)
        while pos < self.size:
            block = self[pos : pos + CHUNK + len(sub) - 1]
            at = block.find(sub)
            if at >= 0:
                return pos + at
            pos += CHUNK
        return -1


Data = bytes | bytearray | FileData  # what a scrubber reads: find(), slicing and indexing

# The codes of docs/safety.md (catalogue: workflow/core/problems.py).
IMAGE_BROKEN = "KS741"  # truncated or malformed image container
IMAGE_UNKNOWN = "KS742"  # a structure the scrubber does not know: metadata could hide in it
PDF_FAILED = "KS743"  # a PDF pypdf cannot read or rewrite (encrypted, broken)
OFFICE_FAILED = "KS744"  # a DOCX/XLSX/PPTX whose ZIP or metadata the scrubber cannot rewrite
UNSUPPORTED = "KS745"  # a type the scrubber cannot clean at all
NOT_WRITTEN = "KS746"  # the clean copy could not be read or written


class ScrubError(Exception):
    """The file cannot be made clean; it must not be published as it is."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code} {detail}")
        self.code = code
        self.detail = detail


class Plan:
    """The clean file: `(start, end)` spans of `data` and new `bytes`, in order."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.pieces: list[tuple[int, int] | bytes] = []

    def keep(self, start: int, end: int) -> None:
        if start >= end:
            return
        last = self.pieces[-1] if self.pieces else None
        if isinstance(last, tuple) and last[1] == start:
            self.pieces[-1] = (last[0], end)
        else:
            self.pieces.append((start, end))

    def put(self, new: bytes) -> None:
        if new:
            self.pieces.append(bytes(new))

    def swap(self, start: int, end: int, new: bytes) -> None:
        """`new` instead of `data[start:end]`; kept as a span when they are the same bytes."""
        if end - start == len(new) and self.data[start:end] == new:
            self.keep(start, end)
        else:
            self.put(new)

    def unchanged(self) -> bool:
        return self.pieces == [(0, len(self.data))]

    def size(self) -> int:
        return sum(p[1] - p[0] if isinstance(p, tuple) else len(p) for p in self.pieces)


def render(plan: Plan) -> bytes:
    """The clean file in memory (small files, tests, members of an Office file)."""
    return b"".join(bytes(plan.data[p[0] : p[1]]) if isinstance(p, tuple) else p for p in plan.pieces)


def write(plan: Plan, handle: BinaryIO) -> None:
    """The clean file into `handle`, kept spans copied a chunk at a time."""
    for piece in plan.pieces:
        if isinstance(piece, bytes):
            handle.write(piece)
            continue
        for at in range(piece[0], piece[1], CHUNK):
            handle.write(plan.data[at : min(at + CHUNK, piece[1])])


def u16be(data: Data, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "big")


def u32be(data: Data, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "big")


def u32le(data: Data, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "little")


def need(data: Data, end: int, what: str) -> None:
    """ScrubError (truncated) when the file ends before `end`."""
    if end > len(data):
        raise ScrubError(IMAGE_BROKEN, f"ไฟล์ขาดตอน: {what} ยาวเกินท้ายไฟล์")
