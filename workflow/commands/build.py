"""`khaosan build`: check everything, then build the site from what may be public."""

from __future__ import annotations

import argparse

from ..errors import EXIT_OK
from .common import add_common

HELP = "ตรวจแล้วสร้างเว็บไซต์ลงใน output/"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("build", help=HELP, description=HELP)
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return EXIT_OK
