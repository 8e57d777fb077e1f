"""Hostile input benchmark (issue 13): every input is answered in bounded time.

    .venv/bin/python bench/hostile_bench.py                 # every kind, the render table, a real build
    .venv/bin/python bench/hostile_bench.py --no-build --kinds plain md-brackets unknown-keys

1. `khaosan check --publish` on one hostile item of about 1 MiB of each kind, each in a fresh
   process (wall clock of the whole command, imports included; CPU of the process), as seconds and
   as a ratio to a plain 1 MiB item measured in the same run: the Markdown constructs that make the
   site's renderer superlinear or crash it (tests/support/hostile.py, `ATTACKS`), 50,000 national ID
   numbers in the body, 90,000 unknown front matter keys, one 1 MiB line, deep nesting, anchors,
   thousands of problems. Target on the 2-core reference machine: each at most 2 s.
2. The render (Python-Markdown and the sanitizer, as the site renders a body; imports excluded) of
   the worst bodies that still pass every Markdown limit (`near_limits`: each construct repeated as
   often as the limits allow, with a plain tail; `under_every_limit`), each in a fresh process,
   next to the plain body: what the limits buy.
3. A real `khaosan build` (the publish gate, Pelican, every page, search if Pagefind is installed)
   of a repository holding the worst of those bodies as a signed item, next to the same build with
   the plain body.

Not a test: nothing is asserted, and nothing timed is in the test suite. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests"))
sys.path.insert(0, str(PROJECT))

from support.hostile import ATTACKS, near_limits, plain_body, under_every_limit  # noqa: E402
from support.items import item_text, signed_text  # noqa: E402

NOW = "2026-11-25T12:00:00+07:00"
SIZE = 1_040_000  # a body this size and its front matter stay under the 1 MiB item limit (KS009)
ITEM_BYTES = 1 << 20
LIMIT = 120.0  # seconds: a check still running then is stopped and shown as such
RENDER = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from workflow.edges.site.sanitize import render_body
body = open(sys.argv[2], encoding="utf-8").read()
render_body("x")
started = time.process_time()
try:
    render_body(body)
    print(f"{time.process_time() - started:.3f}")
except RecursionError:
    print("RecursionError")
"""


# -- the items ----------------------------------------------------------------------------------


def _national_ids(count: int) -> str:
    """`count` valid Thai national ID numbers (checksum digit included), formatted as people write them."""
    out = []
    for index in range(count):
        first = f"1{index:011d}"[-12:]
        check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(first)) % 11) % 10
        digits = first + str(check)
        out.append(f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}")
    return " ".join(out) + "\n"


def _front_matter_then(keys: str) -> str:
    """The base news item with `keys` (YAML lines) before its own fields."""
    return "---\n" + keys + item_text("news").split("\n", 1)[1]


