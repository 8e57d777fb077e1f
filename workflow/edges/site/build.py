"""Build the site with Pelican from only what passed the gate, and swap it in whole.

Staging: the public items and the files they reference are linked into a
fresh content folder, Pelican writes a fresh output folder, and only a
complete build replaces `output/`. A failed build leaves the old site as it was.

After a first build, the next one is partial when it can be
(`workflow/core/site_plan.py` decides, `site_state.py` keeps the record):
Pelican renders only the changed item pages and every listing into a fresh
folder, and only when that succeeded are its files renamed one by one into the
live site (each file whole at every moment; item pages before the listings
that link to them), and what the site no longer has is removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workflow.core import site_plan
from workflow.core.publication import Candidate, Decision
from workflow.core.site_plan import Manifest, Plan, files_of, item_key, page_keys
from workflow.core.structure import Office
from workflow.edges.files.atomic import exchange_paths
from workflow.edges.site import record as site_state
from workflow.edges.site.record import StaleSite, shared_key
from workflow.edges.site.scrub import clean_for_site
from workflow.errors import EXIT_CONTENT, KhaosanError

WORK = ".khaosan-build"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _Stage:
    """Links files into the staging folder; each folder made once (a syscall each costs on ext4)."""

    def __init__(self, folder: Path) -> None:
        self.folder = str(folder)
        self.made: set[str] = set()
        self.staged: set[str] = set()

    def link(self, source: Path, rel: str) -> bool:
        """Stage `source` as `rel`; False when it is staged already (several items share a file)."""
        if rel in self.staged:
            return False
        self.staged.add(rel)
        target = os.path.join(self.folder, rel)
        parent = os.path.dirname(target)
        if parent not in self.made:
            os.makedirs(parent, exist_ok=True)
            self.made.add(parent)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
        return True


def stage_content(
    root: Path,
    stage: Path,
    published: Iterable[Candidate],
    scrub: Collection[str] | None = None,
    office_files: Iterable[str] = (),
) -> None:
    """Only public items and the files they name; nothing else reaches Pelican.

    A withdrawn item keeps its page (saying when and why) but not its files.
    Each file staged is cleaned of hidden metadata (`workflow/edges/site/scrub/`); one
    that cannot be cleaned raises KhaosanError here, before anything is swapped in.
    `scrub`, when given, limits the files cleaned to those a partial build copies into
    the site (the others are there already, cleaned). `office_files`: what office.yml shows
    (the executives' photos), staged and cleaned as an item's files are.
    """
    content = root / "content"
    stage.mkdir(parents=True, exist_ok=True)
    staging = _Stage(stage)
    for c in published:
        staging.link(root / c.path, c.path.removeprefix("content/"))
        if c.withdrawn:
            continue
        for ref in c.refs:
            if staging.link(content / ref, ref) and (scrub is None or ref in scrub):
                clean_for_site(stage / ref, ref)  # metadata leaves the site copy, never the person's file
    for ref in office_files:
        if staging.link(content / ref, ref) and (scrub is None or ref in scrub):
            clean_for_site(stage / ref, ref)


def run_pelican(root: Path, content: Path, output: Path, extra: dict[str, Any], *, search: bool = False) -> list[str]:
    """Run Pelican; return its warnings; raise KhaosanError on any error it logs.

    With `search`, every item page goes to Pagefind as soon as Pelican writes it,
    and the search bundle is complete when this returns.
    """
    from workflow.edges.site.search import BASE, SEARCH_DIR, Slices, publish

    indexer = Slices(output / SEARCH_DIR, output, root, BASE) if search else None
    try:
        warnings = _pelican(root, content, output, extra, indexer.add if indexer else None)
        if indexer is not None:
            publish(output / SEARCH_DIR, indexer.finish())  # the base bundles: every item page
        return warnings
    finally:
        if indexer is not None:
            indexer.close()  # after a failure or an interrupt too: no Pagefind process left behind


def _pelican(
    root: Path, content: Path, output: Path, extra: dict[str, Any], on_item_page: Callable[[Path], None] | None
) -> list[str]:
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
        settings = read_settings(
            str(root / "pelicanconf.py"),
            override={
                "PATH": str(content),
                "OUTPUT_PATH": str(output),
                "DELETE_OUTPUT_DIRECTORY": False,
                "THEME": str(root / "theme"),
                **extra,
            },
        )
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
        raise KhaosanError("KS905", "Pelican รายงานข้อผิดพลาด: " + " | ".join(errors)[:2000], exit_code=EXIT_CONTENT)
    return [r.getMessage() for r in collector.records if r.levelno < logging.ERROR]


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` with `new` in one step: the site folder is never absent, never half.

    Where the system can (Linux ≥ 3.15 on ext4, xfs, btrfs, tmpfs…), one `renameat2`
    RENAME_EXCHANGE swaps the two folders; the old site, now at `new`, is renamed aside and
    deleted (thousands of files) in a thread the interpreter waits for at exit. Elsewhere two
    renames, the old site first set aside as `.<name>.prev-…`: a build killed between them
    leaves that, and the next build puts it back before anything else (`restore_site`).
    """
    for stale in target.parent.glob(f".{target.name}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)  # a deletion an earlier build did not finish
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    if not target.exists():
        os.rename(new, target)
        return
    if exchange_paths(new, target):
        os.rename(new, old)
    else:
        prev = target.with_name(f".{target.name}.prev-{uuid.uuid4().hex[:8]}")
        os.rename(target, prev)
        try:
            os.rename(new, target)
        except OSError:
            os.rename(prev, target)
            raise
        os.rename(prev, old)
    threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}, name="drop-old-site").start()


