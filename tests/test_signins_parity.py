"""Sign-in logs: the page's path (Pyodide in Node, the site's wheel and engine.mjs, files fed in
slices as the page feeds them) gives exactly the JSON of `python -m checker signins --json`, for
the fixtures of every shape, the real samples, and a refused file."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from parity.expected import ROOT, engine_dir
from shared_dir import SHARED

FIXTURES = ROOT / "tests" / "fixtures" / "signins"
SAMPLES = SHARED / "examples" / "signins"
RUNNER = ROOT / "tests" / "parity" / "signins.mjs"


def cases() -> list[dict]:
    shapes = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".csv", ".json", ".log"))
    out = [{"id": p.name, "files": [str(p)]} for p in shapes]
    out.append({"id": "all", "files": [str(p) for p in shapes]})
    if SAMPLES.is_dir():
        out += [{"id": f"sample/{p.name}", "files": [str(p)]} for p in sorted(SAMPLES.iterdir()) if p.suffix != ".md"]
    out.append({"id": "refused", "files": [str(FIXTURES / "graph-beta-signins.json"), str(FIXTURES / "generate.py")]})
    return out


def cli(files: list[str]) -> dict:
    run = subprocess.run([sys.executable, "-m", "checker", "signins", "--json", *files], capture_output=True,
                         cwd=engine_dir(), timeout=120)
    if run.returncode == 2:
        return {"error": run.stderr.decode().strip().removeprefix("checker signins: ")}
    return {"result": json.loads(run.stdout)}


@pytest.mark.parametrize("chunk", [65536, 1000])
def test_page_path_gives_the_command_lines_json(site_dir, chunk):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; the parity test needs Node.js (see README)")
    todo = cases()
    run = subprocess.run([node, str(RUNNER), str(site_dir), str(chunk)], input="".join(json.dumps(c) + "\n" for c in todo),
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    answers = {a["id"]: a for a in map(json.loads, run.stdout.splitlines())}
    assert list(answers) == [c["id"] for c in todo]
    for c in todo:
        want, got = cli(c["files"]), answers[c["id"]]
        if "error" in want:
            assert got["error"].endswith(want["error"]), (c["id"], got)
        else:
            assert got.get("result") == want["result"], c["id"]
    assert answers["all"]["result"]["flow_failures"] == 6 * 8  # 6 whole-scenario files + LA pairs (CSV, JSON)
