"""A real git repository with a pull request on a local GitHub-shaped server.

`main` holds office.yml (the sample office, every person given a GitHub login)
and schemas/; the pull request's branch adds items. Tests move the head with
`change(...)`, give reviews with `review(...)`, and run the commands with the
environment GitHub Actions would give them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .github_server import NAME, OWNER, FakeGitHub
from .items import ATTACHMENT, ATTACHMENT_BYTES, PATHS, PROJECT, item_text

NUMBER = 7
PR_AUTHOR = "weera-d-example"  # the webmaster opens the pull request for the PR unit


def login_of(person_id: str) -> str:
    return person_id.replace(".", "-") + "-example"


def office_with_logins() -> str:
    """The sample office.yml, with a `github` login for everyone who has none."""
    lines = []
    for line in (PROJECT / "office.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*- \{id: ([a-z]+\.[a-z]+),.* roles: ", line)  # people only: their ids have a dot
        if m and "github:" not in line and line.rstrip().endswith("}"):
            line = line.rstrip()[:-1] + f", github: {login_of(m.group(1))}}}"
        lines.append(line)
    return "\n".join(lines) + "\n"


ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
}


@dataclass
class PullRepo:
    root: Path
    server: FakeGitHub
    base: str
    head: str

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=self.root, check=True, capture_output=True, text=True, env={**os.environ, **ENV}
        ).stdout.strip()

    def write(self, rel: str, data: str | bytes) -> None:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    def read(self, rel: str) -> str:
        return (self.root / rel).read_bytes().decode("utf-8")

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def change(self, files: dict[str, str | bytes], message: str = "แก้ไข") -> str:
        """Commit on the pull request's branch; the pull request's head follows."""
        for rel, data in files.items():
            self.write(rel, data)
        self.head = self.commit(message)
        self.server.sync(NUMBER, self.head)
        return self.head

    def review(
        self,
        person_id_or_login: str,
        state: str = "APPROVED",
        commit: str | None = None,
        at: str = "2026-11-22T03:00:00Z",
    ) -> None:
        login = person_id_or_login if "-" in person_id_or_login else login_of(person_id_or_login)
        self.server.review(NUMBER, login, state, commit or self.head, at)

    def environment(self) -> dict[str, str]:
        return {
            "GITHUB_TOKEN": "test-token",
            "GITHUB_REPOSITORY": f"{OWNER}/{NAME}",
            "GITHUB_API_URL": self.server.url,
            "GITHUB_EVENT_PATH": "",
            "GITHUB_ACTIONS": "",
            "GITHUB_STEP_SUMMARY": "",
        }


def make_pull_repo(root: Path, server_factory: type[FakeGitHub] = FakeGitHub) -> tuple[PullRepo, FakeGitHub]:
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env={**os.environ, **ENV})
    (root / "office.yml").write_text(office_with_logins(), encoding="utf-8")
    shutil.copytree(PROJECT / "schemas", root / "schemas")
    (root / "content").mkdir()
    server = server_factory(root)
    repo = PullRepo(root, server, "", "")
    repo.base = repo.commit("สำนักงานตัวอย่าง")
    repo.git("checkout", "-q", "-b", f"pr-{NUMBER}")
    repo.write(PATHS["news"], item_text("news"))
    repo.write(PATHS["disclosure"], item_text("disclosure"))
    repo.write(f"content/{ATTACHMENT}", ATTACHMENT_BYTES)
    repo.head = repo.commit("ขอเผยแพร่ข่าวประชุมและร่าง TOR")
    server.pull(NUMBER, head=repo.head, base=repo.base, author=PR_AUTHOR)
    return repo, server
