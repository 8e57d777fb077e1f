"""What `pr-check` and `pr-record` share: the pull request's number, the client, the schemas."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from workflow.commands.common import add_common
from workflow.core.schema import Schemas
from workflow.edges.files.repository import PACKAGE_ROOT, Repository, find_root, load_schemas
from workflow.edges.github.client import GitHub, RestGitHub, pull_number_of, read_event
from workflow.errors import KhaosanError


def add_pr_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pr", type=int, help="หมายเลขคำขอ (pull request) ค่าเริ่มต้น: จาก GITHUB_EVENT_PATH")
    parser.add_argument("--event", help="ไฟล์ JSON ของเหตุการณ์ (ค่าเริ่มต้น: GITHUB_EVENT_PATH)")
    add_common(parser)


def pr_number(args: argparse.Namespace) -> int:
    if args.pr is not None:
        if args.pr < 1:
            raise KhaosanError("KS903", f"--pr {args.pr} ไม่ใช่หมายเลขคำขอ", "ใช้เลขคำขอ เช่น --pr 12")
        return int(args.pr)
    number = pull_number_of(read_event(args.event))
    if number is None:
        raise KhaosanError(
            "KS903",
            "ไม่รู้ว่าเป็นคำขอ (pull request) หมายเลขใด",
            "ระบุ --pr N หรือรันในงาน pull_request / pull_request_review ของ Actions",
        )
    return number


def client() -> GitHub:
    return RestGitHub.from_environment()


def local_repository(args: argparse.Namespace) -> Repository | None:
    try:
        return Repository(find_root(args.root))
    except KhaosanError:
        return None


def schemas_for(repo: Repository | None) -> Schemas:
    return repo.schemas if repo is not None else load_schemas(Path(PACKAGE_ROOT))


def run_url() -> str | None:
    server, repository, run = (os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    return f"{server}/{repository}/actions/runs/{run}" if server and repository and run else None
