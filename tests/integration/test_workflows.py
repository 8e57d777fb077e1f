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
    assert set(signoffs["on"]) == {"pull_request_target", "workflow_run"}
    assert signoffs["on"]["workflow_run"]["workflows"] == [by_name["review"]["name"]]
    assert set(by_name["review"]["on"]) == {"pull_request_review"}
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


# Events whose workflow file GitHub takes from the pull request itself (its head or merge commit):
# a pull request that rewrites the file runs its own version with whatever the file grants.
FROM_THE_PULL_REQUEST = {"pull_request", "pull_request_review", "pull_request_review_comment"}


def _writes(permissions: object) -> bool:
    if permissions in ("write-all",):
        return True
    return isinstance(permissions, dict) and any(v == "write" for v in permissions.values())


def _triggers(data: dict) -> set[str]:
    on = data["on"]
    return {on} if isinstance(on, str) else set(on)


def write_jobs_a_pull_request_can_rewrite(workflows: dict[str, dict]) -> list[str]:
    """Jobs that hold a write permission in a workflow a pull request's own file would run."""
    found = []
    for name, data in workflows.items():
        if not _triggers(data) & FROM_THE_PULL_REQUEST:
            continue
        if _writes(data.get("permissions")):
            found.append(f"{name}: the workflow")
        found += [f"{name}:{job}" for job, spec in data["jobs"].items() if _writes(spec.get("permissions"))]
    return found


def test_no_job_with_a_write_permission_runs_from_a_pull_requests_own_workflow_file() -> None:
    """The forged-status attack: a pull request rewrites the sign-off job and gets its write token.
    Every job that writes runs on an event whose workflow file comes from the default branch."""
    workflows = {path.name: load(path) for path in WORKFLOWS}
    assert write_jobs_a_pull_request_can_rewrite(workflows) == []
    forged = {
        "x.yml": {"on": {"pull_request": None}, "permissions": {}, "jobs": {"j": {"permissions": {"checks": "write"}}}}
    }
    assert write_jobs_a_pull_request_can_rewrite(forged) == ["x.yml:j"]  # the rule catches the old shape


def test_the_pull_requests_files_are_never_installed_or_run_where_a_token_can_write() -> None:
    """In the privileged workflows the pull request's head is checked out only as data, into its own
    folder, and no step installs or runs anything from that folder."""
    for path in WORKFLOWS:
        data = load(path)
        if not _triggers(data) & {"pull_request_target", "workflow_run"}:
            continue
        for name, job in data["jobs"].items():
            heads = [
                s["with"].get("path", ".")
                for s in job["steps"]
                if str(s.get("uses", "")).startswith("actions/checkout") and "head" in str(s["with"].get("ref", ""))
            ]
            assert "." not in heads, f"{path.name}:{name}: the head is checked out over the tool"
            for step in job["steps"]:
                run = step.get("run", "")
                for head in heads:
                    assert f"./{head}" not in run and f"install -q -c {head}/" not in run, f"{path.name}:{name}"


def test_the_site_is_verified_against_the_reviews_before_it_is_uploaded() -> None:
    """Issue 12, item 6: the deploy job uploads only a build that `khaosan verify` passed, with the
    reviews read through a token that can read them and write nothing."""
    build = load(GITHUB / "workflows" / "site.yml")["jobs"]["build"]
    assert build["permissions"] == {"contents": "read", "pull-requests": "read"}
    steps = build["steps"]
    where = {
        name: next(i for i, s in enumerate(steps) if test(s))
        for name, test in (
            ("build", lambda s: "khaosan build" in s.get("run", "")),
            ("verify", lambda s: "khaosan verify" in s.get("run", "")),
            ("upload", lambda s: str(s.get("uses", "")).startswith("actions/upload-pages-artifact")),
        )
    }
    assert where["build"] < where["verify"] < where["upload"]
    verify = steps[where["verify"]]
    assert "--receipt output" in verify["run"] and verify["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    assert not verify.get("continue-on-error") and "if" not in steps[where["upload"]]


def test_distribute_runs_after_a_successful_deploy_with_only_what_it_needs() -> None:
    """Issue 18: posting follows the deploy, writes only its records branch, and reads tokens from env."""
    site = load(GITHUB / "workflows" / "site.yml")
    job = site["jobs"]["distribute"]
    assert set(job["needs"]) == {"build", "deploy"}
    assert job["permissions"] == {"contents": "write"}
    assert job["environment"]["name"] == "social"
    (step,) = [s for s in job["steps"] if "khaosan distribute" in s.get("run", "")]
    assert '--as-of "$BUILT_AT"' in step["run"] and "--dry-run" not in step["run"]
    assert step["env"]["FACEBOOK_PAGE_TOKEN"] == "${{ secrets.FACEBOOK_PAGE_TOKEN }}"
    assert step["env"]["LINE_CHANNEL_ACCESS_TOKEN"] == "${{ secrets.LINE_CHANNEL_ACCESS_TOKEN }}"
    assert site["jobs"]["build"]["outputs"]["built_at"]
    others = [s for name, j in site["jobs"].items() if name != "distribute" for s in j.get("steps", [])]
    assert not any("FACEBOOK" in str(s) or "LINE_CHANNEL" in str(s) for s in others)  # no other step sees them
