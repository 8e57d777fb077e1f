"""Website build benchmark: Khaosan's full build (gate, Pelican, every page,
feeds, Pagefind), a rebuild after one item changed, peak memory; bare Pelican
and Hugo on the same corpus as yardsticks, in the same run.

    .venv/bin/python bench/site_bench.py [--sizes 1000 5000] [--out /tmp/khaosan-site-bench]

Corpora come from bench/corpus.py. Each measurement runs in a fresh Python
process; peak memory is the larger of that process and its children
(Pagefind), from getrusage. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PY = sys.executable
NOW = "2026-11-25T12:00:00+07:00"

KHAOSAN = r"""
import json, resource, sys, time
from datetime import datetime
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from workflow.core.publication import decide
from workflow.edges.repo import Repository
from workflow.edges.scan import scan
from workflow.edges.site import build_site
root, now = Path(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
t0 = time.perf_counter()
repo = Repository(root)
result = scan(repo, repo.item_paths(), now=now, safety=False)
decisions = [decide(r, now) for r in result.results]
t1 = time.perf_counter()
build_site(root, root / "output", result.office, result.results, decisions)  # Pelican and Pagefind overlap
t2 = t3 = time.perf_counter()
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"check": t1 - t0, "build": t2 - t1, "total": t3 - t0,
                  "peak_mb": peak / 1024, "pages": sum(1 for _ in (root / "output").rglob("*.html"))}))
"""

BARE_PELICAN = r"""
import json, resource, sys, time
from pelican import Pelican
from pelican.settings import read_settings
t0 = time.perf_counter()
s = read_settings(None, override={"PATH": sys.argv[1], "OUTPUT_PATH": sys.argv[2], "ARTICLE_PATHS": ["."],
    "STATIC_PATHS": [], "TIMEZONE": "Asia/Bangkok", "SITEURL": "", "FEED_ALL_ATOM": None,
    "CATEGORY_FEED_ATOM": None, "DEFAULT_PAGINATION": 20, "CACHE_CONTENT": False})
Pelican(s).run()
print(json.dumps({"total": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_json(args: list[str]) -> dict:
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def corpus(n: int, out: Path) -> Path:
    root = out / f"corpus-{n}"
    if not (root / "content").is_dir():
        subprocess.run([PY, str(PROJECT / "bench" / "corpus.py"), "--n", str(n), "--out", str(root)], check=True)
    shutil.copy(PROJECT / "pelicanconf.py", root / "pelicanconf.py")
    shutil.rmtree(root / "theme", ignore_errors=True)
    shutil.copytree(PROJECT / "theme", root / "theme")
    return root


_FM = re.compile(r"^---\n(.*?)\n---\n(.*)$", re.S)


def plain_copies(root: Path, out: Path) -> tuple[Path, Path]:
    """The same items as bare Pelican Markdown (Title/Date) and Hugo Markdown (YAML title/date)."""
    pel, hugo = out / "pelican-src", out / "hugo-src"
    for d in (pel, hugo):
        shutil.rmtree(d, ignore_errors=True)
    (hugo / "content" / "posts").mkdir(parents=True)
    (hugo / "layouts" / "_default").mkdir(parents=True)
    (hugo / "hugo.toml").write_text('baseURL = "https://example.org/"\nlanguageCode = "th"\ntitle = "bench"\n'
                                    "disableKinds = ['taxonomy', 'term']\n[pagination]\npagerSize = 20\n")
    (hugo / "layouts" / "_default" / "baseof.html").write_text(
        '<!doctype html><html lang="th"><head><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}'
        "</body></html>")
    (hugo / "layouts" / "_default" / "single.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><time>{{ .Date }}</time>{{ .Content }}{{ end }}')
    (hugo / "layouts" / "_default" / "list.html").write_text(
        '{{ define "main" }}<ul>{{ range (.Paginate .Pages).Pages }}<li><a href="{{ .RelPermalink }}">'
        "{{ .Title }}</a></li>{{ end }}</ul>{{ end }}")
    pel.mkdir(parents=True)
    for i, path in enumerate(sorted((root / "content").rglob("*.md"))):
        m = _FM.match(path.read_text(encoding="utf-8"))
        if not m:
            continue
        title = re.search(r"^title: (.*)$", m.group(1), re.M)
        when = re.search(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)", m.group(1))
        t = (title.group(1) if title else path.stem).strip().strip('"')
        d = when.group(1) if when else NOW
        (pel / f"{i:05d}.md").write_text(f"Title: {t}\nDate: {d[:16].replace('T', ' ')}\nSlug: i{i:05d}\n\n"
                                         f"{m.group(2)}", encoding="utf-8")
        (hugo / "content" / "posts" / f"i{i:05d}.md").write_text(
            f"---\ntitle: {json.dumps(t, ensure_ascii=False)}\ndate: {d}\n---\n{m.group(2)}", encoding="utf-8")
    return pel, hugo


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - t0


def one_change(root: Path) -> None:
    """Withdraw one procurement notice: a process record, so no new sign-off is needed."""
    item = sorted((root / "content" / "disclosures").rglob("*.md"))[0]
    text = item.read_text(encoding="utf-8")
    if "withdrawn:" not in text:
        text = text.replace("\napprovals:", "\nwithdrawn:\n  at: 2026-11-20T09:00:00+07:00\n  by: prasert.j\n"
                            "  reason: bench\napprovals:", 1)
        item.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--out", type=Path, default=Path("/tmp/khaosan-site-bench"))
    opts = ap.parse_args()
    rows = []
    for n in opts.sizes:
        out = opts.out / str(n)
        out.mkdir(parents=True, exist_ok=True)
        root = corpus(n, opts.out)
        shutil.rmtree(root / "output", ignore_errors=True)
        full = run_json([PY, "-c", KHAOSAN, str(PROJECT), str(root), NOW])
        one_change(root)
        again = run_json([PY, "-c", KHAOSAN, str(PROJECT), str(root), NOW])
        pel, hugo = plain_copies(root, out)
        bare = run_json([PY, "-c", BARE_PELICAN, str(pel), str(out / "pelican-out")])
        hugo_bin = shutil.which("hugo") or str(Path(PY).parent / "hugo")
        hugo_full = timed([hugo_bin, "--quiet", "-d", str(out / "hugo-out")], cwd=hugo)
        rows.append((n, full, again, bare, hugo_full))
    print("| items | Khaosan full (check + Pelican with Pagefind overlapped) | pages | one change | peak MB | "
          "bare Pelican | Hugo | ×Hugo | ×bare Pelican |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, full, again, bare, hugo_full in rows:
        print(f"| {n} | {full['total']:.1f} s ({full['check']:.1f} + {full['build']:.1f}) | "
              f"{full['pages']} | {again['total']:.1f} s | "
              f"{max(full['peak_mb'], again['peak_mb']):.0f} | {bare['total']:.1f} s | {hugo_full:.1f} s | "
              f"{full['total'] / hugo_full:.1f} | {full['total'] / bare['total']:.1f} |")


if __name__ == "__main__":
    main()
