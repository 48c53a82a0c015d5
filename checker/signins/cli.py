"""`python -m checker signins FILE... [--json]`: sign-in logs in, the flows they show broken out.

Exit status: 0 flow failures or would-fail sign-ins found, 1 none, 2 an input cannot be read
(nothing is reported from a half-read file).
"""
from __future__ import annotations

import argparse
import json
import sys


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"checker signins: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m checker signins",
        description="Find the Power Automate sign-ins that conditional access, MFA or a token lifetime broke, "
                    "in exported Microsoft Entra sign-in logs (CSV or JSON, any number of files).",
        epilog="Exit status: 0 flow failures or would-fail sign-ins found, 1 none, 2 an input cannot be read.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="sign-in log files, recognised by their content")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    from .session import SigninsError, analyse_files

    try:
        result = analyse_files(args.files)
    except SigninsError as exc:
        print(f"checker signins: {exc}", file=sys.stderr)
        return 2
    if args.json:
        out = json.dumps(result, ensure_ascii=False, indent=1)
    else:
        from .report import render

        out = render(result)
    try:
        print(out)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stdout = None
    return 0 if result["flow_failures"] or result["would_fail"] else 1
