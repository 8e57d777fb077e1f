"""The search index, built while Pelican writes: each item page goes to
Pagefind's indexing service as soon as it is on disk, so the two big stages
of a build overlap (Pelican renders on one core, Pagefind indexes on the
other) instead of adding up.

Pagefind 1.6's extended binary segments Thai with ICU4X, close to the browser's
`Intl.Segmenter` that segments the query (1.5.2, the last on PyPI, segmented
otherwise and missed ordinary words). npm ships it (`@pagefind/<platform>`,
pinned by package-lock.json, installed by `make setup` with `npm ci`);
`executable()` finds it and refuses an older one (KS920). Only item pages carry
`data-pagefind-body`, so only they are sent. We speak the service's documented
stdin/stdout protocol (base64 JSON messages, each ended by a comma) from a
reader thread.

The site's search is `pagefind/bundles.json` and the bundles it names, each in
its own folder under `pagefind/` named by what it indexed: a bundle is written
whole and read back before it is named, the list is replaced in one rename
(`publish()`), and a bundle leaves only when neither the list nor the one before
it names it, so a search that started on the previous list still finds its files.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gzip
import hashlib
import html
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import uuid
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workflow.core.problems import CODES
from workflow.edges.files.atomic import write_file
from workflow.edges.site.record import SEARCH_DIR
from workflow.errors import EXIT_CONTENT, KhaosanError

TIMEOUT = 900.0
MINIMUM = (1, 6, 0)  # ICU4X segmentation of Thai (package-lock.json pins the version installed)
PROJECT = Path(__file__).resolve().parents[3]  # Khaosan's own folder: `make setup` runs npm ci there
BUNDLES = "bundles.json"  # in SEARCH_DIR: the bundles a search merges (theme/static/js/search.js reads it)
SEGMENTER = Path(__file__).with_name("segment.mjs")
BASE, RECENT = "base", "recent"  # a bundle of every item page, and one of the pages changed since it was made
PAGES = "khaosan-pages.json"  # in a bundle: url → [sha256 of the page indexed, its fragment]
CHECKED = "khaosan-checked.json"  # in a bundle: each file's size and time when `whole_bundle` last passed it
PUBLIC = 0o644  # files of the site: the web server reads them as another user
RECENT_LIMIT = 200  # more pages changed since the base than this: a new base
# Item pages one Pagefind process indexes at most. Pagefind 1.6 extended holds about 0.6 MB a page
# until it writes (2.95 GB for 5,005 pages, measured): a bigger site is indexed as several base
# bundles, one process after the other, which the search page merges like the recent one.
SLICE = 2000
EXTRA_WEIGHT = "0.1"  # the words added for the index count a tenth of the page's own in the ranking


def _fail(detail: object) -> KhaosanError:
    return KhaosanError("KS905", f"สร้างดัชนีค้นหา (Pagefind) ไม่สำเร็จ: {detail}", exit_code=EXIT_CONTENT)


def _npm_binary(base: Path) -> Path:
    """Where npm puts the extended binary for this machine (the `pagefind` package's optional dependency)."""
    system = {"win32": "windows"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    cpu = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64"}.get(machine, machine)
    name = "pagefind_extended.exe" if system == "windows" else "pagefind_extended"
    return base / "node_modules" / "@pagefind" / f"{system}-{cpu}" / "bin" / name


@functools.cache
def _version(binary: Path, stamp: tuple[int, int]) -> tuple[int, ...] | None:
    """`pagefind_extended --version` → (1, 6, 0); None when it does not run or says something else."""
    try:
        said = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.fullmatch(r"pagefind (\d+)\.(\d+)\.(\d+)\S*", said.stdout.strip())
    return tuple(int(part) for part in found.groups()) if found else None


def executable(root: Path | None = None) -> tuple[Path, str]:
    """The Pagefind extended binary and its version: `$KHAOSAN_PAGEFIND`, else npm's copy in the
    repository's node_modules/, else in Khaosan's own. KS920 when none is 1.6 or later."""
    named = os.environ.get("KHAOSAN_PAGEFIND")
    places = [Path(named)] if named else [_npm_binary(base) for base in dict.fromkeys(b for b in (root, PROJECT) if b)]
    seen = []
    for binary in places:
        try:
            st = binary.stat()
        except OSError:
            continue
        version = _version(binary, (st.st_mtime_ns, st.st_size))
        seen.append(f"{binary} ({'.'.join(map(str, version)) if version else 'เปิดไม่ได้'})")
        if version is not None and version >= MINIMUM:
            return binary, ".".join(map(str, version))
    found = "พบแต่ " + ", ".join(seen) if seen else "ที่หาแล้ว: " + ", ".join(map(str, places))
    raise KhaosanError("KS920", f"{CODES['KS920'].message} จึงไม่สร้างเว็บไซต์ ({found})", CODES["KS920"].hint, EXIT_CONTENT)


def node() -> str:
    """Node.js, which runs segment.mjs (it comes with npm, which installs Pagefind); KS921 without it."""
    found = shutil.which("node")
    if found is None:
        raise KhaosanError("KS921", f"{CODES['KS921'].message} จึงไม่สร้างเว็บไซต์", CODES["KS921"].hint, EXIT_CONTENT)
    return found


def require_tools(root: Path | None = None) -> None:
    """Everything indexing needs is here (KS920, KS921): checked before a build changes anything."""
    executable(root)
    node()


_IGNORED = re.compile(r"<(section|div|aside)\b[^>]*\bdata-pagefind-ignore\b[^>]*>.*?</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def searchable_text(page: str) -> str:
    """What Pagefind indexes of an item page: the `data-pagefind-body` element's text, its ignored
    parts (the cards of other items) left out."""
    _, found, body = page.partition("data-pagefind-body")
    if not found:
        return ""
    body = body.split(">", 1)[-1].rsplit("</article>", 1)[0]
    return html.unescape(_TAG.sub(" ", _IGNORED.sub(" ", body)))


class ThaiWords:
    """A page's words as the reader's browser splits them (`segment.mjs` on Node.js's ICU, the
    family of the browser's), added to what Pagefind indexes: Pagefind 1.6 splits Thai with ICU4X,
    close to the browser but not the same ("ผลการพิจารณา" became ผลก|า|รพิ|จาร|ณา, so "ผลการ" was
    not found), and a word inside a longer one ("งบประมาณ" in "ปีงบประมาณ") was never found."""

    def __init__(self) -> None:
        try:
            self.proc = subprocess.Popen(
                [node(), str(SEGMENTER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
            )
        except OSError as exc:
            raise _fail(exc) from None

    def extra(self, page: str) -> str:
        """`page` with its words as the browser splits them, in a hidden block at the end of its body."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(json.dumps(searchable_text(page), ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
            terms = json.loads(self.proc.stdout.readline())
        except (OSError, ValueError) as exc:
            raise _fail(f"ตัดคำภาษาไทยไม่สำเร็จ ({exc})") from None
        block = f'<div hidden data-pagefind-weight="{EXTRA_WEIGHT}">{html.escape(terms)}</div>'
        at = page.rfind("</article>")
        return page if at == -1 else page[:at] + block + page[at:]

    def close(self) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class LiveIndexer:
    """One Pagefind service process; `add()` sends a page and returns at once."""

    def __init__(self, site: Path, root: Path | None = None) -> None:
        binary, self.version = executable(root)
        self.site = site
        self.sent = 0
        self.pages = 0
        self.digests: dict[str, str] = {}  # url → sha256 of what was sent: the bundle's name comes from it
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
        self.words: ThaiWords | None = None
        try:
            self.index_id = self._call({"type": "NewIndex", "config": None})["index_id"]
            self.words = ThaiWords()
        except BaseException:
            self.close()  # the caller never gets the object to close: no process left behind
            raise

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
        assert self.words is not None
        raw = path.read_bytes()
        page = self.words.extra(raw.decode("utf-8"))
        self._send({"type": "AddFile", "index_id": self.index_id, "url": url, "file_path": None, "file_contents": page})
        self.digests[url] = hashlib.sha256(raw).hexdigest()
        self.pages += 1

    def name(self, role: str = BASE) -> str:
        """The bundle's folder name: its role, and what it indexed (every page's URL and bytes, with
        which Pagefind and which word splitter)."""
        sha = hashlib.sha256(f"pagefind {self.version}\n".encode() + SEGMENTER.read_bytes())
        for url in sorted(self.digests):
            sha.update(f"{url}\0{self.digests[url]}\n".encode())
        return f"{role}-{sha.hexdigest()[:16]}"

    def finish(self, bundle: Path) -> int:
        """Write the bundle into the new folder `bundle` once every page is in; return the page count.

        The service hands over its files (GetFiles) and they are written here (its own WriteFiles
        answered before its last writes had landed); each is read back and compared, and the whole
        is checked (`whole_bundle`) before anyone may name it."""
        try:
            files = self._call({"type": "GetFiles", "index_id": self.index_id}).get("files") or []
            if self.errors:
                raise _fail(" | ".join(self.errors[:3]))
        finally:
            self.close()
        written: dict[Path, bytes] = {}
        for file in files:
            path = bundle / str(file["path"])
            if not path.resolve().is_relative_to(bundle.resolve()):
                raise _fail(f"ชื่อไฟล์ดัชนีไม่ถูกต้อง: {file['path']}")
            path.parent.mkdir(parents=True, exist_ok=True)
            data = base64.b64decode(file["content"])
            path.write_bytes(data)
            written[path] = data
        for path, data in written.items():
            if path.read_bytes() != data:
                raise _fail(f"ไฟล์ดัชนี {path.relative_to(bundle)} ที่เขียนไม่ตรงกับที่ Pagefind ส่งมา")
        whole_bundle(bundle, self.pages)
        fragments = {}  # url → the fragment (a search result's id) that holds it
        for path, data in written.items():
            if path.suffix == ".pf_fragment":
                fragments[json.loads(gzip.decompress(data).removeprefix(b"pagefind_dcd"))["url"]] = path.stem
        pages = {url: [digest, fragments.get(url)] for url, digest in self.digests.items()}
        write_file(bundle / PAGES, json.dumps(pages, ensure_ascii=False).encode("utf-8"), PUBLIC)
        _mark_checked(bundle)
        return self.pages

    def close(self) -> None:
        """End the service; safe to call more than once.

        Its input is closed and it ends by itself (the bound only guards against a hang)."""
        if self.words is not None:
            self.words.close()
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


def whole_bundle(bundle: Path, pages: int | None = None) -> None:
    """Refuse a bundle a reader could not use whole: its entry file must parse and name a language
    whose metadata exists, count the pages sent (when known), and every compressed index file must
    end where gzip says it ends."""
    if not (bundle / "pagefind.js").is_file():
        raise _fail("ไม่มีไฟล์ pagefind.js")
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
        hashes = [language["hash"] for language in entry["languages"].values()]
        counted = sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _fail(f"pagefind-entry.json ไม่สมบูรณ์ ({exc})") from None
    missing = [h for h in hashes if not (bundle / f"pagefind.{h}.pf_meta").is_file()]
    if missing or not hashes:
        raise _fail(f"ไม่มีไฟล์ดัชนีของภาษา {', '.join(missing) or '(ไม่มีภาษาใด)'}")
    if pages is not None and counted != pages:
        raise _fail(f"ดัชนีมี {counted} หน้า แต่ส่งไป {pages} หน้า")
    for path in bundle.rglob("*.pf_*"):
        try:
            with gzip.open(path) as stream:
                while stream.read(1 << 20):
                    pass
        except (OSError, EOFError, zlib.error) as exc:
            raise _fail(f"ไฟล์ดัชนี {path.relative_to(bundle)} ไม่สมบูรณ์ ({exc})") from None


def _stamp(bundle: Path) -> dict[str, list[int]]:
    """Every file of `bundle` (its check record aside) → [size, modification time in ns]."""
    found: dict[str, list[int]] = {}
    top = str(bundle) + os.sep
    folders = [top]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif (rel := entry.path[len(top) :]) != CHECKED:
                    st = entry.stat(follow_symlinks=False)
                    found[rel] = [st.st_size, st.st_mtime_ns]
    return found


def _mark_checked(bundle: Path) -> None:
    """Record `bundle`'s files as `whole_bundle` has just passed them."""
    stamp = json.dumps(_stamp(bundle), sort_keys=True).encode("utf-8")
    write_file(bundle / CHECKED, stamp, PUBLIC)


def checked(bundle: Path) -> None:
    """`whole_bundle`, read in full only when a file changed since it last passed: a bundle already
    checked whose files all have the size and time they had then (none added, none gone) is not
    decompressed again (5,500 files and 44 MB for the 5,000-item base, 0.8–3.3 s, at every partial
    build). A file cut short, rewritten or removed since changes its size or time: read again."""
    try:
        recorded = json.loads((bundle / CHECKED).read_bytes())
    except (OSError, ValueError):
        recorded = None
    try:
        if recorded is not None and recorded == _stamp(bundle):
            return
    except OSError as exc:
        raise _fail(f"อ่านโฟลเดอร์ดัชนี {bundle.name} ไม่ได้ ({exc})") from None
    whole_bundle(bundle)
    _mark_checked(bundle)


def uncounted(search_dir: Path, hidden: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """What the hidden results add to the filter menus' counts (filter → value → pages), read from
    their fragments: Pagefind counts every page of every bundle it merged, so the search page takes
    these away and the menus count only the live pages."""
    counts: dict[str, dict[str, int]] = {}
    for name, ids in hidden.items():
        for fragment_id in ids:
            path = search_dir / name / "fragment" / f"{fragment_id}.pf_fragment"
            try:
                fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
                filters = fragment.get("filters") or {}
            except (OSError, ValueError, EOFError, zlib.error, AttributeError) as exc:
                raise _fail(f"อ่านผลการค้นหา {fragment_id} ที่ต้องซ่อนไม่ได้ ({exc})") from None
            for key, values in filters.items():
                added = counts.setdefault(str(key), {})
                for value in values:
                    added[str(value)] = added.get(str(value), 0) + 1
    return counts


def listing(search_dir: Path) -> dict[str, Any]:
    """`bundles.json` as it is now ({} when there is none or it is unreadable)."""
    try:
        found = json.loads((search_dir / BUNDLES).read_bytes())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) and isinstance(found.get("bundles"), list) else {}


def live_bundles(search_dir: Path) -> list[str]:
    """The bundles `bundles.json` names now ([] when there is none or it is unreadable)."""
    return [str(name) for name in listing(search_dir).get("bundles", []) if isinstance(name, str)]


def publish(search_dir: Path, bundles: list[str], hidden: dict[str, list[str]] | None = None) -> None:
    """Name `bundles` (folders under `search_dir`, each whole) as the site's search, in one rename,
    with the results each must no longer give (`hidden`: fragments of pages changed or gone since
    it was made); then drop the folders neither this list nor the one before it names, and
    leftovers of runs that stopped half-way."""
    for name in bundles:
        checked(search_dir / name)
    previous = live_bundles(search_dir)
    hidden = {name: sorted(ids) for name, ids in (hidden or {}).items() if ids}
    written = {
        "bundles": bundles,
        "hidden": hidden,
        "uncounted": uncounted(search_dir, hidden),
        "previous": [name for name in previous if name not in bundles],
    }
    write_file(search_dir / BUNDLES, json.dumps(written, ensure_ascii=False).encode("utf-8"), PUBLIC)
    _drop_unnamed(search_dir, {*bundles, *previous})


def put_back(search_dir: Path, named: bytes) -> None:
    """The search as it was before a build that failed after `publish`: the list it had (`named`,
    its bytes) written back, and the bundles that build made dropped (the list's own are all kept)."""
    write_file(search_dir / BUNDLES, named, PUBLIC)
    before = listing(search_dir)
    _drop_unnamed(search_dir, {str(n) for n in [*before.get("bundles", []), *before.get("previous", [])]})


def _drop_unnamed(search_dir: Path, names: set[str]) -> None:
    """Every folder or file under `search_dir` but the bundles `names` and the list itself."""
    for entry in search_dir.iterdir():
        if entry.name not in names and entry.name != BUNDLES:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _write(indexer: LiveIndexer, search_dir: Path, role: str) -> str:
    """The bundle of `indexer`'s pages, written whole into a draft folder and renamed to its name; that name."""
    draft = search_dir / f".next-{uuid.uuid4().hex[:8]}"
    try:
        indexer.finish(draft)
        name = indexer.name(role)
        if (search_dir / name).is_dir() and _same(search_dir / name, draft):
            shutil.rmtree(draft)  # the same pages indexed by the same Pagefind: the same bundle, whole
        else:
            if (search_dir / name).exists():  # a folder of that name that is not whole: never touched, it may be live
                name = f"{name}-{uuid.uuid4().hex[:6]}"
            os.rename(draft, search_dir / name)
    except BaseException:
        shutil.rmtree(draft, ignore_errors=True)
        raise
    finally:
        indexer.close()
    return name


class Slices:
    """Pages indexed SLICE at a time, each slice by its own Pagefind process into its own bundle:
    when a slice is full its bundle is written (in a thread, while the next slice fills) and its
    process ends, so no process holds more than SLICE pages. `finish()` names the bundles in order."""

    def __init__(self, search_dir: Path, site: Path, root: Path | None, role: str) -> None:
        self.search_dir, self.site, self.root, self.role = search_dir, site, root, role
        self.current: LiveIndexer | None = None
        self.writers: list[threading.Thread] = []
        self.names: dict[int, str] = {}
        self.failures: list[BaseException] = []

    def add(self, path: Path) -> None:
        if self.failures:
            raise self.failures[0]
        if self.current is None:
            self.current = LiveIndexer(self.site, self.root)
        self.current.add(path)
        if self.current.pages >= SLICE:
            self._write_slice()

    def _write_slice(self) -> None:
        indexer, self.current, number = self.current, None, len(self.writers)
        assert indexer is not None

        def write() -> None:
            try:
                self.names[number] = _write(indexer, self.search_dir, self.role)
            except BaseException as exc:  # raised in the build's own thread by add() or finish()
                self.failures.append(exc)

        writer = threading.Thread(target=write, name=f"pagefind-slice-{number}")
        self.writers.append(writer)
        writer.start()

    def finish(self) -> list[str]:
        """Every slice written whole (one bundle even for no page at all); their names, in order."""
        self.search_dir.mkdir(parents=True, exist_ok=True)
        if self.current is not None or not self.writers:
            if self.current is None:
                self.current = LiveIndexer(self.site, self.root)
            self._write_slice()
        for writer in self.writers:
            writer.join()
        if self.failures:
            raise self.failures[0]
        return [self.names[number] for number in range(len(self.writers))]

    def close(self) -> None:
        """No Pagefind process left behind, after a failure or an interrupt too."""
        if self.current is not None:
            self.current.close()
            self.current = None
        for writer in self.writers:
            writer.join()
        for path in self.search_dir.glob(".next-*") if self.search_dir.is_dir() else ():
            shutil.rmtree(path, ignore_errors=True)


def _index(site: Path, pages: Iterable[Path], role: str, root: Path | None) -> list[str]:
    """The bundles of `pages` (one for SLICE pages or fewer), each written whole and renamed to its name."""
    search_dir = site / SEARCH_DIR
    search_dir.mkdir(exist_ok=True)
    slices = Slices(search_dir, site, root, role)
    try:
        for page in pages:
            slices.add(page)
        return slices.finish()
    finally:
        slices.close()


def _same(bundle: Path, draft: Path) -> bool:
    """Whether the folder `bundle` is whole and holds what `draft` holds (its page record included)."""
    try:
        whole_bundle(bundle)
    except KhaosanError:
        return False
    return all(
        (bundle / path.relative_to(draft)).is_file()
        and (bundle / path.relative_to(draft)).read_bytes() == path.read_bytes()
        for path in draft.rglob("*")
        if path.is_file() and path.relative_to(draft) != Path(CHECKED)  # times differ, bytes may not
    )


def _base_pages(bundle: Path) -> dict[str, list[Any]] | None:
    """A base bundle's record (url → [sha256 of the page indexed, its fragment]); None when it is
    missing or not of that shape (then the base is made anew, never trusted half)."""
    try:
        pages = json.loads((bundle / PAGES).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(pages, dict):
        return None
    for entry in pages.values():
        if not (
            isinstance(entry, list)
            and len(entry) == 2
            and isinstance(entry[0], str)
            and (entry[1] is None or isinstance(entry[1], str))
        ):
            return None
    return pages


def _bases(search_dir: Path) -> tuple[list[str], dict[str, tuple[str, list[Any]]] | None]:
    """The live base bundles and their records merged (url → (its base, [sha256, fragment])); None
    when there is no base, or one is unreadable, of another shape or damaged since it was named."""
    bases = [name for name in live_bundles(search_dir) if name.startswith(BASE + "-")]
    recorded: dict[str, tuple[str, list[Any]]] = {}
    for base in bases:
        pages = _base_pages(search_dir / base)
        if pages is None:
            return bases, None
        try:
            checked(search_dir / base)
        except KhaosanError:  # a live base damaged since it was named: made anew, never kept half
            return bases, None
        recorded.update((url, (base, entry)) for url, entry in pages.items())
    return bases, (recorded if bases else None)


def follow(site: Path, pages: dict[str, Path], root: Path | None = None) -> int:
    """After a partial build: the live site's search made to hold its item pages (`pages`: url →
    page file) again, in seconds. The base bundles stay; the pages changed or added since they were
    made go into a small bundle of their own, and the bases' results for pages changed or gone
    are hidden (their fragments named in bundles.json). Bases that are missing, unreadable, damaged
    or more than RECENT_LIMIT pages behind are made anew. Returns the number of pages indexed."""
    search_dir = site / SEARCH_DIR
    bases, recorded = _bases(search_dir)
    if recorded is None:
        return reindex(site, pages.values(), root)
    digests = {url: hashlib.sha256(path.read_bytes()).hexdigest() for url, path in pages.items()}
    changed = [url for url in sorted(digests) if url not in recorded or recorded[url][1][0] != digests[url]]
    if len(changed) > RECENT_LIMIT:
        return reindex(site, pages.values(), root)
    gone = {url for url in recorded if url not in digests}
    hidden: dict[str, list[str]] = {}
    for url in [*changed, *gone]:
        if url in recorded and recorded[url][1][1]:
            base, (_, fragment) = recorded[url]
            hidden.setdefault(base, []).append(str(fragment))
    bundles = list(bases)
    if changed:
        bundles += _index(site, (pages[url] for url in changed), RECENT, root)
    publish(search_dir, bundles, hidden)
    return len(changed)


def reindex(site: Path, pages: Iterable[Path], root: Path | None = None) -> int:
    """New base bundles for a live site, from all its item pages, written whole beside the live
    ones and then named by `publish()`: searches keep working on the old bundles until the new ones
    are complete, and the list names only complete bundles."""
    pages = list(pages)
    publish(site / SEARCH_DIR, _index(site, pages, BASE, root))
    return len(pages)
