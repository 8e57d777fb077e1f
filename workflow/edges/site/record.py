"""What the last build left behind, so the next one renders only what changed.

Beside the repository's `.khaosan-build/`: `site-manifest.json` (which item
pages and files the live site holds and under which keys, and each output
file's size and time, to see nobody touched the site since) and
`site-reads.pickle` (the reader's output per item, so an unchanged item's
Markdown is not rendered again; kept as `workflow/edges/kept.py` keeps results,
under the manifest's shared key: read only with the manifest written with it).
Both are written only after a build is live and are removed before the live
site changes, so an interrupted build can only make the next one a full one,
never a wrong one.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from workflow.core.site_plan import Manifest
from workflow.edges.files.atomic import write_file
from workflow.edges.kept import folder_digest, load_kept, run_key, save_kept

MANIFEST = "site-manifest.json"
READS = "site-reads.pickle"
HELD = "site-manifest.held.json"  # the manifest while a partial build changes the site (never read as one)
READS_VERSION = 1  # (version, the manifest's shared key, reads): written with that manifest, read with it only
SEARCH_DIR = "pagefind"
# what renders pages (Pagefind is not here: the search bundles carry the indexer version in their names)
LIBRARIES = ("pelican", "jinja2", "markdown", "nh3", "feedgenerator", "pillow", "pythainlp")
# settings only the ผลการดำเนินงาน and ITA pages read (written every build)
PAGE_ONLY = frozenset({"KHAOSAN_PERFORMANCE", "KHAOSAN_ITA"})


class StaleSite(Exception):
    """The site on disk is not the one the manifest describes: build it whole."""


def shared_key(root: Path, settings: dict[str, Any]) -> str:
    """Everything every page shows or is made by: theme, Pelican settings, the build's settings
    (office, digits, site URL), Khaosan's code and the libraries that render."""
    shown = {k: v for k, v in settings.items() if k not in PAGE_ONLY}
    return run_key(
        "site",
        READS_VERSION,
        LIBRARIES,
        (
            ("theme", folder_digest(root / "theme").encode()),
            ("pelicanconf.py", (root / "pelicanconf.py").read_bytes()),
            ("settings", json.dumps(shown, sort_keys=True, ensure_ascii=False, default=str).encode()),
        ),
    )


# The reader's output is plain data and times: nothing else may come out of the file.
_READ_CLASSES = frozenset({("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta")})


def _reads_in(reads: object) -> dict[str, Any]:
    if not isinstance(reads, dict):
        raise ValueError("not the reader's output")
    return reads


def load(work: Path) -> Manifest | None:
    """The last build's manifest; None when it is missing or unreadable (a full build, never an error)."""
    try:
        return Manifest.from_json(json.loads((work / MANIFEST).read_text(encoding="utf-8")))
    except Exception:  # missing, truncated, foreign
        return None


def load_reads(work: Path, manifest: Manifest) -> dict[str, Any] | None:
    """The reader output written with `manifest`; None when it is missing, unreadable or another build's.
    Read apart from the manifest: a partial build places the changed item pages before it needs it."""
    return load_kept(work / READS, READS_VERSION, manifest.shared, _reads_in, allowed=_READ_CLASSES)


def forget(work: Path) -> None:
    """Before the live site changes: what described the old one no longer may be trusted."""
    for name in (MANIFEST, READS, HELD):
        (work / name).unlink(missing_ok=True)


def hold(work: Path) -> None:
    """Before a partial build first changes the live site: the manifest set aside (a build killed from
    here on leaves none, so the next one is full); the reader output stays, read later by this build."""
    with contextlib.suppress(FileNotFoundError):
        os.replace(work / MANIFEST, work / HELD)


def put_back(work: Path) -> None:
    """The site is again the one the manifest set aside describes (a failed build undid its changes)."""
    with contextlib.suppress(FileNotFoundError):
        os.replace(work / HELD, work / MANIFEST)


def save(work: Path, manifest: Manifest, reads: dict[str, Any]) -> None:
    save_kept(work / READS, READS_VERSION, manifest.shared, reads)
    write_file(work / MANIFEST, json.dumps(manifest.to_json(), ensure_ascii=False).encode("utf-8"))
    (work / HELD).unlink(missing_ok=True)


def fingerprint(site: Path) -> dict[str, tuple[int, int]]:
    """Output file → (size, mtime_ns), the search bundle left out (it is replaced whole)."""
    found: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(site):
        if folder == str(site) and SEARCH_DIR in dirs:
            dirs.remove(SEARCH_DIR)
        rel = os.path.relpath(folder, site)
        for name in files:
            st = os.stat(os.path.join(folder, name), follow_symlinks=False)
            found[name if rel == "." else f"{rel}/{name}"] = (st.st_size, st.st_mtime_ns)
    return found


