"""A copy of the project to build a site in, and a built site served on loopback."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from workflow.edges.site.record import HELD

PROJECT = Path(__file__).resolve().parents[2]


def project_copy(tmp_path: Path, *, content: bool = False) -> Path:
    """office.yml (with its photos), pelicanconf.py, schemas/ and theme/ (and the sample content/) under
    tmp_path/repo."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("office.yml", "pelicanconf.py"):
        shutil.copy(PROJECT / name, root / name)
    for name in ("schemas", "theme", *(("content",) if content else ())):
        shutil.copytree(PROJECT / name, root / name)
    if not content:  # the executives' photos office.yml shows are the office's, like office.yml
        shutil.copytree(PROJECT / "content" / "images" / "office", root / "content" / "images" / "office")
    (root / "content" / "files").mkdir(parents=True, exist_ok=True)
    return root


def sample_item_count(*folders: str) -> int:
    """How many items the bundled sample office has (each one must be public on its site), or has in
    `folders` under content/ (e.g. "disclosures/procurement")."""
    return sum(
        1 for f in folders or ("news", "disclosures", "clippings") for _ in (PROJECT / "content" / f).rglob("*.md")
    )


def staging_left(root: Path) -> list[str]:
    """Staging or output a build left in `.khaosan-build/`, a manifest still set aside, or a page kept
    to undo (its record files, and the empty folders partial builds reuse, may stay)."""
    work = root / ".khaosan-build"
    if not work.is_dir():
        return []
    left = [p.name for p in work.iterdir() if p.name.startswith(("content-", "output-")) or p.name == HELD]
    return left + [
        p.relative_to(work).as_posix() for kept in ("next", "undo") for p in (work / kept).rglob("*") if not p.is_dir()
    ]


def search_bundles(site: Path) -> list[Path]:
    """The search bundles the site's `pagefind/bundles.json` names (what the search page loads)."""
    listing = json.loads((site / "pagefind" / "bundles.json").read_text(encoding="utf-8"))
    return [site / "pagefind" / name for name in listing["bundles"]]


def search_fragments(site: Path) -> dict[str, dict]:
    """Every fragment a search on the site can give, url → its data: the bundles' fragments but
    those bundles.json hides (pages changed or gone since a bundle was made). A URL twice is an error."""
    listing = json.loads((site / "pagefind" / "bundles.json").read_text(encoding="utf-8"))
    hidden = {i for ids in listing.get("hidden", {}).values() for i in ids}
    found: dict[str, dict] = {}
    for bundle in search_bundles(site):
        for fragment in bundle.rglob("*.pf_fragment"):
            if fragment.stem in hidden:
                continue
            data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
            assert data["url"] not in found, f"{data['url']} is in two bundles"
            found[data["url"]] = data
    return found


def indexed_urls(site: Path) -> set[str]:
    """Every page URL a search on the site can find."""
    return set(search_fragments(site))


def fake_pagefind(folder: Path, version: str = "1.6.0") -> Path:
    """A program that says it is Pagefind `version` and stops when asked to index."""
    folder.mkdir(parents=True, exist_ok=True)
    fake = folder / "pagefind_extended"
    fake.write_text(f'#!/bin/sh\nif [ "$1" = --version ]; then echo "pagefind {version}"; exit 0; fi\nexit 3\n')
    fake.chmod(0o755)
    return fake


def sign_news(root: Path, path: Path, now: str) -> None:
    """Record both sign-offs of a test news item (topic group promotion) with `khaosan approve`."""
    from workflow.cli import main

    for by, step, at in (
        ("jirayu.t", "facts", "2026-11-10T11:00:00+07:00"),
        ("malee.t", "check", "2026-11-10T12:00:00+07:00"),
    ):
        assert (
            main(["approve", str(path), "--by", by, "--step", step, "--at", at, "--root", str(root), "--now", now]) == 0
        )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".pdf": "application/pdf",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` over HTTP on 127.0.0.1 for the duration; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_html(path: Path) -> str:
    """A built page's HTML with its Thai word marks taken out (thaiwords.plain): the text as written."""
    from workflow.edges.site.thaiwords import plain

    return plain(path.read_text(encoding="utf-8"))
