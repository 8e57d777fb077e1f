"""`khaosan build`: check everything, leave out (and name) what is not ready,
then build the site with Pelican into `output/` (swapped in only when complete)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from workflow.commands.common import add_common, now_of, repository, social_receipts
from workflow.core.complaints import headings as complaint_headings
from workflow.core.ita import assess_all, evidence_of
from workflow.core.problems import CODES
from workflow.core.procurement import headings
from workflow.core.publication import REASON_LABELS, Decision, decide_candidate
from workflow.core.publication_history import HistoryFacts, correction_times, publication_times
from workflow.core.social import Receipt, posted_channels
from workflow.core.structure import Office
from workflow.core.thaitime import format_datetime
from workflow.edges.checking.items import check_items
from workflow.edges.git.history import main_history
from workflow.edges.kept import own_folder
from workflow.edges.parallel import Forked
from workflow.edges.render.problems import render
from workflow.edges.site.admin import editor_settings
from workflow.edges.site.build import WORK, SiteBuild, build_site
from workflow.errors import EXIT_CONTENT, EXIT_OK, KhaosanError

HELP = "ตรวจทุกไฟล์แล้วสร้างเว็บไซต์ลงใน output/"
CHART_TABLE = "chart-numbers"  # the id of the table that holds the chart's numbers
# What Pelican reads besides the content: its settings and the office's theme (the build names it).
SITE_SETTINGS = ("pelicanconf.py", "theme")
# What a build says as each part goes live (`bench/site_bench.py` times them from these words)
PAGES_LIVE = "หน้ารายการที่เปลี่ยนขึ้นแล้ว:"  # a partial build's new and changed item pages, placed first
FOUND = "ดัชนีค้นหาตามทันแล้ว"  # the search holds the live item pages
SITE_LIVE = "เว็บไซต์ใหม่ขึ้นแล้ว"  # the whole site: listings, feeds, sitemap and open data too


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("build", help=HELP, description=HELP)
    parser.add_argument("--output", type=Path, help="โฟลเดอร์ผลลัพธ์ (ค่าเริ่มต้น: output/ ในคลังข้อมูล)")
    parser.add_argument(
        "--full", action="store_true", help="ตรวจทุกไฟล์และสร้างใหม่ทั้งเว็บไซต์ ไม่ใช้ผลที่เก็บไว้จากครั้งก่อน (ปกติสร้างเฉพาะหน้าที่เปลี่ยน)"
    )
    parser.add_argument("--no-search", dest="search", action="store_false", help="ไม่สร้างดัชนีค้นหา (สำหรับดูตัวอย่างเร็ว ๆ)")
    add_common(parser)
    parser.set_defaults(run=run)


def with_git_dates(decisions: list[Decision], facts: HistoryFacts | None) -> list[Decision]:
    """The date people see is the publication time git records; say where it is not."""
    if facts is None:
        print(
            "ไม่มีประวัติ git ครบถ้วน (ไม่ใช่คลัง git หรือเป็น shallow clone): "
            "วันที่บนหน้าเว็บใช้เวลาลงนามครั้งสุดท้าย (หรือ publish_at) ในไฟล์แทน",
            file=sys.stderr,
        )
        return decisions
    times, corrections = publication_times(facts), correction_times(facts)
    dated = []
    for d in decisions:
        when = times.get(d.item_id)
        if d.public and when is None:
            print(f"ยังไม่อยู่ใน main: {d.path} ใช้เวลาลงนามครั้งสุดท้ายในไฟล์เป็นวันที่ไปก่อน", file=sys.stderr)
        if d.public and when is not None:
            d = replace(d, date=when, corrected=corrections.get(d.item_id))
        dated.append(d)
    return dated


def performance(
    facts: HistoryFacts | None, office: Office, now: datetime, theme: Path, receipts: list[Receipt] | None = None
) -> dict[str, Any]:
    """The public ผลการดำเนินงาน page: this fiscal year's figures (with the social posts' receipts
    counted beside the channels the items ask for), its chart (SVG in the page's own web font) and
    the chart's numbers as a table. KS931 when the web font cannot draw a word of it."""
    if facts is None:
        return {"available": False}
    from workflow.core import chart
    from workflow.core.metrics import compute
    from workflow.core.periods import current_fiscal_year
    from workflow.edges.render.documents import summary_rows
    from workflow.edges.site.glyphs import web_font

    figures = compute(facts, office, current_fiscal_year(now), now, receipts or ())
    months = chart.series(figures)
    family, coverage = web_font(theme)
    missing = chart.missing_glyphs(chart.chart_texts(months), coverage)
    if missing:
        code = CODES["KS931"]
        raise KhaosanError(
            "KS931",
            f"{code.message}: {' '.join(missing)} (ฟอนต์ {family or 'ไม่มี @font-face ใน theme/static/css/site.css'})",
            code.hint,
            exit_code=EXIT_CONTENT,
        )
    headings, rows = chart.table(months)
    label = figures["period"]["label"]
    return {
        "available": True,
        "label": label,
        "rows": summary_rows(figures),
        "chart_svg": chart.chart_svg(months, f"ข่าวรายเดือนตามประเภท และร้อยละที่ทันเวลา {label}", CHART_TABLE),
        "table_id": CHART_TABLE,
        "month_headings": headings,
        "months": rows,  # the chart's numbers, every one, as a table anyone can read
    }


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    repo = repository(args)
    now = now_of(args)
    output = (args.output or repo.root / "output").resolve()
    refuse_output(repo.root.resolve(), output)
    work = work_folder(repo.root)
    kept = None if getattr(args, "full", False) else work  # --full: nothing kept is read, the record is written
    keep = kept is not None
    # PDPA, attachments, links: as the gate; clean verdicts of unchanged items come from its cache
    gate = check_items(repo, repo.item_paths(), now=now, safety=True, candidates=True, cache_dir=kept)
    errors = gate.errors
    if errors or gate.office is None:
        print(render(errors or gate.problems, "text", {}))
        print(f"ไม่ได้สร้างเว็บไซต์: มีข้อผิดพลาด {len(errors)} รายการ เว็บไซต์เดิมยังอยู่ครบ", file=sys.stderr)
        return EXIT_CONTENT
    require_site_settings(repo.root)  # KS907, before anything is built
    office = gate.office
    editor = editor_settings(repo.root, repo.schemas.bundled, office)  # /admin/; KS840 before anything is built
    facts = main_history(repo.root, office, now=now, cache_dir=kept)
    candidates = gate.candidates
    decisions = with_git_dates([decide_candidate(c, now) for c in candidates], facts)
    # The page's figures are computed on the other core while Pelican renders.
    receipts = social_receipts(repo.root)
    figures = Forked(lambda: performance(facts, office, now, repo.root / "theme", receipts))
    held = held_back(decisions)
    published = [(c, d) for c, d in zip(candidates, decisions, strict=True) if d.public]
    search = getattr(args, "search", True)  # `serve` passes its own arguments

    def live(site: SiteBuild) -> None:
        after = time.perf_counter() - started
        if site.stage == "pages":
            print(
                f"{PAGES_LIVE} {len(site.plan.render)} หน้า ใน {after:.1f} วินาที (หน้ารวม ฟีด และข้อมูลเปิดตามมา)", flush=True
            )
        elif site.stage == "search":
            print(f"{FOUND} ใน {after:.1f} วินาที", flush=True)
        else:
            how = "ทั้งเว็บไซต์" if site.plan.full else "เฉพาะส่วนที่เปลี่ยน"
            print(f"{SITE_LIVE} ({how}: {site.plan.why}) ใน {after:.1f} วินาที", flush=True)
            if not site.plan.full and search and site.search != "followed":
                print("กำลังปรับดัชนีค้นหาตามหลัง (ระหว่างนี้การค้นหาใช้ดัชนีรอบก่อน)…", flush=True)

    try:
        with quiet_pelican():
            site = build_site(
                repo.root,
                output,
                office,
                published,
                search=search,
                extra_settings={
                    "KHAOSAN_PERFORMANCE": figures.result,
                    "KHAOSAN_ITA": assess_all(repo.schemas.ita, evidence_of(c for c, _ in published), office, now),
                    "KHAOSAN_PROCUREMENT_HEADINGS": headings(repo.schemas.bundled["disclosure"]),
                    "KHAOSAN_COMPLAINT_HEADINGS": complaint_headings(repo.schemas.bundled["disclosure"]),
                    "KHAOSAN_SOCIAL": social_posts(receipts, office),
                    "KHAOSAN_EDITOR": editor,
                },
                incremental=keep,
                work=work,
                on_live=live,
            )
    finally:
        figures.reap()  # a failed build leaves no child behind (`serve` builds again and again)
    for warning in site.warnings:
        print(f"คำเตือนจาก Pelican: {warning}", file=sys.stderr)
    links = [(url, c.path) for c, _ in published for url in c.links]
    if links:  # not fetched (the network may be down): listed so a person can look
        print(f"ลิงก์ไปเว็บไซต์ภายนอก {len(links)} ลิงก์ (ไม่ได้ตรวจว่าเปิดได้):")
        for url, path in links:
            print(f"  {url} — {path}")
    public = len(decisions) - len(held)
    print(
        f"สร้างเว็บไซต์แล้ว: {public} รายการ ที่ {output} "
        f"(ไม่เผยแพร่ {len(held)} รายการ, {time.perf_counter() - started:.1f} วินาที)"
    )
    return EXIT_OK


def social_posts(receipts: list[Receipt], office: Office) -> dict[str, list[dict[str, str]]]:
    """Item id -> where and when it was posted, as the item page's record says it (receipts only)."""
    pages: dict[str, list[dict[str, str]]] = {}
    for item_id, channels in posted_channels(receipts).items():
        for channel, receipt in sorted(channels.items()):
            pages.setdefault(item_id, []).append(
                {
                    "channel": office.channels.get(channel, channel),
                    "at": format_datetime(receipt.at, digits=office.date_digits),
                    "at_iso": receipt.at.isoformat(timespec="seconds"),
                }
            )
    return pages


def require_site_settings(root: Path) -> None:
    """Pelican's settings and the theme are there, or KS907 says which is missing (never a traceback)."""
    missing = [name for name in SITE_SETTINGS if not (root / name).exists()]
    if missing:
        raise KhaosanError(
            "KS907",
            f"ไม่พบ {' และ '.join(missing)} ใน {root}: สร้างเว็บไซต์ไม่ได้โดยไม่มีการตั้งค่าของ Pelican และแม่แบบเว็บไซต์",
            "คัดลอก pelicanconf.py และโฟลเดอร์ theme/ จากต้นแบบของ Khaosan ไว้ข้าง office.yml",
        )


@contextmanager
def quiet_pelican() -> Iterator[None]:
    """Pelican ends with its own English line ("Done: Processed N articles…"); ours says it in Thai."""
    from pelican.log import console

    before = console.quiet
    console.quiet = True
    try:
        yield
    finally:
        console.quiet = before


def work_folder(root: Path) -> Path | None:
    """Khaosan's own `.khaosan-build/`, or None (KS930: a link, not a folder, or tracked by git):
    then nothing kept is read and the build works in a private folder of its own."""
    folder, why = own_folder(root, WORK)
    if folder is None:
        code = CODES["KS930"]
        print(f"KS930 {why}: {code.message} — {code.hint}", file=sys.stderr)
    return folder


def held_back(decisions: list[Decision]) -> list[Decision]:
    """The items not published, each named with why; the urgent ones published unsigned, named too."""
    held = [d for d in decisions if not d.public]
    for d in held:
        print(f"ไม่เผยแพร่ {d.path}: {REASON_LABELS[d.reason]}", file=sys.stderr)
    for d in decisions:
        if d.reason == "urgent":
            print(f"เผยแพร่ด่วน {d.path}: ยังรอลงนาม", file=sys.stderr)
    return held


def refuse_output(root: Path, output: Path) -> None:
    """The build replaces `output` whole: never the repository, its content, or a folder that is not a site."""
    content = root / "content"
    if root.is_relative_to(output) or output.is_relative_to(content):
        raise KhaosanError("KS903", f"--output {output} จะทับคลังข้อมูลหรือเนื้อหา", "ใช้โฟลเดอร์ output/ หรือโฟลเดอร์ว่าง")
    if output.is_dir() and not (output / "index.html").is_file() and any(output.iterdir()):
        raise KhaosanError(
            "KS903", f"--output {output} มีไฟล์อื่นอยู่และไม่ใช่เว็บไซต์ที่สร้างไว้ก่อน จะไม่แทนที่", "ใช้โฟลเดอร์ว่าง หรือโฟลเดอร์เว็บไซต์เดิม"
        )
    if output.exists() and not output.is_dir():
        raise KhaosanError("KS903", f"--output {output} เป็นไฟล์ ไม่ใช่โฟลเดอร์", "ใช้โฟลเดอร์ว่าง")
