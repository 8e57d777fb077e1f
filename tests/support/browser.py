"""Debian's Chromium for the browser tests, and the npm packages they load from node_modules/.

Missing: skipped on a developer machine, a failure in CI (`KHAOSAN_REQUIRE_BROWSER=1`, set by
.ci/run), as the site's browser tests do."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(what: str, present: bool) -> None:
    if not present:
        if os.environ.get("KHAOSAN_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(f"{what} is missing (make system)")
        pytest.skip(f"{what} not installed (make system)")


def node_modules() -> Path:
    return Path(os.environ.get("KHAOSAN_NODE_MODULES") or PROJECT / "node_modules")


def require_editor_packages() -> Path:
    """node, and the pinned packages /admin/ and its local backend need (package-lock.json)."""
    modules = node_modules()
    require("node", shutil.which("node") is not None)
    for package, entry in (
        ("decap-cms", "dist/decap-cms.js"),
        ("decap-server", "dist/index.js"),
        ("js-yaml", "dist/js-yaml.min.js"),
    ):
        require(f"npm package {package}", (modules / package / entry).is_file())
    return modules
