"""The `khaosan` command: wiring only. One error type is caught here, once.

argparse speaks English; the people who use this speak Thai. Its help headings and
its few usage errors are said in Thai here (the messages it builds from templates are
matched and reworded; one not known stays as argparse wrote it, after the Thai code).
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

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
    "distribute",
    "serve",
    "codes",
    "pr-check",
    "pr-record",
    "metrics",
    "ita",
    "form",
    "import",
)
MODULES = {"import": "importer"}  # a verb whose module name differs (`import` is a Python keyword)


# argparse's error templates (Python 3.11–3.13 wording) and what they say in Thai.
_THAI_ERRORS = (
    (re.compile(r"the following arguments are required: (.+)"), "ขาดค่าที่ต้องระบุ: {0}"),
    (re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"), "{0}: ไม่มีตัวเลือก {1} (เลือกจาก {2})"),
    (re.compile(r"unrecognized arguments: (.+)"), "ไม่รู้จักค่าที่สั่ง: {0}"),
    (re.compile(r"argument (.+?): expected one argument"), "{0} ต้องตามด้วยค่าหนึ่งค่า"),
    (re.compile(r"argument (.+?): invalid (\w+) value: (.+)"), "{0}: ค่า {2} ใช้ไม่ได้ (ต้องเป็น{1})"),
    (re.compile(r"argument (.+?): not allowed with argument (.+)"), "{0} ใช้ร่วมกับ {1} ไม่ได้"),
    (re.compile(r"ambiguous option: (.+?) could match (.+)"), "ตัวเลือก {0} กำกวม อาจหมายถึง {1}"),
)
_THAI_WORDS = {"command": "คำสั่ง", "int": "จำนวนเต็ม", "float": "ตัวเลข"}


def thai_error(message: str) -> str:
    """argparse's message reworded in Thai where its template is known."""
    for pattern, thai in _THAI_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return thai.format(*(_THAI_WORDS.get(part, part) for part in found.groups()))
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(
        self, usage: str | None, actions: Iterable[argparse.Action], groups: Iterable[Any], prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, "วิธีใช้: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False  # added below, in Thai
        super().__init__(*args, **kwargs)
        self._positionals.title = "ค่าที่ระบุ"
        self._optionals.title = "ตัวเลือก"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="แสดงวิธีใช้นี้แล้วจบ")

    def error(self, message: str) -> None:  # argparse's own errors, with our code and exit 2
        self.print_usage(sys.stderr)
        print(f"KS903 ค่าที่สั่งไม่ถูกต้อง: {thai_error(message)} — ดูวิธีใช้ด้วย khaosan --help", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (for speed) only the verb about to run."""
    root = _Parser(prog="khaosan", description="ข่าวสาร: งานประชาสัมพันธ์และการเปิดเผยข้อมูลของสำนักงาน ด้วย Git")
    root.add_argument("--version", action="version", version=f"khaosan {__version__}", help="แสดงรุ่นของโปรแกรมแล้วจบ")
    sub = root.add_subparsers(title="คำสั่ง", dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        if only is None or name == only:
            module = MODULES.get(name, name.replace("-", "_"))
            importlib.import_module(f".commands.{module}", __package__).add_parser(sub)
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