def verify(site: Path, manifest: Manifest) -> None:
    """Raise StaleSite unless every file of the live site is as the last build left it
    (someone may have changed or removed one by hand: then only a full build is right)."""
    for rel, expected in manifest.output.items():
        try:
            st = os.stat(site / rel, follow_symlinks=False)
        except OSError:
            raise StaleSite(rel) from None
        if (st.st_size, st.st_mtime_ns) != expected:
            raise StaleSite(rel)


def empty_files(folder: Path) -> None:
    """Remove every file under `folder` and keep its folders (the next partial build reuses them).

    A symbolic link found there, to a file or a folder, is removed itself: Pelican would write
    through it (`next/news -> content/news`)."""
    if folder.is_symlink():
        folder.unlink()
    folder.mkdir(exist_ok=True)
    for parent, dirs, files in os.walk(folder):
        for name in [d for d in dirs if os.path.islink(os.path.join(parent, d))]:
            os.unlink(os.path.join(parent, name))
            dirs.remove(name)
        for name in files:
            os.unlink(os.path.join(parent, name))


def _order(pages: Collection[str]) -> Callable[[str], tuple[int, str]]:
    """Files and images before the pages that show them, item pages (`pages`) before the
    listings, feeds, sitemap and open data that link to them."""

    def order(rel: str) -> tuple[int, str]:
        if rel.startswith(("files/", "images/", "theme/")):
            return 0, rel
        return (1 if rel in pages else 2), rel

    return order


def _same_bytes(new: Path, live: Path) -> bool:
    """Whether the live file already holds `new`'s bytes (sizes first: most changed files differ there)."""
    try:
        there = os.stat(live, follow_symlinks=False)
        if not stat.S_ISREG(there.st_mode) or os.stat(new).st_size != there.st_size:
            return False  # a link or anything but a plain file is replaced, never read through
        return new.read_bytes() == live.read_bytes()
    except OSError:
        return False


class Undo:
    """The live files a partial build's first step replaced, kept as hard links (same bytes, same
    time) so that a build failing later leaves the site as it was, byte for byte, and the
    manifest set aside describes it again."""

    def __init__(self, folder: Path) -> None:
        empty_files(folder)
        self.folder = folder
        self.placed: list[str] = []

    def keep(self, site: Path, rel: str) -> None:
        self.placed.append(rel)
        backup = self.folder / rel
        backup.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):  # a new file: undone by removing it
            os.link(site / rel, backup, follow_symlinks=False)

    def undo(self, site: Path) -> None:
        removed = []
        for rel in reversed(self.placed):
            backup = self.folder / rel
            if backup.is_file():
                os.replace(backup, site / rel)
            else:
                (site / rel).unlink(missing_ok=True)
                removed.append(rel)
        _drop_empty(site, removed)
        self.placed.clear()

    def done(self) -> None:
        empty_files(self.folder)


def _drop_empty(site: Path, removed: Collection[str]) -> None:
    """The folders left empty by `removed` (only an emptied folder goes)."""
    for folder in sorted({(site / rel).parent for rel in removed}, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            while folder != site:
                folder.rmdir()
                folder = folder.parent


def place(
    delta: Path,
    site: Path,
    output: dict[str, tuple[int, int]],
    rels: Collection[str],
    pages: Collection[str],
    undo: Undo | None = None,
) -> None:
    """Rename `rels` (files under `delta`) into the live site, each whole in one rename, files before
    the item pages (`pages`) and those before what links to them; a file whose bytes the live one
    already has is left as it is. `output` (file → size and time) is updated; `undo` keeps what is replaced."""
    made: set[Path] = set()
    for rel in sorted(rels, key=_order(pages)):
        target = site / rel
        if rel in output and _same_bytes(delta / rel, target):
            continue  # the live file is what was written (a listing the change did not move): left as it is
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if undo is not None:
            undo.keep(site, rel)
        os.replace(delta / rel, target)
        st = os.stat(target, follow_symlinks=False)
        output[rel] = (st.st_size, st.st_mtime_ns)


def written_files(delta: Path) -> list[str]:
    return [
        os.path.relpath(os.path.join(folder, name), delta) for folder, _dirs, files in os.walk(delta) for name in files
    ]


def commit(
    delta: Path, site: Path, manifest: Manifest, keep: set[str], pages: Collection[str]
) -> dict[str, tuple[int, int]]:
    """Put a partial build's files into the live site (`place`), then remove what the site no
    longer has; return the new fingerprint.

    A new file whose bytes the live one already has is not renamed (one new news item moves every
    news listing page, but no disclosure or clipping listing): fewer renames, the same site.
    `keep`: the live files the build keeps as they are. Everything else the last build wrote
    and this one did not is removed (an item no longer public, a listing page that is gone),
    after every new file is in place: nothing links to a removed page by then. `pages`: the item
    pages among the new files; they go in before anything that links to them.
    """
    output = dict(manifest.output)
    written = written_files(delta)
    place(delta, site, output, written, pages)
    gone = set(manifest.output) - keep - set(written)
    for rel in sorted(gone):
        (site / rel).unlink(missing_ok=True)
        del output[rel]
    _drop_empty(site, gone)
    return output
