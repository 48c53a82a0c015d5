"""Parity for exported policies: every real file in ../shared/examples/policies and every
labelled fixture, through Pyodide in Node (the site's own files and engine.mjs, the same call
the page makes), gives exactly what `python -m checker policies FILE --json` prints."""
from __future__ import annotations

import base64
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from parity.expected import engine_dir
from shared_dir import SHARED
from test_parity import run_in_node

EXAMPLES = SHARED / "examples" / "policies"
FIXTURES = Path(__file__).parent / "fixtures" / "policies"


def policy_files() -> list[Path]:
    return sorted(p for p in [*EXAMPLES.iterdir(), *FIXTURES.glob("*.json")]
                  if p.name not in ("SOURCES.md", "expected.json"))


def cli_policies(path: Path) -> dict:
    """The command line on one file, named as the page names it (cwd = the file's folder)."""
    run = subprocess.run([sys.executable, "-m", "checker", "policies", path.name, "--json"],
                         cwd=path.parent, capture_output=True, timeout=60,
                         env={"PYTHONPATH": str(engine_dir()), "PATH": "/usr/bin:/bin"})
    assert run.returncode in (0, 1, 2) and b"Traceback" not in run.stderr, run.stderr
    return json.loads(run.stdout)


def test_every_policy_file_gives_the_same_json_in_pyodide_and_cpython(site_dir):
    files = policy_files()
    assert len(files) >= 60
    cases = [{"id": f.name, "files": [{"name": f.name, "base64": base64.b64encode(f.read_bytes()).decode()}]}
             for f in files]
    # all files at once too: the matrix and the accounts excluded everywhere
    cases.append({"id": "all", "files": [c["files"][0] for c in cases]})
    with ThreadPoolExecutor(max_workers=4) as pool:
        expected = list(pool.map(cli_policies, files))
    answers = run_in_node(site_dir, cases)
    differ = [f.name for f, want in zip(files, expected) if answers[f.name].get("result") != want]
    assert not differ, f"Pyodide and CPython disagree on {differ[:3]}: {answers[differ[0]]}"
    together = answers["all"]["result"]
    assert [p["name"] for p in together["policies"]] == [p["name"] for r in expected for p in r["policies"]]


def test_bad_input_gives_the_same_answer(site_dir):
    bad = {"empty": "", "garbage": "\x00\x01 not json", "not-a-policy": '{"a": 1}', "deep": "[" * 5000}
    cases = [{"id": k, "files": [{"name": k, "text": v}]} for k, v in bad.items()]
    cases.append({"id": "no-files", "files": []})
    answers = run_in_node(site_dir, cases)
    from checker.policies import check

    for c in cases:
        assert answers[c["id"]].get("result") == check(c["files"]), c["id"]
