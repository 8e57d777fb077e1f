"""Benchmark `khaosan metrics` against the naive per-file GitPython walk.

    .venv/bin/python bench/metrics_bench.py [--items 5000] [--commits 20000] [--naive-files 60] [--repeat 3]

Builds (once, cached under bench/corpus-metrics-<items>-<commits>/) a git
repository of generated items (bench/corpus.py: realistic Thai items with valid
sign-offs) whose history looks like an office's: each item is added unsigned on
a branch, signed there, and merged into main with `--no-ff` (so first-parent
semantics matter: the signed branch commit is not publication, the merge is);
afterwards main gets channel edits, renames, deletions and commits outside
content/ until the history has the asked number of commits. The history is
written with one `git fast-import` stream, committer times set per commit.

Then, in one run on one machine:
- `khaosan metrics --fiscal-year 2569 --format json` as a subprocess, start-up
  included, best and median of `--repeat` (target ≤ 2 s);
- the naive approach on a subset of files: GitPython `iter_commits(paths=file,
  first_parent=True)` for each file, reading the file's text at each of those
  commits, extrapolated to every item (target: ≥ 100× slower than ours).
A script, not a test: it prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

import corpus  # noqa: E402  (bench/ is not a package)

NOW = "2026-11-25T12:00:00+07:00"
_DIGEST = re.compile(r"digest: sha256:[0-9a-f]{64}")
_TIME_KEYS = ("produced_at", "requested_at")


def _written(text: str) -> datetime:
    for key in _TIME_KEYS:
        found = re.search(rf"^{key}: ['\"]?([0-9T:+\-]+)", text, re.MULTILINE)
        if found:
            return datetime.fromisoformat(found.group(1))
    found = re.search(r"^published_on: ['\"]?([0-9\-]+)", text, re.MULTILINE)
    if found:
        return datetime.fromisoformat(found.group(1) + "T09:00:00+07:00")
    return datetime.fromisoformat("2026-01-01T09:00:00+07:00")


def _last_signoff(text: str, fallback: datetime) -> datetime:
    times = [datetime.fromisoformat(t) for t in re.findall(r"^    at: ['\"]?([0-9T:+\-]+)", text, re.MULTILINE)]
    return max(times, default=fallback)


class Stream:
    """A `git fast-import` stream, built in memory."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.mark = 0

    def blob(self, data: bytes) -> int:
        self.mark += 1
        self.parts.append(b"blob\nmark :%d\ndata %d\n" % (self.mark, len(data)) + data + b"\n")
        return self.mark

    def commit(
        self, ref: str, when: datetime, message: str, parent: int | None, ops: list[str], merge: int | None = None
    ) -> int:
        self.mark += 1
        msg = message.encode("utf-8")
        head = [
            f"commit {ref}",
            f"mark :{self.mark}",
            f"committer Bench <bench@example.invalid> {int(when.timestamp())} +0700",
        ]
        text = "\n".join(head).encode() + b"\ndata %d\n" % len(msg) + msg + b"\n"
        if parent is not None:
            text += f"from :{parent}\n".encode()
        if merge is not None:
            text += f"merge :{merge}\n".encode()
        text += "".join(op + "\n" for op in ops).encode("utf-8") + b"\n"
        self.parts.append(text)
        return self.mark


