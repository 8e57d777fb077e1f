"""Website build benchmark: `khaosan build` as people run it (the publish gate,
Pelican, every page, feeds, Pagefind): a first full build, then one new item and
one withdrawal published (partial builds: time until the changed item page is
live, until the search index has followed, and until the whole site with its
listings is), a full build again, peak memory; bare
Pelican and Hugo on the same corpus as yardsticks, in the same run.

    .venv/bin/python bench/site_bench.py [--sizes 1000 5000] [--out /tmp/khaosan-site-bench]

Corpora come from bench/corpus.py (no git history: dates fall back to the
files). Each measurement runs in a fresh Python process; peak memory is the
larger of that process and its children (Pagefind), from getrusage. Prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from workflow.commands.build import FOUND, PAGES_LIVE, SITE_LIVE  # what `khaosan build` says as each part goes live

PROJECT = Path(__file__).resolve().parents[1]
PY = sys.executable
NOW = "2026-11-25T12:00:00+07:00"


def khaosan_build(root: Path, *args: str) -> dict:
    """`khaosan build` as people run it (gate with PDPA and attachment checks, Pelican, search):
    seconds until the new site is live, until the command ends, and peak memory."""
    code = (
        "import resource, sys; from workflow.cli import main; rc = main(sys.argv[1:]); "
        "r = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print('PEAK', r, flush=True); sys.exit(rc)"
    )
    t0 = time.perf_counter()
    errors = root.parent / f"{root.name}-build-stderr.txt"
    proc = subprocess.Popen(
        [PY, "-c", code, "build", "--root", str(root), "--now", NOW, *args],
        stdout=subprocess.PIPE,
        stderr=errors.open("w"),
        text=True,
        cwd=PROJECT,
    )
    page, live, findable, peak, how = None, None, None, 0.0, ""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(PAGES_LIVE):
            page = time.perf_counter() - t0
        if SITE_LIVE in line and live is None:
            live, how = time.perf_counter() - t0, ("partial" if "เฉพาะส่วนที่เปลี่ยน" in line else "full")
        if line.startswith(FOUND):
            findable = time.perf_counter() - t0
        if line.startswith("PEAK "):
            peak = int(line.split()[1]) / 1024
    if proc.wait() != 0:
        raise SystemExit(f"khaosan build failed in {root}:\n" + errors.read_text()[-3000:])
    print(
        f"  build {' '.join(args) or '(partial when it can)'} in {root.name}: page {page} s, whole site {live} s, "
        f"findable {findable} s, "
        f"total {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
        flush=True,
    )  # kept if a later step fails
    return {
        "page": page if page is not None else live,  # a full build swaps every page in at once
        "live": live,
        "findable": findable if findable is not None else live,  # a full build swaps site and search together
        "total": time.perf_counter() - t0,
        "peak_mb": peak,
        "how": how,
        "pages": sum(1 for _ in (root / "output").rglob("*.html")),
    }


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
    (hugo / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\nlanguageCode = "th"\ntitle = "bench"\n'
        "disableKinds = ['taxonomy', 'term']\n[pagination]\npagerSize = 20\n"
    )
    (hugo / "layouts" / "_default" / "baseof.html").write_text(
        '<!doctype html><html lang="th"><head><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}'
        "</body></html>"
    )
    (hugo / "layouts" / "_default" / "single.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><time>{{ .Date }}</time>{{ .Content }}{{ end }}'
    )
    (hugo / "layouts" / "_default" / "list.html").write_text(
        '{{ define "main" }}<ul>{{ range (.Paginate .Pages).Pages }}<li><a href="{{ .RelPermalink }}">'
        "{{ .Title }}</a></li>{{ end }}</ul>{{ end }}"
    )
    pel.mkdir(parents=True)
    for i, path in enumerate(sorted((root / "content").rglob("*.md"))):
        m = _FM.match(path.read_text(encoding="utf-8"))
        if not m:
            continue
        title = re.search(r"^title: (.*)$", m.group(1), re.M)
        when = re.search(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)", m.group(1))
        t = (title.group(1) if title else path.stem).strip().strip('"')
        d = when.group(1) if when else NOW
        (pel / f"{i:05d}.md").write_text(
            f"Title: {t}\nDate: {d[:16].replace('T', ' ')}\nSlug: i{i:05d}\n\n{m.group(2)}", encoding="utf-8"
        )
        (hugo / "content" / "posts" / f"i{i:05d}.md").write_text(
            f"---\ntitle: {json.dumps(t, ensure_ascii=False)}\ndate: {d}\n---\n{m.group(2)}", encoding="utf-8"
        )
    return pel, hugo


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - t0


def withdraw_one(root: Path) -> None:
    """Withdraw one procurement notice: a process record, so no new sign-off is needed."""
    for item in sorted((root / "content" / "disclosures").rglob("*.md")):
        text = item.read_text(encoding="utf-8")
        if "withdrawn:" in text:
            continue
        item.write_text(
            text.replace(
                "\napprovals:",
                "\nwithdrawn:\n  at: 2026-11-20T09:00:00+07:00\n  by: prasert.j\n  reason: bench\napprovals:",
                1,
            ),
            encoding="utf-8",
        )
        return


def add_one(root: Path, n: int) -> str:
    """A new signed news item (a copy of a signed one under a new id: its sign-offs still match); its URL."""
    news = sorted(p for p in (root / "content" / "news").rglob("*.md") if not p.name.startswith("added-"))
    taken = {p.name for p in news[-1].parent.glob("added-*.md")}
    name = next(f"added-{n}-{i}.md" for i in range(len(taken) + 1) if f"added-{n}-{i}.md" not in taken)
    shutil.copy(news[-1], news[-1].with_name(name))
    return "/" + news[-1].with_name(name).relative_to(root / "content").with_suffix("").as_posix() + "/"


def in_search(root: Path, url: str) -> bool:
    """Whether the bundles the site's bundles.json names index `url` (read from their fragments)."""
    import gzip

    search = root / "output" / "pagefind"
    listing = json.loads((search / "bundles.json").read_text("utf-8"))
    hidden = {i for ids in listing.get("hidden", {}).values() for i in ids}
    for name in listing["bundles"]:
        for fragment in (search / name / "fragment").glob("*.pf_fragment"):
            if fragment.stem in hidden:
                continue
            if json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))["url"] == url:
                return True
    return False


