"""What marking Thai word boundaries costs a site build (workflow/edges/site/thaiwords.py).

    .venv/bin/python bench/thaiwords_bench.py [--n 1000] [--repeat 3] [--out /tmp/khaosan-thaiwords-bench]

On a corpus from bench/corpus.py (copied once per mode), `khaosan build --no-search` runs as
people run it, in a fresh process: a full build, then one new signed item published by a
partial build (seconds until the site is live, and the whole command). Each is run with the
marks as shipped ("marked") and with the marker replaced by one that returns the text as it
was ("unmarked": what the build cost before), alternating, best and median of `--repeat`.
Also the one-off cost in a process: importing PyThaiNLP and building newmm's dictionary, as
Khaosan builds it (two sets) and as PyThaiNLP's own trie. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))
sys.path.insert(0, str(PROJECT))

from site_bench import corpus  # noqa: E402  (the same corpora as the site benchmark)

from workflow.commands.build import SITE_LIVE as LIVE  # noqa: E402  (the whole site, listings included)

PY = sys.executable
NOW = "2026-11-25T12:00:00+07:00"
UNMARKED = (  # the reader and the theme as before: text escaped, HTML as it is, no dictionary loaded
    "import html, types, markupsafe, workflow.edges.site.pelican_plugin as p; "
    "p.marker = lambda names=frozenset(): types.SimpleNamespace("
    "text=lambda t: html.escape(str(t), quote=False), html=lambda h: h, "
    "markup=lambda v: markupsafe.Markup(v.__html__() if hasattr(v, '__html__') else "
    "html.escape(str(v), quote=False))); "
)


def build(root: Path, marked: bool, *args: str) -> tuple[float, float]:
    """(seconds until live, seconds for the whole command) of one `khaosan build`."""
    code = ("" if marked else UNMARKED) + "import sys; from workflow.cli import main; sys.exit(main(sys.argv[1:]))"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [PY, "-c", code, "build", "--root", str(root), "--now", NOW, "--no-search", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=PROJECT,
    )
    live = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if LIVE in line and live is None:
            live = time.perf_counter() - started
    if proc.wait() != 0:
        raise SystemExit(f"khaosan build failed in {root}")
    return live or 0.0, time.perf_counter() - started


def new_item(root: Path, n: int) -> None:
    """One more signed news item (a copy of the corpus's first, under a new name and title)."""
    first = sorted((root / "content" / "news").rglob("*.md"))[0]
    text = first.read_text(encoding="utf-8")
    target = first.with_name(f"bench-new-{n}.md")
    target.write_text(text.replace("title: ", f"title: ข่าวใหม่ลำดับ {n} ", 1), encoding="utf-8")
    subprocess.run(  # re-sign: the title changed the digest
        [PY, "-c", RESIGN, str(root), str(target.relative_to(root))], check=True, cwd=PROJECT
    )


RESIGN = """
import hashlib, re, sys
from pathlib import Path
from workflow.core.validate import item_digest, parse_item
root, rel = Path(sys.argv[1]), sys.argv[2]
raw = (root / rel).read_bytes()
item, _, _ = parse_item(rel, raw)
def file_hash(ref):
    f = root / "content" / ref
    return hashlib.sha256(f.read_bytes()).hexdigest() if f.is_file() else None
text = re.sub(r"digest: sha256:[0-9a-f]{64}", "digest: " + item_digest(item, file_hash), raw.decode())
(root / rel).write_text(text, encoding="utf-8")
"""

DICTIONARY = """
import time
t0 = time.perf_counter()
import pythainlp.tokenize.newmm
from pythainlp.corpus.common import thai_words
t1 = time.perf_counter()
from workflow.edges.site.thaiwords import Marker
Marker()
t2 = time.perf_counter()
from pythainlp.util import Trie
Trie(thai_words())
t3 = time.perf_counter()
print(f"{t1 - t0:.2f} {t2 - t1:.2f} {t3 - t2:.2f}")
"""


def drop_refused(root: Path) -> int:
    """Items the publish gate refuses (today's corpus signs some news twice by one person, KS310)
    are left out, so that the build runs; returns how many."""
    import json

    dropped = 0
    for _round in range(10):  # a clipping about a dropped item is refused next (KS213)
        done = subprocess.run(
            [PY, "-m", "workflow", "check", "--root", str(root), "--now", NOW, "--publish", "--format", "json"],
            capture_output=True,
            text=True,
            cwd=PROJECT,
        )
        bad = {p["path"] for p in json.loads(done.stdout)["problems"] if p["severity"] == "error"}
        if not bad:
            break
        for rel in bad:
            (root / rel).unlink(missing_ok=True)
        dropped += len(bad)
    return dropped


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("/tmp/khaosan-thaiwords-bench"))
    args = ap.parse_args()
    source = corpus(args.n, args.out)
    dropped = drop_refused(source)
    roots = {}
    for mode in ("marked", "unmarked"):
        roots[mode] = args.out / f"site-{mode}"
        shutil.rmtree(roots[mode], ignore_errors=True)
        shutil.copytree(source, roots[mode])
    times: dict[tuple[str, str], list[float]] = {}
    for attempt in range(args.repeat):
        for mode, root in roots.items():
            live, whole = build(root, mode == "marked", "--full")
            times.setdefault((mode, "full"), []).append(whole)
            new_item(root, attempt)
            live, whole = build(root, mode == "marked")
            times.setdefault((mode, "partial live"), []).append(live)
            times.setdefault((mode, "partial whole"), []).append(whole)
    done = subprocess.run([PY, "-c", DICTIONARY], capture_output=True, text=True, check=True, cwd=PROJECT)
    imports, sets, trie = done.stdout.split()
    print(
        f"\n{args.n - dropped} items ({dropped} the gate refuses left out), `khaosan build --no-search`, "
        f"best / median of {args.repeat}:\n"
    )
    print("| case | unmarked (before) | marked | marked ÷ unmarked (median) |")
    print("|---|---:|---:|---:|")
    for case in ("full", "partial live", "partial whole"):
        before, after = times[("unmarked", case)], times[("marked", case)]
        ratio = statistics.median(after) / statistics.median(before)
        print(
            f"| {case} | {min(before):.2f} / {statistics.median(before):.2f} s | "
            f"{min(after):.2f} / {statistics.median(after):.2f} s | {ratio:.2f} |"
        )
    print(f"\nimport PyThaiNLP {imports} s; dictionary as two sets {sets} s; as PyThaiNLP's trie {trie} s")


if __name__ == "__main__":
    main()