def _other_kinds(size: int) -> dict[str, Callable[[], str]]:
    """Hostile items that are not Markdown bodies: whole item texts."""
    return {
        "pdpa-ids": lambda: signed_text("news", body=_national_ids(50_000)),
        "unknown-keys": lambda: _front_matter_then("".join(f"k{i}: v\n" for i in range(90_000))),
        "many-problems": lambda: _front_matter_then("".join(f"unknown_{i}: v\n" for i in range(2_400))),
        "long-line": lambda: signed_text("news", body=("ข่าว" * (size // 12)) + "\n"),
        "long-title": lambda: signed_text("news", title="ข" * (size // 3)),
        "yaml-deep-nesting": lambda: _front_matter_then("deep: " + "[" * (size // 2) + "\n"),
        "yaml-anchors": lambda: _front_matter_then("".join(f"a{i}: &a{i} v\n" for i in range(50_000))),
    }


def items(size: int, kinds: list[str] | None) -> dict[str, str]:
    """Item texts by kind, signed where the body is the attack (so that only the attack is a problem): the
    plain one first, each under the 1 MiB item limit."""
    made: dict[str, Callable[[], str]] = {"plain": lambda: signed_text("news", body=plain_body(size))}
    made.update({name: (lambda make=make: signed_text("news", body=make(size))) for name, make in ATTACKS.items()})
    made.update(_other_kinds(size))
    chosen = {name: make for name, make in made.items() if kinds is None or name in kinds or name == "plain"}
    texts = {}
    for name, make in chosen.items():
        text = make()
        while len(text.encode()) > ITEM_BYTES:  # trim the body's end: the kind is in its first part
            text = text[: len(text) - (len(text.encode()) - ITEM_BYTES) - 1] + "\n"
        texts[name] = text
    return texts


# -- measuring ----------------------------------------------------------------------------------


def _repository(root: Path, *, site: bool = False) -> None:
    root.mkdir(parents=True)
    for name in ("office.yml", *(("pelicanconf.py",) if site else ())):
        shutil.copy(PROJECT / name, root / name)
    for name in ("schemas", *(("theme",) if site else ())):
        shutil.copytree(PROJECT / name, root / name)
    (root / "content" / "files").mkdir(parents=True)


def _timed(argv: list[str], cwd: Path, limit: float) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall clock and CPU seconds (the process and its children) of one command, stopped after `limit` s."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False, timeout=limit)
    except subprocess.TimeoutExpired:
        done = subprocess.CompletedProcess(argv, -9, "", f"stopped after {limit:.0f} s")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done


def check_kind(root: Path, name: str, text: str) -> dict[str, object]:
    rel = f"content/news/2569/{name}.md"
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    argv = [sys.executable, "-m", "workflow", "check", rel, "--publish", "--now", NOW, "--format", "json"]
    wall, cpu, done = _timed(argv, root, LIMIT)
    path.unlink()
    try:
        found = json.loads(done.stdout)["problems"]
    except (json.JSONDecodeError, KeyError):
        found = []
    codes = sorted({p["code"] for p in found})
    first = f"{found[0]['code']} line {found[0]['line']}" if found else done.stderr.strip()[-60:] or "-"
    traceback = "Traceback" in done.stderr
    return {
        "kind": name,
        "bytes": len(text.encode()),
        "exit": done.returncode,
        "wall": wall,
        "cpu": cpu,
        "problems": len(found),
        "codes": ", ".join(codes[:4]),
        "first": first,
        "traceback": traceback,
    }


def render_time(body: str, folder: Path) -> str:
    source = folder / "body.md"
    source.write_text(body, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", RENDER, str(PROJECT), str(source)], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1]


def build_time(folder: Path, body: str) -> tuple[float, float, int, str]:
    root = folder / "site"
    if root.exists():
        shutil.rmtree(root)
    _repository(root, site=True)
    item = root / "content" / "news" / "2569" / "meeting-20261120-executives.md"
    item.parent.mkdir(parents=True)
    sources = "\n  - title: คำกล่าวของผู้อำนวยการ"  # quoted text (`>`) names its source (KS208)
    item.write_text(signed_text("news", body=body, sources=sources), encoding="utf-8")
    argv = [sys.executable, "-m", "workflow", "build", "--root", str(root), "--now", NOW]
    wall, cpu, done = _timed(argv, PROJECT, 20 * 60)
    said = (done.stdout + done.stderr).strip().splitlines()
    return wall, cpu, done.returncode, said[-1] if said else ""


# -- the report ---------------------------------------------------------------------------------


def check_table(size: int, kinds: list[str] | None, folder: Path) -> None:
    root = folder / "repo"
    _repository(root)
    rows = [check_kind(root, name, text) for name, text in items(size, kinds).items()]
    plain = rows[0]["wall"]
    print("\n## `khaosan check --publish`, one item of about 1 MiB, fresh process\n")
    print("| kind | bytes | exit | problems | first | codes | wall s | CPU s | ratio to plain |")
    print("|---|---:|---:|---:|---|---|---:|---:|---:|")
    for row in rows:
        flag = " TRACEBACK" if row["traceback"] else ""
        print(
            f"| {row['kind']}{flag} | {row['bytes']:,} | {row['exit']} | {row['problems']:,} | {row['first']} "
            f"| {row['codes']} | {row['wall']:.2f} | {row['cpu']:.2f} | {row['wall'] / plain:.2f} |"  # type: ignore[operator]
        )


def render_table(folder: Path, build: bool) -> None:
    cap = ITEM_BYTES - 4096  # with the front matter and its approvals, under the 1 MiB item limit
    near = near_limits(tail_bytes=900_000, cap=cap)  # each construct at its limit, then plain paragraphs
    bodies = {"plain": plain_body(SIZE), **near, "under-every-limit": plain_body(900_000) + under_every_limit()}
    print("\n## Render (Python-Markdown and the sanitizer) of the worst bodies that pass every limit")
    print("\nEach construct repeated as often as every limit allows, then plain paragraphs up to about 1 MiB.\n")
    print("| body | bytes | render s | s per MiB |")
    print("|---|---:|---:|---:|")
    worst, worst_seconds = "plain", -1.0
    for name, body in bodies.items():
        seconds = render_time(body, folder)
        size = len(body.encode())
        try:
            per = f"{float(seconds) / (size / 2**20):.2f}"
            if name != "plain" and float(seconds) > worst_seconds:
                worst, worst_seconds = name, float(seconds)
        except ValueError:
            per = "-"
        print(f"| {name} | {size:,} | {seconds} | {per} |")
    if not build:
        return
    print(f"\n## `khaosan build` of a repository with one signed item (worst passing body: {worst})\n")
    print("| body | wall s | CPU s | exit | last line |")
    print("|---|---:|---:|---:|---|")
    for name in ("plain", worst):
        wall, cpu, code, said = build_time(folder, bodies[name])
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {code} | {said[:80]} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=SIZE, help="bytes of each hostile body")
    parser.add_argument("--kinds", nargs="*", help="only these kinds (plain is always measured)")
    parser.add_argument("--no-check", dest="check", action="store_false", help="skip the check table")
    parser.add_argument("--no-render", dest="render", action="store_false", help="skip the render table")
    parser.add_argument("--no-build", dest="build", action="store_false", help="skip the real build")
    args = parser.parse_args()
    print(f"# Hostile input benchmark ({os.cpu_count()} cores, Python {sys.version.split()[0]})")
    with tempfile.TemporaryDirectory(prefix="khaosan-hostile-") as tmp:
        folder = Path(tmp)
        if args.check:
            check_table(args.size, args.kinds, folder)
        if args.render:
            render_table(folder, args.build)


if __name__ == "__main__":
    main()
