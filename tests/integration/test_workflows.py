"""The GitHub Actions workflows: actionlint and zizmor find nothing, and the rules of issue 5 hold."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.items import PROJECT

GITHUB = PROJECT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(name, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        pytest.fail(f"{name} is not installed: pip install the package that provides it (docs/github.md)")
    return found


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_actionlint_finds_nothing() -> None:
    result = subprocess.run(
        [tool("actionlint"), "-no-color", *map(str, WORKFLOWS)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing() -> None:
    result = subprocess.run(
        [
            tool("zizmor"),
            "--offline",
            "--no-progress",
            "--persona",
            "pedantic",
            "--format",
            "plain",
            str(GITHUB / "workflows"),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_least_privilege_and_no_untrusted_input_in_run() -> None:
    assert WORKFLOWS
    for path in WORKFLOWS:
        data = load(path)
        assert data.get("permissions") == {}, f"{path.name}: the workflow grants nothing by default"
        assert "pull_request_target" not in data["on"], path.name
        for name, job in data["jobs"].items():
            assert "permissions" in job, f"{path.name}:{name} says what it needs"
            for step in job.get("steps", []):
                assert "${{" not in step.get("run", ""), f"{path.name}:{name}: expressions go through env:"
                if str(step.get("uses", "")).startswith("actions/checkout"):
                    assert step["with"]["persist-credentials"] is False, f"{path.name}:{name}"
                if "uses" in step:
                    assert re.search(r"@[0-9a-f]{40}$", step["uses"]), f"{step['uses']}: pin to a commit"


def test_the_workflows_issue_5_asks_for() -> None:
    by_name = {path.stem: load(path) for path in WORKFLOWS}
    assert "pull_request" in by_name["validate"]["on"]
    signoffs = by_name["sign-offs" if "sign-offs" in by_name else "signoffs"]
    assert {"pull_request", "pull_request_review"} <= set(signoffs["on"])
    runs = [s.get("run", "") for job in signoffs["jobs"].values() for s in job["steps"]]
    assert any("khaosan pr-check" in r for r in runs) and any("khaosan pr-record" in r for r in runs)
    site = by_name["site"]
    assert site["on"]["push"]["branches"] == ["main"]
    assert site["on"]["schedule"] == [{"cron": "*/15 * * * *"}]
    assert site["concurrency"]["group"] and site["concurrency"]["cancel-in-progress"] is False
    assert site["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    metrics = by_name["metrics"]
    assert "schedule" in metrics["on"]
    steps = metrics["jobs"]["report"]["steps"]
    assert any("khaosan metrics" in s.get("run", "") and "--report" in s.get("run", "") for s in steps)
    assert any(str(s.get("uses", "")).startswith("actions/upload-artifact") for s in steps)


def test_codeowners_protect_the_rules_and_the_workflows() -> None:
    owned = {
        line.split()[0]
        for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {"/office.yml", "/schemas/", "/.github/"} <= owned


def test_pull_request_template_follows_the_request_form() -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    for field in (
        "ผู้ขอเผยแพร่",
        "ตำแหน่ง",
        "กลุ่ม",
        "วันที่ขอ",
        "ข้อมูลการจัดซื้อจัดจ้าง",
        "การส่งไฟล์",
        "แหล่งที่มา",
        "วันที่ได้รับ",
        "วันที่ดำเนินการเสร็จ",
    ):
        assert field in text, field


def _owned(path: str, patterns: list[str]) -> bool:
    """CODEOWNERS's rule for the patterns used here: `/dir/` owns what is below, `/file` itself."""
    return any(path == p.strip("/") or (p.endswith("/") and path.startswith(p.lstrip("/"))) for p in patterns)


def test_codeowners_cover_everything_the_build_executes_or_renders() -> None:
    from workflow.core.structure import SYSTEM_PATHS, is_system_path

    lines = (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
    patterns = [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]
    for system in SYSTEM_PATHS:
        example = system + "x" if system.endswith("/") else system
        assert is_system_path(example) and _owned(example, patterns), f"{system} has no code owner"
    for path in ("theme/templates/base.html", "pelicanconf.py", ".github/workflows/site.yml", ".ci/run"):
        assert _owned(path, patterns) and is_system_path(path), path
    assert not is_system_path("content/news/2569/x.md") and not is_system_path("themes/x")