def restore_site(target: Path) -> None:
    """Put back the site a build killed between its two renames set aside (where no exchange is)."""
    aside = sorted(target.parent.glob(f".{target.name}.prev-*"))
    if aside and not target.exists():
        os.rename(aside[-1], target)
    for extra in target.parent.glob(f".{target.name}.prev-*"):
        os.rename(extra, extra.with_name(extra.name.replace(".prev-", ".old-", 1)))


@dataclass
class SiteBuild:
    """What a build did, for the report: how, how long until live, and the search index."""

    plan: Plan
    warnings: list[str] = field(default_factory=list)
    live_after: float = 0.0  # seconds from the start until the new site was in place
    search: str = "off"  # "built" (before the swap), "followed" (after it), "off"
    stage: str = "site"  # what `on_live` is told is live: "pages", "search" or "site"


@contextlib.contextmanager
def _exclusive(work: Path) -> Iterator[None]:
    """One build at a time per repository (`serve` and a `build` in another terminal)."""
    with open(work / "lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("รอการสร้างเว็บไซต์อีกรอบที่กำลังทำงานอยู่ให้เสร็จก่อน…", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def build_site(
    root: Path,
    output: Path,
    office: Office,
    published: list[tuple[Candidate, Decision]],
    *,
    search: bool = True,
    extra_settings: dict[str, Any] | None = None,
    incremental: bool = True,
    on_live: Callable[[SiteBuild], None] | None = None,
    work: Path | None = None,
) -> SiteBuild:
    """Stage, build, index for search, swap; only what changed since the last build when it can.

    `published`: the public items (`Decision.public`) with the date each page shows, git's
    publication time where known. A partial build renders only the item pages whose key
    changed and every listing, feed and the open data, renames them into the live site, and
    then lets the search index follow (`on_live` runs as soon as the site is live). Anything
    unexpected in the live site makes it a full build. `work`: the build's own `.khaosan-build/`
    (`own_folder` in `workflow/edges/kept.py`); None: a private folder beside `output`, removed after.
    """
    if work is None:  # no `.khaosan-build/` of our own (a link, tracked by git): a private folder, no record
        output.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{output.name}.work-", dir=output.parent) as private:
            return _build(root, output, office, published, Path(private), search, extra_settings, False, on_live)
    return _build(root, output, office, published, work, search, extra_settings, incremental, on_live)


