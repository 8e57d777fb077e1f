"""How long `khaosan distribute` takes to decide, run after every deploy (every 15 minutes at most).

Two measurements, in one run:
- the pure rules (`core/social.py`): parse a records file of R receipts and plan N items, each asking for
  Facebook and LINE, half of them posted already (`--items`, `--receipts`);
- the whole command as the workflow runs it, `khaosan distribute --dry-run` (subprocess, start-up
  included: the publish gate, the history, the plan, every text), on N signed news items that each ask
  for Facebook and LINE, committed to a git repository with `social` switched on (`--repository-items`;
  built once and kept under bench/, ignored by git).

    .venv/bin/python bench/distribute_bench.py [--items 5000] [--receipts 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from workflow.core.social import (  # noqa: E402 (after the path)
    Public,
    Receipt,
    SocialSettings,
    idempotency_key,
    parse_receipts,
    plan,
    post_of,
)
from workflow.core.thaitime import BANGKOK  # noqa: E402

NOW = datetime(2026, 12, 10, 10, 0, tzinfo=BANGKOK)


def core(items: int, receipts: int, repeat: int) -> list[float]:
    settings = SocialSettings(enabled=True, since=date(2026, 1, 1), daily_cap={"facebook": 100, "line": 20})
    publics = [
        Public(
            post_of(
                f"news/2569/n{i}",
                {"title": f"ข่าวที่ {i}", "summary": "ผู้บริหารสถานศึกษา **ร่วมประชุม** " * 5},
                "",
                site_url="https://o.example",
                published_at=NOW - timedelta(minutes=i),
            ),
            ("website", "facebook", "line"),
            ready=True,
        )
        for i in range(items)
    ]
    lines = []
    for j in range(receipts):
        item, channel = f"news/2569/n{j % items}", ("facebook", "line")[j % 2]
        event = ("claim", "posted")[j // items % 2] if j < items * 2 else "posted"
        lines.append(Receipt(event, item, channel, NOW - timedelta(days=1), idempotency_key(item, channel), "r").line())
    text = "\n".join(lines) + "\n"
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        parsed, _ = parse_receipts(text)
        plan(publics, parsed, settings, NOW, "bench")
        times.append(time.perf_counter() - began)
    return times


def whole(items: int, repeat: int) -> list[float]:
    """`items` signed news items (the tests' base item, each its own title) in a git repository, one commit."""
    sys.path.insert(0, str(PROJECT / "tests"))
    import shutil

    from support.history import NEWS_SIGNERS, meeting, signed

    root = PROJECT / "bench" / f"corpus-distribute-{items}"
    if not (root / ".git").is_dir():
        shutil.rmtree(root, ignore_errors=True)
        (root / "content" / "news" / "2569").mkdir(parents=True)
        shutil.copy(PROJECT / "office.yml", root / "office.yml")
        shutil.copytree(PROJECT / "schemas", root / "schemas")
        office = (root / "office.yml").read_text(encoding="utf-8")
        office = office.replace("\n  enabled: false\n", "\n  enabled: true\n").replace(
            "since: 2026-12-01", "since: 2026-11-01"
        )
        (root / "office.yml").write_text(office.replace("max_age_hours: 72", "max_age_hours: 720"), encoding="utf-8")
        for i in range(items):
            text = signed(
                "news",
                NEWS_SIGNERS,
                **meeting(title=f"ประชุมผู้บริหารสถานศึกษา ครั้งที่ {i}", channels="[website, facebook, line]"),
            )
            (root / "content" / "news" / "2569" / f"meeting-20261120-{i:05d}.md").write_text(text, encoding="utf-8")
        env = {
            **os.environ,
            "GIT_AUTHOR_DATE": "2026-11-20T15:00:00+07:00",
            "GIT_COMMITTER_DATE": "2026-11-20T15:00:00+07:00",
        }
        for args in (
            ["init", "-q", "-b", "main"],
            ["add", "-A"],
            ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "items"],
        ):
            subprocess.run(["git", *args], cwd=root, check=True, env=env)
    cmd = [
        sys.executable,
        "-m",
        "workflow",
        "distribute",
        "--dry-run",
        "--root",
        str(root),
        "--now",
        "2026-11-20T16:00:00+07:00",
    ]
    times = []
    for _ in range(repeat + 1):  # the first warms the page cache
        began = time.perf_counter()
        done = subprocess.run(cmd, cwd=PROJECT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(done.stdout[-2000:] + done.stderr[-2000:])
        times.append(time.perf_counter() - began)
    print(done.stdout.strip().splitlines()[-1], file=sys.stderr)
    return times[1:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--receipts", type=int, default=20000)
    parser.add_argument("--repository-items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rules = core(args.items, args.receipts, args.repeat)
    command = whole(args.repository_items, max(1, args.repeat // 2))
    print("| case | best | median |")
    print("|---|---:|---:|")
    print(
        f"| rules: parse {args.receipts:,} receipts, plan {args.items:,} items × 2 channels "
        f"| {min(rules):.3f} s | {statistics.median(rules):.3f} s |"
    )
    print(
        f"| `khaosan distribute --dry-run`, {args.repository_items:,} items in git (subprocess) "
        f"| {min(command):.2f} s | {statistics.median(command):.2f} s |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