def in_git(root: Path, out: Path) -> dict:
    """The office as a git repository: everything committed, one build, then one new signed item
    merged into main with --no-ff (as a pull request is); times the partial build that publishes it
    (dates and the performance page now come from main's first-parent history)."""
    repo = out / "git-office"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(root, repo, ignore=shutil.ignore_patterns("output", ".khaosan-build"))
    (repo / ".gitignore").write_text("output/\n.khaosan-*/\n", encoding="utf-8")
    git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    before = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2026-11-25T10:00:00+07:00",  # before NOW, as history is
        "GIT_COMMITTER_DATE": "2026-11-25T10:00:00+07:00",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "the office"]):
        subprocess.run([*git, *args], check=True, env=before)
    khaosan_build(repo)
    subprocess.run([*git, "checkout", "-q", "-b", "new-item"], check=True)
    add_one(repo, 2)
    later = {
        **before,
        "GIT_AUTHOR_DATE": "2026-11-25T11:00:00+07:00",
        "GIT_COMMITTER_DATE": "2026-11-25T11:00:00+07:00",
    }
    for args in (
        ["add", "-A"],
        ["commit", "-q", "-m", "a new item"],
        ["checkout", "-q", "main"],
        ["merge", "-q", "--no-ff", "new-item", "-m", "merge the new item"],
    ):
        subprocess.run([*git, *args], check=True, env=later)
    return khaosan_build(repo)


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
        for leftover in ("output", ".khaosan-build"):
            shutil.rmtree(root / leftover, ignore_errors=True)
        full = khaosan_build(root)
        url = add_one(root, 1)
        added = khaosan_build(root)
        assert in_search(root, url), f"{url} is not in the search index after the build"
        withdraw_one(root)
        withdrawn = khaosan_build(root)
        again = khaosan_build(root, "--full")
        merged = in_git(root, out)
        pel, hugo = plain_copies(root, out)
        bare = run_json([PY, "-c", BARE_PELICAN, str(pel), str(out / "pelican-out")])
        hugo_bin = shutil.which("hugo") or str(Path(PY).parent / "hugo")
        hugo_full = timed([hugo_bin, "--quiet", "-d", str(out / "hugo-out")], cwd=hugo)
        rows.append((n, full, added, withdrawn, again, merged, bare, hugo_full))
        assert added["how"] == withdrawn["how"] == merged["how"] == "partial"
        assert full["how"] == again["how"] == "full"
    print(
        "| items | full build: live / whole run | pages | one new item: page live / findable / whole site live / "
        "whole run | one withdrawal: page / findable / whole site | full again | in git: one merged item "
        "page / whole site | peak MB | bare Pelican | Hugo | full ×Hugo | full ×bare Pelican |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        "Goals (issue 15): one new item at 5,000 items: its page live ≤ 1.5 s, findable ≤ 5 s; full build ≤ 40 s. "
        "A partial build places the changed item pages first, the search follows them, then every listing."
    )
    for n, full, added, withdrawn, again, merged, bare, hugo_full in rows:
        peak = max(r["peak_mb"] for r in (full, added, withdrawn, again, merged))
        print(
            f"| {n} | {full['live']:.1f} s / {full['total']:.1f} s | {full['pages']} | "
            f"{added['page']:.1f} s / {added['findable']:.1f} s / {added['live']:.1f} s / {added['total']:.1f} s | "
            f"{withdrawn['page']:.1f} s / {withdrawn['findable']:.1f} s / {withdrawn['live']:.1f} s | "
            f"{again['live']:.1f} s | {merged['page']:.1f} s / {merged['live']:.1f} s | {peak:.0f} | "
            f"{bare['total']:.1f} s | {hugo_full:.1f} s | "
            f"{full['live'] / hugo_full:.1f} | {full['live'] / bare['total']:.1f} |"
        )


if __name__ == "__main__":
    main()
