"""Where the workplace's read-only shared material lives (facts.md, the labelled cases).

`../shared` beside the checkout is the documented place. $SHARED_DIR overrides it, and
/work/shared (this workplace's copy) serves a checkout made elsewhere, such as a CI clone.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _find() -> Path:
    for candidate in (os.environ.get("SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "eval" / "dev.jsonl").is_file():
            return Path(candidate)
    return ROOT.parent / "shared"  # missing: opening a file under it names the expected place


SHARED = _find()
DEV_CASES = SHARED / "eval" / "dev.jsonl"
FACTS = SHARED / "reference" / "facts.md"