def _build(
    root: Path,
    output: Path,
    office: Office,
    published: list[tuple[Candidate, Decision]],
    work: Path,
    search: bool,
    extra_settings: dict[str, Any] | None,
    incremental: bool,
    on_live: Callable[[SiteBuild], None] | None,
) -> SiteBuild:
    started = time.perf_counter()
    if search:
        from workflow.edges.site.search import require_tools

        require_tools(root)  # KS920, KS921 before anything is built: no site goes live without its search
    with _exclusive(work):
        restore_site(output)
        items = {
            c.item_id: {
                "date": d.date.isoformat() if d.date else None,
                "corrected": d.corrected.isoformat() if d.corrected else None,
                "urgent": d.reason == "urgent",
                "key": item_key(c, d),
                "path": c.path,
            }
            for c, d in published
        }
        shown = office_files(root, office)
        settings = {
            "SITENAME": office.short_name,
            "KHAOSAN_OFFICE_NAME": office.name,
            "KHAOSAN_DATE_DIGITS": office.date_digits,
            "KHAOSAN_SITE_URL": office.site_url,
            "KHAOSAN_OFFICE": _public_office(office, shown),
            "KHAOSAN_LABELS": office.vocabulary.as_dict(),
            "KHAOSAN_SOCIAL": {},  # item id -> its social posts (commands/build.py passes them)
            **(extra_settings or {}),
        }
        shared = shared_key(root, settings)
        keys, files = page_keys(published), {**files_of(published), **shown}
        manifest = site_state.load(work) if incremental and output.is_dir() else None
        refs = {c.item_id: c.refs for c, _ in published}
        plan = site_plan.plan(manifest, shared, keys, files, refs)  # the reader output is read after the first pages
        job = _Job(root, output, work, published, items, settings, shared, keys, files, started, on_live, tuple(shown))
        if not plan.full and manifest is not None:
            try:
                return job.partial(plan, manifest, search)
            except StaleSite as exc:
                plan = Plan(True, f"ไฟล์ในเว็บไซต์เดิมไม่ตรงกับที่สร้างไว้ ({exc})")
        return job.full(plan, search)