def build(root: Path, items: int, commits: int, seed: int) -> dict[str, int]:
    files_root = root.parent / (root.name + "-files")
    corpus.generate(files_root, items, seed)
    rng = random.Random(seed)
    stream = Stream()
    shared_ops = []
    for folder in ("content/files", "content/images"):
        for path in sorted((files_root / folder).rglob("*")):
            if path.is_file():
                mark = stream.blob(path.read_bytes())
                shared_ops.append(f"M 100644 :{mark} {path.relative_to(files_root).as_posix()}")
    office = stream.blob((PROJECT / "office.yml").read_bytes())
    item_paths = sorted(
        p
        for p in (files_root / "content").rglob("*.md")
        if p.relative_to(files_root / "content").parts[0] not in ("files", "images")
    )
    plans = []
    for path in item_paths:
        text = path.read_text(encoding="utf-8")
        written = _written(text)
        signed_at = _last_signoff(text, written)
        merged = signed_at + timedelta(minutes=rng.randint(1, 300))
        plans.append((merged, written, signed_at, path.relative_to(files_root).as_posix(), text))
    plans.sort()
    start = min(p[1] for p in plans) - timedelta(days=1)
    main = stream.commit("refs/heads/main", start, "office", None, [f"M 100644 :{office} office.yml", *shared_ops])
    count = 1
    for merged, written, signed_at, rel, text in plans:
        unsigned = _DIGEST.sub("digest: sha256:" + "0" * 64, text)
        branch = stream.commit(
            "refs/heads/topic",
            written + timedelta(minutes=5),
            f"add {rel}",
            main,
            [f"M 100644 :{stream.blob(unsigned.encode('utf-8'))} {rel}"],
        )
        signed_blob = stream.blob(text.encode("utf-8"))
        branch = stream.commit(
            "refs/heads/topic",
            signed_at + timedelta(minutes=1),
            f"sign {rel}",
            branch,
            [f"M 100644 :{signed_blob} {rel}"],
        )
        main = stream.commit(
            "refs/heads/main", merged, f"Merge {rel}", main, [f"M 100644 :{signed_blob} {rel}"], merge=branch
        )
        count += 3
    live = [p[3] for p in plans]
    last = plans[-1][0]
    extra = commits - count
    renames = deletions = edits = others = 0
    for index in range(max(0, extra)):
        last += timedelta(minutes=rng.randint(1, 30))
        roll = rng.random()
        if roll < 0.03 and live:
            old = live.pop(rng.randrange(len(live)))
            new = old[:-3] + "-renamed.md"
            main = stream.commit("refs/heads/main", last, f"rename {old}", main, [f'R "{old}" "{new}"'])
            live.append(new)
            renames += 1
        elif roll < 0.05 and live:
            old = live.pop(rng.randrange(len(live)))
            main = stream.commit("refs/heads/main", last, f"withdraw {old}", main, [f'D "{old}"'])
            deletions += 1
        elif roll < 0.75:
            main = stream.commit(
                "refs/heads/main",
                last,
                "notes",
                main,
                [f"M 100644 :{stream.blob(f'note {index}'.encode())} notes/log-{index % 50}.txt"],
            )
            others += 1
        else:
            main = stream.commit(
                "refs/heads/main",
                last,
                "notes",
                main,
                [f"M 100644 :{stream.blob(f'meeting notes {index}'.encode())} notes/m.txt"],
            )
            edits += 1
        count += 1
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(stream.parts), check=True)
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True)
    subprocess.run(["git", "-C", str(root), "branch", "-q", "-D", "topic"], check=True)
    subprocess.run(["git", "-C", str(root), "gc", "-q"], check=True)
    info = {
        "items": len(plans),
        "commits": count,
        "merges": len(plans),
        "renames": renames,
        "deletions": deletions,
        "other_commits": others + edits,
    }
    (root / ".bench-history.json").write_text(json.dumps(info) + "\n", encoding="utf-8")
    return info


def ensure(items: int, commits: int, seed: int) -> tuple[Path, dict[str, Any], float | None]:
    root = PROJECT / "bench" / f"corpus-metrics-{items}-{commits}"
    marker = root / ".bench-history.json"
    office = corpus.fingerprint()
    if marker.is_file():
        info = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("office") == office:  # made under other rules, a corpus may publish nothing
            return root, info, None
    import shutil

    for old in (root, root.parent / (root.name + "-files")):
        if old.exists():
            shutil.rmtree(old)
    began = time.perf_counter()
    info = {**build(root, items, commits, seed), "office": office}
    marker.write_text(json.dumps(info), encoding="utf-8")
    return root, info, time.perf_counter() - began


