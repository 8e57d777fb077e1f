"""Time `khaosan check` on synthetic repositories and print a Markdown report.

    .venv/bin/python bench/run.py                      # N = 1,000 and 10,000
    .venv/bin/python bench/run.py --sizes 1000 --repeat 3

For each N the corpus (bench/corpus.py) is built once and cached under
/tmp/khaosan-bench/ (rebuilt when N, the seed or the generator change). Then,
each as a subprocess, wall clock, best and median of --repeat runs:

  (a) whole   `python -m workflow check --root R --now 2026-11-25T12:00:00+07:00`
  (b) one     the same with --publish on one file whose body was changed after
              its approvals (they are stale: exit 1); restored afterwards
  (s) start   `python -m workflow --version`: interpreter and imports only

and in-process, for ratios: reading every item file (cat-like), and parsing
every front matter with yaml.safe_load (pure-Python SafeLoader), with
yaml.CSafeLoader and with Khaosan's own strict loader. Peak RSS of each
subprocess case comes from resource.getrusage(RUSAGE_CHILDREN) in a helper
process that runs only that case (so it covers the check and its workers).

Before timing, every corpus is checked once with --publish: no problems and
nothing pending, or the benchmark stops.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from bench import corpus  # noqa: E402

NOW = corpus.NOW
CACHE = Path("/tmp/khaosan-bench")
TARGETS = {"whole": (10000, 1.5), "one": (None, 0.3)}  # case: (only for this N or any, seconds)
PY = sys.executable


# ------------------------------------------------------------ measuring ----


def measure_child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run in a fresh helper process: the command `repeat` times, then our children's peak RSS."""
    times, cpus, codes = [], [], []
    for _ in range(spec["repeat"]):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            spec["cmd"], cwd=spec["cwd"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the check and its forked workers
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        codes.append(done.returncode)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return {"times": times, "cpu": cpus, "codes": codes, "maxrss_kib": peak}


def measure(cmd: list[str], repeat: int, warmup: int = 1) -> dict[str, Any]:
    for _ in range(warmup):  # page cache, .pyc files
        subprocess.run(cmd, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    spec = json.dumps({"cmd": cmd, "cwd": str(PROJECT), "repeat": repeat})
    done = subprocess.run(
        [PY, __file__, "--measure-child", spec], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def in_process(fn: Any, repeat: int, budget: float = 25.0) -> dict[str, Any]:
    """Best and median of up to `repeat` runs, fewer when one run is slow (pure-Python YAML)."""
    times: list[float] = []
    spent = 0.0
    while len(times) < repeat and (not times or spent + times[-1] <= budget):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        spent += times[-1]
    return {"times": times}


# --------------------------------------------------------------- corpus ----


def ensure_corpus(n: int, seed: int, rebuild: bool) -> tuple[Path, float | None]:
    root = CACHE / f"corpus-{n}-seed{seed}-{corpus.fingerprint()}"
    marker = root / ".bench-corpus.json"
    restore_edited(root)
    if marker.is_file() and not rebuild:
        info = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("n") == n and info.get("seed") == seed:
            return root, None
    for old in CACHE.glob(f"corpus-{n}-seed{seed}-*"):  # other generator versions
        if old != root:
            shutil.rmtree(old, ignore_errors=True)
    start = time.perf_counter()
    corpus.generate(root, n, seed)
    return root, time.perf_counter() - start


def item_files(root: Path) -> list[Path]:
    """The item files `khaosan check` reads: every .md under content/ outside files/ and images/."""
    found = []
    content = root / "content"
    for folder, dirs, files in os.walk(content):
        if folder == str(content):
            dirs[:] = [d for d in dirs if d not in ("files", "images")]
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(folder) / f for f in files if f.endswith(".md"))
    return sorted(found)


BACKUP = ".bench-edited"


def restore_edited(root: Path) -> None:
    """Put back a file a previous, interrupted run changed."""
    record = root / BACKUP
    if record.is_file():
        info = json.loads(record.read_text(encoding="utf-8"))
        (root / info["path"]).write_bytes(bytes.fromhex(info["original"]))
        record.unlink()


def verify(root: Path, n: int) -> None:
    done = subprocess.run(
        [PY, "-m", "workflow", "check", "--root", str(root), "--now", NOW, "--publish", "--format", "json"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    summary = report["summary"]
    if done.returncode or report["problems"] or summary["pending"] or summary["files"] != n:
        shown = "\n".join(f"  {p['path']}:{p['line']} {p['code']} {p['message']}" for p in report["problems"][:10])
        raise SystemExit(
            f"corpus {root} does not pass `khaosan check --publish` (exit {done.returncode}, "
            f"{summary['errors']} errors, {len(summary['pending'])} pending)\n{shown}"
        )


# ------------------------------------------------------------- the cases ----


def bench_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    root, built = ensure_corpus(n, args.seed, args.rebuild)
    print(f"N={n:,}: corpus {root}" + (f" (built in {built:.1f} s)" if built else " (cached)"), file=sys.stderr)
    verify(root, n)
    files = item_files(root)
    size = sum(p.stat().st_size for p in files)
    out: dict[str, Any] = {"n": n, "root": str(root), "built_s": built, "bytes": size, "cases": {}}
    base = [PY, "-m", "workflow", "check", "--root", str(root), "--now", NOW]

    print("  (a) whole repository", file=sys.stderr)
    out["cases"]["whole"] = measure(base, args.repeat)

    # (b) one file, after its body changed: its approvals are stale
    target = next(p for p in files if "/news/" in p.as_posix())
    rel = target.relative_to(root).as_posix()
    original = target.read_bytes()
    (root / BACKUP).write_text(json.dumps({"path": rel, "original": original.hex()}), encoding="utf-8")
    try:
        target.write_bytes(original + "\nแก้ไขข้อความหลังผู้มีอำนาจลงนามแล้ว\n".encode())
        one = [*base, "--publish", str(target)]
        check = subprocess.run(one, cwd=PROJECT, capture_output=True, text=True, check=False)
        lenient = subprocess.run([*base, str(target)], cwd=PROJECT, capture_output=True, text=True, check=False)
        if check.returncode != 1 or "KS304" not in check.stdout:
            raise SystemExit(
                f"expected exit 1 with KS304 for the edited {rel}, got {check.returncode}:\n"
                f"{check.stdout}{check.stderr}"
            )
        print(f"  (b) one file: {rel}", file=sys.stderr)
        out["cases"]["one"] = measure(one, args.repeat)
        out["one_file"] = rel
        out["one_codes"] = sorted({line.split()[1] for line in check.stdout.splitlines() if " KS" in line})
        out["one_lenient_exit"] = lenient.returncode
    finally:
        target.write_bytes(original)
        (root / BACKUP).unlink()

    print("  (s) start-up", file=sys.stderr)
    out["cases"]["start"] = measure([PY, "-m", "workflow", "--version"], args.repeat)

    # (c) in-process baselines
    import yaml

    from workflow.core import yamlparse
    from workflow.core.source import split

    print("  (c) baselines", file=sys.stderr)

    def read_all() -> None:
        for path in files:
            with open(path, "rb") as handle:
                handle.read()

    fronts = [split(p.read_bytes()).yaml_text for p in files]
    out["cases"]["read"] = in_process(read_all, args.repeat)
    out["cases"]["yaml_c"] = in_process(lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in fronts], args.repeat)
    out["cases"]["yaml_strict"] = in_process(lambda: [yamlparse.load(t) for t in fronts], args.repeat)
    out["cases"]["yaml_py"] = in_process(
        lambda: [yaml.load(t, Loader=yaml.SafeLoader) for t in fronts], args.repeat, budget=args.py_budget
    )
    return out


# --------------------------------------------------------------- report ----


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import jsonschema_rs
    import yaml

    try:
        from importlib.metadata import version

        rs = version("jsonschema-rs")
    except Exception:
        rs = getattr(jsonschema_rs, "__version__", "?")
    return {
        "cpu": model,
        "nproc": f"{os.cpu_count()} (usable: {len(os.sched_getaffinity(0))})",
        "python": f"{platform.python_implementation()} {platform.python_version()} ({PY})",
        "os": f"{platform.system()} {platform.release()}",
        "libs": f"PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}), jsonschema-rs {rs}",
        "env": _bytecode_note(),
    }


def _bytecode_note() -> str:
    """Start-up depends on whether the package's .pyc files exist (`make setup` compiles them)."""
    compiled = any((PROJECT / "workflow" / "core" / "__pycache__").glob("*.pyc"))
    writes = "not written at import" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "written at import"
    return f"package bytecode {'present' if compiled else 'absent (every start-up compiles)'}; .pyc {writes}"


def stats(case: dict[str, Any]) -> tuple[float, float]:
    return min(case["times"]), statistics.median(case["times"])


def report(results: list[dict[str, Any]], info: dict[str, str], load: tuple[str, str], repeat: int) -> str:
    lines = [
        "## Khaosan `check` benchmark",
        "",
        f"- CPU: {info['cpu']}; nproc {info['nproc']}",
        f"- Python: {info['python']}",
        f"- {info['libs']}; {info['os']}; {info['env']}",
        f"- load average before / after: {load[0]} / {load[1]}",
        f"- date: {datetime.now().astimezone().isoformat(timespec='seconds')}; "
        f"subprocess cases: best and median of {repeat} after 1 warm-up run; "
        f"CPU = user+sys of the check and its workers (RUSAGE_CHILDREN)",
        "",
        "| N | case | best (s) | median (s) | per item (µs, best) | CPU (s, median) | peak RSS (MiB) | exit "
        "| target | met |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    labels = {
        "whole": "(a) `check` whole repository",
        "one": "(b) `check --publish` one edited file",
        "start": "(s) start-up only (`--version`)",
        "read": "(c) read all item files, in-process",
        "yaml_py": "(c) `yaml.safe_load` pure Python, in-process",
        "yaml_c": "(c) `yaml.load(CSafeLoader)`, in-process",
        "yaml_strict": "(c) `yamlparse.load` (Khaosan strict), in-process",
    }
    for res in results:
        n = res["n"]
        for key, label in labels.items():
            case = res["cases"][key]
            best, median = stats(case)
            per = f"{best / n * 1e6:,.0f}" if key in ("whole", "read", "yaml_py", "yaml_c", "yaml_strict") else ""
            rss = f"{case['maxrss_kib'] / 1024:,.0f}" if "maxrss_kib" in case else ""
            cpu = f"{statistics.median(case['cpu']):.3f}" if "cpu" in case else ""
            codes = ",".join(sorted({str(c) for c in case.get("codes", [])}))
            target, met = "", ""
            if key in TARGETS:
                only, limit = TARGETS[key]
                if only in (None, n):
                    target, met = f"≤ {limit}", "yes" if best <= limit else "**no**"
            runs = "" if len(case["times"]) == repeat else f" ({len(case['times'])} run)"
            lines.append(
                f"| {n:,} | {label}{runs} | {best:.3f} | {median:.3f} | {per} | {cpu} | {rss} | {codes} | "
                f"{target} | {met} |"
            )
    lines += ["", "Ratios (best times):", ""]
    for res in results:
        c = {k: stats(v)[0] for k, v in res["cases"].items()}
        whole_net = c["whole"] - c["start"]
        lines.append(
            f"- N={res['n']:,}: whole / read-all = {c['whole'] / c['read']:.0f}×; "
            f"whole / CSafeLoader parse = {c['whole'] / c['yaml_c']:.2f}×; "
            f"whole minus start-up = {whole_net:.3f} s ({whole_net / res['n'] * 1e6:,.0f} µs per item); "
            f"pure-Python / CSafeLoader = {c['yaml_py'] / c['yaml_c']:.1f}×; "
            f"strict loader / CSafeLoader = {c['yaml_strict'] / c['yaml_c']:.2f}×; "
            f"one file / start-up = {c['one'] / c['start']:.2f}× "
            f"(corpus {res['bytes'] / 1e6:.1f} MB of item files; edited `{res['one_file']}` gave "
            f"{', '.join(res['one_codes'])}, exit {res['cases']['one']['codes'][0]} with --publish, "
            f"{res['one_lenient_exit']} without)"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark `khaosan check` on synthetic repositories.")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated item counts (default 1000,10000)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per case (default 5)")
    ap.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    ap.add_argument("--rebuild", action="store_true", help="rebuild cached corpora")
    ap.add_argument(
        "--py-budget",
        type=float,
        default=25.0,
        help="seconds for the pure-Python YAML baseline before it stops repeating (default 25)",
    )
    ap.add_argument(
        "--self-check",
        action="store_true",
        help="first run bench/corpus.py --self-check (a small corpus must pass check --publish)",
    )
    ap.add_argument("--output", type=Path, help="also write the Markdown report here")
    ap.add_argument("--measure-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure_child:
        print(json.dumps(measure_child(json.loads(args.measure_child))))
        return 0
    if args.self_check and corpus.main(["--self-check"]) != 0:
        return 1
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    CACHE.mkdir(parents=True, exist_ok=True)
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results = [bench_size(n, args) for n in sizes]
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = report(results, machine(), (load_before, load_after), args.repeat)
    print(text)
    (CACHE / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
