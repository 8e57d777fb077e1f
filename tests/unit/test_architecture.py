"""The house stays as docs/architecture.md draws it: imports only run down, wings keep to themselves.

- `workflow.core` (the pure core: parse, validate, compute) imports only itself, the standard
  library's pure modules and the pure libraries listed here: no disk, git, network or process.
- `workflow.edges.<wing>` (what talks to one thing: `checking`, `git`, `github`, `render`, `site`)
  imports the core, `workflow.errors`, its own wing and the ground every edge stands on
  (`edges.files`, `edges.kept`, `edges.parallel`), never another wing and never `commands`.
- The ground imports only the core, `workflow.errors` and the ground.
- `workflow.commands` wires verbs; nothing below it imports it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "workflow"
GROUND = ("workflow.edges.files", "workflow.edges.kept", "workflow.edges.parallel")
# Libraries that compute on data they are given: the core may use them.
PURE_LIBRARIES = {"yaml", "jsonschema", "jsonschema_rs", "phonenumbers", "stdnum", "bs4", "markdownify"}
PURE_STDLIB_MODULES = {"urllib.parse"}  # text only, though its package also holds urllib.request
# Standard modules that reach outside the process (disk, processes, network, clock-driven waits).
IMPURE_STDLIB = {
    "os",
    "io",
    "pathlib",
    "shutil",
    "subprocess",
    "socket",
    "urllib",
    "http",
    "tempfile",
    "glob",
    "mmap",
    "multiprocessing",
    "threading",
    "concurrent",
    "asyncio",
    "pickle",
    "sqlite3",
    "time",
    "signal",
    "importlib",
    "sys",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module this file imports (at any depth: lazy imports count), absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _module_name(path).split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "__future__":
                continue
            # `from workflow.edges import site` names a module, not a symbol
            found += (
                [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
                if module.count(".") < 2 and (module.startswith("workflow"))
                else [(node.lineno, module)]
            )
    return found


def _wing(module: str) -> str | None:
    """`workflow.edges.site.build` -> `site`; the ground and non-edges -> None."""
    if not module.startswith("workflow.edges.") or module.startswith(GROUND):
        return None
    return module.split(".")[2]


def problems_in(path: Path, imports: list[tuple[int, str]]) -> list[str]:
    """What breaks the house's rules in one file, given the modules it imports."""
    here = _module_name(path)
    where = f"{path.relative_to(PACKAGE.parent)}"
    out = []
    for line, target in imports:
        top = target.split(".")[0]
        if here.startswith("workflow.core"):
            if top == "workflow" and not target.startswith("workflow.core"):
                out.append(f"{where}:{line}: the core imports {target}")
            elif target in PURE_STDLIB_MODULES:
                continue
            elif top != "workflow" and (top in IMPURE_STDLIB or top not in sys.stdlib_module_names | PURE_LIBRARIES):
                out.append(f"{where}:{line}: the core imports {target} (I/O or not a pure library)")
        elif here.startswith("workflow.edges"):
            if target.startswith(("workflow.commands", "workflow.cli")):
                out.append(f"{where}:{line}: an edge imports {target}")
            elif here.startswith(GROUND) and _wing(target) is not None:
                out.append(f"{where}:{line}: the ground imports the wing {target}")
            elif _wing(target) is not None and _wing(target) != _wing(here):
                out.append(f"{where}:{line}: wing {_wing(here)} imports wing {target}")
    return out


def _files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_package_keeps_its_floors_and_wings():
    found = [problem for path in _files() for problem in problems_in(path, _imports(path))]
    assert not found, "\n".join(found)


def test_every_edge_module_lives_in_a_wing_or_the_ground():
    """No new flat room: a module directly under edges/ is ground (kept, parallel) or a wing's package."""
    loose = [
        p.name
        for p in (PACKAGE / "edges").glob("*.py")
        if p.name != "__init__.py" and f"workflow.edges.{p.stem}" not in GROUND
    ]
    assert not loose, loose


@pytest.mark.parametrize(
    ("module", "target", "rule"),
    [
        ("core/rules.py", "workflow.edges.files.repository", "the core imports"),
        ("core/rules.py", "subprocess", "I/O or not a pure library"),
        ("core/rules.py", "requests", "I/O or not a pure library"),
        ("edges/site/build.py", "workflow.edges.git.history", "wing site imports wing"),
        ("edges/files/repository.py", "workflow.edges.checking.items", "the ground imports the wing"),
        ("edges/render/problems.py", "workflow.commands.check", "an edge imports"),
    ],
)
def test_each_rule_catches_what_it_forbids(module, target, rule):
    """The rules above can fail: each forbidden import is named."""
    found = problems_in(PACKAGE / module, [(1, target)])
    assert found and rule in found[0]


@pytest.mark.parametrize(
    ("module", "target"),
    [
        ("core/rules.py", "workflow.core.structure"),
        ("core/rules.py", "yaml"),
        ("core/rules.py", "datetime"),
        ("edges/site/build.py", "workflow.edges.site.record"),
        ("edges/site/build.py", "workflow.edges.files.atomic"),
        ("edges/git/history.py", "workflow.edges.kept"),
    ],
)
def test_what_the_rules_allow(module, target):
    assert problems_in(PACKAGE / module, [(1, target)]) == []
