"""`make bench`: every benchmark in one run, each printing its own figures.

Benchmarks print numbers and compare them with the project's aims; they never fail the build on
timing (this machine is noisy). Each part lives in its own module: bench_checker (the engine),
bench_policies (500 exported policies), bench_site (build time and size), bench_browser (Pyodide
in Chromium), bench_signins (sign-in log reading: rows per second and peak memory, command line
and the page's path).
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARTS = ["bench_checker", "bench_policies", "bench_site", "bench_browser", "bench_signins"]


def main() -> int:
    status = 0
    for name in PARTS:
        print(f"== {name.removeprefix('bench_')} ==", flush=True)
        status |= importlib.import_module(name).main() or 0
    return status


if __name__ == "__main__":
    sys.exit(main())
