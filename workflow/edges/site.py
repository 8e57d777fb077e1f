"""Build the site with Pelican from only what passed the gate, and swap it in whole.

Staging: the public items and the files they reference are linked into a
fresh content folder, Pelican writes a fresh output folder, and only a
complete build replaces `output/`. A failed build leaves the old site as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..core.digest import referenced_files
from ..core.publication import Decision
from ..core.structure import Office
from ..core.validate import ItemResult
from ..errors import EXIT_CONTENT, KhaosanError
from .scrub import scrub_staged

WORK = ".khaosan-build"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _link(source: Path, target: Path) -> None:
    if target.exists():  # a file several items share is staged once
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def stage_content(root: Path, stage: Path, public: Iterable[ItemResult]) -> None:
    """Only public items and the files they name; nothing else reaches Pelican.

    A withdrawn item keeps its page (saying when and why) but not its files.
    """
    content = root / "content"
    stage.mkdir(parents=True, exist_ok=True)
    for result in public:
        assert result.item is not None
        _link(root / result.path, stage / result.path.removeprefix("content/"))
        if result.item.data.get("withdrawn"):
            continue
        for ref in referenced_files(result.item.data, result.item.body):
            _link(content / ref, stage / ref)
            if ref.startswith("images/"):
                scrub_staged(stage / ref)  # GPS and camera owner leave the site copy, never the person's file


def run_search_indexer(site: Path) -> None:
    """Index a finished site folder in one go (the fallback; the build overlaps instead)."""
    from .search_index import index_site

    index_site(site)


def run_pelican(root: Path, content: Path, output: Path, extra: dict[str, Any], *,
                search: bool = False) -> list[str]:
    """Run Pelican; return its warnings; raise KhaosanError on any error it logs.

    With `search`, every item page goes to Pagefind as soon as Pelican writes it,
    and the search bundle is complete when this returns.
    """
    from .search_index import LiveIndexer

    indexer = LiveIndexer(output) if search else None
    try:
        warnings = _pelican(root, content, output, extra, indexer.add if indexer else None)
        if indexer is not None:
            indexer.finish()
        return warnings
    finally:
        if indexer is not None:
            indexer.close()  # after a failure or an interrupt too: no Pagefind process left behind


def _pelican(root: Path, content: Path, output: Path, extra: dict[str, Any],
             on_item_page: Callable[[Path], None] | None) -> list[str]:
    from pelican import Pelican, signals
    from pelican.settings import read_settings

    def page_written(path: str, context: dict[str, Any]) -> None:
        if on_item_page is not None and context.get("article") is not None:
            on_item_page(Path(path))

    collector = _Collect()
    logger = logging.getLogger("pelican")
    previous = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    cwd = Path.cwd()
    signals.content_written.connect(page_written)
    try:
        os.chdir(root)  # pelicanconf.py names the theme relative to the repository
        settings = read_settings(str(root / "pelicanconf.py"), override={
            "PATH": str(content), "OUTPUT_PATH": str(output), "DELETE_OUTPUT_DIRECTORY": False,
            "THEME": str(root / "theme"), **extra})
        Pelican(settings).run()
    except KhaosanError:
        raise
    except Exception as exc:  # Pelican raises many kinds; all mean "no new site"
        raise KhaosanError("KS905", f"Pelican หยุดทำงาน: {exc}", exit_code=EXIT_CONTENT) from None
    finally:
        signals.content_written.disconnect(page_written)
        os.chdir(cwd)
        logger.removeHandler(collector)
        logger.propagate = previous
    errors = [r.getMessage() for r in collector.records if r.levelno >= logging.ERROR]
    if errors:
        raise KhaosanError("KS905", "Pelican รายงานข้อผิดพลาด: " + " | ".join(errors)[:2000],
                           exit_code=EXIT_CONTENT)
    return [r.getMessage() for r in collector.records if r.levelno < logging.ERROR]


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` with `new`: rename the old aside, rename the new in, drop the old.

    The new site is live once the second rename returns; deleting the old one
    (thousands of files) goes on in a thread the interpreter waits for at exit,
    and leftovers of an interrupted deletion are removed by the next build.
    """
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    for stale in target.parent.glob(f".{target.name}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old.exists():
            os.rename(old, target)
        raise
    if old.exists():
        threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True},
                         name="drop-old-site").start()


def build_site(root: Path, output: Path, office: Office, results: list[ItemResult],
               decisions: list[Decision], *, search: bool = True, extra_settings: dict[str, Any] | None = None,
               extra_files: dict[str, bytes] | None = None) -> list[str]:
    """Stage, build, index for search, swap. Returns Pelican's warnings.

    The date each page shows is `Decision.date`, whatever `decide()` was given:
    the fallback date today, git's publication time once edges/history.py
    supplies it (pass decisions whose `date` is that time).
    """
    work = root / WORK
    work.mkdir(exist_ok=True)
    run_id = uuid.uuid4().hex[:8]
    stage, fresh = work / f"content-{run_id}", work / f"output-{run_id}"
    by_path = {r.path: r for r in results}
    public = [d for d in decisions if d.public]
    try:
        stage_content(root, stage, (by_path[d.path] for d in public))
        for rel, data in (extra_files or {}).items():  # generated for the site (the performance chart)
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        items = {d.item_id: {"date": d.date.isoformat() if d.date else None, "urgent": d.reason == "urgent"}
                 for d in public}
        warnings = run_pelican(root, stage, fresh, {
            "KHAOSAN_ITEMS": items, "SITENAME": office.short_name, "KHAOSAN_OFFICE_NAME": office.name,
            "KHAOSAN_DATE_DIGITS": office.date_digits, "KHAOSAN_SITE_URL": office.site_url,
            "KHAOSAN_OFFICE": _public_office(office), **(extra_settings or {})}, search=search)
        output.parent.mkdir(parents=True, exist_ok=True)
        swap_in(fresh, output)
        return warnings
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(fresh, ignore_errors=True)


def _public_office(office: Office) -> dict[str, Any]:
    """office.yml as the site may show it: officials' names and positions, no GitHub logins."""
    raw = office.raw
    people = [{k: p.get(k) for k in ("id", "name", "position", "group", "roles")}
              for p in raw.get("people") or []]
    return {"office": raw.get("office") or {}, "groups": raw.get("groups") or [], "people": people}
