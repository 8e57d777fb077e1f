"""`khaosan serve`: the preview is served on loopback and rebuilt when an item changes."""

from __future__ import annotations

import queue
import shutil
import threading
import urllib.request
from pathlib import Path

from workflow.cli import parser
from workflow.commands.serve import scheduled_times, serve, snapshot
from workflow.edges.site.thaiwords import plain

PROJECT = Path(__file__).resolve().parents[2]
ITEM = "content/disclosures/procurement/tor-computer-2569.md"
BOUND = 300  # seconds: a guard against a hang, never a schedule


def _page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=BOUND) as answer:
        return answer.read().decode()


def test_serve_rebuilds_on_change(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("office.yml", "pelicanconf.py"):
        shutil.copy(PROJECT / name, root / name)
    for name in ("schemas", "theme", "content"):
        shutil.copytree(PROJECT / name, root / name)
    args = parser("serve").parse_args(["serve", "--root", str(root), "--port", "0", "--interval", "0.2"])
    stop, ready, rebuilt = threading.Event(), threading.Event(), queue.Queue()
    thread = threading.Thread(target=serve, args=(args, stop, ready, rebuilt), daemon=True)
    thread.start()
    try:
        assert ready.wait(BOUND)
        url = f"http://127.0.0.1:{args.port}/disclosures/procurement/tor-computer-2569/"
        assert "ผู้ประกอบการสามารถเสนอคำวิจารณ์" in plain(_page(url))  # Thai words are marked in the page

        before = snapshot(root)
        # withdrawing is a process record (no new sign-off needed): the page must change to say so
        path = root / ITEM
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "approvals:\n",
                "withdrawn:\n  at: 2026-02-10T09:00:00+07:00\n  by: thanakorn.r\n"
                "  reason: ยกเลิกการจัดซื้อครั้งนี้\napprovals:\n",
                1,
            ),
            encoding="utf-8",
        )
        assert snapshot(root) != before
        # each rebuild the watcher makes is an event; a poll may catch the file mid-write, so the
        # first rebuild may fail and another follows. The bound guards against a hang only.
        for _ in range(5):
            if rebuilt.get(timeout=BOUND) and "ยกเลิกการจัดซื้อครั้งนี้" in _page(url):
                break
        html = _page(url)
        assert "ถอนการเผยแพร่แล้ว" in html and "ยกเลิกการจัดซื้อครั้งนี้" in html
    finally:
        stop.set()
        thread.join(BOUND)


def test_scheduled_times_lists_only_what_is_still_to_come(tmp_path):
    from datetime import datetime

    from workflow.core.thaitime import BANGKOK

    news = tmp_path / "content" / "news" / "2569"
    news.mkdir(parents=True)
    (news / "a.md").write_text("---\ntitle: ก\npublish_at: 2026-11-30T10:00:00+07:00\n---\n", encoding="utf-8")
    (news / "b.md").write_text("---\ntitle: ข\npublish_at: '2026-11-01T10:00:00'\n---\n", encoding="utf-8")
    (news / "c.md").write_text("---\ntitle: ค\npublish_at: ไม่ใช่เวลา\n---\n", encoding="utf-8")
    after = datetime(2026, 11, 25, 12, 0, tzinfo=BANGKOK)
    assert scheduled_times(tmp_path, after) == [datetime(2026, 11, 30, 10, 0, tzinfo=BANGKOK)]
