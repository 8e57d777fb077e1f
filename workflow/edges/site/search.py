"""The search index, built while Pelican writes: each item page goes to
Pagefind's indexing service as soon as it is on disk, so the two big stages
of a build overlap (Pelican renders on one core, Pagefind indexes on the
other) instead of adding up.

Pagefind's extended binary (pip `pagefind[extended]`) segments Thai; only item
pages carry `data-pagefind-body`, so only they are sent. We speak the
service's documented stdin/stdout protocol (base64 JSON messages, each ended
by a comma) from a reader thread: the package's own asyncio client polls for
each reply after a 0.1 s sleep, which caps it at ten pages a second.
`reindex()` indexes a live site after a partial build and renames the bundle in.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import os
import shutil
import subprocess
import threading
import uuid
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workflow.errors import EXIT_CONTENT, KhaosanError

TIMEOUT = 900.0


def _fail(detail: object) -> KhaosanError:
    return KhaosanError("KS905", f"สร้างดัชนีค้นหา (Pagefind) ไม่สำเร็จ: {detail}", exit_code=EXIT_CONTENT)


class LiveIndexer:
    """One Pagefind service process; `add()` sends a page and returns at once."""

    def __init__(self, site: Path) -> None:
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise _fail("ไม่พบโปรแกรม pagefind (ติดตั้ง pagefind[extended])")
        self.site = site
        self.sent = 0
        self.pages = 0
        self.replies: dict[int, dict[str, Any]] = {}
        self.errors: list[str] = []
        self.closed = False
        self.ready = threading.Condition()
        try:
            self.proc = subprocess.Popen(
                [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
        except OSError as exc:
            raise _fail(exc) from None
        self.reader = threading.Thread(target=self._read, name="pagefind-replies", daemon=True)
        self.reader.start()
        self.index_id = self._call({"type": "NewIndex", "config": None})["index_id"]

    # -- protocol -------------------------------------------------------------
    def _send(self, payload: dict[str, Any]) -> int:
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}).encode("utf-8")
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(base64.b64encode(message) + b",")
            self.proc.stdin.flush()
        except OSError as exc:
            raise _fail(exc) from None
        return self.sent

    def _read(self) -> None:
        assert self.proc.stdout is not None
        pending: list[bytes] = []  # the message being received, in pieces: a bundle comes as one message
        while True:
            try:
                chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
            except (OSError, ValueError):  # the stream was closed under us: the service is gone
                break
            if not chunk:
                break
            *ends, rest = chunk.split(b",")
            for end in ends:
                self._receive(b"".join([*pending, end]))
                pending = []
            pending.append(rest)
        with self.ready:
            self.closed = True
            self.ready.notify_all()

    def _receive(self, raw: bytes) -> None:
        reply = json.loads(base64.b64decode(raw))
        payload = reply.get("payload") or {}
        with self.ready:
            if payload.get("type") == "Error":
                self.errors.append(str(payload.get("message")))
            if reply.get("message_id") is not None:
                self.replies[int(reply["message_id"])] = payload
            self.ready.notify_all()

    def _wait(self, message_id: int) -> dict[str, Any]:
        with self.ready:
            if not self.ready.wait_for(lambda: message_id in self.replies or self.closed, TIMEOUT):
                raise _fail("หมดเวลารอ")
            if message_id not in self.replies:
                raise _fail("โปรแกรม pagefind หยุดทำงาน")
            reply = self.replies.pop(message_id)
        if reply.get("type") == "Error":
            raise _fail(reply.get("message"))
        return reply

    def _call(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self._wait(self._send(payload))

    # -- use --------------------------------------------------------------------
    def add(self, path: Path) -> None:
        """Send one written page (its URL: the folder, as the site serves it)."""
        url = "/" + path.relative_to(self.site).as_posix().removesuffix("index.html")
        self._send(
            {
                "type": "AddFile",
                "index_id": self.index_id,
                "url": url,
                "file_path": None,
                "file_contents": path.read_text(encoding="utf-8"),
            }
        )
        self.pages += 1

    def finish(self, bundle: Path | None = None) -> int:
        """Write the bundle (default <site>/pagefind) once every page is in; return the page count.

        The service hands over its files (GetFiles) and they are written here: its own WriteFiles
        answers before its last writes land, and left pagefind-entry.json empty in a loaded run."""
        bundle = bundle or self.site / "pagefind"
        try:
            files = self._call({"type": "GetFiles", "index_id": self.index_id}).get("files") or []
            if self.errors:
                raise _fail(" | ".join(self.errors[:3]))
        finally:
            self.close()
        for file in files:
            path = bundle / str(file["path"])
            if not path.resolve().is_relative_to(bundle.resolve()):
                raise _fail(f"ชื่อไฟล์ดัชนีไม่ถูกต้อง: {file['path']}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(file["content"]))
        whole_bundle(bundle)
        return self.pages

    def close(self) -> None:
        """End the service; safe to call more than once.

        Its input is closed and it ends by itself (the bound only guards against a hang)."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with contextlib.suppress(OSError):  # a service that died already has no input to close
                self.proc.stdin.close()
        try:
            self.proc.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(10)  # the service is gone: its stdout ends and the reader stops by itself
        if self.proc.stdout is not None and not self.reader.is_alive():
            self.proc.stdout.close()  # never under a reader still in os.read (EBADF, or a reused fd)


def whole_bundle(bundle: Path) -> None:
    """Refuse a bundle a reader could not use whole: its entry file must parse and name a language
    whose metadata exists, and every compressed index file must end where gzip says it ends."""
    if not (bundle / "pagefind.js").is_file():
        raise _fail("ไม่มีไฟล์ pagefind.js")
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
        hashes = [language["hash"] for language in entry["languages"].values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _fail(f"pagefind-entry.json ไม่สมบูรณ์ ({exc})") from None
    missing = [h for h in hashes if not (bundle / f"pagefind.{h}.pf_meta").is_file()]
    if missing or not hashes:
        raise _fail(f"ไม่มีไฟล์ดัชนีของภาษา {', '.join(missing) or '(ไม่มีภาษาใด)'}")
    for path in bundle.rglob("*.pf_*"):
        try:
            with gzip.open(path) as stream:
                while stream.read(1 << 20):
                    pass
        except (OSError, EOFError, zlib.error) as exc:
            raise _fail(f"ไฟล์ดัชนี {path.relative_to(bundle)} ไม่สมบูรณ์ ({exc})") from None


def reindex(site: Path, pages: Iterable[Path]) -> int:
    """A new bundle for a live site, from its item pages, written beside the old one and then
    renamed over it: searches keep working on the old index until the new one is complete."""
    bundle = site / ".pagefind-next"
    for leftover in (bundle, *site.glob(".pagefind-old-*")):  # of an interrupted run
        shutil.rmtree(leftover, ignore_errors=True)
    indexer = LiveIndexer(site)
    try:
        for page in pages:
            indexer.add(page)
        count = indexer.finish(bundle)
    except BaseException:
        shutil.rmtree(bundle, ignore_errors=True)
        raise
    finally:
        indexer.close()
    live, old = site / "pagefind", site / f".pagefind-old-{uuid.uuid4().hex[:8]}"
    if live.exists():
        os.rename(live, old)
    os.rename(bundle, live)
    shutil.rmtree(old, ignore_errors=True)
    return count