@dataclass
class _Job:
    root: Path
    output: Path
    work: Path
    published: list[tuple[Candidate, Decision]]
    items: dict[str, dict[str, Any]]
    settings: dict[str, Any]
    shared: str
    keys: dict[str, str]
    files: dict[str, str | None]
    started: float
    on_live: Callable[[SiteBuild], None] | None
    office_files: tuple[str, ...] = ()  # the photos office.yml shows

    def _pelican(
        self,
        stage: Path,
        fresh: Path,
        reads: dict[str, Any],
        plan: Plan,
        search: bool,
        more: dict[str, Any] | None = None,
    ) -> list[str]:
        return run_pelican(
            self.root,
            stage,
            fresh,
            {
                "KHAOSAN_ITEMS": self.items,
                "KHAOSAN_BY_PATH": {v["path"]: v for v in self.items.values()},
                "KHAOSAN_READS": reads,
                "KHAOSAN_RENDER": None if plan.full else plan.render,
                "KHAOSAN_COPY": None if plan.full else plan.stage_files,
                **self.settings,
                **(more or {}),
            },
            search=search,
        )

    def _save(self, reads: dict[str, Any], output: dict[str, tuple[int, int]]) -> None:
        files = {ref: sha for ref, sha in self.files.items() if sha is not None}
        site_state.save(self.work, Manifest(self.shared, self.keys, files, output), reads)

    def _live(self, report: SiteBuild, stage: str = "site") -> None:
        """`on_live` at each step a reader sees: "pages" (the changed item pages), "search", "site" (whole)."""
        report.stage = stage
        if stage == "site":
            report.live_after = time.perf_counter() - self.started
        if self.on_live is not None:
            self.on_live(report)

    def full(self, plan: Plan, search: bool) -> SiteBuild:
        """Everything into a fresh folder, swapped in whole."""
        run_id = uuid.uuid4().hex[:8]
        stage, fresh = self.work / f"content-{run_id}", self.work / f"output-{run_id}"
        reads: dict[str, Any] = {"last": {}, "next": {}}
        try:
            stage_content(self.root, stage, (c for c, _ in self.published), office_files=self.office_files)
            warnings = self._pelican(stage, fresh, reads, plan, search)
            report = SiteBuild(plan, warnings, search="built" if search else "off")
            site_state.forget(self.work)
            self.output.parent.mkdir(parents=True, exist_ok=True)
            swap_in(fresh, self.output)
            self._live(report)
            self._save(reads["next"], site_state.fingerprint(self.output))
            return report
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            shutil.rmtree(fresh, ignore_errors=True)

    def partial(self, first: Plan, manifest: Manifest, search: bool) -> SiteBuild:
        """The changed item pages first (`_first_pages`: a new item is online in about a second), the
        search made to follow them, then every listing, feed and the open data, rendered with all the
        items into a fresh folder and put file by file into the live site (a new folder of 5,000 item
        folders would cost more than the rendering). A failure after the first pages went live puts
        the site, its search and the record back as they were."""
        from workflow.edges.site.search import BUNDLES, SEARCH_DIR

        site_state.verify(self.output, manifest)
        fresh = self.work / "next"  # kept between builds, folders only: making folders is slow on ext4
        listed = self.output / SEARCH_DIR / BUNDLES
        search_before = listed.read_bytes() if listed.is_file() else None
        undo = site_state.Undo(self.work / "undo")
        site = os.stat(self.output).st_ino  # a full build this falls back on swaps in another folder
        report = SiteBuild(first)
        failed_search: KhaosanError | None = None
        site_state.hold(self.work)  # from here on, the live site changes
        try:
            output, first_reads = dict(manifest.output), {}
            if first.render:
                first_reads = self._first_pages(first, fresh, output, undo)
                self._live(report, "pages")
                if search:
                    failed_search = self._follow(report)
            last = site_state.load_reads(self.work, manifest)
            if last is None:
                return self.full(Plan(True, "ไม่มีบันทึกการสร้างครั้งก่อน"), search)
            last.update(first_reads)  # read once: the items of the first pages
            cached = frozenset(
                c.item_id
                for c, _ in self.published
                if (read := last.get(c.path)) is not None and read[0] == self.items[c.item_id]["key"]
            )
            refs = {c.item_id: c.refs for c, _ in self.published}
            plan = site_plan.plan(manifest, self.shared, self.keys, self.files, refs, cached)
            if plan.full:
                return self.full(plan, search)
            report.plan = plan
            report.warnings = self._listings(
                plan, Manifest(manifest.shared, manifest.pages, manifest.files, output), last, fresh
            )
            self._live(report, "site")
        except BaseException:
            self._put_back(site, undo, listed, search_before)
            raise
        finally:
            undo.done()
        if search and not first.render:
            failed_search = self._follow(report)
        if failed_search is not None:
            raise failed_search
        return report

    def _put_back(self, site: int, undo: site_state.Undo, listed: Path, search_before: bytes | None) -> None:
        """After a failure: the site the first step changed, its search list and the record as they
        were. Nothing when the full build this fell back on is in place (the live folder is another
        one, `site` the inode of the first): the first pages are not in it to undo."""
        from workflow.edges.site.search import put_back

        with contextlib.suppress(OSError):
            if os.stat(self.output).st_ino != site:
                return
        undo.undo(self.output)
        if search_before is not None and listed.is_file() and listed.read_bytes() != search_before:
            put_back(listed.parent, search_before)
        site_state.put_back(self.work)

    def _first_pages(self, first: Plan, fresh: Path, output: dict[str, tuple[int, int]], undo: site_state.Undo) -> Any:
        """The changed item pages and their new files, rendered from those items alone (a page shows
        only its item and the items it is about or cited by, `site_plan.related`), placed in the live
        site before anything links to them; the reader's output of those items."""
        shows = site_plan.related(c for c, _ in self.published)
        wanted = set(first.render).union(*(shows.get(i, set()) for i in first.render))
        stage = self.work / f"content-{uuid.uuid4().hex[:8]}"
        reads: dict[str, Any] = {"last": {}, "next": {}}
        site_state.empty_files(fresh)
        try:
            stage_content(self.root, stage, (c for c, _ in self.published if c.item_id in wanted), first.stage_files)
            settings = {"KHAOSAN_ITEM_PAGES_ONLY": True, "THEME_STATIC_PATHS": []}
            self._pelican(stage, fresh, reads, first, False, settings)
            pages = {f"{item_id}/index.html" for item_id in first.render}
            placed = [rel for rel in site_state.written_files(fresh) if rel in pages or rel in first.stage_files]
            site_state.place(fresh, self.output, output, placed, pages, undo)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            site_state.empty_files(fresh)
        return reads["next"]

    def _listings(self, plan: Plan, manifest: Manifest, last: dict[str, Any], fresh: Path) -> list[str]:
        """Every listing, feed, sitemap and the open data (and the item pages in `plan`, already live
        from the first step: the same bytes, not renamed again), then the record."""
        stage = self.work / f"content-{uuid.uuid4().hex[:8]}"
        reads: dict[str, Any] = {"last": last, "next": {}}
        site_state.empty_files(fresh)
        try:
            stage_content(
                self.root, stage, (c for c, _ in self.published), plan.stage_files, office_files=self.office_files
            )
            warnings = self._pelican(stage, fresh, reads, plan, False)
            keep = {f"{i}/index.html" for i in plan.keep_pages} | set(plan.keep_files)
            pages = {f"{item_id}/index.html" for item_id in plan.render}
            output = site_state.commit(fresh, self.output, manifest, keep, pages)
            self._save(reads["next"], output)
            return warnings
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            site_state.empty_files(fresh)

    def _follow(self, report: SiteBuild) -> KhaosanError | None:
        """The live search made to hold the live item pages (`search.follow`); a failure is returned,
        raised once the site is whole (KS906: the site is new, the search still the previous one)."""
        from workflow.edges.site.search import follow

        try:
            follow(
                self.output, {f"/{item_id}/": self.output / item_id / "index.html" for item_id in self.keys}, self.root
            )
        except KhaosanError as exc:
            return KhaosanError("KS906", exc.message, exit_code=EXIT_CONTENT)
        report.search = "followed"
        self._live(report, "search")
        return None


