"""`khaosan serve`: build, serve output/ on this machine, rebuild when a file changes.

A preview for the people who write: the same gate and build as `khaosan
build` (a failed rebuild says why and leaves the last good site served), on
127.0.0.1 only. Changes are found by polling modification times of content/,
theme/, office.yml and pelicanconf.py (no extra package, works on any disk);
the preview is also rebuilt when an item's `publish_at` comes due.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import queue
import re
import sys
import threading
from datetime import datetime
from pathlib import Path

from workflow.commands.common import add_common, repository
from workflow.core.thaitime import BANGKOK, parse_time
from workflow.errors import EXIT_OK, KhaosanError

HELP = "สร้างเว็บไซต์แล้วเปิดดูในเครื่อง สร้างใหม่อัตโนมัติเมื่อไฟล์เปลี่ยน"
WATCHED = ("content", "theme", "office.yml", "pelicanconf.py")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help=HELP, description=HELP)
    parser.add_argument("--output", type=Path, help="โฟลเดอร์ผลลัพธ์ (ค่าเริ่มต้น: output/ ในคลังข้อมูล)")
    parser.add_argument("--port", type=int, default=8000, help="พอร์ตบนเครื่องนี้ (ค่าเริ่มต้น 8000)")
    parser.add_argument("--interval", type=float, default=1.0, help="ตรวจการเปลี่ยนแปลงทุก ๆ กี่วินาที")
    add_common(parser)
    parser.set_defaults(run=run)


def snapshot(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every watched file with its size and modification time: any edit, addition or removal changes it."""
    found = []
    for name in WATCHED:
        top = root / name
        for path in [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []:
            if path.is_file():
                stat = path.stat()
                found.append((path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


_PUBLISH_AT = re.compile(r"^publish_at:\s*[\"']?([^\"'\s#]+)", re.M)


def scheduled_times(root: Path, after: datetime) -> list[datetime]:
    """Every `publish_at` later than `after` (the build that just ran left those items out)."""
    times = []
    for path in (root / "content").rglob("*.md"):
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:8000]
        except OSError:
            continue
        for match in _PUBLISH_AT.finditer(head):
            try:
                moment = parse_time(match.group(1))
            except ValueError:
                continue
            if moment > after:
                times.append(moment)
    return sorted(times)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the build's messages matter more
        pass


def rebuild(args: argparse.Namespace) -> bool:
    from workflow.commands.build import run as build

    try:
        return build(args) == EXIT_OK
    except KhaosanError as exc:
        print(exc, file=sys.stderr)
        return False


def serve(
    args: argparse.Namespace,
    stop: threading.Event,
    ready: threading.Event | None = None,
    rebuilt: queue.Queue[bool] | None = None,
) -> None:
    """Serve until `stop`; `ready` is set once the first build is served, and each later rebuild's
    success is put on `rebuilt` (a caller waits on these events, never on the clock)."""
    from workflow.commands.build import require_site_settings

    repo = repository(args)
    require_site_settings(repo.root)  # KS907 at once, not a failed build behind a running server
    args.output = (args.output or repo.root / "output").resolve()
    seen = snapshot(repo.root)  # before building: an edit made during the build triggers the next one
    built_at = datetime.now(BANGKOK)
    rebuild(args)
    due = scheduled_times(repo.root, built_at)
    args.output.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Handler, directory=str(args.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    args.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"เปิดดูเว็บไซต์ที่ http://127.0.0.1:{args.port}/ (กด Ctrl+C เพื่อหยุด)")
    if ready is not None:
        ready.set()
    try:
        while not stop.wait(args.interval):
            now = snapshot(repo.root)
            changed = now != seen
            if changed or (due and due[0] <= datetime.now(BANGKOK)):
                seen = now
                print("มีไฟล์เปลี่ยน กำลังสร้างเว็บไซต์ใหม่…" if changed else "ถึงเวลาเผยแพร่ที่ตั้งไว้ กำลังสร้างเว็บไซต์ใหม่…")
                built_at = datetime.now(BANGKOK)
                ok = rebuild(args)
                due = scheduled_times(repo.root, built_at)
                if rebuilt is not None:
                    rebuilt.put(ok)
    finally:
        server.shutdown()
        server.server_close()


def run(args: argparse.Namespace) -> int:
    stop = threading.Event()
    try:
        serve(args, stop)
    except KeyboardInterrupt:
        stop.set()
        print("หยุดแล้ว")
    except OSError as exc:
        raise KhaosanError("KS903", f"เปิดพอร์ต {args.port} ไม่ได้: {exc.strerror}", "ใช้ --port อื่น") from None
    return EXIT_OK
