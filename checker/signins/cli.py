"""`python -m checker signins FILE... [--json]`: sign-in logs in, the flows they show broken out.
`python -m checker signins --kql`: only the query that finds the same in Log Analytics.

Exit status: 0 flow failures or would-fail sign-ins found, 1 none, 2 an input cannot be read
(nothing is reported from a half-read file).
"""
from __future__ import annotations

import argparse
import json
import sys

from ..cli import OneLineParser, emit


def _parser() -> argparse.ArgumentParser:
    p = OneLineParser(
        prog="python -m checker signins",
        description="Find the Power Automate sign-ins that conditional access, MFA or a token lifetime broke, "
                    "in exported Microsoft Entra sign-in logs (CSV or JSON, any number of files).",
        epilog="Exit status: 0 flow failures or would-fail sign-ins found, 1 none, 2 an input cannot be read.",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="sign-in log files, recognised by their content")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--kql", action="store_true",
                   help="print only the KQL query for Log Analytics / Microsoft Sentinel (no files needed)")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.kql:
        from .kql import query

        print(query(), end="")
        return 0
    if not args.files:
        parser.error("give at least one sign-in log file, or --kql for the query alone")
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
    emit(out)
    return 0 if result["flow_failures"] or result["would_fail"] else 1
