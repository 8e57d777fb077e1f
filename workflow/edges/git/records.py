"""The receipts of social posts, kept in git on their own branch (`khaosan-records`).

The branch holds one file, `social/receipts.jsonl`, appended to and never edited. It
is written only by the site workflow (protect the branch so that only GitHub Actions
may push), never by a pull request, and it is not the main branch: editing an item
cannot make a receipt. A fresh clone has it (`git fetch origin khaosan-records`).

Writing is compare-and-swap: a commit is built on the tip this run read (plumbing in
a private index, the work tree untouched) and pushed without force, so a push made on
an old tip is refused. `claim` gives up when refused (another run got there: read
again and plan again); `append` reads again and puts its lines after the other run's.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from workflow.core.social import RECEIPTS_FILE, RECORDS_BRANCH
from workflow.errors import EXIT_CONTENT, KhaosanError

LOCAL_REF = "refs/khaosan/records"  # where this clone keeps the branch as last read
BOT = ("khaosan[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
TRIES = 5
_CREDENTIALS = re.compile(r"(://)[^/@\s]+@")


class RecordsError(KhaosanError):
    def __init__(self, detail: str) -> None:
        from workflow.core.problems import CODES

        entry = CODES["KS817"]
        super().__init__("KS817", f"{entry.message}: {redact(detail)}", entry.hint, EXIT_CONTENT)


def redact(text: str) -> str:
    """A remote's credentials out of any text git says (`https://x-access-token:…@host` → `https://…@host`)."""
    return _CREDENTIALS.sub(r"\1…@", text)


@dataclass
class Records:
    root: Path
    remote: str = "origin"  # a remote's name or URL (the workflow passes one with its token)
    tip: str | None = field(default=None, init=False)  # the branch's commit as last read
    text: str = field(default="", init=False)

    def read(self) -> str:
        """The receipts file as the remote has it now ('' before the first receipt)."""
        fetched = self._git(
            "fetch", "--quiet", "--no-tags", self.remote, f"+refs/heads/{RECORDS_BRANCH}:{LOCAL_REF}", check=False
        )
        if fetched.returncode != 0:
            if "couldn't find remote ref" not in fetched.stderr and "could not find remote ref" not in fetched.stderr:
                raise RecordsError(f"git fetch: {fetched.stderr.strip()[:300]}")
            self.tip, self.text = None, ""
            return self.text
        self.tip = self._git("rev-parse", LOCAL_REF).stdout.strip()
        shown = self._git("show", f"{LOCAL_REF}:{RECEIPTS_FILE}", check=False)
        self.text = shown.stdout if shown.returncode == 0 else ""
        return self.text

    def claim(self, lines: list[str], message: str) -> bool:
        """Append `lines` on the tip last read; False when another run moved the branch since."""
        return self._push(self.text + "".join(f"{line}\n" for line in lines), message)

    def append(self, lines: list[str], message: str) -> None:
        """Append `lines` after whatever is there now (read again while another run pushes in between)."""
        for _ in range(TRIES):
            if self._push(self.text + "".join(f"{line}\n" for line in lines), message):
                return
            self.read()
        raise RecordsError(f"push ถูกปฏิเสธ {TRIES} ครั้ง")

    # -- git -------------------------------------------------------------
    def _push(self, text: str, message: str) -> bool:
        commit = self._commit(text, message)
        pushed = self._git("push", "--quiet", self.remote, f"{commit}:refs/heads/{RECORDS_BRANCH}", check=False)
        if pushed.returncode != 0:
            said = pushed.stderr
            if "rejected" in said or "fetch first" in said or "non-fast-forward" in said or "stale info" in said:
                return False
            raise RecordsError(f"git push: {said.strip()[:300]}")
        self._git("update-ref", LOCAL_REF, commit)
        self.tip, self.text = commit, text
        return True

    def _commit(self, text: str, message: str) -> str:
        blob = self._git("hash-object", "-w", "--stdin", input=text).stdout.strip()
        with tempfile.TemporaryDirectory() as folder:
            env = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
            if self.tip:
                self._git("read-tree", self.tip, env=env)
            self._git("update-index", "--add", "--cacheinfo", f"100644,{blob},{RECEIPTS_FILE}", env=env)
            tree = self._git("write-tree", env=env).stdout.strip()
        parents = ["-p", self.tip] if self.tip else []
        who = {
            "GIT_AUTHOR_NAME": BOT[0],
            "GIT_AUTHOR_EMAIL": BOT[1],
            "GIT_COMMITTER_NAME": BOT[0],
            "GIT_COMMITTER_EMAIL": BOT[1],
        }
        return self._git("commit-tree", tree, *parents, "-m", message, env=who).stdout.strip()

    def _git(
        self, *args: str, check: bool = True, input: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["git", "-C", str(self.root), *args],
            capture_output=True,
            text=True,
            input=input,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})},
            check=False,
        )
        if check and done.returncode != 0:
            raise RecordsError(f"git {args[0]}: {done.stderr.strip()[:300]}")
        return done


def read_receipts_text(root: Path) -> str:
    """The receipts this clone has (for metrics, status and the site: no network): the branch as last
    fetched by `distribute` or `origin/khaosan-records` as a clone or `git fetch` brought it, whichever is
    newer; '' when there is none."""
    found = ""
    for ref in (LOCAL_REF, f"refs/remotes/origin/{RECORDS_BRANCH}", f"refs/heads/{RECORDS_BRANCH}"):
        shown = subprocess.run(
            ["git", "-C", str(root), "show", f"{ref}:{RECEIPTS_FILE}"], capture_output=True, text=True, check=False
        )
        if shown.returncode == 0 and len(shown.stdout) > len(found):  # appended only: the longer is the newer
            found = shown.stdout
    return found
