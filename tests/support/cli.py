"""Run the `khaosan` command in-process and capture what it says."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

from workflow.cli import main

THAI = re.compile(r"[\u0E00-\u0E7F]")


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


def run_cli(argv: Sequence[str]) -> CliResult:
    """`khaosan ARGV` through `workflow.cli.main`; argparse's exits become exit codes.

    Any other exception is left to fail the test: the CLI must never show a traceback.
    """
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return CliResult(code, out.getvalue(), err.getvalue())