def office_files(root: Path, office: Office) -> dict[str, str | None]:
    """The files office.yml shows on the site (the executives' photos) → their sha256, as an item's
    files: the site plan keeps them when unchanged and copies them again when they change."""
    from workflow.edges.files.repository import Repository

    repo = Repository(root)
    found = {p.photo: repo.file_hash(p.photo) for p in office.people.values() if p.photo}
    return {ref: sha for ref, sha in found.items() if sha is not None}  # a missing one: KS263, not shown


def _public_office(office: Office, photos: Mapping[str, str | None]) -> dict[str, Any]:
    """office.yml as the site may show it: officials' names and positions, no GitHub logins."""
    info = {
        "name": office.name,
        "short_name": office.short_name,
        "site_url": office.site_url,
        "address": office.contact.address,
        "phone": list(office.contact.phone),
        "email": list(office.contact.email),
        "online_services": [{"id": k, "name": n, "url": u} for k, (n, u) in office.online_services.items()],
        "vacant_positions": list(office.vacant_positions),
    }
    groups = [{"id": group_id, "name": name} for group_id, name in office.groups.items()]
    people = [
        {
            "id": p.id,
            "name": p.name,
            "position": p.position,
            "group": p.group,
            "roles": sorted(p.roles),
            "photo": p.photo if p.photo in photos else None,
            "phone": list(p.public_phone),
            "email": list(p.public_email),
        }
        for p in office.people.values()
    ]
    return {"office": info, "groups": groups, "people": people}
