"""Exported conditional access policies in, what each does to Power Automate flows out.

    check(files) -> dict    files: [{"name", "text"} or {"name", "base64"}], as the browser sends
                            them; the same JSON `python -m checker policies FILE... --json` prints

read.py reads any export shape, model.py normalises it, assess.py judges each policy through
checker/rollout.py's setup model, report.py puts the policies together. Standard library only.
"""
from .report import check, check_bytes

__all__ = ["check", "check_bytes"]
