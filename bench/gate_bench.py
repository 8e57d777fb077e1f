"""Publish gate benchmark: the gate (`check_items` as `build` calls it) cold, warm, warm after one edit;
every item's whole result with `safety=True` in one process and `check --publish` on the same corpus as
yardsticks. Best of N per figure.

    .venv/bin/python bench/gate_bench.py [--corpus /tmp/khaosan-site-bench/corpus-5000] [--repeat 3]

The corpus (bench/corpus.py) is only read: the verdict cache lives in a temporary
folder, and the one-edit case works on a copy. Each measurement runs in a fresh
Python process and times only the call (imports excluded), as `khaosan build` would.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
NOW = "2026-11-25T12:00:00+07:00"

MEASURE = r"""
import json, sys, time
from datetime import datetime
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from workflow.edges.files.repository import Repository
from workflow.edges.checking.items import check_items
what, root, now = sys.argv[2], Path(sys.argv[3]), datetime.fromisoformat(sys.argv[4])
cache = Path(sys.argv[5]) if len(sys.argv) > 5 else None
repo = Repository(root)
t0 = time.perf_counter()
if what == "scan":
    result = check_items(repo, repo.item_paths(), now=now, safety=True, keep_items=True)
    found = {"items": len(result.results), "problems": len(result.problems)}
elif what == "check":
    result = check_items(repo, repo.item_paths(), now=now, publish=True)
    found = {"items": len(repo.item_paths()), "problems": len(result.problems)}
else:
    gate = check_items(repo, repo.item_paths(), now=now, safety=True, candidates=True, cache_dir=cache)
    found = {"items": len(gate.candidates), "problems": len(gate.problems), "cached": gate.cached}
print(json.dumps({"seconds": time.perf_counter() - t0, **found}))
"""


def measure(what: str, root: Path, cache: Path | None = None) -> dict:
    argv = [sys.executable, "-c", MEASURE, str(PROJECT), what, str(root), NOW, *([str(cache)] if cache else [])]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["seconds"])


def copy_corpus(source: Path, target: Path) -> None:
    target.mkdir(parents=True)
    shutil.copy2(source / "office.yml", target / "office.yml")
    for name in ("content", "schemas"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/khaosan-site-bench/corpus-5000"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    corpus = args.corpus.resolve()
    if not (corpus / "office.yml").is_file():
        ap.error(f"{corpus} is not a corpus: build one with bench/corpus.py --n 5000 --out {corpus}")
    labels = {
        "scan": "check_items(..., safety=True, keep_items=True), one process",
        "check": "check --publish (forked, verdicts only)",
        "cold": "gate cold (no cache)",
        "warm": "gate warm (nothing changed)",
        "edit": "gate warm, one item edited",
    }
    runs: dict[str, list[dict]] = {case: [] for case in labels}
    with tempfile.TemporaryDirectory(prefix="khaosan-gate-bench-") as tmp:
        work = Path(tmp)
        warm = work / "warm-cache"
        copy = work / "copy"
        copy_corpus(corpus, copy)
        edited = sorted((copy / "content" / "news").rglob("*.md"))[0]
        labels["edit"] += f" ({edited.relative_to(copy)})"
        original = edited.read_bytes()
        cache = work / "edit-cache"
        for n in range(args.repeat):  # round after round: a busy moment on the machine spreads over every case
            runs["scan"].append(measure("scan", corpus))
            runs["check"].append(measure("check", corpus))
            runs["cold"].append(measure("gate", corpus, work / f"cold-{n}"))  # an empty cache folder
            measure("gate", corpus, warm)  # brings the cache up to date (the code may have changed meanwhile)
            runs["warm"].append(measure("gate", corpus, warm))
            measure("gate", copy, cache)  # the cache as the last build left it
            edited.write_bytes(original + "\nแก้ไขย่อหน้าสุดท้าย\n".encode())
            runs["edit"].append(measure("gate", copy, cache))
            edited.write_bytes(original)
    rows = [(labels[case], best(found), found) for case, found in runs.items()]

    print(f"corpus: {corpus}, now {NOW}, best of {args.repeat}\n")
    print("| case | best s | every run, s | items | problems | from cache |")
    print("|---|---:|---|---:|---:|---:|")
    for label, r, found in rows:
        every = " ".join(f"{f['seconds']:.2f}" for f in found)
        print(f"| {label} | {r['seconds']:.2f} | {every} | {r['items']} | {r['problems']} | {r.get('cached', '')} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
