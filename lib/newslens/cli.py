"""The `newslens` command line (also `python -m newslens`).

Each sub-command is a small `_add_<name>(subparsers)` function that declares its arguments and
sets `func`, the handler returning an exit code; `COMMANDS` lists them in help order.

>>> main(["--version"])  # doctest: +SKIP
newslens 0.1.0
"""

from __future__ import annotations

import argparse

from newslens import __version__

COMMANDS: list = []


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newslens", description="Media-analysis workbench.")
    parser.add_argument("--version", action="version", version=f"newslens {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)
