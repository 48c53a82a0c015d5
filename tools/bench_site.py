"""Benchmark of the guide: how long a full site build takes and how big the built site is.

One timed `mkdocs build --strict` into a scratch directory (hooks included: the problem pages,
mermaid's copy, Pyodide and the checker wheel), then the size of what a host has to serve, in
total and without site/pyodide/ (the Python runtime, fetched only when the checker starts).
Prints figures; never fails on timing.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_DIR = "pyodide"  # under the site root
MERMAID_DIR = Path("assets", "mermaid")  # pages with a diagram load its entry and a few chunks


def tree_size(root: Path, exclude: str | None = None) -> tuple[int, int]:
    """(bytes, files) below `root`, leaving out the top-level folder `exclude`."""
    total = count = 0
    for path in root.rglob("*"):
        if path.is_file() and not (exclude and path.relative_to(root).parts[0] == exclude):
            total += path.stat().st_size
            count += 1
    return total, count


def mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        site = Path(tmp, "site")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
                             cwd=ROOT, capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - start
        if run.returncode != 0:
            print(f"  site build failed:\n{run.stdout}{run.stderr}")
            return 1
        total, files = tree_size(site)
        without, files_without = tree_size(site, exclude=RUNTIME_DIR)
        pages = sum(1 for _ in site.rglob("index.html"))
        mermaid, _ = tree_size(site / MERMAID_DIR)
    print(f"  build (mkdocs build --strict, all hooks)   {elapsed:6.1f} s")
    print(f"  site size, total                           {mb(total):>8}  ({files} files, {pages} pages)")
    print(f"  site size without Pyodide ({RUNTIME_DIR}/)       {mb(without):>8}  ({files_without} files)")
    print(f"  of which Pyodide                           {mb(total - without):>8}")
    print(f"  of which mermaid, all diagram types        {mb(mermaid):>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
