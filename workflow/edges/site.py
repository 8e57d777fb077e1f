"""Build the site with Pelican from only what passed the gate, and swap it in whole.

Staging: the public items and the files they reference are linked into a
fresh content folder, Pelican writes a fresh output folder, and only a
complete build replaces `output/`. A failed build leaves the old site as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.digest import referenced_files
from ..core.publication import Decision
from ..core.structure import Office
from ..core.validate import ItemResult
from ..errors import EXIT_CONTENT, KhaosanError

WORK = ".khaosan-build"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def stage_content(root: Path, stage: Path, public: Iterable[ItemResult]) -> None:
    """Only public items and the files they name; nothing else reaches Pelican."""
    content = root / "content"
    stage.mkdir(parents=True, exist_ok=True)
    for result in public:
        assert result.item is not None
        _link(root / result.path, stage / result.path.removeprefix("content/"))
        for ref in referenced_files(result.item.data, result.item.body):
            _link(content / ref, stage / ref)


def run_pelican(root: Path, content: Path, output: Path, extra: dict[str, Any]) -> list[str]:
    """Run Pelican; return its warnings; raise KhaosanError on any error it logs."""
    from pelican import Pelican
    from pelican.settings import read_settings

    collector = _Collect()
    logger = logging.getLogger("pelican")
    previous = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    cwd = Path.cwd()
    try:
        os.chdir(root)  # pelicanconf.py names the theme relative to the repository
        settings = read_settings(str(root / "pelicanconf.py"), override={
            "PATH": str(content), "OUTPUT_PATH": str(output), "DELETE_OUTPUT_DIRECTORY": False,
            "THEME": str(root / "theme"), **extra})
        Pelican(settings).run()
    except Exception as exc:  # Pelican raises many kinds; all mean "no new site"
        raise KhaosanError("KS905", f"Pelican หยุดทำงาน: {exc}", exit_code=EXIT_CONTENT) from None
    finally:
        os.chdir(cwd)
        logger.removeHandler(collector)
        logger.propagate = previous
    errors = [r.getMessage() for r in collector.records if r.levelno >= logging.ERROR]
    if errors:
        raise KhaosanError("KS905", "Pelican รายงานข้อผิดพลาด: " + " | ".join(errors)[:2000],
                           exit_code=EXIT_CONTENT)
    return [r.getMessage() for r in collector.records if r.levelno < logging.ERROR]


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` with `new`: rename the old aside, rename the new in, drop the old."""
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old.exists():
            os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def build_site(root: Path, output: Path, office: Office, results: list[ItemResult],
               decisions: list[Decision]) -> list[str]:
    """Stage, build, swap. Returns Pelican's warnings."""
    work = root / WORK
    work.mkdir(exist_ok=True)
    run_id = uuid.uuid4().hex[:8]
    stage, fresh = work / f"content-{run_id}", work / f"output-{run_id}"
    by_path = {r.path: r for r in results}
    public = [d for d in decisions if d.public]
    try:
        stage_content(root, stage, (by_path[d.path] for d in public))
        items = {d.item_id: {"date": d.date.isoformat() if d.date else None, "urgent": d.reason == "urgent"}
                 for d in public}
        warnings = run_pelican(root, stage, fresh, {
            "KHAOSAN_ITEMS": items, "SITENAME": office.short_name, "KHAOSAN_OFFICE_NAME": office.name,
            "KHAOSAN_DATE_DIGITS": office.date_digits})
        output.parent.mkdir(parents=True, exist_ok=True)
        swap_in(fresh, output)
        return warnings
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(fresh, ignore_errors=True)
