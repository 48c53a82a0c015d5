"""What CPython's command line answers, computed at test time: the browser and Pyodide-in-Node
tests compare against it, never against answers written into the tests.

The command line runs from the checker wheel the built site serves (unpacked once per test
run), so CPython and the page run the same version of the engine even while the source tree
moves on after the build. `make test` builds the site first, so that version is the tree's."""
from __future__ import annotations

import atexit
import functools
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from shared_dir import DEV_CASES as DEV  # noqa: E402

SITE_PYODIDE = ROOT / "site" / "pyodide"


@functools.cache
def engine_dir() -> Path:
    """A directory holding the `checker` package unpacked from the site's wheel."""
    wheels = sorted(SITE_PYODIDE.glob("checker-*.whl"))
    if len(wheels) != 1:
        raise AssertionError(f"expected one checker wheel in {SITE_PYODIDE}, found {wheels}")
    out = Path(tempfile.mkdtemp(prefix="site-checker-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    with zipfile.ZipFile(wheels[0]) as wheel:
        wheel.extractall(out)
    return out


def dev_cases() -> list[dict]:
    """The shared dev cases as {"id", "text"}."""
    lines = DEV.read_text("utf-8").splitlines()
    return [{"id": c["id"], "text": c["text"]} for c in map(json.loads, filter(str.strip, lines))]


def cli_json(text: str | None = None, answers: dict | None = None, setup: dict | None = None) -> dict:
    """`python3 -m checker --json`, the text on standard input (as a user pipes a paste)."""
    cmd = [sys.executable, "-m", "checker", "--json"]
    cmd += [f"--answer={k}={v}" for k, v in (answers or {}).items()]
    if setup is not None:
        cmd += ["--setup", "-"]
        text = json.dumps(setup)
    result = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True,
                            cwd=engine_dir(), timeout=60)
    if result.returncode not in (0, 1):
        raise AssertionError(f"{cmd} exited {result.returncode}: {result.stderr.decode()}")
    return json.loads(result.stdout)


def cli_many(calls: list) -> list[dict]:
    """cli_json for each text, or for each dict of cli_json's arguments, in parallel."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda c: cli_json(**c) if isinstance(c, dict) else cli_json(c), calls))
