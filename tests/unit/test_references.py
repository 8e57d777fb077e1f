"""Every path and module the project names to people exists.

A hint that sends an editor to `docs/readme/github.md` when the page is `docs/github.md`
wastes the one minute they gave it; a docstring naming a moved module misleads the next
developer. This reads the code, the hints, the docs and the README for paths under the
project's own folders and for dotted `workflow.…` names, and checks each one resolves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
READ = ("workflow", "docs", "tests", "bench", "schemas", ".github")
READ_FILES = ("README.md", "pelicanconf.py", "publishconf.py", "Makefile")
SUFFIXES = {".py", ".md", ".json", ".yml", ".yaml", ""}
# a path under one of the project's own top-level folders, with a file suffix or a trailing slash
PATH = re.compile(r"(?<![\w./-])((?:docs|workflow|tests|bench|schemas|theme)/[\w./-]*\w(?:\.\w+|/))")
DOTTED = re.compile(r"(?<![\w.])(workflow(?:\.\w+)+)")


def _sources() -> list[Path]:
    """What people and developers read; this file is left out (its examples are stale on purpose)."""
    found = [PROJECT / name for name in READ_FILES]
    for folder in READ:
        found += [
            p
            for p in (PROJECT / folder).rglob("*")
            if p.is_file()
            and p.suffix in SUFFIXES
            and "fixtures" not in p.parts
            and "__pycache__" not in p.parts
            and p != Path(__file__).resolve()
        ]
    return sorted(found)


def _named(pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    pairs = []
    for source in _sources():
        text = source.read_text(encoding="utf-8", errors="replace")
        for match in pattern.finditer(text):
            pairs.append((source.relative_to(PROJECT).as_posix(), match.group(1).rstrip(".")))
    return sorted(set(pairs))


def _glob_or_generated(name: str) -> bool:
    """Patterns (`content/news/<BE year>/…`), and what a build or a test makes, not the repository."""
    return any(ch in name for ch in "*<>{}")


def test_every_path_named_exists():
    missing = [
        f"{source}: {name}"
        for source, name in _named(PATH)
        if not _glob_or_generated(name) and not (PROJECT / name).exists() and not _generated_by_bench(name)
    ]
    assert not missing, "paths named but not in the project:\n" + "\n".join(missing)


def _generated_by_bench(name: str) -> bool:
    """The corpus a benchmark generates (item paths under content/ are examples, never checked)."""
    return name.startswith("bench/corpus-")


def _resolves(dotted: str) -> bool:
    """`workflow.a.b.name`: the longest prefix that is a module or package, then a name it defines."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        base = PROJECT.joinpath(*parts[:cut])
        module = base.with_suffix(".py") if not base.is_dir() else base / "__init__.py"
        if module.is_file():
            rest = parts[cut:]
            if not rest:
                return True
            text = module.read_text(encoding="utf-8")
            name = re.escape(rest[0])
            return bool(
                re.search(rf"^\s*(def|class|async def) {name}\b|^{name}\s*[:=]|import .*\b{name}\b", text, re.M)
            )
    return False


def test_every_module_named_exists():
    missing = [f"{source}: {name}" for source, name in _named(DOTTED) if not _resolves(name)]
    assert not missing, "modules or names that do not exist:\n" + "\n".join(missing)


@pytest.mark.parametrize(
    "broken",
    ["see docs/readme/github.md", "in workflow/edges/history.py", "use workflow.edges.scan.scan"],
)
def test_the_check_sees_a_stale_reference(broken, tmp_path):
    """The two checks above can fail: each stale form is caught."""
    paths = [m.group(1) for m in PATH.finditer(broken)]
    dotted = [m.group(1) for m in DOTTED.finditer(broken)]
    assert any(not (PROJECT / p).exists() for p in paths) or any(not _resolves(d) for d in dotted)
