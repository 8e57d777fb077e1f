"""The `khaosan` command: wiring only. One error type is caught here, once."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from workflow import __version__
from workflow.errors import EXIT_USAGE, KhaosanError

# One module a verb, imported only when that verb runs (start-up is part of every check).
COMMANDS = (
    "check",
    "new",
    "approve",
    "status",
    "build",
    "verify",
    "serve",
    "codes",
    "pr-check",
    "pr-record",
    "metrics",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors, with our code and exit 2
        self.print_usage(sys.stderr)
        print(f"KS903 ค่าที่สั่งไม่ถูกต้อง: {message} — ดูวิธีใช้ด้วย khaosan --help", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (for speed) only the verb about to run."""
    root = _Parser(prog="khaosan", description="ข่าวสาร: งานประชาสัมพันธ์และการเปิดเผยข้อมูลของสำนักงาน ด้วย Git")
    root.add_argument("--version", action="version", version=f"khaosan {__version__}")
    sub = root.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        if only is None or name == only:
            importlib.import_module(f".commands.{name.replace('-', '_')}", __package__).add_parser(sub)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = parser(words[0] if words and words[0] in COMMANDS else None).parse_args(words)
    try:
        return int(args.run(args))
    except KhaosanError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ยกเลิกแล้ว", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
