"""`python -m checker policies FILE... [--json]`: what exported policies do to flows.

FILE may be - for standard input. Exit status: 0 a policy breaks or would break flows, 1 none
does, 2 bad usage or an input that cannot be read (the report still covers the others).
"""
from __future__ import annotations

import argparse
import json
import sys

from ..cli import OneLineParser, emit
from .render import render
from .report import check_bytes, exit_status


def _parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="python -m checker policies",
        description="Read exported conditional access policies (Graph JSON, PowerShell ConvertTo-Json, "
                    "list responses) and say what each does to Power Automate flows.",
        epilog="Exit status: 0 a policy breaks or would break flows, 1 none does, 2 an input cannot be read.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="exported policy files (- for standard input)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _read(path: str) -> bytes | str:
    """The file's bytes, or the reason it cannot be opened (as text)."""
    try:
        if path == "-":
            if sys.stdin is None or sys.stdin.isatty():
                return "nothing on standard input: pipe the exported policies in, or name a file"
            return sys.stdin.buffer.read()
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    report = check_bytes([(path, _read(path)) for path in args.files])
    out = json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report)
    emit(out)
    for f in report["files"]:
        if f["error"]:
            print(f"checker policies: {f['name']}: {f['error']}", file=sys.stderr)
    return exit_status(report)
