"""`khaosan pr-check [--pr N]`: sign-offs from the pull request's reviews, per item.

Writes (or edits, never duplicates) one Thai comment on the pull request, sets
the commit status `khaosan/sign-offs` on its head, and prints GitHub
annotations for `check` problems on the right file and line. Everything is read
first; the comment and the status are the last two calls.
"""

from __future__ import annotations

import argparse
import json
import os

from workflow.commands.common import now_of
from workflow.commands.pr_shared import add_pr_arguments, client, local_repository, pr_number, run_url, schemas_for
from workflow.core.reviews import summarise
from workflow.core.validate import locate
from workflow.edges.github.client import COMMENT_MARKER
from workflow.edges.github.pull_request import as_jsonable, gather, items_referencing
from workflow.edges.render.problems import render
from workflow.edges.render.pull_request import comment_text
from workflow.errors import EXIT_CONTENT, EXIT_OK

HELP = "ตรวจการลงนามจากการอนุมัติ (review) ในคำขอบน GitHub แล้วแจ้งผลในคำขอ"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("pr-check", help=HELP, description=HELP)
    parser.add_argument(
        "--format",
        choices=("github", "text", "json"),
        default="github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",
        help="รูปแบบผลการตรวจไฟล์ (ค่าเริ่มต้นใน Actions: github)",
    )
    parser.add_argument("--dry-run", action="store_true", help="แสดงความเห็นโดยไม่เขียนลง GitHub")
    add_pr_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    now = now_of(args)
    number = pr_number(args)
    github = client()
    repo = local_repository(args)
    state = gather(
        github,
        number,
        schemas_for(repo),
        now,
        repo.item_ids() if repo else frozenset(),
        items_referencing(repo.read, repo.item_paths()) if repo else None,
    )
    problems = list(state.check_problems)
    for result in state.reviewed:
        problems.extend(locate(list(result.problems), result.item))
    body = comment_text(
        state.reviewed,
        state.office,
        now,
        state.deadlines,
        state.check_errors(),
        state.unknown,
        COMMENT_MARKER,
        state.ineligible,
        state.system_files,
    )
    summary = summarise(state.reviewed, sum(state.check_errors().values()))
    if args.format == "json":
        print(
            json.dumps(
                {**as_jsonable(state), "state": summary.state, "description": summary.description},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        out = render(problems, args.format, {})
        if out:
            print(out)
        if args.format == "text" or args.dry_run:
            print(body)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and args.format == "github":  # the same text on the run's summary page
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(body.replace(COMMENT_MARKER, "").lstrip() + "\n")
    if not args.dry_run:
        github.upsert_comment(number, body)
        github.report_check(state.head_sha, summary.state, summary.description, run_url())
    return EXIT_CONTENT if summary.state == "failure" else EXIT_OK