def ours(root: Path, repeat: int, *, kept: bool) -> tuple[list[float], dict[str, object]]:
    """`khaosan metrics` timed; `kept`: with the history the run before kept in `.khaosan-build/`
    (as after any build), else cold (every item version read and judged, the gate included)."""
    cmd = [
        sys.executable,
        "-m",
        "workflow",
        "metrics",
        "--fiscal-year",
        "2569",
        "--format",
        "json",
        "--root",
        str(root),
        "--now",
        NOW,
    ]
    import os
    import resource

    times, cpu = [], []
    out = ""
    import shutil

    for _ in range(repeat + 1):  # the first run warms the page cache (and the kept history) and is not counted
        if not kept:
            shutil.rmtree(root / ".khaosan-build", ignore_errors=True)
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        done = subprocess.run(cmd, cwd=PROJECT, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - began)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime)
        out = done.stdout
    data = json.loads(out)
    if not data["news"]["produced"] or data["news"]["on_time_rate"] is None:
        raise SystemExit(f"the corpus publishes nothing: its figures would measure nothing ({root})")
    print(
        f"CPU time (user+sys, all processes) per run ({'kept' if kept else 'cold'}): best {min(cpu[1:]):.2f} s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        file=sys.stderr,
    )
    return times[1:], {
        "news": data["news"]["produced"],
        "on_time_rate": data["news"]["on_time_rate"],
        "disclosures": data["disclosures"]["requests"],
        "trust_flags": len(data["trust"]),
    }


def naive(root: Path, sample: int, seed: int) -> tuple[float, int, int]:
    """GitPython, one first-parent walk per file, reading the file at each commit that touched it."""
    import git

    repo = git.Repo(root)
    paths = sorted(
        p.relative_to(root).as_posix()
        for p in (root / "content").rglob("*.md")
        if p.relative_to(root / "content").parts[0] not in ("files", "images")
    )
    chosen = random.Random(seed).sample(paths, min(sample, len(paths)))
    began = time.perf_counter()
    seen = 0
    for path in chosen:
        for commit in repo.iter_commits("main", paths=path, first_parent=True):
            with contextlib.suppress(KeyError):  # the walk may list the commit that deleted it
                (commit.tree / path).data_stream.read()
            seen += 1
    elapsed = time.perf_counter() - began
    repo.close()
    return elapsed, len(chosen), len(paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=20000)
    parser.add_argument("--naive-files", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2569)
    args = parser.parse_args(argv)
    root, info, built = ensure(args.items, args.commits, args.seed)
    if built is not None:
        print(f"built {root.name} in {built:.1f} s: {info}", file=sys.stderr)
    cold, figures = ours(root, args.repeat, kept=False)
    times, again = ours(root, args.repeat, kept=True)
    assert again == figures, (again, figures)  # the kept history gives the same figures
    best, med = min(times), statistics.median(times)
    elapsed, sampled, total = naive(root, args.naive_files, args.seed)
    per_file = elapsed / sampled
    extrapolated = per_file * total
    print(
        f"History: {info['items']:,} items, {info['commits']:,} commits on main's line and branches "
        f"({info['merges']:,} --no-ff merges, {info['renames']} renames, {info['deletions']} deletions)"
    )
    print(f"Figures: {figures}")
    print()
    print("| case | best | median | target |")
    print("|---|---:|---:|---:|")
    print(
        f"| `khaosan metrics --fiscal-year 2569 --format json` (subprocess, start-up included), cold: "
        f"every version read and judged, the whole publish gate included | {min(cold):.2f} s "
        f"| {statistics.median(cold):.2f} s | |"
    )
    print(
        f"| the same with the history a build or an earlier run kept in `.khaosan-build/` "
        f"| {best:.2f} s | {med:.2f} s | ≤ 2 s |"
    )
    print(
        f"| naive: GitPython `iter_commits(paths=…, first_parent=True)` + blob read, per file "
        f"({sampled} files measured) | {per_file * 1000:.0f} ms | | |"
    )
    print(f"| naive, extrapolated to all {total:,} item files | {extrapolated:.0f} s | | |")
    print(f"| ratio naive / ours (best) | {extrapolated / best:.0f}× | | ≥ 100× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
