"""Score the checker on ../shared/eval/dev.jsonl with negatives bucketed as negatives.

The shared scorer buckets cases by `bucket`, falling back to `kind`; dev.jsonl has no `bucket`,
so its negatives land in the paste/written buckets, the abstain rate reads 0 and top1 is divided
by every case. This runs the same scorer on a copy whose cases with an empty `accept` carry
bucket "negative" (the others keep their kind), which is what the metrics mean.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from shared_dir import SHARED as _SHARED

ROOT = Path(__file__).resolve().parent.parent
SHARED = _SHARED / "eval"


def main() -> int:
    cases = [json.loads(l) for l in (SHARED / "dev.jsonl").read_text("utf-8").splitlines() if l.strip()]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as tmp:
        for c in cases:
            c.setdefault("bucket", c["kind"] if c["accept"] else "negative")
            tmp.write(json.dumps(c) + "\n")
    try:
        return subprocess.call([sys.executable, str(SHARED / "score.py"), "checker", tmp.name], cwd=ROOT,
                               env={**os.environ, "CHECKER_PY": os.environ.get("CHECKER_PY", sys.executable)})
    finally:
        os.unlink(tmp.name)


if __name__ == "__main__":
    sys.exit(main())
