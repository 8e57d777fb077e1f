"""Is a built site whole? Every link a page, feed, sitemap or the open data makes to the site
itself leads to a file the site holds. And a build run in a child that stops before each step
that changes the live site, so a test can look at the site there, or kill the child there.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

PROJECT = Path(__file__).resolve().parents[2]
SITE_URL = "https://www.phuphamok1.example"  # office.yml's site_url
_LINK = re.compile(r'(?:href|src)="([^"]+)"')
_URL = re.compile(r"https://www\.phuphamok1\.example[^\"'<\s]*")
_BASE = "http://site.invalid/"


def _target(site: Path, url: str) -> Path | None:
    """The file a URL of the site names; None for another site, a fragment, mail or telephone."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "site.invalid"):
        return None
    rel = unquote(parts.path).lstrip("/")
    if rel.startswith("pagefind/"):
        return None  # the search bundle is replaced whole, on its own (workflow/edges/site/search.py)
    path = site / rel
    return path / "index.html" if rel == "" or rel.endswith("/") else path


def broken_links(site: Path) -> list[str]:
    """`page -> link` for every link to the site that leads nowhere (empty: the site is whole)."""
    broken = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or rel.startswith(("pagefind/", "admin/")):
            continue  # the search bundle; the editor's preview templates (placeholders, not links)
        text = path.read_text("utf-8", errors="replace") if path.suffix in (".html", ".xml", ".json") else ""
        links = [urljoin(_BASE + rel, link) for link in _LINK.findall(text)] if path.suffix == ".html" else []
        links += [_BASE + url[len(SITE_URL) :].lstrip("/") for url in _URL.findall(text)]
        for link in links:
            target = _target(site, link)
            if target is not None and not target.is_file():
                broken.append(f"{rel} -> {link.removeprefix(_BASE)}")
    return broken


def open_data_ids(site: Path) -> set[str]:
    return {item["id"] for item in json.loads((site / "api" / "items.json").read_text("utf-8"))["items"]}


CHILD = r"""
import os, sys
from pathlib import Path
output = os.path.realpath(sys.argv[1])
aside = os.path.join(os.path.dirname(output), "." + os.path.basename(output) + ".prev-")

def touches(path):
    path = os.path.realpath(os.fsdecode(path)) if isinstance(path, (str, bytes, os.PathLike)) else ""
    return path == output or path.startswith(output + os.sep) or path.startswith(aside)

def held(name, real):
    def step(*args, **kwargs):
        paths = [a for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
        if kwargs.get("dir_fd") is None and any(touches(p) for p in paths):
            shown = " ".join(os.path.relpath(os.fsdecode(p), os.path.dirname(output)) for p in paths)
            print(f"step {name} {shown}", flush=True)
            if sys.stdin.readline().strip() != "go":
                os._exit(3)
        return real(*args, **kwargs)
    return step

for name in ("replace", "rename", "unlink", "rmdir"):
    setattr(os, name, held(name, getattr(os, name)))
import workflow.edges.site.build as site
if os.environ.get("KHAOSAN_TEST_NO_EXCHANGE"):
    site.exchange_paths = lambda a, b: False
else:
    site.exchange_paths = held("exchange", site.exchange_paths)
from workflow.cli import main
code = main(sys.argv[2:])
print(f"done {code}", flush=True)
"""


class PausedBuild:
    """`khaosan ARGS` in a child that stops before each rename, exchange or removal touching
    `output` (or a folder set aside beside it) and says which; `go()` lets it take that step."""

    def __init__(self, output: Path, args: list[str], env: dict[str, str] | None = None) -> None:
        self.child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(output), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONPATH": str(PROJECT), **(env or {})},
        )

    def steps(self) -> Iterator[str]:
        """Each step the build is stopped before, until it ends ("done <exit code>")."""
        assert self.child.stdout is not None
        for line in self.child.stdout:
            if line.startswith("step "):
                yield line.removeprefix("step ").strip()
            elif line.startswith("done "):
                self.code = int(line.split()[1])
                return

    def go(self) -> None:
        assert self.child.stdin is not None
        self.child.stdin.write("go\n")
        self.child.stdin.flush()

    def kill(self) -> None:
        self.child.send_signal(signal.SIGKILL)
        self.child.wait()

    def close(self) -> None:
        if self.child.poll() is None:
            self.kill()
        for stream in (self.child.stdin, self.child.stdout):
            if stream is not None:
                stream.close()
        self.child.wait()


@contextmanager
def paused_build(output: Path, args: list[str], env: dict[str, str] | None = None) -> Iterator[PausedBuild]:
    build = PausedBuild(output, args, env)
    try:
        yield build
    finally:
        build.close()
